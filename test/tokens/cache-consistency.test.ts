import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { API_KEY_VALUES, auditOf, callWorker, demo, newTenant, prefixedKv, testEnv } from "../helpers";

const admin = { "Fastly-Key": API_KEY_VALUES.admin };
const acme = demo.customers.acme.id;

/** The same Worker seen from another Cloudflare location: same upstream, a KV slice that has not seen our writes. */
function otherLocation(env: Env): Env {
  return { ...env, TOKENS_KV: prefixedKv(env.TOKENS_KV, "elsewhere:") };
}

describe("cache invalidation and eventual consistency (docs/storage.md)", () => {
  it("makes every cached list of the customer miss after a create", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const before = (await (await callWorker(env, `/customer/${acme}/tokens`, { headers: admin })).json()) as unknown[];
    expect((await callWorker(env, `/customer/${acme}/tokens`, { headers: admin })).headers.get("X-Cache")).toBe("HIT");
    const created = await callWorker(env, "/tokens", {
      method: "POST",
      headers: { ...admin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: demo.users.acmeUser.login, password: demo.users.acmeUser.password, name: "new one" }).toString(),
    });
    const id = ((await created.json()) as { id: string }).id;
    const after = await callWorker(env, `/customer/${acme}/tokens`, { headers: admin });
    expect(after.headers.get("X-Cache")).toBe("MISS");
    const list = (await after.json()) as { id: string }[];
    expect(list).toHaveLength(before.length + 1);
    expect(list.map((x) => x.id)).toContain(id);
  });

  it("never serves a revoked token from another caller's cached view: the tombstone shadows it", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const owner = { "Fastly-Key": demo.tokens.userGlobal.access_token };
    expect((await callWorker(env, "/tokens/self", { headers: owner })).status).toBe(200); // cached for the owner
    expect((await callWorker(env, `/tokens/${demo.tokens.userGlobal.id}`, { method: "DELETE", headers: admin })).status).toBe(204);
    await t.clearCalls();
    const again = await callWorker(env, "/tokens/self", { headers: owner });
    expect(again.status).toBe(401); // as Fastly answers a revoked key
    expect(((await again.json()) as { msg: string }).msg).toBe("Provided credentials are missing or invalid");
    expect(await t.calls()).toEqual([]);
  });

  it("treats a revocation repeated from a location that has not seen the tombstone as already revoked (Fastly's 404)", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const id = demo.tokens.userNeverUsed.id;
    expect((await callWorker(env, `/tokens/${id}`, { method: "DELETE", headers: admin })).status).toBe(204);
    const elsewhere = otherLocation(env);
    const repeat = await callWorker(elsewhere, `/tokens/${id}`, { method: "DELETE", headers: admin });
    expect(repeat.status).toBe(404);
    const entries = (await auditOf(elsewhere).list(10)).entries;
    expect(entries[0]).toMatchObject({ operation: "revokeToken", result: "already_revoked", tokenId: id });
    expect((await t.tokens()).filter((x) => x.id === id && x.revoked)).toHaveLength(1);
  });

  it("may show a just-revoked token in a list cached in another location until that list expires, but never revokes from it", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const elsewhere = otherLocation(env);
    await callWorker(elsewhere, `/customer/${acme}/tokens`, { headers: admin }); // cached over there
    await callWorker(env, `/tokens/${demo.tokens.userNeverUsed.id}`, { method: "DELETE", headers: admin });
    const stale = await callWorker(elsewhere, `/customer/${acme}/tokens`, { headers: admin });
    expect(stale.headers.get("X-Cache")).toBe("HIT");
    expect(((await stale.json()) as { id: string }[]).map((x) => x.id)).toContain(demo.tokens.userNeverUsed.id);
    const fresh = await callWorker(env, `/customer/${acme}/tokens`, { headers: admin });
    expect(((await fresh.json()) as { id: string }[]).map((x) => x.id)).not.toContain(demo.tokens.userNeverUsed.id);
  });

  it("answers from the cache at most once per TTL window for repeated reads", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    for (let i = 0; i < 25; i++) await callWorker(env, `/tokens/${demo.tokens.engineerGlobal.id}`, { headers: admin });
    expect((await t.calls()).filter((c) => c.path === `/tokens/${demo.tokens.engineerGlobal.id}`)).toHaveLength(1);
  });
});

describe("audit entries with long non-ASCII names", () => {
  it("revokes and audits a token whose name is too long for KV metadata, and still lists it", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const name = "Ж".repeat(140);
    const created = await callWorker(env, "/tokens", {
      method: "POST",
      headers: { ...admin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: demo.users.acmeUser.login, password: demo.users.acmeUser.password, name }).toString(),
    });
    expect(created.status).toBe(200);
    const { id, access_token } = (await created.json()) as { id: string; access_token: string };
    expect(access_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await callWorker(env, `/tokens/${id}`, { method: "DELETE", headers: admin })).status).toBe(204);
    const entries = (await auditOf(env).list(10)).entries;
    expect(entries.map((e) => [e.operation, e.tokenName])).toEqual([
      ["revokeToken", name],
      ["createToken", name],
    ]);
  });
});

describe("lists fetched while a revocation lands", () => {
  it("does not cache a list as current when the customer changed while it was in flight", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    await t.addFault({ method: "GET", path: `/customer/${acme}/tokens`, delayMs: 400, count: 1 });
    const slowList = callWorker(env, `/customer/${acme}/tokens`, { headers: admin }); // sees the token, slowly
    await new Promise((r) => setTimeout(r, 100));
    expect((await callWorker(env, `/tokens/${demo.tokens.userNeverUsed.id}`, { method: "DELETE", headers: admin })).status).toBe(204);
    await slowList;
    const next = await callWorker(env, `/customer/${acme}/tokens`, { headers: admin });
    expect(next.headers.get("X-Cache")).toBe("MISS");
    expect(((await next.json()) as { id: string }[]).map((x) => x.id)).not.toContain(demo.tokens.userNeverUsed.id);
  });
});

describe("expiry", () => {
  it("stops answering from the cache once the token has expired, and lets Fastly say 401", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const expiresAt = new Date(Date.now() + 2000).toISOString().replace(/\.\d+Z$/, "Z");
    const created = await fetch(`${t.baseUrl}/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: demo.users.acmeUser.login, password: demo.users.acmeUser.password, name: "short", expires_at: expiresAt }),
    });
    const key = { "Fastly-Key": ((await created.json()) as { access_token: string }).access_token };
    expect((await callWorker(env, "/tokens/self", { headers: key })).headers.get("X-Cache")).toBe("MISS");
    expect((await callWorker(env, "/tokens/self", { headers: key })).headers.get("X-Cache")).toBe("HIT");
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 1100));
    const after = await callWorker(env, "/tokens/self", { headers: key });
    expect(after.status).toBe(401);
  });
});
