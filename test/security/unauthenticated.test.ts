import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { API_KEY_VALUES, auditOf, callWorker, d1IsEmpty, demo, dumpKv, newTenant, testEnv } from "../helpers";
import { evidence, expectNothingHappened, GARBAGE_KEY } from "./evidence";

// Issue 12, item 2: a caller whose key Fastly does not accept reads nothing about tokens and writes nothing, whether
// Fastly answers unknown keys with 401 or with 403 (reference §10.3; the emulator's `unknownKeyStatus`).

const revokedId = demo.tokens.userLongUnused.id;
const unknownId = "AbCdEfGhIjKlMnOpQrStUv";
const garbage = { "Fastly-Key": GARBAGE_KEY };
const bulkType = "application/vnd.api+json; ext=bulk";

/** The env's KV as seen by the Worker, recording every key it reads. */
function recordingReads(env: Env): { env: Env; reads: string[] } {
  const reads: string[] = [];
  const kv = env.TOKENS_KV;
  const wrapped = new Proxy(kv, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== "get" && prop !== "getWithMetadata") return value;
      return (key: string, ...rest: unknown[]) => {
        reads.push(key);
        return (value as (...a: unknown[]) => unknown).call(target, key, ...rest);
      };
    },
  });
  return { env: { ...env, TOKENS_KV: wrapped }, reads };
}

/** Anonymous requests that reach a token by id, list, revoke or create, as a Fastly client would send them. */
const hostile: [string, string, RequestInit][] = [
  ["get a revoked id", `/tokens/${revokedId}`, { headers: garbage }],
  ["get an unknown id", `/tokens/${unknownId}`, { headers: garbage }],
  ["revoke a revoked id", `/tokens/${revokedId}`, { method: "DELETE", headers: garbage }],
  ["revoke an unknown id", `/tokens/${unknownId}`, { method: "DELETE", headers: garbage }],
  ["revoke a live id", `/tokens/${demo.tokens.userGlobal.id}`, { method: "DELETE", headers: garbage }],
  ["dry-run a revocation", `/tokens/${demo.tokens.userGlobal.id}?dry_run=true`, { method: "DELETE", headers: garbage }],
  [
    "bulk-revoke",
    "/tokens",
    { method: "DELETE", headers: { ...garbage, "Content-Type": bulkType }, body: JSON.stringify({ data: [{ id: revokedId, type: "token" }, { id: demo.tokens.userGlobal.id, type: "token" }] }) },
  ],
  ["revoke itself", "/tokens/self", { method: "DELETE", headers: garbage }],
  ["list", "/tokens", { headers: garbage }],
  ["list a customer", `/customer/${demo.customers.acme.id}/tokens`, { headers: garbage }],
  ["create", "/tokens", { method: "POST", headers: { ...garbage, "Content-Type": "application/x-www-form-urlencoded" }, body: "name=x&scope=global" }],
  ["dry-run a create", "/tokens?dry_run=true", { method: "POST", headers: { ...garbage, "Content-Type": "application/x-www-form-urlencoded" }, body: "name=x" }],
];

/** An env whose tombstones already know `revokedId` (revoked through the Worker by an API key). */
async function withTombstone(status: 401 | 403) {
  const t = await newTenant();
  await t.configure({ unknownKeyStatus: status });
  const base = await testEnv(t);
  const revoke = await callWorker(base, `/tokens/${revokedId}`, { method: "DELETE", headers: { "Fastly-Key": API_KEY_VALUES.admin } });
  expect(revoke.status).toBe(204);
  expect((await dumpKv(base)).some((k) => k.name === `tomb:id:${revokedId}`)).toBe(true);
  await t.clearCalls();
  return { t, ...recordingReads(base) };
}

describe("an unauthenticated caller reads nothing about tokens and writes nothing", () => {
  for (const status of [401, 403] as const) {
    it(`answers every anonymous request with Fastly's ${status}, after only proving the key, when Fastly refuses unknown keys with ${status}`, async () => {
      const { t, env, reads } = await withTombstone(status);
      const before = await evidence(env, t);
      for (const [what, path, init] of hostile) {
        reads.length = 0;
        await t.clearCalls();
        const r = await callWorker(env, path, init);
        expect(r.status, what).toBe(status);
        expect(await r.json(), what).toEqual({ msg: "Provided credentials are missing or invalid" });
        // The one thing read is the caller's own proof; no tombstone, cached view or list of anyone's tokens.
        expect(reads.filter((k) => !k.startsWith("c:self:")), what).toEqual([]);
        expect((await t.calls()).map((c) => `${c.method} ${c.path}`), what).toEqual(["GET /tokens/self"]);
      }
      await expectNothingHappened(before, env, t);
    });
  }

  it("gives a garbage key the same answer for an id revoked last week and an id never issued", async () => {
    const { env } = await withTombstone(401);
    const revoked = await callWorker(env, `/tokens/${revokedId}`, { headers: garbage });
    const unknown = await callWorker(env, `/tokens/${unknownId}`, { headers: garbage });
    expect([revoked.status, await revoked.text()]).toEqual([unknown.status, await unknown.text()]);
  });

  it("writes no audit entry for a dry-run create with a username and password Fastly never checked", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const body = new URLSearchParams({ username: "nobody@example.com", password: "not-a-password", name: "x" }).toString();
    const r = await callWorker(env, "/tokens?dry_run=true", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ dry_run: true });
    expect(await d1IsEmpty(env)).toBe(true);
    expect(await dumpKv(env)).toEqual([]);
    expect(await t.calls()).toEqual([]);
  });

  it("still audits what a proven key does when Fastly refuses it permission (403 after a successful proof)", async () => {
    const t = await newTenant();
    await t.configure({ unknownKeyStatus: 403 });
    const env = await testEnv(t);
    // A global:read key may read its own metadata but not revoke: Fastly's 403 is a real permission refusal.
    const r = await callWorker(env, `/tokens/${demo.tokens.userGlobal.id}`, { method: "DELETE", headers: { "Fastly-Key": demo.tokens.engineerReadOnly.access_token } });
    expect(r.status).toBe(403);
    const entries = (await auditOf(env).list(10)).entries;
    expect(entries.map((e) => [e.operation, e.result, e.tokenId])).toEqual([["revokeToken", "error", demo.tokens.userGlobal.id]]);
  });

  it("tells a known key refused its own metadata (403, another message) from an unknown key (403, the credentials message)", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const key = { "Fastly-Key": demo.tokens.userGlobal.access_token };
    const path = `/tokens/${demo.tokens.userNeverUsed.id}?dry_run=true`;
    await t.addFault({ path: "/tokens/self", status: 403, body: { msg: "Insufficient permissions" } });
    const known = await callWorker(env, path, { method: "DELETE", headers: key });
    expect(known.status).toBe(200);
    expect(await known.json()).toMatchObject({ dry_run: true, would_revoke: [{ id: demo.tokens.userNeverUsed.id }] });

    const other = await testEnv(t);
    const before = await evidence(other, t);
    await t.clearCalls();
    await t.addFault({ path: "/tokens/self", status: 403, body: { msg: "Provided credentials are missing or invalid" } });
    const unknown = await callWorker(other, path, { method: "DELETE", headers: key });
    expect(unknown.status).toBe(403);
    expect((await t.calls()).map((c) => c.path)).toEqual(["/tokens/self"]);
    await expectNothingHappened(before, other, t);
  });
});
