import { describe, expect, it } from "vitest";
import { FastlyApiError, FastlyClient } from "../../src/fastly";
import { demo, newTenant } from "../helpers";
import { clientFor, rejection } from "./emulator-client";

const { tokens, users } = demo;

// node:util is there at runtime (nodejs_compat) but the project has no Node typings, hence the typed dynamic import.
const nodeUtil = "node:util";
const { inspect } = (await import(/* @vite-ignore */ nodeUtil)) as {
  inspect: (value: unknown, options?: { depth?: number; showHidden?: boolean }) => string;
};

/** Every way an error tends to reach a log line. */
function views(err: unknown): string {
  const e = err as Error;
  return [e.message, String(e), e.stack ?? "", JSON.stringify(e), inspect(e, { depth: 5, showHidden: true })].join("\n");
}

function expectClean(err: unknown, secrets: string[]): void {
  expect(err).toBeInstanceOf(FastlyApiError);
  const text = views(err);
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
  }
  expect(text).toContain("[REDACTED]");
}

describe("secrets never reach an error", () => {
  it("redacts the API key when Fastly echoes it in msg, detail and body", async () => {
    const t = await newTenant();
    const key = tokens.userGlobal.access_token;
    await t.addFault({
      path: "/tokens/self",
      status: 401,
      body: { msg: `Key ${key} is not valid`, detail: `received Fastly-Key: ${encodeURIComponent(key)}` },
    });
    const { client } = clientFor(t, key);
    const err = (await rejection(client.getTokenCurrent())) as FastlyApiError;
    expectClean(err, [key]);
    expect(err.msg).toBe("Key [REDACTED] is not valid");
  });

  it("redacts a per-call key and the client's own key alike", async () => {
    const t = await newTenant();
    const own = tokens.superuserGlobal.access_token;
    const leaked = tokens.userGlobal.access_token;
    await t.addFault({ path: "/tokens/self", status: 400, headers: { "content-type": "text/plain" }, body: `${own} / ${leaked}` });
    const { client } = clientFor(t, own);
    expectClean(await rejection(client.getTokenCurrent({ apiKey: leaked })), [own, leaked]);
  });

  it("redacts the password and OTP of createToken, even form-encoded", async () => {
    const t = await newTenant();
    const password = "s3cret pass&word";
    const otp = "987654";
    const form = new URLSearchParams({ password }).toString();
    await t.addFault({
      method: "POST",
      path: "/tokens",
      status: 400,
      body: { code: "invalid_grant", msg: `bad password ${password}`, detail: `otp=${otp}; echoed body: ${form}` },
    });
    const { client } = clientFor(t);
    const err = await rejection(client.createToken({ username: users.acmeUser.login, password, otp }));
    expectClean(err, [password, otp, form.slice("password=".length)]);
    expect((err as FastlyApiError).code).toBe("invalid_grant");
  });

  it("redacts the sudo password", async () => {
    const t = await newTenant();
    const password = users.acmeSuperuser.password;
    await t.addFault({ path: "/sudo", status: 403, body: { msg: `The password ${password} is not correct.` } });
    const { client } = clientFor(t, tokens.superuserGlobal.access_token);
    expectClean(await rejection(client.sudo({ password })), [password, tokens.superuserGlobal.access_token]);
  });

  it("redacts an access_token from a created-token body that fails validation", async () => {
    const t = await newTenant();
    const accessToken = "QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J";
    await t.addFault({
      method: "POST",
      path: "/tokens",
      status: 200,
      body: { id: 42, name: "broken", access_token: accessToken, note: `token is ${accessToken}` },
    });
    const { client } = clientFor(t);
    const err = (await rejection(
      client.createToken({ username: users.acmeUser.login, password: users.acmeUser.password }),
    )) as FastlyApiError;
    expect(err.msg).toBe("Unexpected response body from Fastly");
    expectClean(err, [accessToken, users.acmeUser.password]);
  });

  it("redacts an access_token found in an error body", async () => {
    const t = await newTenant();
    const accessToken = "X-srxc_zLpchro9ngNBVgyofN_jqQFJ2";
    await t.addFault({ path: "/tokens", method: "GET", status: 500, body: { msg: `leaked ${accessToken}`, access_token: accessToken } });
    const { client } = clientFor(t, tokens.userGlobal.access_token);
    expectClean(await rejection(client.listTokensUser()), [accessToken]);
  });

  it("keeps a leaked token used as the key out of a real 401", async () => {
    const t = await newTenant();
    const leaked = tokens.userRevoked.access_token;
    const { client } = clientFor(t, leaked);
    const err = (await rejection(client.getTokenCurrent())) as FastlyApiError;
    expect(err.status).toBe(401);
    expect(views(err)).not.toContain(leaked);
  });

  it("keeps the key out of network errors and timeouts", async () => {
    const t = await newTenant();
    const key = tokens.userGlobal.access_token;
    await t.addFault({ path: "/tokens/self", drop: true });
    await t.addFault({ path: "/tokens", method: "GET", delayMs: 2000 });
    const { client } = clientFor(t, key, { retries: 0, timeoutMs: 50 });
    const network = await rejection(client.getTokenCurrent());
    const timeout = await rejection(client.listTokensUser());
    expect((network as FastlyApiError).kind).toBe("network");
    expect((timeout as FastlyApiError).kind).toBe("timeout");
    expect(views(network) + views(timeout)).not.toContain(key);
  });

  it("keeps the key out of the client itself when it is logged", () => {
    const key = tokens.superuserGlobal.access_token;
    const client = new FastlyClient({ apiKey: key });
    const text = [JSON.stringify(client), String(client), inspect(client, { depth: 5, showHidden: true })].join("\n");
    expect(text).not.toContain(key);
  });
});
