import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly } from "./fastly-call";

const INVALID = { msg: "Provided credentials are missing or invalid" };

describe("Fastly-Key authentication", () => {
  it("answers 401 with Fastly's message when the key is missing", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens/self");
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
  });

  it("answers 401 for a well-formed key that was never issued", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", { key: "A".repeat(32) });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
  });

  it("answers an unknown key with 403 once configured to", async () => {
    const t = await newTenant();
    await t.configure({ unknownKeyStatus: 403 });
    const answer = await fastly(t.baseUrl, "/tokens/self", { key: "B".repeat(32) });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual(INVALID);
  });

  it("answers 401 for an expired token", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens/self", { key: demo.tokens.userExpired.access_token });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
  });

  it("expires a token once the clock passes its expires_at", async () => {
    const t = await newTenant();
    const key = demo.tokens.engineerExpiringSoon.access_token;
    expect((await fastly(t.baseUrl, "/tokens/self", { key })).status).toBe(200);
    await t.advanceClock(3 * 86_400);
    expect((await fastly(t.baseUrl, "/tokens/self", { key })).status).toBe(401);
  });

  it("answers 401 for a revoked token even when unknown keys are configured as 403", async () => {
    const t = await newTenant();
    await t.configure({ unknownKeyStatus: 403 });
    const answer = await fastly(t.baseUrl, "/tokens/self", { key: demo.tokens.userRevoked.access_token });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
  });

  it("accepts a live key and names its token", async () => {
    const t = await newTenant();
    const answer = await fastly<{ id: string }>(t.baseUrl, "/tokens/self", {
      key: demo.tokens.superuserGlobal.access_token,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(demo.tokens.superuserGlobal.id);
  });
});
