import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly, type TokenBody } from "./fastly-call";

const alice = demo.users.acmeSuperuser;
const key = demo.tokens.superuserGlobal.access_token;
const DENIED = { msg: "The supplied username/password combination is not correct." };

describe("POST /sudo", () => {
  it("opens a five-minute window by default and answers its end with +00:00", async () => {
    const t = await newTenant();
    await t.setClock("2030-01-14T11:47:45Z");
    const answer = await fastly(t.baseUrl, "/sudo", { method: "POST", key, form: { password: alice.password } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ expiry_time: "2030-01-14T11:52:45+00:00" });
    const self = await fastly<TokenBody>(t.baseUrl, "/tokens/self", { key });
    expect(self.body.sudo_expires_at).toBe("2030-01-14T11:52:45Z");
  });

  it("accepts a JSON body with username, password and expiry_time", async () => {
    const t = await newTenant();
    await t.setClock("2030-01-01T00:00:00Z");
    const answer = await fastly(t.baseUrl, "/sudo", {
      method: "POST",
      key,
      json: { username: alice.login, password: alice.password, expiry_time: "2030-01-01T00:30:00Z" },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ expiry_time: "2030-01-01T00:30:00+00:00" });
  });

  it("refuses a wrong password with 403 and does not echo it", async () => {
    const t = await newTenant();
    const wrong = "definitely-wrong-sudo-password";
    const answer = await fastly(t.baseUrl, "/sudo", { method: "POST", key, form: { password: wrong } });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual(DENIED);
    expect(answer.text).not.toContain(wrong);
  });

  it("refuses a username that is not the token's user", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/sudo", {
      method: "POST",
      key,
      form: { username: demo.users.acmeEngineer.login, password: alice.password },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual(DENIED);
  });

  it("answers 400 when the password is missing", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/sudo", { method: "POST", key, form: { username: alice.login } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ msg: "Bad request" });
  });

  it("answers 400 for malformed JSON", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/sudo", {
      method: "POST",
      key,
      headers: { "content-type": "application/json" },
      body: "{password:",
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ msg: "Bad request", detail: expect.any(String) });
  });

  it("needs a valid key", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/sudo", { method: "POST", form: { password: alice.password } });
    expect(answer.status).toBe(401);
  });
});
