import { describe, expect, it } from "vitest";
import { auditOf, callWorker, demo, newTenant, testEnv } from "../helpers";
import { evidence, expectNothingHappened, KEYS, keysJson, OWN } from "./evidence";

// Issue 12, item 5: a Worker API key acts with the Worker's own FASTLY_API_TOKEN, so `?force=true` (the self-token
// guard's override, which lets it revoke that token and take every surface down) needs the distinct `admin` scope.

const bulkType = "application/vnd.api+json; ext=bulk";
const other = demo.tokens.userGlobal.id;

function attempts(key: string): [string, string, RequestInit][] {
  const headers = { "Fastly-Key": key };
  return [
    ["DELETE /tokens/self?force=true", "/tokens/self?force=true", { method: "DELETE", headers }],
    ["DELETE /tokens/{own id}?force=true", `/tokens/${OWN.id}?force=true`, { method: "DELETE", headers }],
    [
      "bulk with the own id, forced",
      "/tokens?force=true",
      { method: "DELETE", headers: { ...headers, "Content-Type": bulkType }, body: JSON.stringify({ data: [{ id: other, type: "token" }, { id: OWN.id, type: "token" }] }) },
    ],
    ["a forced dry run", "/tokens/self?force=true&dry_run=true", { method: "DELETE", headers }],
  ];
}

async function setup() {
  const t = await newTenant();
  const env = await testEnv(t, { API_KEYS: await keysJson() });
  return { t, env };
}

describe("revoking the Worker's own token needs the admin scope", () => {
  it("refuses force=true from a revoke-scoped key with 403, audits the refusal, and asks Fastly nothing", async () => {
    const { t, env } = await setup();
    for (const [what, path, init] of attempts(KEYS.revoker.key)) {
      const before = await evidence(env, t);
      await t.clearCalls();
      const r = await callWorker(env, path, init);
      expect(r.status, what).toBe(403);
      expect(await r.json(), what).toEqual({
        msg: "Forbidden",
        detail: 'force=true needs the "admin" scope: it lets the caller revoke the Worker\'s own token',
        code: "forbidden",
      });
      expect(await t.calls(), what).toEqual([]);
      const after = await evidence(env, t);
      // The only change anywhere is the one audit entry recording the refusal.
      expect(after.kv, what).toEqual(before.kv);
      expect(after.revoked, what).toEqual(before.revoked);
      expect(after.d1.audit_log!.length, what).toBe(before.d1.audit_log!.length + 1);
      const [entry] = (await auditOf(env).list(1)).entries;
      expect(entry, what).toMatchObject({ surface: "api", principal: "apikey:revoker", result: "denied" });
      expect(entry!.detail, what).toMatch(/needs the "admin" scope/);
    }
    expect((await auditOf(env).list(10)).entries.map((e) => e.operation)).toEqual(["revokeTokenCurrent", "bulkRevokeTokens", "revokeToken", "revokeTokenCurrent"]);
  });

  it("keeps the self-token guard's 409 for an unforced attempt, whatever the key's scopes", async () => {
    const { t, env } = await setup();
    const before = await evidence(env, t);
    for (const key of [KEYS.revoker.key, KEYS.admin.key]) {
      const r = await callWorker(env, `/tokens/${OWN.id}`, { method: "DELETE", headers: { "Fastly-Key": key } });
      expect(r.status).toBe(409);
      expect(((await r.json()) as { code: string }).code).toBe("self_token");
    }
    expect((await evidence(env, t)).revoked).toEqual(before.revoked);
  });

  it("refuses an admin key without the revoke scope at the scope check, before anything else", async () => {
    const { t, env } = await setup();
    const before = await evidence(env, t);
    const r = await callWorker(env, "/tokens/self?force=true", { method: "DELETE", headers: { "Fastly-Key": KEYS.adminOnly.key } });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { detail: string }).detail).toBe('this API key lacks the "revoke" scope');
    await expectNothingHappened(before, env, t);
  });

  it("lets a key with revoke and admin revoke the Worker's own token when it forces it", async () => {
    const { t, env } = await setup();
    const before = await evidence(env, t);
    const r = await callWorker(env, "/tokens/self?force=true", { method: "DELETE", headers: { "Fastly-Key": KEYS.admin.key } });
    expect(r.status).toBe(204);
    expect((await evidence(env, t)).revoked).toEqual([...before.revoked, OWN.id].sort());
    const [entry] = (await auditOf(env).list(1)).entries;
    expect(entry).toMatchObject({ principal: "apikey:admin", operation: "revokeTokenCurrent", result: "ok", tokenId: OWN.id });
  });
});
