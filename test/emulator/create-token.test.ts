import { describe, expect, it } from "vitest";
import { demo, newTenant, type Tenant } from "../helpers";
import { type CreatedTokenBody, fastly, type TokenBody } from "./fastly-call";

const { users, tokens, services } = demo;
const alice = users.acmeSuperuser;

function createWithPassword(t: Tenant, form: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  return fastly<CreatedTokenBody & { code?: string; msg?: string }>(t.baseUrl, "/tokens", {
    method: "POST",
    form: { username: alice.login, password: alice.password, ...form },
    headers,
  });
}

describe("creating a token with username and password", () => {
  it("creates a working token: 32 url-safe characters and a 22-character base62 id", async () => {
    const t = await newTenant();
    const answer = await createWithPassword(t, { name: "fresh", scope: "global" });
    expect(answer.status).toBe(200);
    expect(answer.body.access_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(answer.body.id).toMatch(/^[A-Za-z0-9]{22}$/);
    const self = await fastly<TokenBody>(t.baseUrl, "/tokens/self", { key: answer.body.access_token });
    expect(self.status).toBe(200);
    expect(self.body.id).toBe(answer.body.id);
    expect(self.body.user_id).toBe(alice.id);
  });

  it("stores only the hash of the new token", async () => {
    const t = await newTenant();
    const answer = await createWithPassword(t, { name: "hashed" });
    const stored = (await t.tokens()).find((token) => token.id === answer.body.id);
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await t.tokens())).not.toContain(answer.body.access_token);
  });

  it("lists a new token as never used", async () => {
    const t = await newTenant();
    const answer = await createWithPassword(t, { name: "unused" });
    const list = await fastly<TokenBody[]>(t.baseUrl, "/tokens", { key: tokens.superuserGlobal.access_token });
    expect(list.body.find((token) => token.id === answer.body.id)).toMatchObject({
      last_used_at: null,
      ip: null,
      user_agent: null,
    });
  });

  it("defaults the scope to global and keeps a multi-scope request space-delimited", async () => {
    const t = await newTenant();
    expect((await createWithPassword(t, { name: "default" })).body.scope).toBe("global");
    const multi = await createWithPassword(t, { name: "multi", scope: "global:read purge_select" });
    expect(multi.body.scope).toBe("global:read purge_select");
  });

  it("accepts HTTP Basic credentials instead of form fields", async () => {
    const t = await newTenant();
    const answer = await fastly<CreatedTokenBody>(t.baseUrl, "/tokens", {
      method: "POST",
      headers: { Authorization: `Basic ${btoa(`${alice.login}:${alice.password}`)}` },
      form: { name: "via basic" },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.user_id).toBe(alice.id);
  });

  it("answers invalid_grant for a wrong password and never echoes it", async () => {
    const t = await newTenant();
    const wrong = "not-the-right-password-123";
    const answer = await createWithPassword(t, { password: wrong });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_grant");
    expect(answer.body.msg).toEqual(expect.any(String));
    expect(answer.text).not.toContain(wrong);
  });

  it("answers invalid_grant for an unknown login", async () => {
    const t = await newTenant();
    const answer = await createWithPassword(t, { username: "nobody@example.com" });
    expect(answer.body.code).toBe("invalid_grant");
  });

  it("answers account_locked for a locked user with the right password", async () => {
    const t = await newTenant();
    const frank = users.acmeLockedUser;
    const answer = await createWithPassword(t, { username: frank.login, password: frank.password });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("account_locked");
  });

  it("asks a 2FA user for the one-time password with 2fa.verify", async () => {
    const t = await newTenant();
    const erin = users.acmeTwoFactorUser;
    const form = { username: erin.login, password: erin.password, name: "2fa" };
    const missing = await createWithPassword(t, form);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe("2fa.verify");
    const wrong = await createWithPassword(t, form, { "Fastly-OTP": "000000" });
    expect(wrong.body.code).toBe("2fa.verify");
    const right = await createWithPassword(t, form, { "Fastly-OTP": erin.otp ?? "" });
    expect(right.status).toBe(200);
    expect(right.body.user_id).toBe(erin.id);
    expect(right.text).not.toContain(erin.otp ?? "");
  });

  it("answers invalid_request when the password is missing", async () => {
    const t = await newTenant();
    const answer = await fastly<{ code: string }>(t.baseUrl, "/tokens", {
      method: "POST",
      form: { username: alice.login, name: "no password" },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_request");
  });

  it("answers invalid_scope for an unknown scope word", async () => {
    const t = await newTenant();
    const answer = await createWithPassword(t, { scope: "global superpowers" });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_scope");
  });

  it("answers 422 for an expires_at that is not ISO 8601", async () => {
    const t = await newTenant();
    const answer = await createWithPassword(t, { expires_at: "next tuesday" });
    expect(answer.status).toBe(422);
    expect(answer.body.msg).toEqual(expect.any(String));
  });

  it("answers invalid_request for an expires_at in the past", async () => {
    const t = await newTenant();
    const answer = await createWithPassword(t, { expires_at: "2001-01-01T00:00:00Z" });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_request");
  });

  it("normalises expires_at with an offset to UTC at second precision", async () => {
    const t = await newTenant();
    await t.setClock("2030-01-01T00:00:00Z");
    const answer = await createWithPassword(t, { expires_at: "2030-07-28T19:24:50.123+02:00" });
    expect(answer.status).toBe(200);
    expect(answer.body.expires_at).toBe("2030-07-28T17:24:50Z");
  });

  it("answers invalid_request for a service of another account", async () => {
    const t = await newTenant();
    const answer = await createWithPassword(t, { "services[]": [services.globexCdn.id] });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe("invalid_request");
  });
});

describe("creating a token with a Fastly-Key", () => {
  const key = tokens.superuserGlobal.access_token;

  it("requires a sudo window first", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", { method: "POST", key, form: { name: "no sudo" } });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ msg: "You must POST /sudo to access this endpoint" });
  });

  it("ignores an empty Basic header sent next to the key", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "POST",
      key,
      headers: { Authorization: "Basic Og==" },
      form: {},
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ msg: "You must POST /sudo to access this endpoint" });
  });

  it("creates for the key's user inside the sudo window and refuses after it lapses", async () => {
    const t = await newTenant();
    await t.setClock("2030-03-01T12:00:00Z");
    const sudo = await fastly(t.baseUrl, "/sudo", { method: "POST", key, form: { password: alice.password } });
    expect(sudo.status).toBe(200);
    const created = await fastly<CreatedTokenBody>(t.baseUrl, "/tokens", {
      method: "POST",
      key,
      form: { name: "in sudo", scope: "purge_select", "services[]": services.acmeWww.id },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ user_id: alice.id, scope: "purge_select", service_id: services.acmeWww.id });
    await t.advanceClock(5 * 60 + 1);
    const late = await fastly(t.baseUrl, "/tokens", { method: "POST", key, form: { name: "too late" } });
    expect(late.status).toBe(403);
  });

  it("keeps the sudo window on the token that asked for it", async () => {
    const t = await newTenant();
    await fastly(t.baseUrl, "/sudo", { method: "POST", key, form: { password: alice.password } });
    const other = await fastly(t.baseUrl, "/tokens", {
      method: "POST",
      key: tokens.superuserBrowserSession.access_token,
      form: { name: "other token" },
    });
    expect(other.status).toBe(403);
  });

  it("refuses a read-only key with the read-only 403", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "POST",
      key: tokens.billingReadOnly.access_token,
      form: { name: "nope" },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ msg: "Read only tokens are not allowed to access this endpoint." });
  });

  it("refuses an invalid key with 401 rather than trying the password", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "POST",
      key: "Z".repeat(32),
      form: { username: alice.login, password: alice.password },
    });
    expect(answer.status).toBe(401);
  });
});
