import { describe, expect, it } from "vitest";
import { API_KEY_VALUES, callWorker, demo, newTenant, testEnv } from "../helpers";

const acme = demo.customers.acme.id;
const globex = demo.customers.globex.id;
const target = demo.tokens.userNeverUsed.id;

/** Each operation, as a request the Fastly clients would send. */
const operations = {
  getTokenCurrent: { scope: "read", path: "/tokens/self", init: {} },
  listTokensUser: { scope: "read", path: "/tokens", init: {} },
  getToken: { scope: "read", path: `/tokens/${target}`, init: {} },
  listTokensCustomer: { scope: "read", path: `/customer/${acme}/tokens`, init: {} },
  revokeToken: { scope: "revoke", path: `/tokens/${target}?dry_run=true`, init: { method: "DELETE" } },
  bulkRevokeTokens: {
    scope: "revoke",
    path: "/tokens?dry_run=true",
    init: { method: "DELETE", headers: { "Content-Type": "application/vnd.api+json; ext=bulk" }, body: JSON.stringify({ data: [{ id: target, type: "token" }] }) },
  },
  // With an API key, /tokens/self is the Worker's own token: past the scope check, the self-token guard answers 409
  // (forcing it needs the admin scope: test/security/self-token.test.ts).
  revokeTokenCurrent: { scope: "revoke", path: "/tokens/self?dry_run=true", init: { method: "DELETE" }, allowedStatus: 409 },
  createToken: {
    scope: "create",
    path: "/tokens?dry_run=true",
    init: {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `username=${encodeURIComponent(demo.users.acmeEngineer.login)}&password=${demo.users.acmeEngineer.password}&name=x`,
    },
  },
} as const;

const keysByScope = { read: API_KEY_VALUES.reader, revoke: API_KEY_VALUES.revoker, create: API_KEY_VALUES.creator } as const;

function withKey(init: RequestInit, key: string): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), "Fastly-Key": key } };
}

describe("API authorization matrix", () => {
  for (const [name, op] of Object.entries(operations)) {
    for (const [scope, key] of Object.entries(keysByScope)) {
      const allowed = scope === op.scope;
      it(`${allowed ? "allows" : "denies"} ${name} with an API key scoped "${scope}"`, async () => {
        const t = await newTenant();
        const env = await testEnv(t);
        const r = await callWorker(env, op.path, withKey(op.init, key));
        if (allowed) {
          if ("allowedStatus" in op) expect(r.status).toBe(op.allowedStatus);
          else expect(r.status).toBeLessThan(300);
        } else {
          expect(r.status).toBe(403);
          expect(await r.json()).toMatchObject({ msg: "Forbidden", detail: `this API key lacks the "${op.scope}" scope` });
          expect(await t.calls()).toEqual([]);
        }
      });
    }
  }

  it("denies a request without Fastly-Key with Fastly's 401", async () => {
    const t = await newTenant();
    const r = await callWorker(await testEnv(t), "/tokens/self");
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ msg: "Provided credentials are missing or invalid" });
  });

  it("denies an unknown key when passthrough is off, without calling Fastly", async () => {
    const t = await newTenant();
    const env = await testEnv(t, { ALLOW_PASSTHROUGH: "false" });
    const r = await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": demo.tokens.userGlobal.access_token } });
    expect(r.status).toBe(401);
    expect(await t.calls()).toEqual([]);
  });

  it("makes passthrough calls with the caller's own token and API-key calls with the Worker's token", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const { sha256Hex } = await import("../../src/crypto/hash");
    await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": demo.tokens.userGlobal.access_token } });
    await callWorker(env, "/tokens", { headers: { "Fastly-Key": API_KEY_VALUES.reader } });
    const calls = await t.calls();
    const worker = await sha256Hex(demo.tokens.superuserGlobal.access_token);
    expect(calls.map((c) => [c.path, c.keyHash])).toEqual([
      ["/tokens/self", await sha256Hex(demo.tokens.userGlobal.access_token)],
      ["/tokens/self", worker], // the list's customer, from the Worker's own (then cached) token
      ["/tokens", worker],
    ]);
  });

  it("restricts a customer-bound API key to its customer", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const globexKey = { "Fastly-Key": API_KEY_VALUES.globexReader };
    const own = await callWorker(env, `/customer/${acme}/tokens`, { headers: globexKey });
    expect(own.status).toBe(403);
    expect(((await own.json()) as { detail: string }).detail).toMatch(/restricted to another customer/);
    const byId = await callWorker(env, `/tokens/${target}`, { headers: globexKey });
    expect(byId.status).toBe(403);
    const acmeKey = await callWorker(env, `/customer/${acme}/tokens`, { headers: { "Fastly-Key": API_KEY_VALUES.admin } });
    expect(acmeKey.status).toBe(200);
    const elsewhere = await callWorker(env, `/customer/${globex}/tokens`, { headers: { "Fastly-Key": API_KEY_VALUES.admin } });
    expect(elsewhere.status).toBe(403);
  });
});
