import { describe, expect, it } from "vitest";
import { createFastlyEmulator } from "../../emulator/app";
import { demo, newTenant, type Tenant } from "../helpers";
import { fastly } from "./fastly-call";

// The switches for what the reference leaves open (fastly-tokens-api.md §10.5, §10.6, §10.11), each tested under
// both readings, with the default reading unchanged.
const { tokens } = demo;
const BULK = "application/vnd.api+json; ext=bulk";
const bulk = (...ids: string[]) => ({ data: ids.map((id) => ({ id, type: "token" })) });

async function revoked(t: Tenant, id: string): Promise<boolean> {
  return (await t.tokens()).find((token) => token.id === id)?.revoked ?? false;
}

describe("limitedTokenSelfStatus: may a token without global read GET /tokens/self?", () => {
  const limited = [tokens.engineerReadOnly, tokens.engineerPurgeSelect, tokens.engineerPurgeAll, tokens.userMultiScope];

  it("lets purge-only and global:read tokens read themselves by default", async () => {
    const t = await newTenant();
    for (const token of limited) {
      const answer = await fastly<{ id: string }>(t.baseUrl, "/tokens/self", { key: token.access_token });
      expect(answer.status, token.scope).toBe(200);
      expect(answer.body.id).toBe(token.id);
    }
  });

  it("refuses them with 403 Insufficient permissions when set to 403, and still serves global tokens", async () => {
    const t = await newTenant();
    await t.configure({ limitedTokenSelfStatus: 403 });
    for (const token of limited) {
      const answer = await fastly(t.baseUrl, "/tokens/self", { key: token.access_token });
      expect(answer.status, token.scope).toBe(403);
      expect(answer.body).toEqual({ msg: "Insufficient permissions", detail: "A token without the global scope may not read its own metadata" });
    }
    expect((await fastly(t.baseUrl, "/tokens/self", { key: tokens.engineerGlobal.access_token })).status).toBe(200);
  });

  it("still lets a limited token revoke itself when reading itself is refused", async () => {
    const t = await newTenant();
    await t.configure({ limitedTokenSelfStatus: 403 });
    const answer = await fastly(t.baseUrl, "/tokens/self", { method: "DELETE", key: tokens.engineerPurgeSelect.access_token });
    expect(answer.status).toBe(204);
    expect(await revoked(t, tokens.engineerPurgeSelect.id)).toBe(true);
  });

  it("leaves a global:read token's other reads alone", async () => {
    const t = await newTenant();
    await t.configure({ limitedTokenSelfStatus: 403 });
    const list = await fastly<unknown[]>(t.baseUrl, "/tokens", { key: tokens.engineerReadOnly.access_token });
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(0);
  });
});

describe("foreignTokenStatus: another user's token, same account, non-superuser caller", () => {
  const caller = tokens.userGlobal.access_token; // carol, a plain user
  const foreign = tokens.engineerGlobal.id; // bob's

  it("answers 403 by default for reading, revoking and bulk-revoking it", async () => {
    const t = await newTenant();
    const read = await fastly(t.baseUrl, `/tokens/${foreign}`, { key: caller });
    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ msg: "Insufficient permissions" });
    expect((await fastly(t.baseUrl, `/tokens/${foreign}`, { method: "DELETE", key: caller })).status).toBe(403);
    const many = await fastly(t.baseUrl, "/tokens", { method: "DELETE", key: caller, headers: { "content-type": BULK }, json: bulk(foreign) });
    expect(many.status).toBe(403);
    expect(await revoked(t, foreign)).toBe(false);
  });

  it("answers 404 Token lookup failed for all three when set to 404, and revokes nothing", async () => {
    const t = await newTenant();
    await t.configure({ foreignTokenStatus: 404 });
    const read = await fastly(t.baseUrl, `/tokens/${foreign}`, { key: caller });
    expect(read.status).toBe(404);
    expect(read.body).toEqual({ msg: "Token lookup failed" });
    const revoke = await fastly(t.baseUrl, `/tokens/${foreign}`, { method: "DELETE", key: caller });
    expect(revoke.status).toBe(404);
    expect(revoke.body).toEqual({ msg: "Token lookup failed" });
    const many = await fastly(t.baseUrl, "/tokens", {
      method: "DELETE",
      key: caller,
      headers: { "content-type": BULK },
      json: bulk(tokens.userNeverUsed.id, foreign),
    });
    expect(many.status).toBe(404);
    expect(many.body).toEqual({ msg: "Token lookup failed", detail: foreign });
    expect(await revoked(t, foreign)).toBe(false);
    expect(await revoked(t, tokens.userNeverUsed.id)).toBe(false);
  });

  it("still lets a superuser and the owner reach the token under either reading", async () => {
    for (const status of [403, 404] as const) {
      const t = await newTenant();
      await t.configure({ foreignTokenStatus: status });
      expect((await fastly(t.baseUrl, `/tokens/${foreign}`, { key: tokens.superuserGlobal.access_token })).status).toBe(200);
      expect((await fastly(t.baseUrl, `/tokens/${foreign}`, { key: tokens.engineerReadOnly.access_token })).status).toBe(200);
    }
  });
});

describe("bulkMax: the largest bulk revocation", () => {
  const ids = [tokens.userNeverUsed.id, tokens.userLongUnused.id, tokens.userExpired.id];
  const send = (t: Tenant, data: string[]) =>
    fastly(t.baseUrl, "/tokens", { method: "DELETE", key: tokens.userGlobal.access_token, headers: { "content-type": BULK }, json: bulk(...data) });

  it("accepts any number of tokens by default", async () => {
    const t = await newTenant();
    expect((await send(t, ids)).status).toBe(204);
  });

  it("refuses a longer list with 400 in the bulk error style and revokes none of it", async () => {
    const t = await newTenant();
    await t.configure({ bulkMax: 2 });
    const answer = await send(t, ids);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ msg: "Bad request", detail: "data must list at most 2 tokens" });
    for (const id of ids) expect(await revoked(t, id)).toBe(false);
    expect((await send(t, ids.slice(0, 2))).status).toBe(204);
  });

  it("goes back to no limit when set to null", async () => {
    const t = await newTenant();
    await t.configure({ bulkMax: 1 });
    await t.configure({ bulkMax: null });
    expect((await send(t, ids)).status).toBe(204);
  });
});

describe("the switches as configuration", () => {
  it("reads the defaults, refuses values outside each switch's readings, and resets to the defaults", async () => {
    const t = await newTenant();
    const config = `${t.baseUrl}/__emulator/config`;
    const defaults = { rateLimit: 1000, unknownKeyStatus: 401, limitedTokenSelfStatus: 200, foreignTokenStatus: 403, bulkMax: null };
    expect(await (await fetch(config)).json()).toEqual(defaults);
    for (const bad of [{ limitedTokenSelfStatus: 401 }, { foreignTokenStatus: 410 }, { bulkMax: 0 }, { bulkMax: 1.5 }]) {
      await expect(t.configure(bad as never), JSON.stringify(bad)).rejects.toThrow(/400/);
    }
    await t.configure({ limitedTokenSelfStatus: 403, foreignTokenStatus: 404, bulkMax: 5 });
    expect(await (await fetch(config)).json()).toEqual({ ...defaults, limitedTokenSelfStatus: 403, foreignTokenStatus: 404, bulkMax: 5 });
    await t.reset();
    expect(await (await fetch(config)).json()).toEqual(defaults);
  });

  it("takes every switch as an option of the in-process emulator", async () => {
    const { app, state } = createFastlyEmulator({ limitedTokenSelfStatus: 403, foreignTokenStatus: 404, bulkMax: 3 });
    const answer = await app.request("/tokens/self", { headers: { "Fastly-Key": tokens.engineerReadOnly.access_token } });
    expect(answer.status).toBe(403);
    expect(state.config).toMatchObject({ limitedTokenSelfStatus: 403, foreignTokenStatus: 404, bulkMax: 3, unknownKeyStatus: 401 });
  });
});
