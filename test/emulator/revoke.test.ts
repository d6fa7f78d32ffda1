import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly } from "./fastly-call";

const { tokens } = demo;

describe("revoking one token", () => {
  it("revokes by id with 204 and an empty body without Content-Type", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, `/tokens/${tokens.userNeverUsed.id}`, {
      method: "DELETE",
      key: tokens.userGlobal.access_token,
    });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe("");
    expect(answer.headers.get("content-type")).toBeNull();
    expect((await fastly(t.baseUrl, "/tokens/self", { key: tokens.userNeverUsed.access_token })).status).toBe(401);
  });

  it("answers 404 when the same id is revoked a second time", async () => {
    const t = await newTenant();
    const call = { method: "DELETE", key: tokens.superuserGlobal.access_token };
    expect((await fastly(t.baseUrl, `/tokens/${tokens.userGlobal.id}`, call)).status).toBe(204);
    const again = await fastly(t.baseUrl, `/tokens/${tokens.userGlobal.id}`, call);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ msg: "Token lookup failed" });
  });

  it("answers 404 for an unknown id", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens/NoSuchToken00000000000", {
      method: "DELETE",
      key: tokens.superuserGlobal.access_token,
    });
    expect(answer.status).toBe(404);
  });

  it("lets a superuser revoke another user's token", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, `/tokens/${tokens.engineerGlobal.id}`, {
      method: "DELETE",
      key: tokens.superuserGlobal.access_token,
    });
    expect(answer.status).toBe(204);
    const revoked = (await t.tokens()).find((token) => token.id === tokens.engineerGlobal.id);
    expect(revoked?.revoked).toBe(true);
  });

  it("refuses a non-superuser revoking another user's token and keeps it live", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, `/tokens/${tokens.engineerGlobal.id}`, {
      method: "DELETE",
      key: tokens.userGlobal.access_token,
    });
    expect(answer.status).toBe(403);
    expect((await fastly(t.baseUrl, "/tokens/self", { key: tokens.engineerGlobal.access_token })).status).toBe(200);
  });

  it("revokes an expired token by id, since it is still listed", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, `/tokens/${tokens.userExpired.id}`, {
      method: "DELETE",
      key: tokens.userGlobal.access_token,
    });
    expect(answer.status).toBe(204);
  });

  it("revokes the calling token with DELETE /tokens/self, after which the key is refused", async () => {
    const t = await newTenant();
    const key = tokens.engineerGlobal.access_token;
    const answer = await fastly(t.baseUrl, "/tokens/self", { method: "DELETE", key });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe("");
    const after = await fastly(t.baseUrl, "/tokens/self", { key });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ msg: "Provided credentials are missing or invalid" });
    expect((await fastly(t.baseUrl, "/tokens/self", { method: "DELETE", key })).status).toBe(401);
  });

  it("drops a revoked token from the lists", async () => {
    const t = await newTenant();
    await fastly(t.baseUrl, "/tokens/self", { method: "DELETE", key: tokens.engineerGlobal.access_token });
    const list = await fastly<{ id: string }[]>(t.baseUrl, "/tokens", { key: tokens.engineerExpiringSoon.access_token });
    expect(list.body.map((token) => token.id)).not.toContain(tokens.engineerGlobal.id);
  });
});
