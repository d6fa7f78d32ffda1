import { describe, expect, it } from "vitest";
import { resolveTime } from "../../emulator/seed";
import { demo, newTenant } from "../helpers";

const DAY = 86_400_000;

describe("demo seed", () => {
  it("uses 22-character base62 ids and 32-character url-safe tokens", () => {
    const ids = [
      ...Object.values(demo.customers),
      ...Object.values(demo.services),
      ...Object.values(demo.users),
      ...Object.values(demo.tokens),
    ].map((entry) => entry.id);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const values = Object.values(demo.tokens).map((token) => token.access_token);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(values.some((value) => value.includes("-"))).toBe(true);
    expect(values.some((value) => value.includes("_"))).toBe(true);
  });

  it("covers every scope, with and without services", () => {
    const all = Object.values(demo.tokens);
    for (const scope of ["global", "purge_select", "purge_all", "global:read", "global:read purge_select"]) {
      expect(all.some((token) => token.scope === scope)).toBe(true);
    }
    for (const scope of ["global", "purge_select", "purge_all", "global:read"]) {
      expect(all.some((token) => token.scope === scope && token.services.length === 0)).toBe(true);
      expect(all.some((token) => token.scope === scope && token.services.length > 0)).toBe(true);
    }
  });

  it("gives the acme superuser a global token without expiry for the Worker", () => {
    const token = demo.tokens.superuserGlobal;
    expect(token.user_id).toBe(demo.users.acmeSuperuser.id);
    expect(demo.users.acmeSuperuser.role).toBe("superuser");
    expect(token).toMatchObject({ scope: "global", revoked: false });
    expect(token.relative.expires_at).toBeNull();
  });

  it("has the roles, 2FA and locked users the tests rely on", () => {
    const acme = Object.values(demo.users).filter((user) => user.customer_id === demo.customers.acme.id);
    expect(new Set(acme.map((user) => user.role))).toEqual(new Set(["superuser", "engineer", "user", "billing"]));
    expect(demo.users.acmeTwoFactorUser).toMatchObject({ two_factor_auth_enabled: true, otp: "123456" });
    expect(demo.users.acmeLockedUser.locked).toBe(true);
    expect(demo.users.globexSuperuser.role).toBe("superuser");
    expect(demo.users.globexUser.role).toBe("user");
  });

  it("resolves relative times against the tenant clock at seeding", async () => {
    const t = await newTenant();
    const now = Date.now();
    const byId = new Map((await t.tokens()).map((token) => [token.id, token]));
    const soon = Date.parse(byId.get(demo.tokens.engineerExpiringSoon.id)?.expires_at ?? "");
    expect(soon - now).toBeGreaterThan(DAY);
    expect(soon - now).toBeLessThan(3 * DAY);
    const stale = Date.parse(byId.get(demo.tokens.userLongUnused.id)?.last_used_at ?? "");
    expect(Math.round((now - stale) / DAY)).toBe(120);
    expect(Date.parse(byId.get(demo.tokens.userExpired.id)?.expires_at ?? "")).toBeLessThan(now);
    expect(byId.get(demo.tokens.userNeverUsed.id)).toMatchObject({ last_used_at: null, ip: null, user_agent: null });
    expect(byId.get(demo.tokens.superuserBrowserSession.id)?.name).toBe("manage.fastly.com browser session");
  });

  it("parses every relative time form", () => {
    const now = Date.parse("2030-01-10T00:00:00Z");
    expect(resolveTime("-30d", now)).toBe(Date.parse("2029-12-11T00:00:00Z"));
    expect(resolveTime("+3d", now)).toBe(Date.parse("2030-01-13T00:00:00Z"));
    expect(resolveTime("-2h", now)).toBe(Date.parse("2030-01-09T22:00:00Z"));
    expect(resolveTime("+15m", now)).toBe(Date.parse("2030-01-10T00:15:00Z"));
    expect(resolveTime("-45s", now)).toBe(Date.parse("2030-01-09T23:59:15Z"));
    expect(resolveTime("now", now)).toBe(now);
    expect(resolveTime(null, now)).toBeNull();
    expect(() => resolveTime("soon", now)).toThrow(/bad time/);
  });
});
