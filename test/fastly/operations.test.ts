import { describe, expect, it } from "vitest";
import { FastlyApiError, TokenResponseSchema } from "../../src/fastly";
import { demo, newTenant } from "../helpers";
import { clientFor, rejection } from "./emulator-client";

const { tokens, users, customers, services } = demo;

describe("operations against the emulator", () => {
  it("gets the current token with its metadata", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const token = await client.getTokenCurrent();
    expect(token.id).toBe(tokens.superuserGlobal.id);
    expect(token.user_id).toBe(users.acmeSuperuser.id);
    expect(token.customer_id).toBe(customers.acme.id);
    expect(token.scope).toBe("global");
    expect(token).not.toHaveProperty("access_token");
  });

  it("accepts multi-scope strings and keeps fields it does not know", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userMultiScope.access_token);
    const token = await client.getTokenCurrent();
    expect(token.scope).toBe("global:read purge_select");
    expect(token.services).toEqual([services.acmeWww.id]);
    expect(TokenResponseSchema.safeParse(token).success).toBe(true);
  });

  it("gets a token by id, including one whose usage fields are null", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    const token = await client.getToken({ token_id: tokens.userNeverUsed.id });
    expect(token.id).toBe(tokens.userNeverUsed.id);
    expect(token.last_used_at).toBeNull();
    expect(token.ip).toBeNull();
    expect(token.user_agent).toBeNull();
  });

  it("lists the user's tokens without the revoked one", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    const list = await client.listTokensUser();
    const ids = list.map((tok) => tok.id);
    expect(ids).toContain(tokens.userGlobal.id);
    expect(ids).toContain(tokens.userMultiScope.id);
    expect(ids).not.toContain(tokens.userRevoked.id);
    expect(ids).not.toContain(tokens.engineerGlobal.id);
  });

  it("lists a customer's tokens for its superuser", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const list = await client.listTokensCustomer({ customer_id: customers.acme.id });
    const ids = list.map((tok) => tok.id);
    expect(ids).toEqual(expect.arrayContaining([tokens.superuserGlobal.id, tokens.engineerGlobal.id, tokens.userGlobal.id]));
    expect(ids).not.toContain(tokens.globexSuperuserGlobal.id);
  });

  it("creates a token with username and password, and the new token works", async () => {
    const t = await newTenant();
    const { client } = clientFor(t);
    const created = await client.createToken({
      username: users.acmeUser.login,
      password: users.acmeUser.password,
      name: "created by the client",
      scope: ["global:read", "purge_select"],
      services: [services.acmeWww.id, services.acmeApi.id],
      expires_at: new Date(Date.now() + 7 * 86_400_000),
    });
    expect(created.access_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(created.name).toBe("created by the client");
    expect(created.scope).toBe("global:read purge_select");
    expect(created.services).toEqual([services.acmeWww.id, services.acmeApi.id]);
    const self = await client.withKey(created.access_token!).getTokenCurrent();
    expect(self.id).toBe(created.id);
    const [call] = await t.calls();
    expect(call).toMatchObject({ method: "POST", path: "/tokens", keyHash: null, contentType: "application/x-www-form-urlencoded" });
  });

  it("creates a token for a two-factor user when the OTP is sent", async () => {
    const t = await newTenant();
    const { client } = clientFor(t);
    const created = await client.createToken({
      username: users.acmeTwoFactorUser.login,
      password: users.acmeTwoFactorUser.password,
      otp: users.acmeTwoFactorUser.otp!,
      name: "2fa",
    });
    expect(created.user_id).toBe(users.acmeTwoFactorUser.id);
    const [call] = await t.calls();
    expect(call?.otp).toBe(true);
  });

  it("opens a sudo window and then creates a token with the key", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const sudo = await client.sudo({ password: users.acmeSuperuser.password });
    expect(Date.parse(sudo.expiry_time ?? "")).toBeGreaterThan(0);
    const created = await client.createToken({ name: "via sudo", scope: "global" });
    expect(created.user_id).toBe(users.acmeSuperuser.id);
    expect(created.access_token).toBeTruthy();
  });

  it("revokes a token by id, after which it is gone", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    await expect(client.revokeToken({ token_id: tokens.userLongUnused.id })).resolves.toBeUndefined();
    const err = await rejection(client.getToken({ token_id: tokens.userLongUnused.id }));
    expect(err).toBeInstanceOf(FastlyApiError);
    expect((err as FastlyApiError).status).toBe(404);
  });

  it("revokes the current token, after which the key is refused", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userNeverUsed.access_token);
    await expect(client.revokeTokenCurrent()).resolves.toBeUndefined();
    const err = (await rejection(client.getTokenCurrent())) as FastlyApiError;
    expect(err.status).toBe(401);
  });

  it("revokes tokens in bulk from ids and from a JSON:API body", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    await client.bulkRevokeTokens({ token_ids: [tokens.userNeverUsed.id, tokens.userLongUnused.id] });
    await client.bulkRevokeTokens({ request_body: { data: [{ id: tokens.userMultiScope.id, type: "token" }] } });
    const state = await t.tokens();
    const revoked = (id: string) => state.find((tok) => tok.id === id)?.revoked;
    expect(revoked(tokens.userNeverUsed.id)).toBe(true);
    expect(revoked(tokens.userLongUnused.id)).toBe(true);
    expect(revoked(tokens.userMultiScope.id)).toBe(true);
    expect(revoked(tokens.userGlobal.id)).toBe(false);
    const calls = await t.calls();
    expect(calls.map((c) => `${c.method} ${c.status} ${c.contentType}`)).toEqual([
      "DELETE 204 application/vnd.api+json; ext=bulk",
      "DELETE 204 application/vnd.api+json; ext=bulk",
    ]);
  });

  it("sends its User-Agent, which Fastly records as the token's user_agent", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.engineerGlobal.access_token, { userAgent: "client-tests/1.0" });
    const token = await client.getTokenCurrent();
    expect(token.user_agent).toBe("client-tests/1.0");
  });
});
