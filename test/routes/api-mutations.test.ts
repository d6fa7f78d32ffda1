import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../../src/tokens/audit-entry";
import { API_KEY_VALUES, auditOf, callWorker, demo, dumpKv, newTenant, testEnv } from "../helpers";

const admin = { "Fastly-Key": API_KEY_VALUES.admin };
const bulkType = "application/vnd.api+json; ext=bulk";

async function auditEntries(env: Awaited<ReturnType<typeof testEnv>>): Promise<AuditEntry[]> {
  return (await auditOf(env).list(100)).entries;
}

describe("Fastly-compatible API: revocations", () => {
  it("revokes by id, tombstones it, and answers later lookups and revocations without an upstream call", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const id = demo.tokens.userGlobal.id;
    expect((await callWorker(env, `/tokens/${id}`, { headers: admin })).status).toBe(200);
    const revoked = await callWorker(env, `/tokens/${id}`, { method: "DELETE", headers: admin });
    expect(revoked.status).toBe(204);
    expect(revoked.headers.get("Fastly-RateLimit-Remaining")).toMatch(/^\d+$/);
    expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(true);

    await t.clearCalls();
    const lookup = await callWorker(env, `/tokens/${id}`, { headers: admin });
    expect(lookup.status).toBe(404);
    expect(await lookup.json()).toEqual({ msg: "Token lookup failed", code: "not_found" });
    const again = await callWorker(env, `/tokens/${id}`, { method: "DELETE", headers: admin });
    expect(again.status).toBe(404);
    expect(await t.calls()).toEqual([]);
  });

  it("invalidates cached lists when a token of the customer is revoked", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const acme = demo.customers.acme.id;
    const before = (await (await callWorker(env, `/customer/${acme}/tokens`, { headers: admin })).json()) as { id: string }[];
    expect(before.some((x) => x.id === demo.tokens.userGlobal.id)).toBe(true);
    await callWorker(env, `/tokens/${demo.tokens.userGlobal.id}`, { method: "DELETE", headers: admin });
    const after = await callWorker(env, `/customer/${acme}/tokens`, { headers: admin });
    expect(after.headers.get("X-Cache")).toBe("MISS");
    const ids = ((await after.json()) as { id: string }[]).map((x) => x.id);
    expect(ids).not.toContain(demo.tokens.userGlobal.id);
  });

  it("revokes the current token of a passthrough caller, after which its cached self view is gone", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const headers = { "Fastly-Key": demo.tokens.userGlobal.access_token };
    expect((await callWorker(env, "/tokens/self", { headers })).status).toBe(200);
    expect((await callWorker(env, "/tokens/self", { method: "DELETE", headers })).status).toBe(204);
    const after = await callWorker(env, "/tokens/self", { headers });
    expect(after.status).toBe(401);
  });

  it("bulk-revokes with the JSON:API body and records one audit entry per token", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const ids = [demo.tokens.userGlobal.id, demo.tokens.userNeverUsed.id];
    const r = await callWorker(env, "/tokens", {
      method: "DELETE",
      headers: { ...admin, "Content-Type": bulkType },
      body: JSON.stringify({ data: ids.map((id) => ({ id, type: "token" })) }),
    });
    expect(r.status).toBe(204);
    const state = await t.tokens();
    for (const id of ids) expect(state.find((x) => x.id === id)?.revoked).toBe(true);
    const entries = (await auditEntries(env)).filter((e) => e.operation === "bulkRevokeTokens");
    expect(entries.map((e) => e.tokenId).sort()).toEqual([...ids].sort());
    for (const e of entries) {
      expect(e).toMatchObject({ surface: "api", principal: "apikey:admin", result: "ok", customerId: demo.customers.acme.id });
      expect(e.tokenName).toBeTruthy();
      expect(e.ownerId).toBe(demo.users.acmeUser.id);
    }
  });

  it("refuses to revoke the Worker's own token unless forced", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const own = demo.tokens.superuserGlobal.id;
    const refused = await callWorker(env, `/tokens/${own}`, { method: "DELETE", headers: admin });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { code: string }).code).toBe("self_token");
    expect((await t.tokens()).find((x) => x.id === own)?.revoked).toBe(false);
    const bulk = await callWorker(env, "/tokens", {
      method: "DELETE",
      headers: { ...admin, "Content-Type": bulkType },
      body: JSON.stringify({ data: [{ id: demo.tokens.userGlobal.id, type: "token" }, { id: own, type: "token" }] }),
    });
    expect(bulk.status).toBe(409);
    expect((await t.tokens()).find((x) => x.id === demo.tokens.userGlobal.id)?.revoked).toBe(false);
    const self = await callWorker(env, "/tokens/self", { method: "DELETE", headers: { "Fastly-Key": demo.tokens.superuserGlobal.access_token } });
    expect(self.status).toBe(409);
    const forced = await callWorker(env, `/tokens/${own}?force=true`, { method: "DELETE", headers: admin });
    expect(forced.status).toBe(204);
    expect((await t.tokens()).find((x) => x.id === own)?.revoked).toBe(true);
  });

  it("in dry run reports what would be revoked and changes nothing", async () => {
    const t = await newTenant();
    for (const env of [await testEnv(t, { DRY_RUN: "true" }), await testEnv(t)]) {
      const query = env.DRY_RUN ? "" : "?dry_run=true";
      const r = await callWorker(env, `/tokens/${demo.tokens.userGlobal.id}${query}`, { method: "DELETE", headers: admin });
      expect(r.status).toBe(200);
      expect(r.headers.get("X-Dry-Run")).toBe("true");
      expect(await r.json()).toMatchObject({ dry_run: true, would_revoke: [{ id: demo.tokens.userGlobal.id }] });
      expect((await auditEntries(env)).some((e) => e.result === "dry_run" && e.tokenId === demo.tokens.userGlobal.id)).toBe(true);
    }
    expect((await t.tokens()).find((x) => x.id === demo.tokens.userGlobal.id)?.revoked).toBe(false);
    expect((await t.calls()).filter((c) => c.method === "DELETE")).toEqual([]);
  });
});

describe("Fastly-compatible API: create", () => {
  const form = (fields: Record<string, string | string[]>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) p.append(k, x);
    return p.toString();
  };
  const formHeaders = (key: string) => ({ "Fastly-Key": key, "Content-Type": "application/x-www-form-urlencoded" });

  it("creates a token with username/password, returns its access_token once, and never stores or audits it", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const u = demo.users.acmeEngineer;
    const r = await callWorker(env, "/tokens", {
      method: "POST",
      headers: formHeaders(API_KEY_VALUES.creator),
      body: form({ username: u.login, password: u.password, name: "ci deploy", scope: "purge_select global:read", "services[]": [demo.services.acmeWww.id] }),
    });
    expect(r.status).toBe(200);
    const created = (await r.json()) as { id: string; access_token: string; services: string[]; scope: string };
    expect(created.access_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(created.scope).toBe("purge_select global:read");
    const entry = (await auditEntries(env)).find((e) => e.operation === "createToken");
    expect(entry).toMatchObject({ result: "ok", tokenId: created.id, tokenName: "ci deploy", ownerId: u.id });
    const dump = JSON.stringify(await dumpKv(env));
    for (const secret of [created.access_token, u.password, API_KEY_VALUES.creator]) expect(dump).not.toContain(secret);
  });

  it("enforces the create policy with a specific error for each rule", async () => {
    const t = await newTenant();
    const env = await testEnv(t, { CREATE_MAX_LIFETIME_DAYS: "30", CREATE_ALLOWED_SCOPES: "purge_select global:read", CREATE_REQUIRE_SERVICES: "true" });
    const u = demo.users.acmeEngineer;
    const base = { username: u.login, password: u.password, name: "x" };
    const soon = new Date(Date.now() + 7 * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
    const late = new Date(Date.now() + 90 * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
    const cases: [Record<string, string | string[]>, string][] = [
      [{ ...base, scope: "global", "services[]": demo.services.acmeWww.id, expires_at: soon }, "policy.scope"],
      [{ ...base, scope: "purge_select", expires_at: soon }, "policy.services"],
      [{ ...base, scope: "purge_select", "services[]": demo.services.acmeWww.id }, "policy.lifetime"],
      [{ ...base, scope: "purge_select", "services[]": demo.services.acmeWww.id, expires_at: late }, "policy.lifetime"],
    ];
    for (const [fields, code] of cases) {
      const r = await callWorker(env, "/tokens", { method: "POST", headers: formHeaders(API_KEY_VALUES.creator), body: form(fields) });
      expect(r.status, code).toBe(400);
      const body = (await r.json()) as { code: string; msg: string; detail: string };
      expect(body.code).toBe(code);
      expect(body.msg).toBe("Token policy violation");
      expect(JSON.stringify(body)).not.toContain(u.password);
    }
    expect((await t.calls()).filter((c) => c.method === "POST")).toEqual([]);
    const ok = await callWorker(env, "/tokens", {
      method: "POST",
      headers: formHeaders(API_KEY_VALUES.creator),
      body: form({ ...base, scope: "purge_select", "services[]": demo.services.acmeWww.id, expires_at: soon }),
    });
    expect(ok.status).toBe(200);
  });

  it("passes Fastly's create errors through (wrong password → 400 invalid_grant) without echoing the password", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const r = await callWorker(env, "/tokens", {
      method: "POST",
      headers: formHeaders(API_KEY_VALUES.creator),
      body: form({ username: demo.users.acmeEngineer.login, password: "wrong-password-123", name: "x" }),
    });
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(JSON.parse(text).code).toBe("invalid_grant");
    expect(text).not.toContain("wrong-password-123");
  });
});
