import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../emulator/random";
import { demo, newTenant } from "../helpers";
import { fastly } from "./fastly-call";

const { tokens } = demo;

describe("call log", () => {
  it("records each Fastly call with the key only as its SHA-256", async () => {
    const t = await newTenant();
    const key = tokens.userGlobal.access_token;
    await fastly(t.baseUrl, "/tokens?x=1", { key, headers: { "User-Agent": "log-test/1" } });
    const calls = await t.calls();
    expect(calls).toEqual([
      {
        method: "GET",
        path: "/tokens",
        query: "x=1",
        keyHash: await sha256Hex(key),
        userAgent: "log-test/1",
        contentType: null,
        otp: false,
        status: 200,
        at: expect.stringMatching(/Z$/),
        faulted: false,
      },
    ]);
    expect(JSON.stringify(calls)).not.toContain(key);
  });

  it("records whether an OTP was sent but never its value, nor the password", async () => {
    const t = await newTenant();
    const erin = demo.users.acmeTwoFactorUser;
    await fastly(t.baseUrl, "/tokens", {
      method: "POST",
      form: { username: erin.login, password: erin.password },
      headers: { "Fastly-OTP": "987654" },
    });
    const calls = await t.calls();
    expect(calls[0]).toMatchObject({
      method: "POST",
      otp: true,
      status: 400,
      keyHash: null,
      contentType: "application/x-www-form-urlencoded",
    });
    expect(JSON.stringify(calls)).not.toContain("987654");
    expect(JSON.stringify(calls)).not.toContain(erin.password);
  });

  it("leaves control calls out and can be cleared", async () => {
    const t = await newTenant();
    await fastly(t.baseUrl, "/tokens/self");
    await t.tokens();
    expect((await t.calls()).map((call) => call.path)).toEqual(["/tokens/self"]);
    await t.clearCalls();
    expect(await t.calls()).toEqual([]);
  });
});

describe("reset, clock, tokens and config", () => {
  it("resets to the seed: revoked tokens come back, faults and calls are cleared", async () => {
    const t = await newTenant();
    const key = tokens.engineerGlobal.access_token;
    await fastly(t.baseUrl, "/tokens/self", { method: "DELETE", key });
    await t.addFault({ path: "/tokens/self", status: 500 });
    await t.setClock("2040-01-01T00:00:00Z");
    await t.reset();
    expect((await fastly(t.baseUrl, "/tokens/self", { key })).status).toBe(200);
    expect((await t.calls()).length).toBe(1);
    const self = await fastly<{ last_used_at: string }>(t.baseUrl, "/tokens/self", { key });
    expect(self.body.last_used_at.startsWith("2040")).toBe(false);
  });

  it("freezes, advances and releases the clock", async () => {
    const t = await newTenant();
    const clock = `${t.baseUrl}/__emulator/clock`;
    await t.setClock("2030-06-01T00:00:00Z");
    await t.advanceClock(90);
    expect(await (await fetch(clock)).json()).toEqual({ now: "2030-06-01T00:01:30.000Z", frozen: true });
    await t.setClock(null);
    const real = (await (await fetch(clock)).json()) as { now: string; frozen: boolean };
    expect(real.frozen).toBe(false);
    expect(real.now.startsWith("2030-06-01")).toBe(false);
  });

  it("rejects a clock time that is not ISO 8601", async () => {
    const t = await newTenant();
    await expect(t.setClock("yesterday")).rejects.toThrow(/400/);
  });

  it("lists every token with revoked flags and hashes, never raw values", async () => {
    const t = await newTenant();
    const all = await t.tokens();
    expect(all).toHaveLength(Object.keys(tokens).length);
    const revoked = all.find((token) => token.id === tokens.userRevoked.id);
    expect(revoked).toMatchObject({ revoked: true, hash: await sha256Hex(tokens.userRevoked.access_token) });
    expect(all.find((token) => token.id === tokens.userGlobal.id)?.revoked).toBe(false);
    const text = JSON.stringify(all);
    for (const token of Object.values(tokens)) expect(text).not.toContain(token.access_token);
  });

  it("reads and changes the configuration", async () => {
    const t = await newTenant();
    const config = `${t.baseUrl}/__emulator/config`;
    expect(await (await fetch(config)).json()).toMatchObject({ rateLimit: 1000, unknownKeyStatus: 401 });
    await t.configure({ rateLimit: 5 });
    expect(await (await fetch(config)).json()).toMatchObject({ rateLimit: 5, unknownKeyStatus: 401 });
    await expect(t.configure({ unknownKeyStatus: 418 as 401 })).rejects.toThrow(/400/);
  });

  it("answers an unknown control route with a JSON 404 and does not log it", async () => {
    const t = await newTenant();
    const response = await fetch(`${t.baseUrl}/__emulator/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ msg: "Record not found" });
    expect(await t.calls()).toEqual([]);
  });
});
