import { describe, expect, it } from "vitest";
import { FastlyApiError } from "../../src/fastly";
import { demo, newTenant } from "../helpers";
import { clientFor, rejection } from "./emulator-client";

const { tokens, users } = demo;

describe("retries", () => {
  it("retries a GET after two 503s and succeeds on the third call, backing off with jitter", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", status: 503, count: 2 });
    const { client, sleeps } = clientFor(t, tokens.superuserGlobal.access_token);
    const token = await client.getTokenCurrent();
    expect(token.id).toBe(tokens.superuserGlobal.id);
    const calls = await t.calls();
    expect(calls.map((c) => c.status)).toEqual([503, 503, 200]);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(sleeps[0]).toBeLessThan(200);
    expect(sleeps[1]).toBeLessThan(400);
  });

  it("gives up after the configured retries and reports the last status", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens", status: 504, count: 10 });
    const { client, sleeps } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = (await rejection(client.listTokensUser())) as FastlyApiError;
    expect(err).toBeInstanceOf(FastlyApiError);
    expect(err).toMatchObject({ status: 504, kind: "http", retryable: true, attempts: 3 });
    expect(await t.calls()).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it("does not retry when retries is 0", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", status: 502, count: 5 });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token, { retries: 0 });
    const err = (await rejection(client.getTokenCurrent())) as FastlyApiError;
    expect(err.attempts).toBe(1);
    expect(await t.calls()).toHaveLength(1);
  });

  it("does not retry a 500, which usually means the request itself is bad", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", status: 500, count: 5 });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    await rejection(client.getTokenCurrent());
    expect(await t.calls()).toHaveLength(1);
  });

  it("never retries a POST, not even on 503", async () => {
    const t = await newTenant();
    await t.addFault({ method: "POST", path: "/tokens", status: 503, count: 5 });
    const { client, sleeps } = clientFor(t);
    const err = (await rejection(
      client.createToken({ username: users.acmeUser.login, password: users.acmeUser.password }),
    )) as FastlyApiError;
    expect(err).toMatchObject({ status: 503, retryable: true, attempts: 1 });
    expect(await t.calls()).toHaveLength(1);
    expect(sleeps).toHaveLength(0);
  });

  it("never retries a POST whose connection dropped", async () => {
    const t = await newTenant();
    await t.addFault({ method: "POST", path: "/sudo", drop: true, count: 5 });
    const { client, sleeps } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = (await rejection(client.sudo({ password: users.acmeSuperuser.password }))) as FastlyApiError;
    expect(err).toMatchObject({ status: 0, kind: "network", retryable: true, attempts: 1 });
    expect(await t.calls()).toHaveLength(1);
    expect(sleeps).toHaveLength(0);
  });

  it("retries a DELETE whose connection dropped, and the token ends up revoked", async () => {
    const t = await newTenant();
    const path = `/tokens/${tokens.userLongUnused.id}`;
    await t.addFault({ method: "DELETE", path, drop: true });
    const { client, sleeps } = clientFor(t, tokens.userGlobal.access_token);
    await client.revokeToken({ token_id: tokens.userLongUnused.id });
    const calls = await t.calls();
    expect(calls.map((c) => [c.path, c.status])).toEqual([
      [path, null],
      [path, 204],
    ]);
    expect(sleeps).toHaveLength(1);
    expect((await t.tokens()).find((tok) => tok.id === tokens.userLongUnused.id)?.revoked).toBe(true);
  });

  it("waits the Retry-After a 503 asks for when it is within the backoff cap", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", status: 503, headers: { "Retry-After": "1" } });
    const { client, sleeps } = clientFor(t, tokens.superuserGlobal.access_token);
    await client.getTokenCurrent();
    expect(sleeps).toEqual([1000]);
  });

  it("gives up at once when Retry-After asks for longer than the backoff cap", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", status: 503, headers: { "Retry-After": "30" } });
    const { client, sleeps } = clientFor(t, tokens.superuserGlobal.access_token);
    const err = (await rejection(client.getTokenCurrent())) as FastlyApiError;
    expect(err.status).toBe(503);
    expect(sleeps).toEqual([]);
  });
});

describe("timeouts and cancellation", () => {
  it("reports a timeout when Fastly is slower than timeoutMs", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", delayMs: 2000 });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token, { timeoutMs: 50, retries: 0 });
    const err = (await rejection(client.getTokenCurrent())) as FastlyApiError;
    expect(err).toBeInstanceOf(FastlyApiError);
    expect(err).toMatchObject({ kind: "timeout", status: 0, retryable: true, attempts: 1 });
    expect(err.message).toContain("timed out after 50 ms");
  });

  it("honours a per-call timeout override", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens", delayMs: 2000 });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token, { retries: 0 });
    const err = (await rejection(client.listTokensUser({ timeoutMs: 50 }))) as FastlyApiError;
    expect(err.kind).toBe("timeout");
  });

  it("retries a GET that timed out and succeeds on the next attempt", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", delayMs: 5000 });
    const { client, sleeps } = clientFor(t, tokens.superuserGlobal.access_token, { timeoutMs: 1000 });
    const token = await client.getTokenCurrent();
    expect(token.id).toBe(tokens.superuserGlobal.id);
    expect(sleeps).toHaveLength(1);
  });

  it("rejects with the caller's own reason when the caller aborts, without retrying", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", delayMs: 2000, count: 5 });
    const { client, sleeps } = clientFor(t, tokens.superuserGlobal.access_token);
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    setTimeout(() => controller.abort(reason), 30);
    const err = await rejection(client.getTokenCurrent({ signal: controller.signal }));
    expect(err).toBe(reason);
    expect(sleeps).toHaveLength(0);
  });

  it("sends nothing when the caller's signal is already aborted", async () => {
    const t = await newTenant();
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    const reason = new Error("already cancelled");
    const err = await rejection(client.revokeTokenCurrent({ signal: AbortSignal.abort(reason) }));
    expect(err).toBe(reason);
    expect(await t.calls()).toHaveLength(0);
  });

  it("stops backing off as soon as the caller aborts", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", status: 503, count: 5 });
    const controller = new AbortController();
    const reason = new Error("stop retrying");
    const { client } = clientFor(t, tokens.superuserGlobal.access_token, {
      // A sleep that never ends on its own: only the abort can end the backoff.
      sleep: () => {
        controller.abort(reason);
        return new Promise<void>(() => {});
      },
    });
    expect(await rejection(client.getTokenCurrent({ signal: controller.signal }))).toBe(reason);
    expect(await t.calls()).toHaveLength(1);
  });
});
