import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly } from "./fastly-call";

const { tokens, users } = demo;
const RATE_LIMITED = {
  msg: "You have exceeded your hourly rate limit. Please contact support@fastly.com if you think this is a mistake.",
};

function rate(headers: Headers) {
  return {
    remaining: headers.get("fastly-ratelimit-remaining"),
    reset: headers.get("fastly-ratelimit-reset"),
  };
}

describe("hourly rate limit", () => {
  it("sends the rate-limit headers on a successful write, with the next top of the hour as reset", async () => {
    const t = await newTenant();
    await t.setClock("2030-11-02T18:46:13Z");
    const answer = await fastly(t.baseUrl, "/tokens/self", { method: "DELETE", key: tokens.userGlobal.access_token });
    expect(answer.status).toBe(204);
    expect(rate(answer.headers)).toEqual({
      remaining: "999",
      reset: String(Date.parse("2030-11-02T19:00:00Z") / 1000),
    });
  });

  it("sends them on write errors too", async () => {
    const t = await newTenant();
    const notFound = await fastly(t.baseUrl, "/tokens/NoSuchToken00000000000", {
      method: "DELETE",
      key: tokens.userGlobal.access_token,
    });
    expect(notFound.status).toBe(404);
    expect(rate(notFound.headers).remaining).toBe("999");
    const unauthenticated = await fastly(t.baseUrl, "/tokens/self", { method: "DELETE" });
    expect(unauthenticated.status).toBe(401);
    expect(rate(unauthenticated.headers).remaining).toMatch(/^\d+$/);
  });

  it("never sends them on reads", async () => {
    const t = await newTenant();
    const ok = await fastly(t.baseUrl, "/tokens", { key: tokens.userGlobal.access_token });
    const denied = await fastly(t.baseUrl, "/tokens");
    for (const answer of [ok, denied]) expect(rate(answer.headers)).toEqual({ remaining: null, reset: null });
  });

  it("shares one allowance among all of a user's tokens and counts sudo", async () => {
    const t = await newTenant();
    const first = await fastly(t.baseUrl, "/sudo", {
      method: "POST",
      key: tokens.userGlobal.access_token,
      form: { password: users.acmeUser.password },
    });
    expect(rate(first.headers).remaining).toBe("999");
    const second = await fastly(t.baseUrl, `/tokens/${tokens.userLongUnused.id}`, {
      method: "DELETE",
      key: tokens.userNeverUsed.access_token,
    });
    expect(rate(second.headers).remaining).toBe("998");
    const otherUser = await fastly(t.baseUrl, "/tokens/self", { method: "DELETE", key: tokens.engineerGlobal.access_token });
    expect(rate(otherUser.headers).remaining).toBe("999");
  });

  it("answers 429 with Fastly's message once the configured limit is spent, and leaves state alone", async () => {
    const t = await newTenant();
    await t.configure({ rateLimit: 2 });
    const key = tokens.superuserGlobal.access_token;
    for (const id of [tokens.userNeverUsed.id, tokens.userLongUnused.id]) {
      expect((await fastly(t.baseUrl, `/tokens/${id}`, { method: "DELETE", key })).status).toBe(204);
    }
    const limited = await fastly(t.baseUrl, `/tokens/${tokens.engineerGlobal.id}`, { method: "DELETE", key });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(RATE_LIMITED);
    expect(rate(limited.headers).remaining).toBe("0");
    expect((await fastly(t.baseUrl, "/tokens/self", { key: tokens.engineerGlobal.access_token })).status).toBe(200);
  });

  it("opens a fresh window at the next top of the hour", async () => {
    const t = await newTenant();
    await t.setClock("2030-01-01T10:59:00Z");
    await t.configure({ rateLimit: 1 });
    const key = tokens.superuserGlobal.access_token;
    const call = { method: "DELETE", key };
    expect((await fastly(t.baseUrl, `/tokens/${tokens.userNeverUsed.id}`, call)).status).toBe(204);
    expect((await fastly(t.baseUrl, `/tokens/${tokens.userLongUnused.id}`, call)).status).toBe(429);
    await t.advanceClock(60);
    const next = await fastly(t.baseUrl, `/tokens/${tokens.userLongUnused.id}`, call);
    expect(next.status).toBe(204);
    expect(rate(next.headers)).toEqual({ remaining: "0", reset: String(Date.parse("2030-01-01T12:00:00Z") / 1000) });
  });

  it("charges password logins to the user they name", async () => {
    const t = await newTenant();
    await t.configure({ rateLimit: 1 });
    const alice = users.acmeSuperuser;
    const form = { username: alice.login, password: alice.password, name: "limited" };
    expect((await fastly(t.baseUrl, "/tokens", { method: "POST", form })).status).toBe(200);
    const limited = await fastly(t.baseUrl, "/tokens", { method: "POST", form });
    expect(limited.status).toBe(429);
    const sameUserByKey = await fastly(t.baseUrl, "/tokens/self", {
      method: "DELETE",
      key: tokens.superuserGlobal.access_token,
    });
    expect(sameUserByKey.status).toBe(429);
  });
});
