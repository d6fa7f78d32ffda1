import { describe, expect, it } from "vitest";
import type { FastlyApiError } from "../../src/fastly";
import { demo, newTenant } from "../helpers";
import { clientFor, rejection } from "./emulator-client";

const { tokens } = demo;

describe("rate-limit figures", () => {
  it("knows nothing before a write, and GET responses do not change that", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    expect(client.rateLimit).toEqual({ remaining: null, reset: null });
    await client.listTokensUser();
    expect(client.rateLimit).toEqual({ remaining: null, reset: null });
  });

  it("records the figures of each non-GET response, successes and errors alike", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    await client.revokeToken({ token_id: tokens.userNeverUsed.id });
    const afterSuccess = client.rateLimit;
    expect(afterSuccess.remaining).toBe(999);
    expect(afterSuccess.reset! % 3600).toBe(0);
    const err = (await rejection(client.revokeToken({ token_id: tokens.userNeverUsed.id }))) as FastlyApiError;
    expect(err.status).toBe(404);
    expect(err.rateLimit).toEqual({ remaining: 998, reset: afterSuccess.reset });
    expect(client.rateLimit).toEqual({ remaining: 998, reset: afterSuccess.reset });
  });

  it("ignores rate-limit headers on GET responses", async () => {
    const t = await newTenant();
    await t.addFault({
      method: "GET",
      path: "/tokens/self",
      status: 200,
      body: { id: "x" },
      headers: { "Fastly-RateLimit-Remaining": "5", "Fastly-RateLimit-Reset": "1900000000" },
    });
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    await client.getTokenCurrent();
    expect(client.rateLimit).toEqual({ remaining: null, reset: null });
  });

  it("starts a withKey client with empty figures, since the key may be another user's", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    await client.revokeToken({ token_id: tokens.userNeverUsed.id });
    expect(client.rateLimit.remaining).toBe(999);
    expect(client.withKey(tokens.engineerGlobal.access_token).rateLimit).toEqual({ remaining: null, reset: null });
  });
});

describe("opt-in wait on 429", () => {
  it("waits until the window resets and retries a DELETE once", async () => {
    const t = await newTenant();
    await t.configure({ rateLimit: 1 });
    const sleeps: number[] = [];
    const { client } = clientFor(t, tokens.userGlobal.access_token, {
      rateLimitWait: { maxWaitMs: 3_600_000 },
      // Instead of really waiting, move the emulator's clock past the reset.
      sleep: async (ms) => {
        sleeps.push(ms);
        await t.advanceClock(Math.ceil(ms / 1000) + 1);
      },
    });
    await client.revokeToken({ token_id: tokens.userNeverUsed.id });
    await client.revokeToken({ token_id: tokens.userLongUnused.id });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeLessThanOrEqual(3_600_000);
    expect((await t.calls()).map((c) => c.status)).toEqual([204, 429, 204]);
  });

  it("waits for the reset a 429 on a GET announces", async () => {
    const t = await newTenant();
    const reset = Math.floor(Date.now() / 1000) + 5;
    await t.addFault({
      method: "GET",
      path: "/tokens/self",
      status: 429,
      body: { msg: "You have exceeded your hourly rate limit." },
      headers: { "Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": String(reset) },
    });
    const { client, sleeps } = clientFor(t, tokens.userGlobal.access_token, { rateLimitWait: { maxWaitMs: 60_000 } });
    const token = await client.getTokenCurrent();
    expect(token.id).toBe(tokens.userGlobal.id);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(0);
    expect(sleeps[0]).toBeLessThanOrEqual(5000);
  });

  it("does not wait when the reset is further away than maxWaitMs", async () => {
    const t = await newTenant();
    const reset = Math.floor(Date.now() / 1000) + 600;
    await t.addFault({
      method: "DELETE",
      path: "/tokens/self",
      status: 429,
      body: { msg: "You have exceeded your hourly rate limit." },
      headers: { "Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": String(reset) },
    });
    const { client, sleeps } = clientFor(t, tokens.userGlobal.access_token, { rateLimitWait: { maxWaitMs: 60_000 } });
    const err = (await rejection(client.revokeTokenCurrent())) as FastlyApiError;
    expect(err.status).toBe(429);
    expect(err.rateLimit).toEqual({ remaining: 0, reset });
    expect(sleeps).toHaveLength(0);
  });

  it("does not wait or retry a POST on 429", async () => {
    const t = await newTenant();
    const reset = Math.floor(Date.now() / 1000) + 1;
    await t.addFault({
      method: "POST",
      path: "/sudo",
      status: 429,
      headers: { "Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": String(reset) },
    });
    const { client, sleeps } = clientFor(t, tokens.superuserGlobal.access_token, { rateLimitWait: { maxWaitMs: 60_000 } });
    const err = (await rejection(client.sudo({ password: demo.users.acmeSuperuser.password }))) as FastlyApiError;
    expect(err.status).toBe(429);
    expect(sleeps).toHaveLength(0);
    expect(await t.calls()).toHaveLength(1);
  });

  it("does not wait on 429 unless asked to", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", status: 429, headers: { "Fastly-RateLimit-Reset": String(Math.floor(Date.now() / 1000)) } });
    const { client, sleeps } = clientFor(t, tokens.userGlobal.access_token);
    expect(((await rejection(client.getTokenCurrent())) as FastlyApiError).status).toBe(429);
    expect(sleeps).toHaveLength(0);
  });
});
