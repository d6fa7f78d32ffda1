import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { API_KEY_VALUES, audit, callWorker, captureConsole, type CapturedQueue, demo, dumpKv, newTenant, postScannerReport, SCANNER_SECRET, testEnv } from "../helpers";
import { runCron } from "../hygiene/support";
import { chatEnv, newSink, slackCommandBody, slackInit } from "../routes/chat/helpers";

// Issue 12, item 8. What goes wrong inside the Worker is for its log; a caller learns what it may know.

const logged = captureConsole();

/** Looks like a credential someone pasted into the wrong setting. */
const SECRET = "sk_live_51Hx9pWq3fake7secret0VALUE";

/**
 * Each core setting given a malformed value that holds (or is) the secret. A malformed chat, dashboard or schedule
 * setting disables only its surface: test/config/surfaces.test.ts.
 */
const MALFORMED: [setting: string, value: string][] = [
  ["MAX_BODY_BYTES", SECRET],
  ["CACHE_TTL_SECONDS", SECRET],
  ["DRY_RUN", SECRET],
  ["FASTLY_API_BASE_URL", SECRET],
  ["SEAL_SECRET", SECRET.slice(0, 12)],
  ["API_KEYS", JSON.stringify([{ name: "ci", sha256: SECRET, scopes: ["read"] }])],
];

/** A request to every surface: the API, leak intake, chat, the dashboard and /health. */
async function everySurface(env: Env): Promise<Response[]> {
  const sink = newSink();
  return [
    await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": API_KEY_VALUES.admin } }),
    await callWorker(env, "/tokens", { method: "DELETE", headers: { "Fastly-Key": API_KEY_VALUES.admin, "Content-Type": "application/json" }, body: "{}" }),
    await postScannerReport(env, JSON.stringify({ tokens: [demo.tokens.userGlobal.access_token] })),
    await callWorker(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami"))),
    await callWorker(env, "/dashboard"),
    await callWorker(env, "/health"),
  ];
}

describe("a malformed setting", () => {
  it.each(MALFORMED)("%s: its value appears in no response and no log line; the answer names the setting only", async (setting, value) => {
    const t = await newTenant();
    const env = await chatEnv(t, { sink: newSink(), overrides: { SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET, [setting]: value } });

    const responses = await everySurface(env);

    for (const r of responses) {
      expect(r.status).toBe(500);
      const text = `${[...r.headers].join(";")} ${await r.clone().text()}`;
      expect(text).not.toContain(SECRET.slice(0, 12));
      expect(r.headers.get("Cache-Control")).toBe("no-store");
    }
    const api = (await responses[0]!.json()) as Record<string, unknown>;
    expect(api).toEqual({ msg: "Worker misconfigured", detail: `setting ${setting} is invalid; the Worker's log says why`, code: "misconfigured" });
    expect(logged.some((line) => line.includes(`"setting":"${setting}"`))).toBe(true);
    for (const line of logged) expect(line).not.toContain(SECRET.slice(0, 12));
    expect(await t.calls()).toEqual([]);
    expect(await dumpKv(env)).toEqual([]);
    expect((env.REVOCATIONS as CapturedQueue).sent).toEqual([]);
  });

  it("of the dashboard or the digest: its value appears in no page, message or log line either", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await testEnv(t, {
      ACCESS_TEAM_DOMAIN: "https://acme-team.cloudflareaccess.com",
      ACCESS_AUD: "aud",
      ACCESS_JWKS: JSON.stringify({ keys: SECRET }),
      DIGEST_MAX_ITEMS: SECRET,
      NOTIFY_SLACK_WEBHOOK_URL: sink.at("/digest"),
    });
    const page = await callWorker(env, "/dashboard");
    expect(page.status).toBe(500);
    const html = await page.text();
    expect(html).toContain("setting ACCESS_JWKS is invalid");
    await runCron(env).catch(() => undefined);
    const everything = [html, ...logged, JSON.stringify(await sink.received())].join("\n");
    expect(everything).not.toContain(SECRET.slice(0, 12));
  });
});

describe("a refused signature", () => {
  it("gets the same body whichever check failed, the reason only in the log, and nothing happens", async () => {
    const t = await newTenant();
    const env = await testEnv(t, { SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET });
    const body = JSON.stringify({ tokens: [demo.tokens.userGlobal.access_token] });
    const now = Math.floor(Date.now() / 1000);
    const refused = [
      await postScannerReport(env, body, { secret: "whsec_dGhpcy1pcy1ub3QtdGhlLXJpZ2h0LXNlY3JldA==" }),
      await postScannerReport(env, body, { timestamp: now - 3600 }),
      await postScannerReport(env, body, { signature: "" }),
      await postScannerReport(env, body, { signature: "v1,AAAA" }),
    ];
    const bodies = await Promise.all(refused.map((r) => r.text()));
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(new Set(bodies)).toEqual(new Set([JSON.stringify({ msg: "Invalid signature", code: "invalid_signature" })]));
    for (const r of refused) expect(r.headers.get("Cache-Control")).toBe("no-store");
    const reasons = logged.filter((l) => l.includes('"event":"request_refused"')).map((l) => JSON.parse(l).reason as string);
    expect(reasons).toEqual(["signature does not match", "timestamp is outside the 5-minute window", "signature headers are missing", "signature is malformed"]);
    expect(await t.calls()).toEqual([]);
    expect(await audit(env)).toEqual([]);
    expect((env.REVOCATIONS as CapturedQueue).sent).toEqual([]);
  });

  it("on Slack says the same for a stale and a forged request", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const stale = await callWorker(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami"), { timestamp: String(Math.floor(Date.now() / 1000) - 3600) }));
    const forged = await callWorker(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami"), { secret: "another-signing-secret" }));
    expect([stale.status, forged.status]).toEqual([401, 401]);
    expect(await stale.json()).toEqual(await forged.json());
    expect(await t.calls()).toEqual([]);
    expect(await sink.received()).toEqual([]);
  });
});

describe("Cache-Control: no-store", () => {
  it("is on every token response and every API error", async () => {
    const t = await newTenant();
    const env = await testEnv(t, { MAX_BODY_BYTES: "1024" });
    const passthrough = { "Fastly-Key": demo.tokens.engineerGlobal.access_token };
    const admin = { "Fastly-Key": API_KEY_VALUES.admin };
    const bob = demo.users.acmeEngineer;
    await t.addFault({ method: "GET", path: `/tokens/${demo.tokens.userGlobal.id}`, status: 503, probability: 1 });
    const responses: [string, Response][] = [
      // First, before a list puts this token in the cache.
      ["503 from Fastly", await callWorker(env, `/tokens/${demo.tokens.userGlobal.id}`, { headers: admin })],
      ["GET /tokens/self", await callWorker(env, "/tokens/self", { headers: passthrough })],
      ["GET /tokens/self (cached)", await callWorker(env, "/tokens/self", { headers: passthrough })],
      ["GET /tokens", await callWorker(env, "/tokens", { headers: passthrough })],
      ["GET /customer/…/tokens", await callWorker(env, `/customer/${demo.customers.acme.id}/tokens`, { headers: admin })],
      ["GET /audit", await callWorker(env, "/audit", { headers: admin })],
      [
        "POST /tokens",
        await callWorker(env, "/tokens", {
          method: "POST",
          headers: { "Fastly-Key": API_KEY_VALUES.creator, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ username: bob.login, password: bob.password, name: "no-store" }).toString(),
        }),
      ],
      ["401", await callWorker(env, "/tokens", { headers: { "Fastly-Key": "not-a-key-at-all-nope" } })],
      ["400", await callWorker(env, "/tokens/not!an!id", { headers: admin })],
      ["404", await callWorker(env, "/nope", { headers: admin })],
      ["405", await callWorker(env, "/tokens/self", { method: "PUT", headers: admin })],
      ["413", await callWorker(env, "/tokens", { method: "POST", headers: admin, body: "x".repeat(2000) })],
    ];
    const statuses = responses.map(([name, r]) => `${name} ${r.status}`);
    expect(statuses).toEqual([
      "503 from Fastly 503",
      "GET /tokens/self 200",
      "GET /tokens/self (cached) 200",
      "GET /tokens 200",
      "GET /customer/…/tokens 200",
      "GET /audit 200",
      "POST /tokens 200",
      "401 401",
      "400 400",
      "404 404",
      "405 405",
      "413 413",
    ]);
    for (const [name, r] of responses) expect(r.headers.get("Cache-Control"), name).toBe("no-store");
  });
});
