import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import type { Env } from "../../src/env";
import type { AuditEntry } from "../../src/tokens/audit-entry";
import { auditOf, callWorker, d1IsEmpty, demo, dumpKv, newTenant, type Tenant, testEnv } from "../helpers";

// The Worker's passthrough reads and revocations under every reading of what the reference leaves open
// (emulator/README.md, "Switches for the open questions"): a decision that is right under one reading only is a bug.
const { tokens } = demo;
const BULK = "application/vnd.api+json; ext=bulk";
const INVALID = "Provided credentials are missing or invalid";

async function audit(env: Env): Promise<AuditEntry[]> {
  return (await auditOf(env).list(100)).entries;
}

async function revoked(t: Tenant, id: string): Promise<boolean> {
  return (await t.tokens()).find((x) => x.id === id)?.revoked ?? false;
}

async function send(env: Env, path: string, key: string, init: RequestInit = {}) {
  const response = await callWorker(env, path, { ...init, headers: { "Fastly-Key": key, ...(init.headers as object) } });
  const text = await response.text();
  return { status: response.status, cache: response.headers.get("X-Cache"), body: text ? JSON.parse(text) : null };
}

describe.each([401, 403] as const)("with unknown keys answered %i", (status) => {
  it("passes the refusal through on every operation and writes nothing: no cache entry, no audit", async () => {
    const t = await newTenant();
    await t.configure({ unknownKeyStatus: status });
    const env = await testEnv(t, { FASTLY_API_TOKEN: undefined });
    const key = "NeverIssuedKey0NeverIssuedKey0ab";
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const requests: [string, RequestInit][] = [
      ["/tokens/self", {}],
      ["/tokens", {}],
      [`/tokens/${tokens.userGlobal.id}`, {}],
      [`/customer/${demo.customers.acme.id}/tokens`, {}],
      ["/tokens/self", { method: "DELETE" }],
      [`/tokens/${tokens.userGlobal.id}`, { method: "DELETE" }],
      ["/tokens", { method: "DELETE", headers: { "Content-Type": BULK }, body: JSON.stringify({ data: [{ id: tokens.userGlobal.id, type: "token" }] }) }],
      ["/sudo", { method: "POST", headers: form, body: "password=x" }],
      ["/tokens", { method: "POST", headers: form, body: "name=x" }],
    ];
    for (const [path, init] of requests) {
      const r = await send(env, path, key, init);
      expect(r.status, `${init.method ?? "GET"} ${path}`).toBe(status);
      expect(r.body).toEqual({ msg: INVALID });
    }
    expect(await dumpKv(env)).toEqual([]);
    expect(await d1IsEmpty(env)).toBe(true);
    expect(await revoked(t, tokens.userGlobal.id)).toBe(false);
  });
});

describe.each([200, 403] as const)("with limited tokens' GET /tokens/self answered %i", (status) => {
  const limited = [tokens.engineerReadOnly, tokens.engineerPurgeSelect, tokens.userMultiScope];

  it("reads /tokens/self as Fastly answers it, and caches only an answer", async () => {
    const t = await newTenant();
    await t.configure({ limitedTokenSelfStatus: status });
    const env = await testEnv(t);
    for (const token of limited) {
      const first = await send(env, "/tokens/self", token.access_token);
      const second = await send(env, "/tokens/self", token.access_token);
      expect([first.status, second.status], token.scope).toEqual([status, status]);
      if (status === 200) expect([first.cache, second.cache]).toEqual(["MISS", "HIT"]);
      else expect(second.body).toMatchObject({ msg: "Insufficient permissions" });
    }
    const upstream = (await t.calls()).filter((c) => c.path === "/tokens/self");
    expect(upstream).toHaveLength(status === 200 ? limited.length : 2 * limited.length);
  });

  it("lists a global:read token's tokens either way, caching the list only when it knows the customer", async () => {
    const t = await newTenant();
    await t.configure({ limitedTokenSelfStatus: status });
    const env = await testEnv(t);
    const first = await send(env, "/tokens", tokens.engineerReadOnly.access_token);
    const second = await send(env, "/tokens", tokens.engineerReadOnly.access_token);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((second.body as { id: string }[]).map((x) => x.id)).toContain(tokens.engineerGlobal.id);
    expect([first.cache, second.cache]).toEqual(status === 200 ? ["MISS", "HIT"] : ["MISS", "MISS"]);
  });

  it("revokes a purge-only token as itself, drops its cached view and audits it", async () => {
    const t = await newTenant();
    await t.configure({ limitedTokenSelfStatus: status });
    const env = await testEnv(t);
    const key = tokens.engineerPurgeSelect.access_token;
    expect((await send(env, "/tokens/self", key, { method: "DELETE" })).status).toBe(204);
    expect(await revoked(t, tokens.engineerPurgeSelect.id)).toBe(true);
    const after = await send(env, "/tokens/self", key);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ msg: INVALID });
    // Nothing vouches for the key any more: its cached self view is gone (Fastly's 401 stands).
    const names = (await dumpKv(env)).map((k) => k.name);
    const self = `c:self:${await sha256Hex(key)}`;
    expect(names.filter((n) => n === self)).toEqual([]);
    const entry = (await audit(env)).find((e) => e.operation === "revokeTokenCurrent");
    // Under the 403 reading Fastly never told the Worker which token it was: the entry has no id, and says so by null.
    expect(entry).toMatchObject({ result: "ok", tokenId: status === 200 ? tokens.engineerPurgeSelect.id : null });
  });
});

describe.each([403, 404] as const)("with another user's token answered %i", (status) => {
  const foreign = tokens.engineerGlobal.id;
  const carol = tokens.userGlobal.access_token;

  it("passes the refusal through for get, revoke and bulk, revokes nothing and leaves no tombstone", async () => {
    const t = await newTenant();
    await t.configure({ foreignTokenStatus: status });
    const env = await testEnv(t);
    expect((await send(env, `/tokens/${foreign}`, carol)).status).toBe(status);
    const revoke = await send(env, `/tokens/${foreign}`, carol, { method: "DELETE" });
    expect(revoke.status).toBe(status);
    expect(revoke.body).toMatchObject({ msg: status === 403 ? "Insufficient permissions" : "Token lookup failed" });
    const many = await send(env, "/tokens", carol, {
      method: "DELETE",
      headers: { "Content-Type": BULK },
      body: JSON.stringify({ data: [{ id: tokens.userNeverUsed.id, type: "token" }, { id: foreign, type: "token" }] }),
    });
    expect(many.status).toBe(status);
    expect(await revoked(t, foreign)).toBe(false);
    expect(await revoked(t, tokens.userNeverUsed.id)).toBe(false);
    // No tombstone was written: the owner still reads it, from Fastly.
    const owner = await send(env, `/tokens/${foreign}`, tokens.engineerGlobal.access_token);
    expect(owner.status).toBe(200);
  });

  it("audits the refused revocation as an error, never as already revoked", async () => {
    const t = await newTenant();
    await t.configure({ foreignTokenStatus: status });
    const env = await testEnv(t);
    await send(env, `/tokens/${foreign}`, carol, { method: "DELETE" });
    const entries = (await audit(env)).filter((e) => e.operation === "revokeToken");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ result: "error", tokenId: foreign });
    expect(entries[0]?.detail).toMatch(new RegExp(`^upstream ${status}: `));
  });

  it("lets a superuser revoke it under either reading", async () => {
    const t = await newTenant();
    await t.configure({ foreignTokenStatus: status });
    const env = await testEnv(t, { FASTLY_API_TOKEN: undefined });
    expect((await send(env, `/tokens/${foreign}`, tokens.superuserGlobal.access_token, { method: "DELETE" })).status).toBe(204);
    expect(await revoked(t, foreign)).toBe(true);
  });
});
