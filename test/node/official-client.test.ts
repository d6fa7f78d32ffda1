// @ts-expect-error the official fastly package ships no type declarations
import fastly from "fastly";
import { describe, expect, it } from "vitest";
import { demo, newTenant, type Tenant } from "../helpers/emulator";

/** The slice of fastly-js v13 this test drives (the package is untyped). */
interface SuperagentRequest {
  url: string;
}
interface OfficialApiClient {
  authenticate(token: string): void;
  plugins: Array<(request: SuperagentRequest) => void> | null;
  rateLimitRemaining: number;
  rateLimitReset: number | null;
}
interface OfficialTokensApi {
  getTokenCurrent(): Promise<Record<string, unknown>>;
  listTokensUser(): Promise<Record<string, unknown>[]>;
  getToken(options: { token_id: string }): Promise<Record<string, unknown>>;
  listTokensCustomer(options: { customer_id: string }): Promise<Record<string, unknown>[]>;
  revokeToken(options: { token_id: string }): Promise<unknown>;
  revokeTokenCurrent(): Promise<unknown>;
  bulkRevokeTokens(options: { request_body: unknown }): Promise<unknown>;
  createToken(): Promise<Record<string, unknown>>;
}
interface OfficialError {
  status: number;
  body: { msg?: string; code?: string };
}
type Constructor<T> = new (...args: unknown[]) => T;
const Fastly = fastly as {
  ApiClient: Constructor<OfficialApiClient>;
  TokensApi: Constructor<OfficialTokensApi>;
  TokenResponse: Constructor<object>;
  TokenCreatedResponse: Constructor<object>;
};

const { tokens, customers, users } = demo;

/**
 * fastly-js passes each operation's own base path ("https://api.fastly.com") to callApi, so `basePath` alone
 * cannot redirect it; a superagent plugin rewrites the URL instead.
 */
function officialClient(tenant: Tenant, key: string) {
  const client = new Fastly.ApiClient();
  client.authenticate(key);
  client.plugins = [
    (request) => {
      request.url = request.url.replace("https://api.fastly.com", tenant.baseUrl);
    },
  ];
  return { client, api: new Fastly.TokensApi(client) };
}

async function rejection(promise: Promise<unknown>): Promise<OfficialError> {
  try {
    await promise;
  } catch (error) {
    return error as OfficialError;
  }
  throw new Error("expected the official client to reject");
}

describe("the official fastly npm client against the emulator", () => {
  it("reads the current token into a TokenResponse", async () => {
    const t = await newTenant();
    const { api } = officialClient(t, tokens.superuserGlobal.access_token);
    const token = await api.getTokenCurrent();
    expect(token).toBeInstanceOf(Fastly.TokenResponse);
    expect(token).toMatchObject({
      id: tokens.superuserGlobal.id,
      user_id: users.acmeSuperuser.id,
      scope: "global",
      services: [],
      user_agent: "fastly-js/13.0.0",
    });
  });

  it("lists the user's tokens as TokenResponse models, multi-scope strings included", async () => {
    const t = await newTenant();
    const { api } = officialClient(t, tokens.userGlobal.access_token);
    const list = await api.listTokensUser();
    expect(list.length).toBeGreaterThan(1);
    for (const token of list) expect(token).toBeInstanceOf(Fastly.TokenResponse);
    expect(list.find((token) => token.id === tokens.userMultiScope.id)?.scope).toBe("global:read purge_select");
  });

  it("gets one token by id and lists the customer's tokens", async () => {
    const t = await newTenant();
    const { api } = officialClient(t, tokens.superuserGlobal.access_token);
    const one = await api.getToken({ token_id: tokens.engineerPurgeAll.id });
    expect(one).toBeInstanceOf(Fastly.TokenResponse);
    expect(one.services).toEqual(tokens.engineerPurgeAll.services);
    const all = await api.listTokensCustomer({ customer_id: customers.acme.id });
    expect(all.map((token) => token.id)).toContain(tokens.userGlobal.id);
    for (const token of all) expect(token).toBeInstanceOf(Fastly.TokenResponse);
  });

  it("revokes by id and records the rate-limit headers of that write", async () => {
    const t = await newTenant();
    const { api, client } = officialClient(t, tokens.superuserGlobal.access_token);
    await api.revokeToken({ token_id: tokens.userNeverUsed.id });
    expect(client.rateLimitRemaining).toBe(999);
    expect(client.rateLimitReset).toEqual(expect.any(Number));
    expect((await t.tokens()).find((token) => token.id === tokens.userNeverUsed.id)?.revoked).toBe(true);
  });

  it("revokes the current token, after which the client gets a parsed 401", async () => {
    const t = await newTenant();
    const { api } = officialClient(t, tokens.engineerGlobal.access_token);
    await api.revokeTokenCurrent();
    const error = await rejection(api.getTokenCurrent());
    expect(error.status).toBe(401);
    expect(error.body).toEqual({ msg: "Provided credentials are missing or invalid" });
  });

  it("bulk-revokes with its JSON:API content type", async () => {
    const t = await newTenant();
    const { api } = officialClient(t, tokens.userGlobal.access_token);
    await api.bulkRevokeTokens({
      request_body: { data: [{ id: tokens.userLongUnused.id, type: "token" }, { id: tokens.userNeverUsed.id, type: "token" }] },
    });
    const revoked = (await t.tokens()).filter((token) => token.revoked).map((token) => token.id);
    expect(revoked).toEqual(expect.arrayContaining([tokens.userLongUnused.id, tokens.userNeverUsed.id]));
    const bulk = (await t.calls()).find((call) => call.method === "DELETE");
    expect(bulk?.contentType).toBe("application/vnd.api+json; ext=bulk");
  });

  it("gets the sudo 403 from createToken, which sends an empty form with the key", async () => {
    const t = await newTenant();
    const { api } = officialClient(t, tokens.superuserGlobal.access_token);
    const error = await rejection(api.createToken());
    expect(error.status).toBe(403);
    expect(error.body).toEqual({ msg: "You must POST /sudo to access this endpoint" });
  });

  it("creates a TokenCreatedResponse inside a sudo window", async () => {
    const t = await newTenant();
    const key = tokens.superuserGlobal.access_token;
    const sudo = await fetch(`${t.baseUrl}/sudo`, {
      method: "POST",
      headers: { "Fastly-Key": key, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ password: users.acmeSuperuser.password }),
    });
    expect(sudo.status).toBe(200);
    const { api } = officialClient(t, key);
    const created = await api.createToken();
    expect(created).toBeInstanceOf(Fastly.TokenCreatedResponse);
    expect(created.access_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(created).toMatchObject({ scope: "global", user_id: users.acmeSuperuser.id, services: [] });
  });

  it("surfaces a 404 as a parsed error", async () => {
    const t = await newTenant();
    const { api } = officialClient(t, tokens.superuserGlobal.access_token);
    const error = await rejection(api.getToken({ token_id: "NoSuchToken00000000000" }));
    expect(error.status).toBe(404);
    expect(error.body).toEqual({ msg: "Token lookup failed" });
  });
});
