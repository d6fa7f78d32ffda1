import { describe, expect, it } from "vitest";
import { API_KEY_VALUES, callWorker, demo, dumpKv, newTenant, testEnv } from "../helpers";

const admin = { "Fastly-Key": API_KEY_VALUES.admin };

describe("API bad input", () => {
  it("answers 400 for a malformed token id without echoing it", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const pasted = demo.tokens.userGlobal.access_token; // a secret pasted where an id belongs
    const r = await callWorker(env, `/tokens/${pasted}`, { headers: admin });
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(JSON.parse(text)).toMatchObject({ msg: "Bad request", detail: "token_id must be 1-64 alphanumeric characters" });
    expect(text).not.toContain(pasted);
    expect(await t.calls()).toEqual([]);
  });

  it("answers 405 with Allow for a wrong method on a known path, in Fastly's words", async () => {
    const t = await newTenant();
    const r = await callWorker(await testEnv(t), "/tokens/self", { method: "PUT", headers: admin });
    expect(r.status).toBe(405);
    expect(r.headers.get("Allow")).toBe("GET, DELETE");
    expect(await r.json()).toEqual({ msg: "Method not allowed", detail: "Allowed methods: GET, DELETE" });
  });

  it("answers a trailing slash as an unknown route (404), whatever the method, and HEAD like GET", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    for (const method of ["GET", "PUT", "DELETE"]) {
      const r = await callWorker(env, "/tokens/self/", { method, headers: admin });
      expect(r.status, method).toBe(404);
      expect(await r.json()).toMatchObject({ msg: "Record not found" });
    }
    const head = await callWorker(env, "/tokens/self", { method: "HEAD", headers: admin });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("answers 404 JSON for an unknown route", async () => {
    const t = await newTenant();
    const r = await callWorker(await testEnv(t), "/nope", { headers: admin });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ msg: "Record not found", detail: "no such route" });
  });

  it("answers 415 for a bulk revocation that is not JSON:API", async () => {
    const t = await newTenant();
    const r = await callWorker(await testEnv(t), "/tokens", { method: "DELETE", headers: { ...admin, "Content-Type": "text/plain" }, body: "x" });
    expect(r.status).toBe(415);
    expect(await t.calls()).toEqual([]);
  });

  it("answers 400 for a malformed or empty bulk body", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const headers = { ...admin, "Content-Type": "application/vnd.api+json; ext=bulk" };
    for (const [body, detail] of [
      ["{", 'The body must be a JSON:API document: {"data":[{"id":"…","type":"token"}]}'],
      ["[]", 'The body must be a JSON:API document: {"data":[{"id":"…","type":"token"}]}'],
      [JSON.stringify({ data: [] }), "data must be a non-empty array of token resource identifiers"],
      [JSON.stringify({ data: "x" }), "data must be a non-empty array of token resource identifiers"],
      [JSON.stringify({ data: [{ id: "abc", type: "service" }] }), 'data[0].type must be "token"'],
      [JSON.stringify({ data: [{ id: "abc", type: "token" }, "abc"] }), 'data[1].type must be "token"'],
      [JSON.stringify({ data: [{ id: "", type: "token" }] }), "data[0].id must be a non-empty string"],
      [JSON.stringify({ data: [{ id: "a-b", type: "token" }] }), "data[0].id must be 1-64 alphanumeric characters"],
      [JSON.stringify({ data: Array.from({ length: 41 }, (_, i) => ({ id: `id${i}`, type: "token" })) }), "data must list at most 40 tokens"],
    ]) {
      const r = await callWorker(env, "/tokens", { method: "DELETE", headers, body });
      expect(r.status, body).toBe(400);
      expect(((await r.json()) as { detail: string }).detail).toBe(detail);
    }
    expect(await t.calls()).toEqual([]);
  });

  it("refuses a create field it cannot send as Fastly's create does: 400 invalid_scope, 422 for expires_at", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const form = { "Fastly-Key": API_KEY_VALUES.creator, "Content-Type": "application/x-www-form-urlencoded" };
    const scope = await callWorker(env, "/tokens", { method: "POST", headers: form, body: "username=a&password=b&scope=root" });
    expect(scope.status).toBe(400);
    expect(await scope.json()).toEqual({ code: "invalid_scope", msg: "scope must be a space-delimited list of global, purge_select, purge_all, global:read" });
    const date = await callWorker(env, "/tokens", { method: "POST", headers: form, body: "username=a&password=b&expires_at=tomorrow" });
    expect(date.status).toBe(422);
    expect(await date.json()).toMatchObject({ msg: "The format of the date and time supplied to the expires_at parameter is invalid." });
    const service = await callWorker(env, "/tokens", { method: "POST", headers: form, body: "username=a&password=b&services[]=a%20b" });
    expect(service.status).toBe(400);
    expect(await service.json()).toEqual({ code: "invalid_request", msg: "services must be ids of services on this account" });
    const json = await callWorker(env, "/tokens", { method: "POST", headers: { ...form, "Content-Type": "application/json" }, body: '{"name":{"a":1}}' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ msg: "Bad request", detail: 'Field "name" must be a string' });
    expect(await t.calls()).toEqual([]);
  });

  it("answers 413 for a body over the limit", async () => {
    const t = await newTenant();
    const env = await testEnv(t, { MAX_BODY_BYTES: "2048" });
    const r = await callWorker(env, "/tokens", {
      method: "DELETE",
      headers: { ...admin, "Content-Type": "application/vnd.api+json; ext=bulk" },
      body: JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => ({ id: `id${i}`, type: "token" })) }),
    });
    expect(r.status).toBe(413);
    expect(await t.calls()).toEqual([]);
  });

  it("names a malformed setting in a 500 without echoing its value", async () => {
    const t = await newTenant();
    const env = await testEnv(t, { API_KEYS: "[{\"name\":\"x\",\"sha256\":\"secret-not-a-hash\",\"scopes\":[\"read\"]}]" });
    const r = await callWorker(env, "/tokens/self", { headers: admin });
    expect(r.status).toBe(500);
    const text = await r.text();
    // The caller learns which setting, not what is wrong with it (that is in the log).
    expect(JSON.parse(text)).toMatchObject({ msg: "Worker misconfigured", detail: expect.stringMatching(/^setting API_KEYS is invalid;/) });
    expect(text).not.toContain("secret-not-a-hash");
  });

  it("answers 503 not configured when an API key is used but FASTLY_API_TOKEN is absent", async () => {
    const t = await newTenant();
    const env = await testEnv(t, { FASTLY_API_TOKEN: undefined });
    const r = await callWorker(env, "/tokens", { headers: admin });
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ code: "not_configured", detail: "set FASTLY_API_TOKEN to enable it" });
  });

  it("serves /health without an upstream call and /openapi.json generated from the schemas", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const health = await callWorker(env, "/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const doc = (await (await callWorker(env, "/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId?: string }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe("3.1.0");
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId)).filter(Boolean);
    expect(ops.sort()).toEqual([
      "bulk_revoke_tokens", "create_token", "get_token", "get_token_current",
      "list_tokens_customer", "list_tokens_user", "request_sudo_access", "revoke_token", "revoke_token_current",
    ]);
    expect(Object.keys(doc.components.schemas.CreateTokenForm?.properties ?? {})).toEqual(
      expect.arrayContaining(["username", "password", "name", "scope", "services[]", "services", "expires_at"]),
    );
    expect(await t.calls()).toEqual([]);
  });
});

describe("token values pasted where an id belongs", () => {
  it("refuses a 32-character alphanumeric id without calling Fastly, echoing it or auditing it", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    const value = demo.tokens.engineerGlobal.access_token; // letters and digits only: passes an alphanumeric check
    expect(value).toMatch(/^[A-Za-z0-9]{32}$/);
    for (const method of ["GET", "DELETE"]) {
      const r = await callWorker(env, `/tokens/${value}`, { method, headers: admin });
      expect(r.status).toBe(400);
      const text = await r.text();
      expect(text).not.toContain(value);
      expect(JSON.parse(text).detail).toMatch(/looks like a token value/);
    }
    expect(await t.calls()).toEqual([]);
    expect(JSON.stringify(await dumpKv(env))).not.toContain(value);
  });
});

describe("customer-restricted API keys and the audit trail", () => {
  it("shows a restricted key only its own customer's audit entries", async () => {
    const t = await newTenant();
    const env = await testEnv(t);
    await callWorker(env, `/tokens/${demo.tokens.userNeverUsed.id}`, { method: "DELETE", headers: admin });
    const all = (await (await callWorker(env, "/audit", { headers: admin })).json()) as { entries: { customerId: string }[] };
    expect(all.entries.some((e) => e.customerId === demo.customers.acme.id)).toBe(true);
    const globex = (await (await callWorker(env, "/audit", { headers: { "Fastly-Key": API_KEY_VALUES.globexReader } })).json()) as {
      entries: { customerId: string }[];
    };
    expect(globex.entries).toEqual([]);
    const probe = await callWorker(env, `/tokens/${demo.tokens.userNeverUsed.id}`, { headers: { "Fastly-Key": API_KEY_VALUES.globexReader } });
    expect(probe.status).toBe(403); // not 404: another customer's revoked id stays indistinguishable from a live one
  });
});
