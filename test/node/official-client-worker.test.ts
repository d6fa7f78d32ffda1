import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import { demo, newTenant, type Tenant } from "../helpers/emulator";
import { type LocalWorker, startLocalWorker } from "./support/local-worker";
import { type OfficialCallError, type OfficialTokensApi, official, officialTokensApi } from "./support/official-fastly";

// The official client (fastly@13) talks to the Worker exactly as it would to api.fastly.com, with a Worker-issued
// API key; the Worker acts upstream (the emulator) with its own token, the demo superuser's.
const API_KEY = "ftw_official_client_5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b";
const WORKER_TOKEN = demo.tokens.superuserGlobal.access_token;

let tenant: Tenant;
let worker: LocalWorker;
let tokens: OfficialTokensApi;

/** The rejection of a TokensApi call, which must be the client's parsed error object. */
async function failure(call: Promise<unknown>): Promise<OfficialCallError> {
  const outcome = await call.then(
    (value) => ({ ok: true as const, value }),
    (reason: OfficialCallError) => ({ ok: false as const, reason }),
  );
  if (outcome.ok) throw new Error(`expected the call to fail, it returned ${JSON.stringify(outcome.value)}`);
  return outcome.reason;
}

async function revokedIds(): Promise<string[]> {
  return (await tenant.tokens()).filter((t) => t.revoked).map((t) => t.id);
}

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain(WORKER_TOKEN);
}

beforeAll(async () => {
  tenant = await newTenant();
  const apiKeys = [{ name: "official-client", sha256: await sha256Hex(API_KEY), scopes: ["read", "revoke", "create"] }];
  worker = await startLocalWorker({
    FASTLY_API_BASE_URL: tenant.baseUrl,
    FASTLY_API_TOKEN: WORKER_TOKEN,
    API_KEYS: JSON.stringify(apiKeys),
  });
  tokens = officialTokensApi(worker.url, API_KEY);
}, 60_000);

afterAll(async () => {
  await worker?.stop();
});

describe("the official fastly client pointed at the Worker", () => {
  it("reads the current token into a TokenResponse: the Worker's own token, fetched with it upstream", async () => {
    const current = await tokens.getTokenCurrent();

    expect(current).toBeInstanceOf(official.TokenResponse);
    expect(current.id).toBe(demo.tokens.superuserGlobal.id);
    expect(current.user_id).toBe(demo.users.acmeSuperuser.id);
    expect(current.scope).toBe("global");

    const calls = await tenant.calls();
    const selfCalls = calls.filter((c) => c.method === "GET" && c.path === "/tokens/self");
    expect(selfCalls.length).toBeGreaterThan(0);
    expect(new Set(selfCalls.map((c) => c.keyHash))).toEqual(new Set([await sha256Hex(WORKER_TOKEN)]));
  });

  it("never forwards the API key itself to Fastly", async () => {
    await tokens.getTokenCurrent();
    const apiKeyHash = await sha256Hex(API_KEY);
    const calls = await tenant.calls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.keyHash === apiKeyHash)).toEqual([]);
  });

  it("lists the user's tokens as TokenResponse models", async () => {
    const list = await tokens.listTokensUser();

    expect(list.length).toBeGreaterThan(1);
    for (const token of list) {
      expect(token).toBeInstanceOf(official.TokenResponse);
      expect(token.user_id).toBe(demo.users.acmeSuperuser.id);
    }
    expect(list.map((t) => t.id)).toContain(demo.tokens.superuserGlobal.id);
    expect(list.map((t) => t.id)).toContain(demo.tokens.superuserBrowserSession.id);
  });

  it("gets another user's token by id as a TokenResponse", async () => {
    const token = await tokens.getToken({ token_id: demo.tokens.engineerGlobal.id });

    expect(token).toBeInstanceOf(official.TokenResponse);
    expect(token.id).toBe(demo.tokens.engineerGlobal.id);
    expect(token.user_id).toBe(demo.users.acmeEngineer.id);
    expect(token.name).toBe(demo.tokens.engineerGlobal.name);
  });

  it("lists the customer's tokens as TokenResponse models", async () => {
    const list = await tokens.listTokensCustomer({ customer_id: demo.customers.acme.id });

    const ids = list.map((t) => t.id);
    expect(ids).toContain(demo.tokens.engineerGlobal.id);
    expect(ids).toContain(demo.tokens.userGlobal.id);
    expect(ids).not.toContain(demo.tokens.userRevoked.id);
    // The official model drops customer_id, so ownership is checked through the users of the account.
    const acmeUsers = Object.values(demo.users)
      .filter((u) => u.customer_id === demo.customers.acme.id)
      .map((u) => u.id);
    for (const token of list) {
      expect(token).toBeInstanceOf(official.TokenResponse);
      expect(acmeUsers).toContain(token.user_id);
    }
  });

  it("revokes a token by id, and the emulator shows it revoked", async () => {
    const target = demo.tokens.userLongUnused.id;
    expect(await revokedIds()).not.toContain(target);

    await expect(tokens.revokeToken({ token_id: target })).resolves.toBeNull();

    expect(await revokedIds()).toContain(target);
    const after = await failure(tokens.getToken({ token_id: target }));
    expect(after.status).toBe(404);
    expect(after.body).toMatchObject({ msg: "Token lookup failed" });
  });

  it("revokes tokens in bulk, and the emulator shows every one revoked", async () => {
    const targets = [demo.tokens.engineerPurgeSelect.id, demo.tokens.userNeverUsed.id];
    const before = await revokedIds();
    for (const id of targets) expect(before).not.toContain(id);

    await expect(
      tokens.bulkRevokeTokens({ request_body: { data: targets.map((id) => ({ id, type: "token" as const })) } }),
    ).resolves.toBeNull();

    const after = await revokedIds();
    for (const id of targets) expect(after).toContain(id);
    const bulkCalls = (await tenant.calls()).filter((c) => c.method === "DELETE" && c.path === "/tokens");
    expect(bulkCalls.map((c) => c.status)).toEqual([204]);
  });

  it("gets the Worker's refusal to revoke its own token as a parsed 409 error", async () => {
    const error = await failure(tokens.revokeTokenCurrent());

    expect(error.status).toBe(409);
    expect(error.body).toMatchObject({ msg: "Refusing to revoke the Worker's own token" });
    expect(error.error).toBeInstanceOf(Error);
    expectNoSecrets(error.response?.text ?? "");
    expect(await revokedIds()).not.toContain(demo.tokens.superuserGlobal.id);
    const selfDeletes = (await tenant.calls()).filter((c) => c.method === "DELETE" && c.path === "/tokens/self");
    expect(selfDeletes).toEqual([]);
  });

  it("gets the Worker's 400 for the client's empty create form as a parsed error, without calling Fastly", async () => {
    const error = await failure(tokens.createToken());

    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({
      code: "invalid_request",
      msg: "username and password are required",
      detail: "a Worker API key creates tokens with username and password only",
    });
    expectNoSecrets(error.response?.text ?? "");
    const creates = (await tenant.calls()).filter((c) => c.method === "POST" && c.path === "/tokens");
    expect(creates).toEqual([]);
  });

  it("still works as the Worker's token after the revocations: the current token was never revoked", async () => {
    const current = await tokens.getTokenCurrent();
    expect(current.id).toBe(demo.tokens.superuserGlobal.id);
    const live = (await tenant.tokens()).find((t) => t.id === demo.tokens.superuserGlobal.id);
    expect(live?.revoked).toBe(false);
  });
});
