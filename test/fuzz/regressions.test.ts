// Cases the fuzzer found, kept as plain tests so each fix stays fixed whatever the fuzzer draws next time.
import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/crypto/bytes";
import { API_KEY_VALUES, auditOf, callWorker, d1IsEmpty, demo, dumpKv, newTenant, testEnv } from "../helpers";

describe("fuzzer regressions", () => {
  it("answers a create whose form declares a charset other than UTF-8 as Fastly does (here 403), never 500", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    for (const contentType of ["application/x-www-form-urlencoded; charset=ISO-8859-1", "application/x-www-form-urlencoded;charset=foo"]) {
      const r = await callWorker(env, "/tokens", {
        method: "POST",
        headers: { "Fastly-Key": demo.tokens.engineerReadOnly.access_token, "Content-Type": contentType },
        body: utf8(`username=${demo.users.acmeUser.login}&password=${demo.users.acmeUser.password}`),
      });
      // Read as a form whatever the charset (issue 11): the read-only key then gets Fastly's own refusal.
      expect(r.status, contentType).toBe(403);
      const text = await r.text();
      expect(JSON.parse(text)).toEqual({ msg: "Read only tokens are not allowed to access this endpoint." });
      expect(text).not.toContain(demo.users.acmeUser.password);
    }
    expect((await t.tokens()).length).toBe(Object.keys(demo.tokens).length);
  });

  it("writes nothing to KV when Fastly refuses a passthrough caller's revoked or expired key", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    for (const key of [demo.tokens.userRevoked.access_token, demo.tokens.userExpired.access_token, "not-a-fastly-token-at-all-000000"]) {
      for (const [method, path] of [
        ["DELETE", `/tokens/${demo.tokens.userNeverUsed.id}`],
        ["DELETE", "/tokens/self"],
        ["GET", `/tokens/${demo.tokens.userNeverUsed.id}`],
      ] as const) {
        const r = await callWorker(env, path, { method, headers: { "Fastly-Key": key } });
        expect(r.status, `${method} ${path}`).toBe(401);
      }
    }
    expect(await dumpKv(env)).toEqual([]);
    expect(await d1IsEmpty(env)).toBe(true);
  });

  it("writes nothing to KV when Fastly refuses the username and password of a create without a key", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const r = await callWorker(env, "/tokens", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: demo.users.acmeUser.login, password: "wrong-password", name: "x" }).toString(),
    });
    expect(r.status).toBe(400);
    expect(await dumpKv(env)).toEqual([]);
    expect(await d1IsEmpty(env)).toBe(true);
  });

  it("still audits a refusal of an authenticated caller: a Worker API key whose revocation Fastly refuses", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    await t.addFault({ method: "DELETE", path: `/tokens/${demo.tokens.userNeverUsed.id}`, status: 403, body: { msg: "Forbidden" } });
    const r = await callWorker(env, `/tokens/${demo.tokens.userNeverUsed.id}`, { method: "DELETE", headers: { "Fastly-Key": API_KEY_VALUES.admin } });
    expect(r.status).toBe(403);
    const audit = (await auditOf(env).list(100)).entries;
    expect(audit).toEqual([expect.objectContaining({ operation: "revokeToken", result: "error" })]);
  });
});
