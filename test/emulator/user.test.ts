import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly } from "./fastly-call";

const carol = demo.users.acmeUser;

describe("GET /user/{user_id}", () => {
  it("describes a user of the caller's own account, as /current_user would describe them", async () => {
    const t = await newTenant();
    const byId = await fastly(t.baseUrl, `/user/${carol.id}`, { key: demo.tokens.superuserGlobal.access_token });
    const self = await fastly(t.baseUrl, "/current_user", { key: demo.tokens.userGlobal.access_token });
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ id: carol.id, login: carol.login, name: carol.name, customer_id: demo.customers.acme.id, role: "user" });
    expect(Object.keys(byId.body as object)).toEqual(Object.keys(self.body as object));
  });

  it("lets any role of the account read it, with a global:read token too", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, `/user/${carol.id}`, { key: demo.tokens.billingReadOnly.access_token });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ login: carol.login });
  });

  it("answers 404 for another account's user and for an unknown id, so ids cannot be probed", async () => {
    const t = await newTenant();
    const key = demo.tokens.superuserGlobal.access_token;
    const foreign = await fastly(t.baseUrl, `/user/${demo.users.globexUser.id}`, { key });
    const unknown = await fastly(t.baseUrl, "/user/NoSuchUser000000000000", { key });
    for (const answer of [foreign, unknown]) {
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ msg: "Record not found", detail: "Cannot find user" });
    }
    expect(foreign.text).not.toContain(demo.users.globexUser.login);
  });

  it("refuses a purge-only token and a revoked key", async () => {
    const t = await newTenant();
    const purge = await fastly(t.baseUrl, `/user/${carol.id}`, { key: demo.tokens.engineerPurgeSelect.access_token });
    expect(purge.status).toBe(403);
    expect(purge.body).toMatchObject({ msg: "Insufficient permissions" });
    const revoked = await fastly(t.baseUrl, `/user/${carol.id}`, { key: demo.tokens.userRevoked.access_token });
    expect(revoked.status).toBe(401);
  });

  it("answers other methods with 405 and never includes a password or hash", async () => {
    const t = await newTenant();
    const key = demo.tokens.superuserGlobal.access_token;
    const put = await fastly(t.baseUrl, `/user/${carol.id}`, { key, method: "PUT" });
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET");
    const answer = await fastly(t.baseUrl, `/user/${carol.id}`, { key });
    expect(answer.text).not.toContain(carol.password);
    expect(answer.text).not.toMatch(/[0-9a-f]{64}/);
  });
});
