import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_USER_AGENT } from "../../src/fastly/version";
import { API_KEY_VALUES, apiKeysJson, callWorker, demo } from "../helpers";
import { type Answer, KEYS, type Step, UNKNOWN_ROUTES } from "./corpus";
import { DIFFERENCES } from "./differences";
import { dropPair, newPair, type Pair, resetPair, sendDirect, sendThroughWorker } from "./harness";

// Every deliberate difference (README, "Differences from Fastly (deliberate)"), shown as a difference: the same
// request straight to the emulator and through the Worker, and what each answers.
const { tokens, users, customers } = demo;
const BULK = "application/vnd.api+json; ext=bulk";
const bulkBody = (...ids: string[]) => JSON.stringify({ data: ids.map((id) => ({ id, type: "token" })) });

let pair: Pair;
beforeAll(async () => {
  pair = await newPair();
});
afterAll(async () => {
  if (pair) await dropPair(pair);
});

async function both(step: Step): Promise<{ direct: Answer; worker: Answer }> {
  return { direct: await sendDirect(pair.direct, step), worker: await sendThroughWorker(pair.env, step) };
}

async function isRevoked(side: "direct" | "behind", id: string): Promise<boolean> {
  return (await pair[side].tokens()).find((t) => t.id === id)?.revoked ?? false;
}

describe(DIFFERENCES.dryRun, () => {
  it("answers a revocation with ?dry_run=true with what would change and revokes nothing, where Fastly revokes", async () => {
    await resetPair(pair, {});
    const id = tokens.userNeverUsed.id;
    const { direct, worker } = await both({ method: "DELETE", path: `/tokens/${id}?dry_run=true`, key: KEYS.user });
    expect(direct.status).toBe(204);
    expect(await isRevoked("direct", id)).toBe(true);
    expect(worker.status).toBe(200);
    expect(worker.json).toMatchObject({ dry_run: true, would_revoke: [{ id }] });
    expect(await isRevoked("behind", id)).toBe(false);
  });

  it("answers every create with DRY_RUN=true without creating, where Fastly creates", async () => {
    await resetPair(pair, {}, { DRY_RUN: "true" });
    const step: Step = { method: "POST", path: "/tokens", form: { username: users.acmeEngineer.login, password: users.acmeEngineer.password, name: "dry" } };
    const { direct, worker } = await both(step);
    expect(direct.status).toBe(200);
    expect(worker.status).toBe(200);
    expect(worker.json).toEqual({ dry_run: true, would_create: { name: "dry", scope: "global" } });
    expect((await pair.behind.tokens()).filter((t) => t.name === "dry")).toEqual([]);
    expect((await pair.direct.tokens()).filter((t) => t.name === "dry")).toHaveLength(1);
  });
});

describe(DIFFERENCES.selfTokenGuard, () => {
  it("refuses with 409 to revoke the Worker's own FASTLY_API_TOKEN unless forced, where Fastly revokes it", async () => {
    await resetPair(pair, {}, { FASTLY_API_TOKEN: KEYS.superuser });
    const refused = await both({ method: "DELETE", path: "/tokens/self", key: KEYS.superuser });
    expect(refused.direct.status).toBe(204);
    expect(refused.worker.status).toBe(409);
    expect(refused.worker.json).toMatchObject({ code: "self_token", msg: "Refusing to revoke the Worker's own token" });
    expect(await isRevoked("behind", tokens.superuserGlobal.id)).toBe(false);
    const forced = await sendThroughWorker(pair.env, { method: "DELETE", path: "/tokens/self?force=true", key: KEYS.superuser });
    expect(forced.status).toBe(204);
    expect(await isRevoked("behind", tokens.superuserGlobal.id)).toBe(true);
  });
});

describe(DIFFERENCES.createPolicy, () => {
  it("refuses a create that breaks CREATE_ALLOWED_SCOPES with 400 policy.scope, where Fastly creates", async () => {
    await resetPair(pair, {}, { CREATE_ALLOWED_SCOPES: "purge_select" });
    const { direct, worker } = await both({
      method: "POST",
      path: "/tokens",
      form: { username: users.acmeEngineer.login, password: users.acmeEngineer.password, scope: "global" },
    });
    expect(direct.status).toBe(200);
    expect(worker.status).toBe(400);
    expect(worker.json).toMatchObject({ code: "policy.scope", msg: "Token policy violation" });
    expect(await pair.behind.calls()).toEqual([]);
  });
});

describe(DIFFERENCES.apiKeys, () => {
  it("acts for a Worker API key with its own token, where Fastly does not know the key", async () => {
    await resetPair(pair, {}, { FASTLY_API_TOKEN: KEYS.superuser, API_KEYS: await apiKeysJson() });
    const { direct, worker } = await both({ path: "/tokens/self", key: API_KEY_VALUES.reader });
    expect(direct.status).toBe(401);
    expect(worker.status).toBe(200);
    expect(worker.json).toMatchObject({ id: tokens.superuserGlobal.id });
  });

  it("refuses what the key's scopes do not allow, /sudo, and a create without username and password", async () => {
    await resetPair(pair, {}, { FASTLY_API_TOKEN: KEYS.superuser, API_KEYS: await apiKeysJson() });
    const revoke = await sendThroughWorker(pair.env, { method: "DELETE", path: `/tokens/${tokens.userGlobal.id}`, key: API_KEY_VALUES.reader });
    expect(revoke.status).toBe(403);
    expect(revoke.json).toMatchObject({ msg: "Forbidden", code: "forbidden", detail: 'this API key lacks the "revoke" scope' });
    const sudo = await sendThroughWorker(pair.env, { method: "POST", path: "/sudo", key: API_KEY_VALUES.admin, form: { password: "x" } });
    expect(sudo.status).toBe(403);
    const create = await sendThroughWorker(pair.env, { method: "POST", path: "/tokens", key: API_KEY_VALUES.creator, form: { name: "x" } });
    expect(create.status).toBe(400);
    expect(create.json).toMatchObject({ msg: "username and password are required", detail: "a Worker API key creates tokens with username and password only" });
    expect(await pair.behind.calls()).toEqual([]);
    expect(await isRevoked("behind", tokens.userGlobal.id)).toBe(false);
  });
});

describe(DIFFERENCES.errorCode, () => {
  it("adds a stable code to an error it raises itself, with Fastly's status and msg", async () => {
    await resetPair(pair, {});
    const { direct, worker } = await both({ path: "/tokens/self" });
    expect(direct.json).toEqual({ msg: "Provided credentials are missing or invalid" });
    expect(worker.status).toBe(direct.status);
    expect(worker.json).toEqual({ msg: "Provided credentials are missing or invalid", code: "unauthorized" });
  });

  it("passes Fastly's own error bodies through without adding one", async () => {
    await resetPair(pair, {});
    const { direct, worker } = await both({ path: "/tokens/self", key: KEYS.expired });
    expect(worker.json).toEqual(direct.json);
  });
});

describe(DIFFERENCES.shapeFirst, () => {
  it("names a malformed request before an unknown key, without asking Fastly", async () => {
    await resetPair(pair, {});
    const { direct, worker } = await both({ method: "DELETE", path: "/tokens", key: KEYS.neverIssued, headers: { "Content-Type": "text/plain" }, body: "x" });
    expect(direct.status).toBe(401);
    expect(worker.status).toBe(415);
    expect(await pair.behind.calls()).toEqual([]);
  });

  it("neither carries Fastly's rate-limit headers on its own refusals nor spends the hourly allowance", async () => {
    await resetPair(pair, {});
    const refused = await both({ method: "POST", path: "/sudo", key: KEYS.engineer, form: { username: users.acmeEngineer.login } });
    expect(refused.direct.status).toBe(400);
    expect(refused.worker.status).toBe(400);
    expect(refused.direct.headers.get("Fastly-RateLimit-Remaining")).toBe("999");
    expect(refused.worker.headers.get("Fastly-RateLimit-Remaining")).toBeNull();
    const next = await both({ method: "DELETE", path: `/tokens/${tokens.engineerPurgeAll.id}`, key: KEYS.engineer });
    expect(next.direct.headers.get("Fastly-RateLimit-Remaining")).toBe("998");
    expect(next.worker.headers.get("Fastly-RateLimit-Remaining")).toBe("999");
  });
});

describe(DIFFERENCES.idShape, () => {
  it("refuses an id that is not 1-64 letters and digits with 400, where Fastly looks it up (404)", async () => {
    await resetPair(pair, {});
    const { direct, worker } = await both({ path: "/tokens/not-an-id", key: KEYS.superuser });
    expect(direct.status).toBe(404);
    expect(worker.status).toBe(400);
    expect(worker.json).toMatchObject({ msg: "Bad request", detail: "token_id must be 1-64 alphanumeric characters" });
  });

  it("refuses a 32-character value where an id belongs, and never sends, echoes or stores it", async () => {
    await resetPair(pair, {});
    const pasted = tokens.userGlobal.access_token.replace(/[-_]/g, "x");
    const { direct, worker } = await both({ method: "DELETE", path: `/tokens/${pasted}`, key: KEYS.superuser });
    expect(direct.status).toBe(404);
    expect(worker.status).toBe(400);
    expect(worker.text).not.toContain(pasted);
    expect(await pair.behind.calls()).toEqual([]);
  });
});

describe(DIFFERENCES.bulkMax, () => {
  const ids = Array.from({ length: 41 }, (_, i) => `UnknownTokenId${String(i).padStart(8, "0")}`);
  const step: Step = { method: "DELETE", path: "/tokens", key: KEYS.superuser, headers: { "Content-Type": BULK }, body: bulkBody(...ids) };

  it("refuses 41 tokens in one bulk revocation, where Fastly documents no limit", async () => {
    await resetPair(pair, {});
    const { direct, worker } = await both(step);
    expect(direct.status).toBe(404); // looked at (and unknown): no limit applied
    expect(worker.status).toBe(400);
    expect(worker.json).toMatchObject({ msg: "Bad request", detail: "data must list at most 40 tokens" });
  });

  it("answers as Fastly would if Fastly's limit were 40 (emulator bulkMax: 40)", async () => {
    await resetPair(pair, { bulkMax: 40 });
    const { direct, worker } = await both(step);
    expect(worker.status).toBe(direct.status);
    expect({ ...(worker.json as object), code: undefined }).toEqual({ ...(direct.json as object), code: undefined });
  });
});

describe(DIFFERENCES.bodyLimit, () => {
  it("refuses a body over MAX_BODY_BYTES with 413 before reading it", async () => {
    await resetPair(pair, {});
    const { direct, worker } = await both({ method: "POST", path: "/tokens", form: { username: "a", password: "b", name: "n".repeat(70_000) } });
    expect(direct.status).toBe(400);
    expect(worker.status).toBe(413);
    expect(worker.json).toMatchObject({ msg: "Payload Too Large" });
  });
});

describe(DIFFERENCES.unknownRoute, () => {
  it("answers an unknown route (a trailing slash included) with Fastly's 404 msg and its own detail", async () => {
    await resetPair(pair, {});
    for (const step of UNKNOWN_ROUTES) {
      const { direct, worker } = await both(step);
      const where = `${step.method ?? "GET"} ${step.path}`;
      expect(direct.status, where).toBe(404);
      expect(worker.status, where).toBe(404);
      expect(direct.json, where).toMatchObject({ msg: "Record not found", detail: expect.stringContaining(step.path.split("?")[0]!) });
      expect(worker.json, where).toEqual({ msg: "Record not found", detail: "no such route" });
    }
    expect((await pair.behind.calls()).length).toBe(0);
  });
});

describe(DIFFERENCES.tombstones, () => {
  it("answers a token it revoked with 404 to any caller whose key it has proven, without asking Fastly about the token", async () => {
    await resetPair(pair, {});
    const id = tokens.engineerGlobal.id;
    await both({ method: "DELETE", path: `/tokens/${id}`, key: KEYS.superuser });
    await pair.behind.clearCalls();
    const read = await both({ path: `/tokens/${id}`, key: KEYS.purgeSelect });
    expect(read.direct.status).toBe(403);
    expect(read.worker.status).toBe(404);
    const many = await both({ method: "DELETE", path: "/tokens", key: KEYS.superuser, headers: { "Content-Type": BULK }, body: bulkBody(id) });
    expect(many.direct.json).toEqual({ msg: "Token lookup failed", detail: id });
    expect(many.worker.status).toBe(404);
    expect(many.worker.json).toMatchObject({ msg: "Token lookup failed" });
    // The only calls are the proofs of the callers' keys (SECURITY.md: a key is proven before anything is read).
    expect((await pair.behind.calls()).map((c) => `${c.method} ${c.path}`).filter((c) => c !== "GET /tokens/self")).toEqual([]);
  });
});

describe(DIFFERENCES.cachedReads, () => {
  it("serves a cached read with the usage fields as they were when it was cached", async () => {
    await resetPair(pair, {});
    await Promise.all([pair.direct.setClock("2031-01-01T00:00:00Z"), pair.behind.setClock("2031-01-01T00:00:00Z")]);
    await both({ path: "/tokens/self", key: KEYS.user });
    await Promise.all([pair.direct.advanceClock(120), pair.behind.advanceClock(120)]);
    const { direct, worker } = await both({ path: "/tokens/self", key: KEYS.user });
    expect(worker.headers.get("X-Cache")).toBe("HIT");
    expect((direct.json as { last_used_at: string }).last_used_at).toBe("2031-01-01T00:02:00Z");
    expect((worker.json as { last_used_at: string }).last_used_at).toBe("2031-01-01T00:00:00Z");
  });
});

describe(DIFFERENCES.workerIsTheCaller, () => {
  it("makes Fastly record the Worker's user agent, and read a token before revoking it", async () => {
    await resetPair(pair, {});
    const init = { method: "DELETE", headers: { "Fastly-Key": KEYS.user, "User-Agent": "go-fastly/9.0.0" } };
    await (await fetch(`${pair.direct.baseUrl}/tokens/${tokens.userNeverUsed.id}`, init)).body?.cancel();
    await (await callWorker(pair.env, `/tokens/${tokens.userNeverUsed.id}`, init)).body?.cancel();
    const agent = async (side: "direct" | "behind") => (await pair[side].tokens()).find((t) => t.id === tokens.userGlobal.id)?.user_agent;
    expect(await agent("direct")).toBe("go-fastly/9.0.0");
    expect(await agent("behind")).toBe(DEFAULT_USER_AGENT);
    expect((await pair.direct.calls()).map((c) => `${c.method} ${c.path}`)).toEqual([`DELETE /tokens/${tokens.userNeverUsed.id}`]);
    expect((await pair.behind.calls()).map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /tokens/self", // the proof of the caller's key
      `GET /tokens/${tokens.userNeverUsed.id}`,
      `DELETE /tokens/${tokens.userNeverUsed.id}`,
    ]);
  });

  it("reads the caller's own token before listing its tokens", async () => {
    await resetPair(pair, {});
    await both({ path: "/tokens", key: KEYS.engineer });
    expect((await pair.behind.calls()).map((c) => c.path)).toEqual(["/tokens/self", "/tokens"]);
    expect((await pair.direct.calls()).map((c) => c.path)).toEqual(["/tokens"]);
  });
});

describe(DIFFERENCES.currentUser, () => {
  it("does not serve GET /current_user, which is not a token operation", async () => {
    await resetPair(pair, {});
    const { direct, worker } = await both({ path: "/current_user", key: KEYS.superuser });
    expect(direct.status).toBe(200);
    expect((direct.json as { login: string }).login).toBe(users.acmeSuperuser.login);
    expect(worker.status).toBe(404);
    expect(customers.acme.id).toBe((direct.json as { customer_id: string }).customer_id);
  });
});
