import { describe, expect, it } from "vitest";
import { demo, newTenant } from "../helpers";
import { fastly } from "./fastly-call";

describe("GET /current_user", () => {
  it("describes the key's user", async () => {
    const t = await newTenant();
    const erin = demo.users.acmeTwoFactorUser;
    const answer = await fastly(t.baseUrl, "/current_user", { key: demo.tokens.twoFactorUserGlobal.access_token });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: erin.id,
      login: erin.login,
      name: erin.name,
      customer_id: demo.customers.acme.id,
      role: "engineer",
      two_factor_auth_enabled: true,
      locked: false,
    });
    expect((answer.body as { created_at: string }).created_at).toMatch(/Z$/);
  });

  it("never includes a password, OTP or hash", async () => {
    const t = await newTenant();
    const erin = demo.users.acmeTwoFactorUser;
    const answer = await fastly(t.baseUrl, "/current_user", { key: demo.tokens.twoFactorUserGlobal.access_token });
    expect(answer.text).not.toContain(erin.password);
    expect(answer.text).not.toContain(`"${erin.otp}"`);
    expect(answer.text).not.toMatch(/[0-9a-f]{64}/);
  });

  it("works for a purge-only token, as scanners use it to check validity", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/current_user", { key: demo.tokens.globexUserPurgeSelect.access_token });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: demo.users.globexUser.id });
  });

  it("refuses a revoked key", async () => {
    const t = await newTenant();
    const answer = await fastly(t.baseUrl, "/current_user", { key: demo.tokens.userRevoked.access_token });
    expect(answer.status).toBe(401);
  });
});
