import { afterEach, describe, expect, it, vi } from "vitest";
import { callWorker, demo, newTenant, type Tenant, testEnv } from "../helpers";
import { evidence, expectNothingHappened } from "./evidence";

// Issue 12, item 1: a passthrough key revoked at Fastly must stop reading through the Worker within 60 s, however
// long the data it read stays cached. The clock is Date, faked in the Worker's isolate; KV keeps real time, so the
// cached entries stay there, as they would with CACHE_TTL_SECONDS at a day.

/** The bound (src/tokens/token-service.ts PROOF_MAX_AGE_MS). */
const PROOF_MAX_AGE_MS = 60_000;
const acme = demo.customers.acme.id;
const key = demo.tokens.superuserBrowserSession.access_token;
const headers = { "Fastly-Key": key };
const paths = ["/tokens/self", "/tokens", `/tokens/${demo.tokens.superuserBrowserSession.id}`, `/customer/${acme}/tokens`];

afterEach(() => {
  vi.useRealTimers();
});

/** Revokes the key at Fastly itself (the emulator), not through the Worker. */
async function revokeAtFastly(t: Tenant): Promise<void> {
  const r = await fetch(`${t.baseUrl}/tokens/self`, { method: "DELETE", headers });
  expect(r.status).toBe(204);
  await t.clearCalls();
}

async function cachedEverywhere(t: Tenant) {
  const start = Date.now();
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(start);
  const env = await testEnv(t, { CACHE_TTL_SECONDS: "86400" });
  for (const path of paths) expect((await callWorker(env, path, { headers })).status, path).toBe(200);
  for (const path of paths) expect((await callWorker(env, path, { headers })).headers.get("X-Cache"), path).toBe("HIT");
  return { env, start };
}

describe("a passthrough key is re-proven with Fastly at least every 60 seconds", () => {
  it("refuses a key revoked at Fastly with 401 once its proof is over 60 s old, serving nothing it had cached", async () => {
    const t = await newTenant();
    const { env, start } = await cachedEverywhere(t);
    await revokeAtFastly(t);
    vi.setSystemTime(start + PROOF_MAX_AGE_MS + 1_000);
    const before = await evidence(env, t);
    for (const path of paths) {
      const r = await callWorker(env, path, { headers });
      expect(r.status, path).toBe(401);
      expect(r.headers.get("X-Cache"), path).toBeNull();
      expect(await r.json(), path).toEqual({ msg: "Provided credentials are missing or invalid" });
    }
    // Each refusal is Fastly's own answer to the proof, and the only call made; nothing is written.
    expect((await t.calls()).map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(paths.map(() => "GET /tokens/self 401"));
    await expectNothingHappened(before, env, t);
  });

  it("still serves the cached views within the 60-second window after the revocation (the documented bound)", async () => {
    const t = await newTenant();
    const { env, start } = await cachedEverywhere(t);
    await revokeAtFastly(t);
    vi.setSystemTime(start + PROOF_MAX_AGE_MS - 1_000);
    for (const path of paths) {
      const r = await callWorker(env, path, { headers });
      expect(r.status, path).toBe(200);
      expect(r.headers.get("X-Cache"), path).toBe("HIT");
    }
    expect(await t.calls()).toEqual([]);
  });

  it("keeps serving long-cached data to a live key, asking Fastly only /tokens/self once a minute", async () => {
    const t = await newTenant();
    const { env, start } = await cachedEverywhere(t);
    await t.clearCalls();
    for (const minutes of [2, 3.5]) {
      vi.setSystemTime(start + minutes * 60_000);
      for (const path of paths.slice(1)) expect((await callWorker(env, path, { headers })).headers.get("X-Cache"), path).toBe("HIT");
    }
    expect((await t.calls()).map((c) => c.path)).toEqual(["/tokens/self", "/tokens/self"]);
  });

  it("re-proves a key without rewriting its cached entry when Fastly's answer has nothing new (KV's daily write cap)", async () => {
    const t = await newTenant();
    const start = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(start);
    const base = await testEnv(t, { CACHE_TTL_SECONDS: "86400" });
    const puts: string[] = [];
    const kv = base.TOKENS_KV;
    const put = (key: string, value: string, opts?: KVNamespacePutOptions) => {
      puts.push(key);
      return kv.put(key, value, opts);
    };
    // test/helpers/env.ts prefixedKv is a plain object of functions: the same one, with puts recorded.
    const env = { ...base, TOKENS_KV: { ...kv, put } as KVNamespace };
    expect((await callWorker(env, "/tokens/self", { headers })).status).toBe(200);
    expect(puts.filter((k) => k.startsWith("c:self:"))).toHaveLength(1);
    for (let minute = 2; minute <= 10; minute++) {
      vi.setSystemTime(start + minute * 60_000);
      const r = await callWorker(env, "/tokens/self", { headers });
      expect(r.status).toBe(200);
    }
    // Nine proofs (one a minute, each seen by Fastly), one write: the proof is held in the isolate.
    expect((await t.calls()).filter((c) => c.path === "/tokens/self")).toHaveLength(10);
    expect(puts.filter((k) => k.startsWith("c:self:"))).toHaveLength(1);
    await revokeAtFastly(t);
    vi.setSystemTime(start + 11 * 60_000 + 1);
    expect((await callWorker(env, "/tokens/self", { headers })).status).toBe(401);
  });
});
