import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly, type TokenBody } from "./fastly-call";

const { tokens, customers } = demo;
const READ_ONLY = { msg: "Read only tokens are not allowed to access this endpoint." };

describe("who may see and revoke which token", () => {
  it("lets a superuser read another user's token in the same account", async () => {
    const t = await newTenant();
    const answer = await fastly<TokenBody>(t.baseUrl, `/tokens/${tokens.userGlobal.id}`, {
      key: tokens.superuserGlobal.access_token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(tokens.userGlobal.id);
  });

  it("refuses a non-superuser another user's token in the same account with 403", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, `/tokens/${tokens.superuserGlobal.id}`, {
      key: tokens.userGlobal.access_token,
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ msg: "Insufficient permissions" });
  });

  it("answers 404 Token lookup failed for another account's token, even to a superuser", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, `/tokens/${tokens.globexUserPurgeSelect.id}`, {
      key: tokens.superuserGlobal.access_token,
    });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ msg: "Token lookup failed" });
  });

  it("answers 404 for an unknown id and for a revoked token", async () => {
    const t = await newTenant();
    const key = tokens.superuserGlobal.access_token;
    expect((await fastly(t.baseUrl, "/tokens/UnknownTokenId00000000", { key })).status).toBe(404);
    expect((await fastly(t.baseUrl, `/tokens/${tokens.userRevoked.id}`, { key })).body).toEqual({
      msg: "Token lookup failed",
    });
  });

  it("lets a user read their own token by id", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, `/tokens/${tokens.userNeverUsed.id}`, { key: tokens.userGlobal.access_token });
    expect(answer.status).toBe(200);
  });

  it("lists a customer's tokens only for a superuser of that customer", async () => {
    const t = await newTenant();
    const path = `/customer/${customers.acme.id}/tokens`;
    const asSuperuser = await fastly<TokenBody[]>(t.baseUrl, path, { key: tokens.superuserGlobal.access_token });
    expect(asSuperuser.status).toBe(200);
    expect(new Set(asSuperuser.body.map((token) => token.customer_id))).toEqual(new Set([customers.acme.id]));
    expect(asSuperuser.body.map((token) => token.id)).toContain(tokens.engineerGlobal.id);
    expect((await fastly(t.baseUrl, path, { key: tokens.engineerGlobal.access_token })).status).toBe(403);
    expect((await fastly(t.baseUrl, path, { key: tokens.globexSuperuserGlobal.access_token })).status).toBe(403);
  });

  it("refuses a global:read token on a write endpoint with the read-only message", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, `/tokens/${tokens.engineerReadOnly.id}`, {
      method: "DELETE",
      key: tokens.engineerReadOnly.access_token,
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual(READ_ONLY);
    expect((await fastly(t.baseUrl, "/tokens/self", { key: tokens.engineerReadOnly.access_token })).status).toBe(200);
  });

  it("treats a multi-scope token without global as read-only for writes", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/sudo", {
      method: "POST",
      key: tokens.userMultiScope.access_token,
      form: { password: demo.users.acmeUser.password },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual(READ_ONLY);
  });

  it("lets global:read tokens list their user's tokens", async () => {
    const t = await newTenant();
    const answer = await fastly<TokenBody[]>(t.baseUrl, "/tokens", { key: tokens.billingReadOnly.access_token });
    expect(answer.status).toBe(200);
    expect(answer.body.map((token) => token.id)).toEqual([tokens.billingReadOnly.id]);
  });

  it("limits a purge-only token to /tokens/self", async () => {
    const t = await newTenant();
    const key = tokens.engineerPurgeSelect.access_token;
    expect((await fastly(t.baseUrl, "/tokens/self", { key })).status).toBe(200);
    const list = await fastly(t.baseUrl, "/tokens", { key });
    expect(list.status).toBe(403);
    expect(list.body).toMatchObject({ msg: "Insufficient permissions" });
    expect((await fastly(t.baseUrl, `/tokens/${tokens.engineerPurgeSelect.id}`, { key })).status).toBe(403);
    expect((await fastly(t.baseUrl, "/tokens/self", { method: "DELETE", key })).status).toBe(204);
    expect((await fastly(t.baseUrl, "/tokens/self", { key })).status).toBe(401);
  });

  it("lets a global:read token revoke itself through /tokens/self", async () => {
    const t = await newTenant();
    const key = tokens.billingReadOnly.access_token;
    expect((await fastly(t.baseUrl, "/tokens/self", { method: "DELETE", key })).status).toBe(204);
    expect((await fastly(t.baseUrl, "/tokens/self", { key })).status).toBe(401);
  });
});
