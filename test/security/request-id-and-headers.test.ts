import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { API_KEY_VALUES, callWorker, captureConsole, demo, newTenant, postScannerReport, SCANNER_SECRET } from "../helpers";
import { chatEnv, newSink, slackCommandBody, slackInit } from "../routes/chat/helpers";

// Issue 14: hono's requestId and secureHeaders on every surface, and a refusal's internal reason in the log only.

const logged = captureConsole();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function setup(): Promise<Env> {
  const t = await newTenant();
  return chatEnv(t, { sink: newSink(), overrides: { SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET, GITLAB_REVOCATION_TOKEN: "gitlab-preshared-token-for-tests-0123" } });
}

/** One answer from every surface: the API (success and refusal), leak intake, GitLab's API, chat, the dashboard, /metrics, /health, an unknown route. */
async function everySurface(env: Env): Promise<[string, Response][]> {
  const sink = newSink();
  return [
    ["GET /tokens/self", await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": API_KEY_VALUES.admin } })],
    ["GET /tokens without a key", await callWorker(env, "/tokens")],
    ["PUT /tokens/self", await callWorker(env, "/tokens/self", { method: "PUT" })],
    ["POST /hooks/scanner unsigned", await postScannerReport(env, "{}", { signature: "" })],
    ["POST /hooks/github not configured", await callWorker(env, "/hooks/github", { method: "POST", body: "{}" })],
    ["GET /v1/revocable_token_types", await callWorker(env, "/v1/revocable_token_types")],
    ["POST /slack/commands", await callWorker(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami")))],
    ["GET /dashboard/login", await callWorker(env, "/dashboard/login")],
    ["GET /metrics", await callWorker(env, "/metrics")],
    ["GET /health", await callWorker(env, "/health")],
    ["GET /nope", await callWorker(env, "/nope")],
  ];
}

describe("X-Request-Id", () => {
  it("is on every surface's answer, a fresh UUID each time", async () => {
    const env = await setup();
    const answers = await everySurface(env);
    const ids = answers.map(([name, r]) => {
      const id = r.headers.get("X-Request-Id");
      expect(id, name).toMatch(UUID);
      return id;
    });
    expect(new Set(ids).size).toBe(answers.length);
    for (const [name, r] of answers) expect(r.status, name).not.toBe(500);
  });

  it("never takes a caller's request id, so a secret sent as one is neither echoed nor logged", async () => {
    const env = await setup();
    const secret = demo.tokens.userGlobal.access_token;
    for (const sent of ["ci-run-42_attempt-1", 'x","event":"forged', secret]) {
      const r = await callWorker(env, "/tokens/self", { headers: { "X-Request-Id": sent } });
      expect(r.status).toBe(401);
      expect(r.headers.get("X-Request-Id")).toMatch(UUID);
    }
    expect(logged.join("\n")).not.toContain(secret);
    expect(logged.some((l) => l.includes("request_id"))).toBe(true);
  });

  it("is on the static assets' answers too", async () => {
    const env = await setup();
    for (const path of ["/openapi.json", "/dashboard/assets/dashboard.css"]) {
      const r = await callWorker(env, path);
      expect(r.status).toBe(200);
      expect(r.headers.get("X-Request-Id")).toMatch(UUID);
    }
  });

  it("is in the log line of a refusal, next to the reason the body does not carry", async () => {
    const env = await setup();
    const body = JSON.stringify({ tokens: [demo.tokens.userGlobal.access_token] });
    const forged = await postScannerReport(env, body, { secret: "whsec_dGhpcy1pcy1ub3QtdGhlLXJpZ2h0LXNlY3JldA==" });
    expect(forged.status).toBe(401);
    const text = await forged.text();
    expect(JSON.parse(text)).toEqual({ msg: "Invalid signature", code: "invalid_signature" });
    const lines = logged.filter((l) => l.includes('"event":"request_refused"')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([{ event: "request_refused", status: 401, code: "invalid_signature", reason: "signature does not match", request_id: forged.headers.get("X-Request-Id") }]);
    expect(text).not.toContain("does not match");
  });
});

describe("a refusal's internal reason", () => {
  it("is logged for a missing API key and a forged chat request, and is in no body", async () => {
    const env = await setup();
    const sink = newSink();
    const answers = [
      await callWorker(env, "/tokens"),
      await callWorker(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami"), { secret: "another-signing-secret" })),
    ];
    expect(answers.map((r) => r.status)).toEqual([401, 401]);
    const bodies = await Promise.all(answers.map((r) => r.text()));
    const reasons = logged.filter((l) => l.includes('"event":"request_refused"')).map((l) => JSON.parse(l) as { reason: string; request_id: string });
    expect(reasons.map((r) => r.request_id)).toEqual(answers.map((r) => r.headers.get("X-Request-Id")));
    expect(reasons.map((r) => r.reason)).toEqual(["no Fastly-Key header", "signature does not match"]);
    for (const { reason } of reasons) for (const b of bodies) expect(b).not.toContain(reason);
    expect(bodies.map((b) => JSON.parse(b))).toEqual([
      { msg: "Provided credentials are missing or invalid", code: "unauthorized" },
      { msg: "Invalid request", code: "invalid_signature" },
    ]);
  });
});

describe("secure headers", () => {
  const common = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Strict-Transport-Security": "max-age=15552000; includeSubDomains",
    "Cross-Origin-Resource-Policy": "same-origin",
  };

  it("are on API and leak intake answers, successes and refusals alike, with a policy that allows no content", async () => {
    const env = await setup();
    const answers: [string, Response][] = [
      ["GET /tokens/self", await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": API_KEY_VALUES.admin } })],
      ["GET /tokens without a key", await callWorker(env, "/tokens")],
      ["DELETE /tokens wrong type", await callWorker(env, "/tokens", { method: "DELETE", headers: { "Fastly-Key": API_KEY_VALUES.admin, "Content-Type": "text/plain" } })],
      ["PUT /tokens/self", await callWorker(env, "/tokens/self", { method: "PUT" })],
      ["POST /hooks/scanner", await postScannerReport(env, JSON.stringify({ tokens: [] }))],
      ["POST /hooks/scanner unsigned", await postScannerReport(env, "{}", { signature: "" })],
      ["POST /hooks/github not configured", await callWorker(env, "/hooks/github", { method: "POST", body: "{}" })],
      ["POST /v1/revoke_tokens", await callWorker(env, "/v1/revoke_tokens", { method: "POST", body: "[]" })],
    ];
    for (const [name, r] of answers) {
      for (const [header, value] of Object.entries(common)) expect(r.headers.get(header), `${name}: ${header}`).toBe(value);
      expect(r.headers.get("Content-Security-Policy"), name).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(r.headers.get("Referrer-Policy"), name).toBe("no-referrer");
      expect(r.headers.get("Cache-Control"), name).toBe("no-store");
      expect(r.headers.get("Content-Type"), name).toMatch(/^application\/json/);
    }
    expect(answers.map(([, r]) => r.status)).toEqual([200, 401, 415, 405, 200, 401, 503, 401]);
  });

  it("keep the dashboard's stricter policy through the whole app", async () => {
    const env = await setup();
    const page = await callWorker(env, "/dashboard/login");
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Security-Policy")).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(page.headers.get("Referrer-Policy")).toBe("same-origin");
    for (const [header, value] of Object.entries(common)) expect(page.headers.get(header), header).toBe(value);
  });
});
