import { describe, expect, it } from "vitest";
import { API_KEY_VALUES, callWorker, deliver, demo, newTenant, plantLeaks, postScannerReport, scannerSetup, testEnv } from "../helpers";
import type { Env } from "../../src/env";

const NOW = Date.now();
const bearer = (key: string) => ({ headers: { Authorization: `Bearer ${key}` } });

async function scrape(env: Env, key: string = API_KEY_VALUES.reader): Promise<string> {
  const r = await callWorker(env, "/metrics", bearer(key));
  expect(r.status).toBe(200);
  expect(r.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return r.text();
}

/** The value of the one sample `name{labels}` in a Prometheus text exposition. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const lines = text.split("\n").filter((l) => {
    if (!l.startsWith(`${name}{`) && !l.startsWith(`${name} `)) return false;
    const set = /\{([^}]*)\}/.exec(l)?.[1]?.split(",") ?? [];
    return wanted.every((w) => set.includes(w)) && set.length === wanted.length;
  });
  expect(lines, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
  return Number(lines[0]!.split(" ").at(-1));
}

describe("GET /metrics", () => {
  it("needs a Worker API key with the read scope, and never asks Fastly", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const none = await callWorker(env, "/metrics");
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ msg: "Provided credentials are missing or invalid", detail: "GET /metrics needs a Worker API key", code: "unauthorized" });
    expect((await callWorker(env, "/metrics", bearer("ftw_not_a_key_000000000000000000000"))).status).toBe(401);
    // A Fastly token is not a Worker API key: it is not passed through here.
    expect((await callWorker(env, "/metrics", { headers: { "Fastly-Key": demo.tokens.superuserGlobal.access_token } })).status).toBe(401);
    const creator = await callWorker(env, "/metrics", bearer(API_KEY_VALUES.creator));
    expect(creator.status).toBe(403);
    expect(await creator.json()).toMatchObject({ detail: 'this API key lacks the "read" scope' });
    expect((await callWorker(env, "/metrics", { headers: { "Fastly-Key": API_KEY_VALUES.reader } })).status).toBe(200);
    const post = await callWorker(env, "/metrics", { method: "POST", ...bearer(API_KEY_VALUES.reader) });
    expect(post.status).toBe(405);
    expect(await t.calls()).toEqual([]);
  });

  it("exposes every intake at zero before the first leak", async () => {
    const env = await testEnv(await newTenant());
    const text = await scrape(env);
    expect(text).toContain("# TYPE fastly_leak_tokens_reported_total counter");
    expect(text).toContain("# TYPE fastly_leak_tokens gauge");
    expect(text).toContain("# TYPE fastly_leak_time_to_revoke_seconds histogram");
    expect(sample(text, "fastly_leak_tokens_reported_total", { source: "gitlab_revocation_api" })).toBe(0);
    expect(sample(text, "fastly_leak_tokens", { source: "github_alert", outcome: "unverified" })).toBe(0);
    expect(sample(text, "fastly_leak_time_to_revoke_seconds_bucket", { source: "chat", le: "+Inf" })).toBe(0);
    expect(sample(text, "fastly_leak_dead_letters_total")).toBe(0);
  });

  it("counts reports, outcomes by source and a cumulative time-to-revoke histogram from the ledger", async () => {
    const env = await testEnv(await newTenant());
    const at = NOW - 86_400_000 * 40; // older than the dashboard's 30 days: metrics count all time
    await plantLeaks(env, [
      { hash: "a1", state: "revoked", source: "github_alert", firstSeenMs: at, revokedMs: at + 30_000, tokenId: "t1" },
      { hash: "a2", state: "revoked", source: "github_alert", firstSeenMs: at, revokedMs: at + 90_000, tokenId: "t2" },
      { hash: "a3", state: "revoked", source: "github_alert", firstSeenMs: at, revokedMs: at + 7_200_000, tokenId: "t3" },
      { hash: "b1", state: "not_live", source: "standard_webhooks", firstSeenMs: NOW },
      { hash: "b2", state: "unverified", source: "standard_webhooks", firstSeenMs: NOW },
      { hash: "b3", state: "failed", source: "standard_webhooks", firstSeenMs: NOW, tokenId: "t9" },
      { hash: "c1", state: "queued", source: "chat", firstSeenMs: NOW },
    ]);
    const text = await scrape(env);
    expect(sample(text, "fastly_leak_tokens_reported_total", { source: "github_alert" })).toBe(3);
    expect(sample(text, "fastly_leak_tokens_reported_total", { source: "standard_webhooks" })).toBe(3);
    expect(sample(text, "fastly_leak_live_tokens_total", { source: "standard_webhooks" })).toBe(1);
    expect(sample(text, "fastly_leak_live_tokens_total", { source: "github_alert" })).toBe(3);
    for (const [outcome, n] of [["not_live", 1], ["unverified", 1], ["failed", 1], ["revoked", 0], ["queued", 0]] as const) {
      expect(sample(text, "fastly_leak_tokens", { source: "standard_webhooks", outcome })).toBe(n);
    }
    expect(sample(text, "fastly_leak_tokens", { source: "chat", outcome: "queued" })).toBe(1);
    const bucket = (le: string) => sample(text, "fastly_leak_time_to_revoke_seconds_bucket", { source: "github_alert", le });
    expect([bucket("15"), bucket("30"), bucket("60"), bucket("120"), bucket("3600"), bucket("10800"), bucket("+Inf")]).toEqual([0, 1, 1, 2, 2, 3, 3]);
    expect(sample(text, "fastly_leak_time_to_revoke_seconds_sum", { source: "github_alert" })).toBe(30 + 90 + 7200);
    expect(sample(text, "fastly_leak_time_to_revoke_seconds_count", { source: "github_alert" })).toBe(3);
  });

  it("counts a leak revoked through the scanner intake, and one the dead-letter queue gave up on", async () => {
    const { env } = await scannerSetup();
    await postScannerReport(env, JSON.stringify({ tokens: [demo.tokens.userGlobal.access_token] }));
    const dead = { kind: "tokens" as const, tokens: [{ sealedToken: "x", tokenHash: "d".repeat(64), context: { source: "standard_webhooks" as const } }] };
    await deliver(env, "revocations-dlq", [dead], 6);
    const text = await scrape(env);
    expect(sample(text, "fastly_leak_tokens_reported_total", { source: "standard_webhooks" })).toBe(1);
    expect(sample(text, "fastly_leak_tokens", { source: "standard_webhooks", outcome: "revoked" })).toBe(1);
    expect(sample(text, "fastly_leak_time_to_revoke_seconds_count", { source: "standard_webhooks" })).toBe(1);
    expect(sample(text, "fastly_leak_dead_letters_total")).toBe(1);
    expect(text).not.toContain(demo.tokens.userGlobal.access_token);
  });

  it("shows a key restricted to one customer that customer's leaks only", async () => {
    const env = await testEnv(await newTenant());
    await plantLeaks(env, [
      { hash: "e1", state: "revoked", source: "github_alert", firstSeenMs: NOW, revokedMs: NOW + 1000, customerId: demo.customers.acme.id },
      { hash: "e2", state: "revoked", source: "github_alert", firstSeenMs: NOW, revokedMs: NOW + 1000, customerId: demo.customers.globex.id },
      { hash: "e3", state: "unverified", source: "github_alert", firstSeenMs: NOW },
    ]);
    expect(sample(await scrape(env), "fastly_leak_tokens_reported_total", { source: "github_alert" })).toBe(3);
    expect(sample(await scrape(env, API_KEY_VALUES.admin), "fastly_leak_tokens_reported_total", { source: "github_alert" })).toBe(1);
    expect(sample(await scrape(env, API_KEY_VALUES.globexReader), "fastly_leak_tokens", { source: "github_alert", outcome: "revoked" })).toBe(1);
  });
});
