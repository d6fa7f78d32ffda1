import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { type CreatedTokenBody, fastly, type TokenBody } from "./fastly-call";

const GET_FIELDS = [
  "id",
  "user_id",
  "customer_id",
  "name",
  "last_used_at",
  "created_at",
  "expires_at",
  "ip",
  "user_agent",
  "sudo_expires_at",
  "scopes",
  "scope",
  "services",
  "service_id",
];
const CREATE_FIELDS = [
  "id",
  "name",
  "user_id",
  "customer_id",
  "service_id",
  "expires_at",
  "created_at",
  "updated_at",
  "scope",
  "services",
  "access_token",
];
const SECOND_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const alice = demo.users.acmeSuperuser;

describe("response bodies", () => {
  it("returns exactly the recorded fields, in order, from GET /tokens/self", async () => {
    const t = await newTenant();
    const answer = await fastly<TokenBody>(t.baseUrl, "/tokens/self", { key: demo.tokens.engineerPurgeAll.access_token });
    expect(Object.keys(answer.body as object)).toEqual(GET_FIELDS);
    expect(answer.body).toMatchObject({
      id: demo.tokens.engineerPurgeAll.id,
      user_id: demo.users.acmeEngineer.id,
      customer_id: demo.customers.acme.id,
      name: "nightly purge-all",
      scope: "purge_all",
      scopes: ["purge_all"],
      services: [demo.services.acmeWww.id, demo.services.acmeApi.id],
      service_id: demo.services.acmeApi.id,
      expires_at: null,
      sudo_expires_at: null,
    });
    expect(answer.body.created_at).toMatch(SECOND_Z);
    expect(answer.body.last_used_at).toMatch(SECOND_Z);
  });

  it("splits a multi-scope string into scopes and keeps scope as sent", async () => {
    const t = await newTenant();
    const answer = await fastly<TokenBody>(t.baseUrl, "/tokens/self", { key: demo.tokens.userMultiScope.access_token });
    expect(answer.body.scope).toBe("global:read purge_select");
    expect(answer.body.scopes).toEqual(["global:read", "purge_select"]);
  });

  it("gives every list entry the get fields and never an access_token", async () => {
    const t = await newTenant();
    const answer = await fastly<TokenBody[]>(t.baseUrl, `/customer/${demo.customers.acme.id}/tokens`, {
      key: demo.tokens.superuserGlobal.access_token,
    });
    expect(answer.body.length).toBeGreaterThan(5);
    for (const entry of answer.body) expect(Object.keys(entry)).toEqual(GET_FIELDS);
    expect(answer.text).not.toContain("access_token");
    for (const token of Object.values(demo.tokens)) expect(answer.text).not.toContain(token.access_token);
  });

  it("lists the caller's tokens in ascending created_at, without revoked ones, with expired ones", async () => {
    const t = await newTenant();
    const answer = await fastly<TokenBody[]>(t.baseUrl, "/tokens", { key: demo.tokens.userGlobal.access_token });
    const ids = answer.body.map((token) => token.id);
    const created = answer.body.map((token) => Date.parse(token.created_at));
    expect(created).toEqual([...created].sort((a, b) => a - b));
    expect(new Set(answer.body.map((token) => token.user_id))).toEqual(new Set([demo.users.acmeUser.id]));
    expect(ids).toContain(demo.tokens.userExpired.id);
    expect(ids).not.toContain(demo.tokens.userRevoked.id);
    expect(ids).toEqual(
      [
        demo.tokens.userExpired.id,
        demo.tokens.userLongUnused.id,
        demo.tokens.userGlobal.id,
        demo.tokens.userMultiScope.id,
        demo.tokens.userNeverUsed.id,
      ],
    );
  });

  it("shows the browser session token with its sudo_expires_at", async () => {
    const t = await newTenant();
    const answer = await fastly<TokenBody[]>(t.baseUrl, "/tokens", { key: demo.tokens.superuserGlobal.access_token });
    const session = answer.body.find((token) => token.name === "manage.fastly.com browser session");
    expect(session?.sudo_expires_at).toMatch(SECOND_Z);
  });

  it("returns the recorded create fields, in order, and no usage fields", async () => {
    const t = await newTenant();
    const answer = await fastly<CreatedTokenBody>(t.baseUrl, "/tokens", {
      method: "POST",
      form: {
        username: alice.login,
        password: alice.password,
        name: "body check",
        "services[]": [demo.services.acmeWww.id, demo.services.acmeApi.id],
      },
    });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body as object)).toEqual(CREATE_FIELDS);
    expect(answer.body).toMatchObject({
      name: "body check",
      user_id: alice.id,
      customer_id: demo.customers.acme.id,
      scope: "global",
      services: [demo.services.acmeWww.id, demo.services.acmeApi.id],
      service_id: demo.services.acmeApi.id,
      expires_at: null,
    });
    expect(answer.body.created_at).toMatch(SECOND_Z);
    expect(answer.body.updated_at).toBe(answer.body.created_at);
  });

  it("gives service_id null and services [] to a token created without services", async () => {
    const t = await newTenant();
    const answer = await fastly<CreatedTokenBody>(t.baseUrl, "/tokens", {
      method: "POST",
      form: { username: alice.login, password: alice.password, name: "all services" },
    });
    expect(answer.body.services).toEqual([]);
    expect(answer.body.service_id).toBeNull();
  });
});
