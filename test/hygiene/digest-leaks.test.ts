import { describe, expect, it } from "vitest";
import { demo, newTenant, plantLeaks, testEnv } from "../helpers";
import { DAY_MS, digestSinks, runCron } from "./support";

const MIN = 60_000;

function leaks(now: number) {
  return [
    ...Array.from({ length: 20 }, (_, i) => ({
      hash: `r${i}`,
      state: "revoked" as const,
      source: "github_alert",
      firstSeenMs: now - DAY_MS,
      revokedMs: now - DAY_MS + (i + 1) * MIN,
      tokenId: `tok${i}`,
      tokenName: `token ${i}`,
    })),
    { hash: "u1", state: "unverified" as const, source: "standard_webhooks", firstSeenMs: now - 2 * DAY_MS },
  ];
}

describe("the leak summary in the daily digest", () => {
  it("gives counts by outcome and source, median and p95 time to revoke, the unverified and the slowest", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, sinks.vars);
    const now = Date.now();
    await plantLeaks(env, leaks(now));

    const run = await runCron(env, now);

    expect(run.status).toBe("sent");
    const slack = JSON.stringify(JSON.parse((await sinks.slack.received())[0]!.body).blocks);
    expect(slack).toContain("*Leaks, last 30 days*: 21 leaks: 20 revoked, 1 unverified. Time to revoke: median 10 min, p95 19 min (20 revoked).");
    expect(slack).toContain("By source: github_alert 20, standard_webhooks 1.");
    expect(slack).toMatch(/Not revoked, a person must check: `sha256:0{12}` unverified, open 2 d/);
    expect(slack).toContain("Slowest revocations");
    expect(slack).toMatch(/token 19 +tok19 +github_alert .+ 20 min/);
    const payload = JSON.parse((await sinks.webhook.received())[0]!.body) as { data: { leaks: Record<string, unknown> & { attention: Record<string, unknown>[] } } };
    expect(payload.data.leaks).toMatchObject({
      days: 30,
      total: 21,
      by_outcome: { revoked: 20, unverified: 1, not_live: 0, failed: 0, queued: 0, in_progress: 0 },
      by_source: { github_alert: 20, standard_webhooks: 1 },
      time_to_revoke: { count: 20, median_ms: 10 * MIN, p95_ms: 19 * MIN, max_ms: 20 * MIN },
    });
    expect(payload.data.leaks.attention[0]).toMatchObject({ outcome: "unverified", source: "standard_webhooks", revoked_at: null, time_to_revoke_ms: null });
  });

  it("sends a digest on an otherwise quiet day when a leak still needs a person", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    // Globex's tokens have nothing in these classes: without the leak there is nothing to say.
    const env = await testEnv(t, { ...sinks.vars, FASTLY_API_TOKEN: demo.tokens.globexSuperuserGlobal.access_token, DIGEST_CLASSES: "expired,expiring,unused,never_used" });
    const now = Date.now();
    expect((await runCron(env, now)).status).toBe("quiet");
    await plantLeaks(env, [{ hash: "u2", state: "unverified", source: "github_partner", firstSeenMs: now - 3 * DAY_MS }]);
    const run = await runCron(env, now);
    expect(run.status).toBe("sent");
    expect(JSON.parse((await sinks.slack.received())[0]!.body).text).toBeTruthy();
  });

  it("says nothing about leaks when there were none", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, sinks.vars);
    await runCron(env);
    expect((await sinks.slack.received())[0]!.body).not.toContain("Leaks, last");
    const payload = JSON.parse((await sinks.webhook.received())[0]!.body) as { data: { leaks: { total: number } } };
    expect(payload.data.leaks.total).toBe(0);
  });
});
