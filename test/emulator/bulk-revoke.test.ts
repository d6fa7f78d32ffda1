import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly } from "./fastly-call";

const { tokens } = demo;
const BULK = "application/vnd.api+json; ext=bulk";

function bulkBody(...ids: string[]) {
  return { data: ids.map((id) => ({ id, type: "token" })) };
}

async function liveIds(t: Awaited<ReturnType<typeof newTenant>>): Promise<Set<string>> {
  return new Set((await t.tokens()).filter((token) => !token.revoked).map((token) => token.id));
}

describe("bulk revoke (DELETE /tokens)", () => {
  it("revokes every listed token with 204 and an empty body", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "DELETE",
      key: tokens.userGlobal.access_token,
      headers: { "content-type": BULK },
      json: bulkBody(tokens.userNeverUsed.id, tokens.userLongUnused.id),
    });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe("");
    const live = await liveIds(t);
    expect(live.has(tokens.userNeverUsed.id)).toBe(false);
    expect(live.has(tokens.userLongUnused.id)).toBe(false);
    expect(live.has(tokens.userGlobal.id)).toBe(true);
  });

  it("accepts plain application/json as fastly-rust sends it", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "DELETE",
      key: tokens.userGlobal.access_token,
      json: bulkBody(tokens.userNeverUsed.id),
    });
    expect(answer.status).toBe(204);
  });

  it("refuses other content types with 415", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "DELETE",
      key: tokens.userGlobal.access_token,
      headers: { "content-type": "text/plain" },
      body: JSON.stringify(bulkBody(tokens.userNeverUsed.id)),
    });
    expect(answer.status).toBe(415);
    expect(answer.body).toMatchObject({ msg: "Unsupported Media Type" });
    expect((await liveIds(t)).has(tokens.userNeverUsed.id)).toBe(true);
  });

  it.each([
    ["malformed JSON", "{not json"],
    ["no data", JSON.stringify({})],
    ["an empty data array", JSON.stringify({ data: [] })],
    ["a wrong type", JSON.stringify({ data: [{ id: "x", type: "service" }] })],
    ["a non-string id", JSON.stringify({ data: [{ id: 42, type: "token" }] })],
  ])("answers 400 in Fastly's msg/detail shape for %s", async (_label, body) => {
    const t = await newTenant();
    const answer = await fastly<{ msg: string; detail: string }>(t.baseUrl, "/tokens", {
      method: "DELETE",
      key: tokens.userGlobal.access_token,
      headers: { "content-type": BULK },
      body,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.msg).toBe("Bad request");
    expect(answer.body.detail).toEqual(expect.any(String));
  });

  it("revokes nothing and answers 404 when one id is unknown", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "DELETE",
      key: tokens.userGlobal.access_token,
      headers: { "content-type": BULK },
      json: bulkBody(tokens.userNeverUsed.id, "NoSuchToken00000000000"),
    });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ msg: "Token lookup failed" });
    expect((await liveIds(t)).has(tokens.userNeverUsed.id)).toBe(true);
  });

  it("revokes nothing and answers 403 when one token belongs to another user", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "DELETE",
      key: tokens.userGlobal.access_token,
      headers: { "content-type": BULK },
      json: bulkBody(tokens.userNeverUsed.id, tokens.engineerGlobal.id),
    });
    expect(answer.status).toBe(403);
    const live = await liveIds(t);
    expect(live.has(tokens.userNeverUsed.id)).toBe(true);
    expect(live.has(tokens.engineerGlobal.id)).toBe(true);
  });

  it("lets a superuser revoke tokens of several users at once", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "DELETE",
      key: tokens.superuserGlobal.access_token,
      headers: { "content-type": BULK },
      json: bulkBody(tokens.engineerGlobal.id, tokens.userGlobal.id),
    });
    expect(answer.status).toBe(204);
    const live = await liveIds(t);
    expect(live.has(tokens.engineerGlobal.id) || live.has(tokens.userGlobal.id)).toBe(false);
  });

  it("refuses a read-only token with the read-only 403", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/tokens", {
      method: "DELETE",
      key: tokens.engineerReadOnly.access_token,
      headers: { "content-type": BULK },
      json: bulkBody(tokens.engineerReadOnly.id),
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ msg: "Read only tokens are not allowed to access this endpoint." });
  });
});
