import { describe, expect, it } from "vitest";
import { FastlyApiError } from "../../src/fastly";
import { demo, newTenant } from "../helpers";
import { clientFor, rejection } from "./emulator-client";

const { tokens, users, customers } = demo;

async function apiError(promise: Promise<unknown>): Promise<FastlyApiError> {
  const err = await rejection(promise);
  expect(err).toBeInstanceOf(FastlyApiError);
  return err as FastlyApiError;
}

describe("documented Fastly errors", () => {
  it("reports 401 for an unknown key, with Fastly's message and the operation", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, "NotARealKey_0000000000000000000000");
    const err = await apiError(client.getTokenCurrent());
    expect(err).toMatchObject({
      status: 401,
      kind: "http",
      msg: "Provided credentials are missing or invalid",
      operation: "getTokenCurrent",
      method: "GET",
      path: "/tokens/self",
      retryable: false,
      attempts: 1,
    });
    expect(err.message).toContain("401 Provided credentials are missing or invalid");
  });

  it("reports 401 for an expired token", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userExpired.access_token);
    expect((await apiError(client.listTokensUser())).status).toBe(401);
  });

  it("reports 403 sudo when creating with a key outside a sudo window", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = await apiError(client.createToken({ name: "no sudo" }));
    expect(err).toMatchObject({ status: 403, msg: "You must POST /sudo to access this endpoint", method: "POST" });
  });

  it("reports 403 for a wrong sudo password", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = await apiError(client.sudo({ password: "not-the-password" }));
    expect(err.status).toBe(403);
    expect(err.msg).toBe("The supplied username/password combination is not correct.");
  });

  it("reports 403 when a read-only token calls a write endpoint", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.engineerReadOnly.access_token);
    const err = await apiError(client.revokeToken({ token_id: tokens.engineerPurgeSelect.id }));
    expect(err).toMatchObject({ status: 403, msg: "Read only tokens are not allowed to access this endpoint." });
  });

  it("reports 403 when a non-superuser lists a customer's tokens", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    expect((await apiError(client.listTokensCustomer({ customer_id: customers.acme.id }))).status).toBe(403);
  });

  it("reports 404 for an unknown token id", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = await apiError(client.getToken({ token_id: "AAAAAAAAAAAAAAAAAAAAAA" }));
    expect(err).toMatchObject({ status: 404, msg: "Token lookup failed", path: "/tokens/AAAAAAAAAAAAAAAAAAAAAA" });
    const revokeErr = await apiError(client.revokeToken({ token_id: tokens.userRevoked.id }));
    expect(revokeErr.status).toBe(404);
  });

  it("reports create's 400 invalid_grant for a wrong password", async () => {
    const t = await newTenant();
    const { client } = clientFor(t);
    const err = await apiError(client.createToken({ username: users.acmeUser.login, password: "wrong" }));
    expect(err).toMatchObject({ status: 400, code: "invalid_grant", retryable: false });
  });

  it("reports create's 400 2fa.verify when the OTP is missing or wrong", async () => {
    const t = await newTenant();
    const { client } = clientFor(t);
    const user = users.acmeTwoFactorUser;
    expect((await apiError(client.createToken({ username: user.login, password: user.password }))).code).toBe("2fa.verify");
    const wrong = await apiError(client.createToken({ username: user.login, password: user.password, otp: "000000" }));
    expect(wrong.code).toBe("2fa.verify");
  });

  it("reports create's 400 account_locked for a locked user", async () => {
    const t = await newTenant();
    const { client } = clientFor(t);
    const user = users.acmeLockedUser;
    expect((await apiError(client.createToken({ username: user.login, password: user.password }))).code).toBe(
      "account_locked",
    );
  });

  it("reports create's 400 invalid_request for an expiry in the past", async () => {
    const t = await newTenant();
    const { client } = clientFor(t);
    const err = await apiError(
      client.createToken({ username: users.acmeUser.login, password: users.acmeUser.password, expires_at: "2001-01-01T00:00:00Z" }),
    );
    expect(err.code).toBe("invalid_request");
  });

  it("reports a 422 for an expires_at Fastly cannot read", async () => {
    // The client refuses every malformed expires_at itself, so Fastly's 422 is served by a fault.
    const t = await newTenant();
    await t.addFault({
      method: "POST",
      path: "/tokens",
      status: 422,
      body: { msg: "The format of the date and time supplied to the expires_at parameter is invalid." },
    });
    const { client } = clientFor(t);
    const err = await apiError(
      client.createToken({ username: users.acmeUser.login, password: users.acmeUser.password, expires_at: "2030-01-01T00:00:00Z" }),
    );
    expect(err).toMatchObject({ status: 422, retryable: false });
    expect(err.msg).toContain("expires_at");
  });

  it("reports 429 with the rate-limit figures when the hourly budget is spent", async () => {
    const t = await newTenant();
    await t.configure({ rateLimit: 1 });
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    await client.revokeToken({ token_id: tokens.userNeverUsed.id });
    const err = await apiError(client.revokeToken({ token_id: tokens.userLongUnused.id }));
    expect(err.status).toBe(429);
    expect(err.retryable).toBe(true);
    expect(err.msg).toContain("exceeded your hourly rate limit");
    expect(err.rateLimit.remaining).toBe(0);
    expect(err.rateLimit.reset).toBeGreaterThan(Date.now() / 1000 - 3600);
    expect(err.rateLimit.reset! % 3600).toBe(0);
    expect(client.rateLimit).toEqual(err.rateLimit);
    expect(err.message).toContain(`rate limit resets at ${new Date(err.rateLimit.reset! * 1000).toISOString()}`);
  });
});

describe("error body styles", () => {
  it("parses a JSON:API error body", async () => {
    const t = await newTenant();
    await t.addFault({
      path: "/tokens",
      method: "DELETE",
      status: 400,
      headers: { "content-type": "application/vnd.api+json" },
      body: { errors: [{ title: "Bad request", detail: "id abc is unknown", code: "unknown_id" }, { title: "Invalid" }] },
    });
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    const err = await apiError(client.bulkRevokeTokens({ token_ids: ["abc"] }));
    expect(err).toMatchObject({ status: 400, msg: "Bad request; Invalid", detail: "id abc is unknown", code: "unknown_id" });
  });

  it("parses an application/problem+json body", async () => {
    const t = await newTenant();
    await t.addFault({
      path: "/sudo",
      status: 403,
      headers: { "content-type": "application/problem+json" },
      body: { type: "https://fastly.example/forbidden", title: "Forbidden", detail: "Sudo is not available", status: 403 },
    });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = await apiError(client.sudo({ password: users.acmeSuperuser.password }));
    expect(err).toMatchObject({ status: 403, msg: "Forbidden", detail: "Sudo is not available" });
  });

  it("parses the misspelled details key", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens/self", status: 404, body: { msg: "Record not found", details: "Couldn't find Token" } });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = await apiError(client.getTokenCurrent());
    expect(err).toMatchObject({ msg: "Record not found", detail: "Couldn't find Token" });
  });

  it("keeps a plain-text body as the message and the raw body", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens", method: "GET", status: 500, headers: { "content-type": "text/plain" }, body: "database on fire" });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = await apiError(client.listTokensUser());
    expect(err).toMatchObject({ status: 500, msg: "database on fire", body: "database on fire", retryable: true, attempts: 1 });
  });

  it("falls back to the status text for an empty body", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens/self", status: 418 });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = await apiError(client.getTokenCurrent());
    expect(err.status).toBe(418);
    expect(err.msg).toMatch(/teapot|HTTP 418/i);
  });

  it("truncates a huge error body to 2 KB", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens/self", status: 400, headers: { "content-type": "text/plain" }, body: "x".repeat(10_000) });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = await apiError(client.getTokenCurrent());
    expect(err.body!.length).toBeLessThan(2100);
    expect(err.msg.length).toBeLessThan(600);
  });
});

describe("response validation", () => {
  it("turns a body that does not match the schema into an http error with a clear message", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens/self", status: 200, body: { id: 12345, scope: ["global"] } });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = await apiError(client.getTokenCurrent());
    expect(err).toMatchObject({ status: 200, kind: "http", msg: "Unexpected response body from Fastly", retryable: false });
    expect(err.detail).toContain("id");
  });

  it("turns a non-JSON success body into an http error", async () => {
    const t = await newTenant();
    await t.addFault({ path: "/tokens", method: "GET", status: 200, headers: { "content-type": "text/html" }, body: "<html>captive portal</html>" });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = await apiError(client.listTokensUser());
    expect(err).toMatchObject({ status: 200, kind: "http", detail: "the body is not JSON" });
  });

  it("accepts nulls in nullable fields and unknown extra fields", async () => {
    const t = await newTenant();
    await t.addFault({
      path: "/tokens/self",
      status: 200,
      body: { id: "x", name: null, expires_at: null, service_id: null, scope: "global:read global", brand_new_field: { a: 1 } },
    });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const token = await client.getTokenCurrent();
    expect(token).toMatchObject({ id: "x", name: null, scope: "global:read global", brand_new_field: { a: 1 } });
  });
});
