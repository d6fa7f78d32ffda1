import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import type { Env } from "../../src/env";
import { FastlyApiError } from "../../src/fastly";
import { MAX_BULK } from "../../src/tokens/token-service";
import { TokenServiceError } from "../../src/tokens/errors";
import { audit, core, demo, dumpKv, newTenant, type Tenant, testEnv } from "../helpers";

// TokenService's decisions, called directly: the composition root builds it for a test env (real local KV and D1,
// Cloudflare's limits around them), its fetch is injected and reaches the emulator, and every assertion reads what
// was left behind: KV entries, D1 audit rows, the emulator's tokens and call log.

const acme = demo.customers.acme.id;
const globex = demo.customers.globex.id;
const { superuserGlobal: own, userNeverUsed, userLongUnused, userGlobal, engineerGlobal } = demo.tokens;

async function setup(overrides: Record<string, unknown> = {}) {
  const t = await newTenant();
  const env = await testEnv(t, overrides);
  const services = core(env);
  const worker = await services.tokens.workerActor("api", "apikey:admin", { admin: true });
  return { t, env, services, tokens: services.tokens, worker, fetched: services.fetched };
}

const calls = (fetched: { method: string; path: string }[]) => fetched.map((f) => `${f.method} ${f.path}`);

async function kvNames(env: Env): Promise<string[]> {
  return (await dumpKv(env)).map((e) => e.name).sort();
}

async function isRevoked(t: Tenant, id: string): Promise<boolean> {
  return (await t.tokens()).find((x) => x.id === id)?.revoked === true;
}

describe("TokenService reads", () => {
  it("makes every upstream call through the injected fetch, as the emulator's call log confirms", async () => {
    const { t, tokens, worker, fetched } = await setup();
    await tokens.getTokenCurrent(worker);
    await tokens.getToken(worker, userNeverUsed.id);
    await tokens.listTokensCustomer(worker, acme);
    expect(calls(fetched)).toEqual(["GET /tokens/self", `GET /tokens/${userNeverUsed.id}`, `GET /customer/${acme}/tokens`]);
    expect((await t.calls()).map((c) => `${c.method} ${c.path}`)).toEqual(calls(fetched));
  });

  it("reads the current token from Fastly once, then from the cache, and audits no read", async () => {
    const { env, tokens, worker, fetched } = await setup();
    const first = await tokens.getTokenCurrent(worker);
    const second = await tokens.getTokenCurrent(worker);
    expect([first.cache, second.cache]).toEqual(["MISS", "HIT"]);
    expect(second.value.id).toBe(own.id);
    expect(calls(fetched)).toEqual(["GET /tokens/self"]);
    expect(await kvNames(env)).toEqual([`c:self:${await sha256Hex(own.access_token)}`]);
    expect(await audit(env)).toEqual([]);
  });

  it("caches a token read by id per viewer, so one caller's cached view never answers another", async () => {
    const { env, tokens, worker, fetched } = await setup();
    const theirs = engineerGlobal.id;
    expect((await tokens.getToken(worker, theirs)).cache).toBe("MISS");
    expect((await tokens.getToken(worker, theirs)).cache).toBe("HIT");
    const engineer = await tokens.passthroughActor(engineerGlobal.access_token);
    expect((await tokens.getToken(engineer, theirs)).cache).toBe("MISS");
    // The engineer's key is proven first (GET /tokens/self as itself), then read with.
    expect(calls(fetched)).toEqual([`GET /tokens/${theirs}`, "GET /tokens/self", `GET /tokens/${theirs}`]);
    const names = await kvNames(env);
    expect(names).toContain(`c:id:${theirs}:${worker.viewer}`);
    expect(names).toContain(`c:id:${theirs}:${engineer.viewer}`);
  });

  it("caches the user's and the customer's token lists until a revocation in that customer makes them stale", async () => {
    const { env, tokens, worker } = await setup();
    expect((await tokens.listTokensUser(worker)).cache).toBe("MISS");
    expect((await tokens.listTokensUser(worker)).cache).toBe("HIT");
    expect((await tokens.listTokensCustomer(worker, acme)).cache).toBe("MISS");
    expect((await tokens.listTokensCustomer(worker, acme)).cache).toBe("HIT");
    await tokens.revokeToken(worker, userNeverUsed.id);
    expect(await kvNames(env)).toContain(`gen:${acme}`);
    expect((await tokens.listTokensUser(worker)).cache).toBe("MISS");
    expect((await tokens.listTokensCustomer(worker, acme)).cache).toBe("MISS");
  });

  it("refuses another customer's list to a key restricted to one customer, before asking Fastly", async () => {
    const { env, tokens, fetched } = await setup();
    const restricted = await tokens.workerActor("api", "apikey:globex-reader", { customerId: globex });
    const refused = await tokens.listTokensCustomer(restricted, acme).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TokenServiceError);
    expect(refused).toMatchObject({ status: 403, code: "forbidden" });
    expect(fetched).toEqual([]);
    expect(await kvNames(env)).toEqual([]);
  });

  it("proves a passthrough key before reading for it: an unknown key leaves no cache entry and no audit row", async () => {
    const { env, tokens, fetched } = await setup();
    const stranger = await tokens.passthroughActor("unknownkey0unknownkey0unknownkey");
    await expect(tokens.getToken(stranger, userNeverUsed.id)).rejects.toMatchObject({ status: 401 });
    expect(calls(fetched)).toEqual(["GET /tokens/self"]);
    expect(await kvNames(env)).toEqual([]);
    expect(await audit(env)).toEqual([]);
  });
});

describe("TokenService revocations", () => {
  it("revokes by id: Fastly revokes it, a tombstone shadows it, the audit says ok, and a repeat is answered from the tombstone", async () => {
    const { t, env, tokens, worker, fetched } = await setup();
    const revoked = await tokens.revokeToken(worker, userNeverUsed.id);
    expect(revoked).toMatchObject({ dryRun: false, tokens: [{ id: userNeverUsed.id, name: userNeverUsed.name }] });
    expect(await isRevoked(t, userNeverUsed.id)).toBe(true);
    const tomb = (await dumpKv(env)).find((e) => e.name === `tomb:id:${userNeverUsed.id}`);
    expect(JSON.parse(tomb!.value!)).toMatchObject({ reason: "revoked", tokenId: userNeverUsed.id, name: userNeverUsed.name, customerId: acme });
    const upstreamBefore = fetched.length;

    await expect(tokens.revokeToken(worker, userNeverUsed.id)).rejects.toMatchObject({ status: 404, msg: "Token lookup failed" });
    await expect(tokens.getToken(worker, userNeverUsed.id)).rejects.toMatchObject({ status: 404 });
    expect(fetched.length, "answered from the tombstone").toBe(upstreamBefore);
    const entries = (await audit(env)).map((e) => [e.operation, e.result, e.tokenId, e.principal]);
    expect(entries).toEqual([
      ["revokeToken", "already_revoked", userNeverUsed.id, "apikey:admin"],
      ["revokeToken", "ok", userNeverUsed.id, "apikey:admin"],
    ]);
  });

  it("revokes the caller's own token by value and drops its cached self view", async () => {
    const { t, env, tokens, fetched } = await setup();
    const carol = await tokens.passthroughActor(userGlobal.access_token);
    await tokens.getTokenCurrent(carol);
    expect(await kvNames(env)).toContain(`c:self:${carol.viewer}`);
    const revoked = await tokens.revokeTokenCurrent(carol);
    expect(revoked.tokens.map((x) => x.id)).toEqual([userGlobal.id]);
    expect(calls(fetched)).toEqual(["GET /tokens/self", "DELETE /tokens/self"]);
    expect(await isRevoked(t, userGlobal.id)).toBe(true);
    const names = await kvNames(env);
    expect(names).not.toContain(`c:self:${carol.viewer}`);
    expect(names).toContain(`tomb:id:${userGlobal.id}`);
    expect((await audit(env)).map((e) => [e.operation, e.result, e.tokenId, e.principal])).toEqual([
      ["revokeTokenCurrent", "ok", userGlobal.id, carol.principal],
    ]);
    await expect(tokens.getTokenCurrent(carol)).rejects.toMatchObject({ status: 401 });
  });

  it("revokes in bulk with one upstream write for each distinct id, with a tombstone and an audit row per token", async () => {
    const { t, env, tokens, worker, fetched } = await setup();
    const result = await tokens.bulkRevokeTokens(worker, [userNeverUsed.id, userLongUnused.id, userNeverUsed.id]);
    expect(result.tokens.map((x) => x.id)).toEqual([userNeverUsed.id, userLongUnused.id]);
    expect(calls(fetched).filter((c) => !c.startsWith("GET"))).toEqual(["DELETE /tokens"]);
    expect(await isRevoked(t, userNeverUsed.id)).toBe(true);
    expect(await isRevoked(t, userLongUnused.id)).toBe(true);
    const names = await kvNames(env);
    expect(names).toEqual(expect.arrayContaining([`tomb:id:${userNeverUsed.id}`, `tomb:id:${userLongUnused.id}`, `gen:${acme}`]));
    const rows = (await audit(env)).map((e) => [e.operation, e.result, e.tokenId]);
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(expect.arrayContaining([["bulkRevokeTokens", "ok", userNeverUsed.id], ["bulkRevokeTokens", "ok", userLongUnused.id]]));
  });

  it("refuses an empty or oversized bulk revocation before asking Fastly or writing anything", async () => {
    const { env, tokens, worker, fetched } = await setup();
    await expect(tokens.bulkRevokeTokens(worker, [])).rejects.toMatchObject({ status: 400, detail: "data must list at least one token" });
    const many = Array.from({ length: MAX_BULK + 1 }, (_, i) => `token${i}`);
    await expect(tokens.bulkRevokeTokens(worker, many)).rejects.toMatchObject({ status: 400, detail: `data must list at most ${MAX_BULK} tokens` });
    expect(fetched).toEqual([]);
    expect(await kvNames(env)).toEqual([]);
    expect(await audit(env)).toEqual([]);
  });

  it("records an upstream refusal of a revocation as an error and writes no tombstone", async () => {
    const { t, env, tokens, worker } = await setup();
    await t.addFault({ method: "DELETE", path: `/tokens/${userNeverUsed.id}`, status: 400, body: { msg: "Bad request", detail: "refused for this test" } });
    await expect(tokens.revokeToken(worker, userNeverUsed.id)).rejects.toBeInstanceOf(FastlyApiError);
    expect(await isRevoked(t, userNeverUsed.id)).toBe(false);
    expect(await kvNames(env)).not.toContain(`tomb:id:${userNeverUsed.id}`);
    const [entry, ...rest] = await audit(env);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ operation: "revokeToken", result: "error", tokenId: userNeverUsed.id, detail: "upstream 400: Bad request" });
  });
});

describe("TokenService's self-token guard", () => {
  it("refuses to revoke the Worker's own token by id, records the refusal, and leaves it live", async () => {
    const { t, env, tokens, worker, fetched } = await setup();
    await expect(tokens.revokeToken(worker, own.id)).rejects.toMatchObject({ status: 409, code: "self_token" });
    expect(await isRevoked(t, own.id)).toBe(false);
    expect(calls(fetched).filter((c) => !c.startsWith("GET"))).toEqual([]);
    expect((await audit(env)).map((e) => [e.operation, e.result, e.tokenId, e.detail])).toEqual([["guard", "denied", own.id, "self-token guard"]]);
  });

  it("refuses the Worker's own token by value too, when a caller passes it through", async () => {
    const { t, tokens, fetched } = await setup();
    const asOwn = await tokens.passthroughActor(own.access_token);
    await expect(tokens.revokeTokenCurrent(asOwn)).rejects.toMatchObject({ status: 409, code: "self_token" });
    expect(await isRevoked(t, own.id)).toBe(false);
    expect(calls(fetched)).toEqual(["GET /tokens/self"]);
  });

  it("lets a Worker API key force past it only with the admin scope: without it the refusal is audited and Fastly is not asked", async () => {
    const { t, env, tokens, fetched } = await setup();
    const revoker = await tokens.workerActor("api", "apikey:revoker", { force: true });
    await expect(tokens.revokeToken(revoker, own.id)).rejects.toMatchObject({ status: 403, code: "forbidden" });
    expect(fetched).toEqual([]);
    const [entry] = await audit(env);
    expect(entry).toMatchObject({ operation: "revokeToken", result: "denied", tokenId: own.id, principal: "apikey:revoker" });
    expect(await isRevoked(t, own.id)).toBe(false);
  });
});

describe("TokenService dry runs", () => {
  it("reads but changes nothing at Fastly or in the cache when the actor asks for a dry run, and audits dry_run", async () => {
    const { t, env, tokens, fetched } = await setup();
    const actor = await tokens.workerActor("api", "apikey:revoker", { dryRun: true });
    const result = await tokens.revokeToken(actor, userNeverUsed.id);
    expect(result).toMatchObject({ dryRun: true, tokens: [{ id: userNeverUsed.id }] });
    expect(calls(fetched).filter((c) => !c.startsWith("GET"))).toEqual([]);
    expect(await isRevoked(t, userNeverUsed.id)).toBe(false);
    expect((await kvNames(env)).filter((n) => n.startsWith("tomb:") || n.startsWith("gen:"))).toEqual([]);
    expect((await audit(env)).map((e) => [e.operation, e.result, e.tokenId])).toEqual([["revokeToken", "dry_run", userNeverUsed.id]]);
  });

  it("makes every mutation a dry run when DRY_RUN is set, creates included", async () => {
    const { t, env, tokens, worker, fetched } = await setup({ DRY_RUN: "true" });
    expect(await tokens.bulkRevokeTokens(worker, [userNeverUsed.id, userLongUnused.id])).toMatchObject({ dryRun: true });
    const carol = demo.users.acmeUser;
    expect(await tokens.createToken(worker, { username: carol.login, password: carol.password, name: "dry", scope: "global:read" })).toEqual({ dryRun: true, tokens: [] });
    expect(calls(fetched).filter((c) => !c.startsWith("GET"))).toEqual([]);
    expect(await isRevoked(t, userNeverUsed.id)).toBe(false);
    expect((await audit(env)).map((e) => `${e.operation} ${e.result}`).sort()).toEqual(["bulkRevokeTokens dry_run", "bulkRevokeTokens dry_run", "createToken dry_run"]);
  });
});

describe("TokenService creates", () => {
  it("creates a token within the policy, audits it without its secret or the password, and makes the customer's lists stale", async () => {
    const { env, tokens, worker, fetched } = await setup({ CREATE_ALLOWED_SCOPES: "global:read purge_select", CREATE_MAX_LIFETIME_DAYS: "30" });
    await tokens.listTokensCustomer(worker, acme);
    const carol = demo.users.acmeUser;
    const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const result = await tokens.createToken(worker, { username: carol.login, password: carol.password, name: "ci reader", scope: "global:read", expires_at: expires });
    if (!("created" in result)) throw new Error("expected a created token");
    expect(result.created.access_token).toBeTruthy();
    expect(calls(fetched)).toContain("POST /tokens");
    const entries = await audit(env);
    expect(entries.map((e) => [e.operation, e.result, e.tokenId])).toEqual([["createToken", "ok", result.created.id]]);
    const stored = JSON.stringify([entries, await dumpKv(env)]);
    expect(stored).not.toContain(result.created.access_token!);
    expect(stored).not.toContain(carol.password);
    expect(await kvNames(env)).toContain(`gen:${acme}`);
    expect((await tokens.listTokensCustomer(worker, acme)).cache).toBe("MISS");
  });

  it("refuses a create that breaks the policy with the rule it breaks, before asking Fastly, and audits nothing", async () => {
    const { env, tokens, worker, fetched } = await setup({ CREATE_ALLOWED_SCOPES: "global:read", CREATE_MAX_LIFETIME_DAYS: "30", CREATE_REQUIRE_SERVICES: "true" });
    const carol = demo.users.acmeUser;
    const base = { username: carol.login, password: carol.password, name: "x" };
    const soon = new Date(Date.now() + 86_400_000).toISOString();
    const late = new Date(Date.now() + 60 * 86_400_000).toISOString();
    const svc = [demo.services.acmeWww.id];
    await expect(tokens.createToken(worker, { ...base, scope: "global", services: svc, expires_at: soon })).rejects.toMatchObject({ status: 400, code: "policy.scope" });
    await expect(tokens.createToken(worker, { ...base, scope: "global:read", expires_at: soon })).rejects.toMatchObject({ code: "policy.services" });
    await expect(tokens.createToken(worker, { ...base, scope: "global:read", services: svc })).rejects.toMatchObject({ code: "policy.lifetime" });
    await expect(tokens.createToken(worker, { ...base, scope: "global:read", services: svc, expires_at: late })).rejects.toMatchObject({ code: "policy.lifetime" });
    expect(fetched).toEqual([]);
    expect(await audit(env)).toEqual([]);
  });

  it("refuses a Worker API key's create without username and password, before asking Fastly", async () => {
    const { tokens, worker, fetched } = await setup();
    await expect(tokens.createToken(worker, { name: "x", scope: "global:read" })).rejects.toMatchObject({ status: 400, msg: "username and password are required" });
    expect(fetched).toEqual([]);
  });
});
