import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config";
import { sha256Hex } from "../../src/crypto/hash";
import type { Env } from "../../src/env";
import { audit, callWorker, type CapturedQueue, demo, dumpKv, newSink, newTenant, queuedTokens, type Tenant, testEnv } from "../helpers";

// GitLab's Token Revocation API (gitlabhq doc/development/sec/token_revocation_api.md) as a self-managed GitLab
// calls it: the pre-shared token as the whole Authorization value, JSON bodies, the type its secret detection
// gives Fastly tokens.
const TYPE = "gitleaks_rule_id_fastly_api_token";
const leaked = demo.tokens.userGlobal;
const LOCATION = "https://gitlab.example.com/acme/app/-/blob/abc123/deploy.sh";

/** A fresh GitLab token per setup: the rate-limit window is per configuration, so tests never share one. */
function newSecret(): string {
  return `glrev-${crypto.randomUUID()}`;
}

async function setup(overrides: Record<string, unknown> = {}) {
  const t = await newTenant();
  const sink = newSink("notify");
  const secret = newSecret();
  const env = await testEnv(t, { GITLAB_REVOCATION_TOKEN: secret, NOTIFY_SLACK_WEBHOOK_URL: sink.url, ...overrides });
  return { t, sink, secret, env, queue: env.REVOCATIONS as CapturedQueue };
}

/** GitLab's request body: it serialises its whole finding, so unknown keys (`vulnerability`) come along. */
function gitlabBody(token: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify([{ type: TYPE, token, location: LOCATION, vulnerability: { id: 42, title: "Fastly API token" }, ...extra }]);
}

function revoke(env: Env, body: string, headers: Record<string, string>): Promise<Response> {
  return callWorker(env, "/v1/revoke_tokens", { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
}

/** Asserts the request changed nothing: no Fastly call, no queue message, no notification, no audit entry. */
async function expectNothingHappened(t: Tenant, env: Env, sink: ReturnType<typeof newSink>, queue: CapturedQueue, name: string) {
  expect(await t.calls(), name).toEqual([]);
  expect(queue.sent, name).toEqual([]);
  expect(await sink.received(), name).toEqual([]);
  expect(await audit(env), name).toEqual([]);
  expect((await t.tokens()).some((x) => x.revoked && x.id === leaked.id), name).toBe(false);
}

describe("GitLab Token Revocation API: the types endpoint", () => {
  it("answers GET /v1/revocable_token_types with the type GitLab's secret detection gives Fastly tokens", async () => {
    const { t, secret, env } = await setup();
    const r = await callWorker(env, "/v1/revocable_token_types", { headers: { Authorization: secret, "Content-Type": "application/json" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await r.json()).toEqual({ types: [TYPE] });
    expect(await t.calls()).toEqual([]);
  });

  it("refuses the types endpoint without the token and answers other methods 405 with Allow", async () => {
    const { env } = await setup();
    const r = await callWorker(env, "/v1/revocable_token_types");
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ msg: "Unauthorized", detail: "the Authorization header is missing", code: "token_missing" });
    const post = await callWorker(env, "/v1/revocable_token_types", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("Allow")).toBe("GET");
    expect(await post.json()).toEqual({ msg: "Method Not Allowed", detail: "POST is not supported on /v1/revocable_token_types", code: "method_not_allowed" });
    const get = await callWorker(env, "/v1/revoke_tokens");
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
  });

  it("answers 503 not configured on both endpoints when GITLAB_REVOCATION_TOKEN is unset", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const expected = {
      msg: "The GitLab Token Revocation API is not configured",
      detail: "set GITLAB_REVOCATION_TOKEN to enable it",
      code: "not_configured",
    };
    const types = await callWorker(env, "/v1/revocable_token_types", { headers: { Authorization: "anything-at-all-here" } });
    expect(types.status).toBe(503);
    expect(await types.json()).toEqual(expected);
    const r = await revoke(env, gitlabBody(leaked.access_token), { Authorization: "anything-at-all-here" });
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual(expected);
    expect(await t.calls()).toEqual([]);
  });
});

describe("GitLab Token Revocation API: settings", () => {
  it("refuses a GITLAB_REVOCATION_TOKEN entry under 16 characters or a bad rate limit, naming the setting and never the value", () => {
    const short = "glrev-short";
    for (const [env, setting] of [
      [{ GITLAB_REVOCATION_TOKEN: `${newSecret()},${short}` }, "GITLAB_REVOCATION_TOKEN"],
      [{ GITLAB_REVOCATION_TOKEN: newSecret(), GITLAB_REVOCATION_RATE_LIMIT: "0" }, "GITLAB_REVOCATION_RATE_LIMIT"],
    ] as const) {
      let message = "";
      try {
        loadConfig({ ...env } as unknown as Env);
      } catch (err) {
        expect((err as Error).name).toBe("ConfigError");
        message = (err as Error).message;
      }
      expect(message).toContain(`Setting ${setting} is invalid`);
      expect(message).not.toContain(short);
      expect(message).not.toContain(env.GITLAB_REVOCATION_TOKEN);
    }
  });

  it("reads a comma- or space-separated token list and defaults the rate limit to 60 a minute", () => {
    const [a, b, c] = [newSecret(), newSecret(), newSecret()];
    const config = loadConfig({ GITLAB_REVOCATION_TOKEN: `${a},${b} ${c}` } as unknown as Env);
    expect(config.gitlab.revocationTokens).toEqual([a, b, c]);
    expect(config.gitlab.revocationRateLimit).toBe(60);
  });
});

describe("GitLab Token Revocation API: revoking", () => {
  it("revokes a live leaked token end to end, answers 204, audits it and notifies the security channel", async () => {
    const { t, sink, secret, env, queue } = await setup();
    const r = await revoke(env, gitlabBody(leaked.access_token), { Authorization: secret });
    expect(r.status).toBe(204);
    expect(await r.text()).toBe("");

    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    const hash = await sha256Hex(leaked.access_token);
    expect((await t.calls()).map((c) => `${c.method} ${c.path} ${c.keyHash === hash}`)).toEqual(["GET /tokens/self true", "DELETE /tokens/self true"]);
    expect(queue.sent).toEqual([]);
    const entries = (await audit(env)).filter((e) => e.operation === "leakRevoke");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ surface: "leak", principal: "gitlab_revocation_api", result: "ok", tokenId: leaked.id, tokenHash: hash });
    expect(entries[0]!.detail).toContain(LOCATION);
    const notes = await sink.received();
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain("gitlab_revocation_api");
    expect(notes[0]!.body).toContain(leaked.id);
    expect(notes[0]!.body).toContain(LOCATION);
  });

  it("accepts the token bare (as GitLab sends it) or after Bearer, and every token of a rotation list", async () => {
    const oldSecret = newSecret();
    const newOne = newSecret();
    const { t, env } = await setup({ GITLAB_REVOCATION_TOKEN: `${oldSecret}, ${newOne}` });
    const values = [demo.tokens.userGlobal, demo.tokens.userNeverUsed, demo.tokens.userLongUnused];
    const headers = [oldSecret, `Bearer ${newOne}`, `bearer ${oldSecret}`];
    for (const [i, authorization] of headers.entries()) {
      const r = await revoke(env, gitlabBody(values[i]!.access_token), { Authorization: authorization });
      expect(r.status, authorization.split(" ")[0]).toBe(204);
    }
    const revoked = (await t.tokens()).filter((x) => x.revoked).map((x) => x.id);
    expect(revoked).toEqual(expect.arrayContaining(values.map((v) => v.id)));
  });

  it("acknowledges with 204 tokens it cannot revoke, so GitLab does not retry them forever", async () => {
    const { t, secret, env } = await setup();
    // Not a Fastly credential (expired): one live check, recorded as not live.
    const expired = await revoke(env, gitlabBody(demo.tokens.userExpired.access_token), { Authorization: secret });
    expect(expired.status).toBe(204);
    expect((await t.calls()).map((c) => `${c.method} ${c.path}`)).toEqual(["GET /tokens/self"]);
    expect((await audit(env)).find((e) => e.operation === "leakRevoke")).toMatchObject({ result: "not_live" });
    await t.clearCalls();
    // Not even shaped like a Fastly token: nothing to ask Fastly about.
    const junk = await revoke(env, gitlabBody("not-a-fastly-token"), { Authorization: secret });
    expect(junk.status).toBe(204);
    const empty = await revoke(env, "[]", { Authorization: secret });
    expect(empty.status).toBe(204);
    expect(await t.calls()).toEqual([]);
  });

  it("queues a revocation Fastly cannot take now, sealed, and still answers 204 (accepted for eventual revocation)", async () => {
    const { t, secret, env, queue } = await setup();
    await t.addFault({ path: "/tokens/self", status: 503, count: 1 });
    const r = await revoke(env, gitlabBody(leaked.access_token), { Authorization: secret });
    expect(r.status).toBe(204);
    expect(queue.sent).toHaveLength(1);
    expect(queuedTokens(queue)).toMatchObject([{ tokenHash: await sha256Hex(leaked.access_token), context: { source: "gitlab_revocation_api" } }]);
    expect(JSON.stringify(queue.sent)).not.toContain(leaked.access_token);
  });

  it("revokes once when the same request is replayed, answering the replay 204 from the revocation ledger with no second effect", async () => {
    const { t, sink, secret, env } = await setup();
    const revokedBefore = new Set((await t.tokens()).filter((x) => x.revoked).map((x) => x.id));
    const body = gitlabBody(leaked.access_token);
    expect((await revoke(env, body, { Authorization: secret })).status).toBe(204);
    await t.clearCalls();
    const replay = await revoke(env, body, { Authorization: secret });
    expect(replay.status).toBe(204);
    // The replay never reaches Fastly: the revocation ledger answers it.
    expect(await t.calls()).toEqual([]);
    expect((await t.tokens()).filter((x) => x.revoked && !revokedBefore.has(x.id)).map((x) => x.id)).toEqual([leaked.id]);
    const results = (await audit(env)).filter((e) => e.operation === "leakRevoke").map((e) => e.result);
    // At most one effect: one audit entry, one notification.
    expect(results).toEqual(["ok"]);
    const notes = await sink.received();
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain("revoked");
  });

  it("revokes a token listed twice in one request once", async () => {
    const { t, secret, env } = await setup();
    const body = JSON.stringify([
      { type: TYPE, token: leaked.access_token, location: `${LOCATION}#L1` },
      { type: TYPE, token: leaked.access_token, location: `${LOCATION}#L9` },
    ]);
    expect((await revoke(env, body, { Authorization: secret })).status).toBe(204);
    expect((await t.calls()).filter((c) => c.method === "DELETE")).toHaveLength(1);
  });
});

describe("GitLab Token Revocation API: bad requests change nothing", () => {
  it("rejects forged, missing, truncated, extended, re-spaced and malformed tokens with 401", async () => {
    const { t, sink, secret, env, queue } = await setup();
    const mismatch = { msg: "Unauthorized", detail: "the token is not accepted", code: "token_mismatch" };
    const malformed = { msg: "Unauthorized", detail: 'Authorization must be the pre-shared token, alone or after "Bearer "', code: "token_malformed" };
    const missing = { msg: "Unauthorized", detail: "the Authorization header is missing", code: "token_missing" };
    const cases: [string, Record<string, string>, object][] = [
      ["forged (another token of the same length)", { Authorization: newSecret() }, mismatch],
      ["forged after Bearer", { Authorization: `Bearer ${newSecret()}` }, mismatch],
      ["missing", {}, missing],
      ["empty", { Authorization: "" }, missing],
      ["truncated", { Authorization: secret.slice(0, -1) }, mismatch],
      ["extended", { Authorization: `${secret}0` }, mismatch],
      ["different case", { Authorization: secret.toUpperCase() }, mismatch],
      // HTTP strips whitespace around a header value; whitespace inside it is the sender's and is not ignored.
      ["doubled space after Bearer", { Authorization: `Bearer  ${secret}` }, malformed],
      ["token twice", { Authorization: `${secret} ${secret}` }, malformed],
      ["tab inside", { Authorization: `Bearer\t${secret}` }, malformed],
      ["another scheme", { Authorization: `Basic ${btoa(`gitlab:${secret}`)}` }, malformed],
      ["Token scheme", { Authorization: `Token ${secret}` }, malformed],
      ["Bearer alone", { Authorization: "Bearer" }, malformed],
      ["token in another header", { "X-Token": secret }, missing],
    ];
    for (const [name, headers, expected] of cases) {
      const r = await revoke(env, gitlabBody(leaked.access_token), headers);
      expect(r.status, name).toBe(401);
      expect(await r.json(), name).toEqual(expected);
    }
    await expectNothingHappened(t, env, sink, queue, "after every refused token");
  });

  it("treats a body altered under the right token as the sender's: the bearer proves who sent it, not what", async () => {
    // Tampering, for a bearer scheme: nothing signs the body, so there is no signature for an alteration to break.
    // Whoever holds the token is GitLab (TLS keeps the bytes intact in transit). An alteration that still parses
    // is handled as written; one that breaks the body is a 400 like any bad body. Both change only what they say.
    const { t, sink, secret, env, queue } = await setup();
    const altered = gitlabBody(leaked.access_token).replace(leaked.access_token, demo.tokens.userExpired.access_token);
    expect((await revoke(env, altered, { Authorization: secret })).status).toBe(204);
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(false);
    expect((await t.calls()).map((c) => c.keyHash)).toEqual([await sha256Hex(demo.tokens.userExpired.access_token)]);
    await t.clearCalls();
    const broken = gitlabBody(leaked.access_token).replace(`"token":`, `"token" `);
    const r = await revoke(env, broken, { Authorization: secret });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ msg: "Bad request", detail: "body is not valid JSON", code: "invalid_json" });
    expect(await t.calls()).toEqual([]);
    expect(queue.sent).toEqual([]);
    expect((await sink.received()).map((n) => n.body).join()).not.toContain(leaked.id);
  });

  it("answers truncated JSON, wrong content types, bad shapes, missing fields and unknown types with exact errors", async () => {
    const { t, sink, secret, env, queue } = await setup();
    const good = gitlabBody(leaked.access_token);
    const bad = (detail: string, code = "invalid_payload") => ({ msg: "Bad request", detail, code });
    const unsupported = { msg: "Unsupported Media Type", detail: "expected Content-Type application/json", code: "unsupported_media_type" };
    const cases: [string, string, Record<string, string>, number, object][] = [
      ["truncated JSON", good.slice(0, good.length - 10), {}, 400, bad("body is not valid JSON", "invalid_json")],
      ["empty body", "", {}, 400, bad("body is not valid JSON", "invalid_json")],
      ["form content type", good, { "Content-Type": "application/x-www-form-urlencoded" }, 415, unsupported],
      ["text content type", good, { "Content-Type": "text/plain" }, 415, unsupported],
      ["no content type", good, { "Content-Type": "" }, 415, unsupported],
      ["an object, not an array", JSON.stringify({ type: TYPE, token: leaked.access_token }), {}, 400, bad("expected a JSON array of {type, token, location}")],
      ["an element that is not an object", JSON.stringify([leaked.access_token]), {}, 400, bad("element 0: each element must be an object {type, token, location}")],
      ["missing token", JSON.stringify([{ type: TYPE, location: LOCATION }]), {}, 400, bad("element 0: token must be a string")],
      ["empty token", JSON.stringify([{ type: TYPE, token: "", location: LOCATION }]), {}, 400, bad("element 0: token must not be empty")],
      ["missing type", JSON.stringify([{ token: leaked.access_token, location: LOCATION }]), {}, 400, bad("element 0: type must be a string")],
      ["numeric location", JSON.stringify([{ type: TYPE, token: leaked.access_token, location: 7 }]), {}, 400, bad("element 0: location must be a string")],
      [
        "unknown token type, even beside a known one",
        JSON.stringify([{ type: TYPE, token: leaked.access_token, location: LOCATION }, { type: "gitleaks_rule_id_aws", token: "AKIAIOSFODNN7EXAMPLE", location: LOCATION }]),
        {},
        400,
        bad("element 1: type is not supported; see GET /v1/revocable_token_types", "unsupported_token_type"),
      ],
      ["the upstream gitleaks rule id", JSON.stringify([{ type: "fastly-api-token", token: leaked.access_token }]), {}, 400, bad("element 0: type is not supported; see GET /v1/revocable_token_types", "unsupported_token_type")],
    ];
    for (const [name, body, headers, status, expected] of cases) {
      const r = await revoke(env, body, { Authorization: secret, ...headers });
      expect(r.status, name).toBe(status);
      const text = await r.text();
      expect(JSON.parse(text), name).toEqual(expected);
      expect(text, name).not.toContain(leaked.access_token);
    }
    await expectNothingHappened(t, env, sink, queue, "after every bad body");
  });

  it("answers 413 for a body over MAX_BODY_BYTES and changes nothing", async () => {
    const { t, sink, secret, env, queue } = await setup({ MAX_BODY_BYTES: "4096" });
    const body = JSON.stringify(Array.from({ length: 60 }, () => ({ type: TYPE, token: leaked.access_token, location: LOCATION })));
    const r = await revoke(env, body, { Authorization: secret });
    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ msg: "Payload Too Large", detail: "body exceeds 4096 bytes" });
    await expectNothingHappened(t, env, sink, queue, "after an oversized body");
  });
});

describe("GitLab Token Revocation API: rate limit", () => {
  it("answers the request after GITLAB_REVOCATION_RATE_LIMIT in a minute with 429 and Retry-After, doing nothing", async () => {
    const { t, secret, env } = await setup({ GITLAB_REVOCATION_RATE_LIMIT: "3" });
    const values = [demo.tokens.userGlobal, demo.tokens.userNeverUsed, demo.tokens.userLongUnused];
    for (const v of values) expect((await revoke(env, gitlabBody(v.access_token), { Authorization: secret })).status).toBe(204);
    await t.clearCalls();
    const over = await revoke(env, gitlabBody(demo.tokens.userMultiScope.access_token), { Authorization: secret });
    expect(over.status).toBe(429);
    const retryAfter = Number(over.headers.get("Retry-After"));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(await over.json()).toEqual({ msg: "Too Many Requests", detail: `more than 3 requests a minute; retry after ${retryAfter} s`, code: "rate_limited" });
    expect(await t.calls()).toEqual([]);
    expect((await t.tokens()).find((x) => x.id === demo.tokens.userMultiScope.id)?.revoked).toBe(false);
    // The types endpoint is not limited: GitLab asks it before every revocation.
    expect((await callWorker(env, "/v1/revocable_token_types", { headers: { Authorization: secret } })).status).toBe(200);
  });

  it("does not let requests without the token use up GitLab's allowance", async () => {
    const { secret, env } = await setup({ GITLAB_REVOCATION_RATE_LIMIT: "2" });
    for (let i = 0; i < 5; i++) expect((await revoke(env, "[]", { Authorization: newSecret() })).status).toBe(401);
    expect((await revoke(env, "[]", { Authorization: secret })).status).toBe(204);
    expect((await revoke(env, "[]", { Authorization: secret })).status).toBe(204);
    expect((await revoke(env, "[]", { Authorization: secret })).status).toBe(429);
  });
});

describe("GitLab Token Revocation API: secrets", () => {
  const logged: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    logged.length = 0;
  });

  it("never puts the GitLab token or a leaked token in responses, logs, KV, queue messages or notifications", async () => {
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")));
    }
    const { t, sink, secret, env, queue } = await setup({ GITLAB_REVOCATION_RATE_LIMIT: "8" });
    const queuedToken = demo.tokens.userNeverUsed.access_token;
    const responses: string[] = [];
    const keep = async (r: Response) => responses.push(`${r.status} ${[...r.headers].join(";")} ${await r.text()}`);

    await keep(await callWorker(env, "/v1/revocable_token_types", { headers: { Authorization: secret } }));
    await keep(await revoke(env, gitlabBody(leaked.access_token), { Authorization: secret }));
    await keep(await revoke(env, gitlabBody(leaked.access_token), { Authorization: `Bearer ${secret}` }));
    await keep(await revoke(env, gitlabBody(demo.tokens.userExpired.access_token), { Authorization: secret }));
    await t.addFault({ path: "/tokens/self", status: 503, count: 1 });
    await keep(await revoke(env, gitlabBody(queuedToken), { Authorization: secret }));
    await keep(await revoke(env, gitlabBody(leaked.access_token), { Authorization: secret.slice(0, -2) }));
    await keep(await revoke(env, gitlabBody(leaked.access_token), { Authorization: `Basic ${secret}` }));
    await keep(await revoke(env, gitlabBody(leaked.access_token).slice(0, 60), { Authorization: secret }));
    await keep(await revoke(env, JSON.stringify([{ type: "other", token: leaked.access_token }]), { Authorization: secret }));
    await keep(await revoke(env, gitlabBody(leaked.access_token), { Authorization: secret, "Content-Type": "text/plain" }));
    for (let i = 0; i < 3; i++) await keep(await revoke(env, gitlabBody(leaked.access_token), { Authorization: secret }));
    expect(responses.some((r) => r.startsWith("429 "))).toBe(true);
    expect(queue.sent).toHaveLength(1);

    const notes = (await sink.received()).map((n) => `${JSON.stringify(n.headers)} ${n.body}`);
    expect(notes.length).toBeGreaterThan(0);
    const places: [string, string][] = [
      ["responses", responses.join("\n")],
      ["logs", logged.join("\n")],
      ["KV", JSON.stringify(await dumpKv(env))],
      ["queue messages", JSON.stringify(queue.sent)],
      ["notifications", notes.join("\n")],
    ];
    for (const [where, text] of places) {
      for (const [what, value] of [
        ["the GitLab token", secret],
        ["the leaked token", leaked.access_token],
        ["the expired token", demo.tokens.userExpired.access_token],
        ["the queued token", queuedToken],
      ] as const) {
        expect(text, `${what} in ${where}`).not.toContain(value);
      }
    }
  });
});
