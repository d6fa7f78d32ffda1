import { describe, expect, it } from "vitest";
import { demo, emulatorUrl, newTenant } from "../helpers";

const superuserKey = demo.tokens.superuserGlobal.access_token;

describe("multi-tenant front", () => {
  it("gives each new tenant its own base URL under /_t/", async () => {
    const a = await newTenant();
    const b = await newTenant();
    expect(a.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/_t\/[A-Za-z0-9]{16}$/);
    expect(a.baseUrl).not.toBe(b.baseUrl);
  });

  it("isolates tenants: a revocation in one leaves the other untouched", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const key = demo.tokens.userGlobal.access_token;
    expect((await fetch(`${a.baseUrl}/tokens/self`, { method: "DELETE", headers: { "Fastly-Key": key } })).status).toBe(204);
    expect((await fetch(`${a.baseUrl}/tokens/self`, { headers: { "Fastly-Key": key } })).status).toBe(401);
    expect((await fetch(`${b.baseUrl}/tokens/self`, { headers: { "Fastly-Key": key } })).status).toBe(200);
  });

  it("serves the seeded demo data at the root as the default tenant", async () => {
    const response = await fetch(`${emulatorUrl()}/current_user`, { headers: { "Fastly-Key": superuserKey } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { login: string }).login).toBe(demo.users.acmeSuperuser.login);
  });

  it("answers an unknown tenant with a JSON 404", async () => {
    const response = await fetch(`${emulatorUrl()}/_t/doesnotexist0000/tokens/self`, {
      headers: { "Fastly-Key": superuserKey },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(await response.json()).toMatchObject({ msg: "Record not found" });
  });
});
