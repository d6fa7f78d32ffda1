import { describe, expect, it } from "vitest";
import { API_KEY_VALUES, audit, demo, newTenant, type Tenant } from "../../helpers";
import { ACCESS_AUD, ACCESS_TEAM, accessClaims, accessSigner, call, csrfIn, dashboardEnv, form, signIn } from "./helpers";

const target = demo.tokens.userLongUnused;

async function isRevoked(t: Tenant, id: string): Promise<boolean> {
  return (await t.tokens()).find((x) => x.id === id)!.revoked;
}

async function adminSession(t: Tenant, overrides: Record<string, unknown> = {}) {
  const env = await dashboardEnv(t, overrides);
  const cookie = await signIn(env, API_KEY_VALUES.admin);
  const page = await (await call(env, "/dashboard", { headers: { Cookie: cookie } })).text();
  return { env, cookie, csrf: csrfIn(page), page };
}

describe("revoking from the dashboard", () => {
  it("asks for confirmation, revokes on submit, records it in the audit log and shows it", async () => {
    const t = await newTenant();
    const { env, cookie, page } = await adminSession(t);
    expect(page).toContain(`href="/dashboard/tokens/${target.id}/revoke"`);

    const confirm = await call(env, `/dashboard/tokens/${target.id}/revoke`, { headers: { Cookie: cookie } });
    expect(confirm.status).toBe(200);
    const confirmHtml = await confirm.text();
    expect(confirmHtml).toContain("Revoke this token?");
    expect(confirmHtml).toContain(target.name);
    expect(confirmHtml).toContain(demo.users.acmeUser.id);
    expect(confirmHtml).toContain("Revocation is immediate and cannot be undone");
    expect(await isRevoked(t, target.id)).toBe(false);

    const res = await call(env, `/dashboard/tokens/${target.id}/revoke`, form({ csrf: csrfIn(confirmHtml) }, { Cookie: cookie }));
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/dashboard?revoked=${target.id}#audit`);
    expect(await isRevoked(t, target.id)).toBe(true);
    const entries = await audit(env);
    expect(entries).toEqual([
      expect.objectContaining({ surface: "dashboard", principal: "apikey:admin", operation: "revokeToken", result: "ok", tokenId: target.id, tokenName: target.name }),
    ]);

    const after = await (await call(env, `/dashboard?revoked=${target.id}`, { headers: { Cookie: cookie } })).text();
    expect(after).toContain(`Token ${target.id} was revoked. The audit log below records it.`);
    expect(after).not.toContain(`data-token-id="${target.id}"`);
    expect(after).toContain(`data-audit-id="${entries[0]!.id}"`);
  });

  it.each([
    ["missing", {}],
    ["forged", { csrf: "Zm9yZ2VkLWNzcmYtdG9rZW4" }],
    ["empty", { csrf: "" }],
  ])("refuses a %s CSRF token with 403 and changes nothing", async (_, fields) => {
    const t = await newTenant();
    const { env, cookie } = await adminSession(t);
    const res = await call(env, `/dashboard/tokens/${target.id}/revoke`, form(fields as Record<string, string>, { Cookie: cookie }));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("CSRF check failed");
    expect(await isRevoked(t, target.id)).toBe(false);
    expect(await audit(env)).toEqual([]);
  });

  it("refuses another session's CSRF token, a cross-site post and a non-form body", async () => {
    const t = await newTenant();
    const { env, cookie, csrf } = await adminSession(t);
    const other = await signIn(env, API_KEY_VALUES.admin);
    const url = `/dashboard/tokens/${target.id}/revoke`;
    expect((await call(env, url, form({ csrf }, { Cookie: other }))).status).toBe(403);
    expect((await call(env, url, form({ csrf }, { Cookie: cookie, Origin: "https://evil.example" }))).status).toBe(403);
    expect((await call(env, url, form({ csrf }, { Cookie: cookie, "Sec-Fetch-Site": "cross-site" }))).status).toBe(403);
    const asJson = await call(env, url, { method: "POST", headers: { Cookie: cookie, "Content-Type": "application/json" }, body: JSON.stringify({ csrf }) });
    expect(asJson.status).toBe(403);
    expect(await isRevoked(t, target.id)).toBe(false);
  });

  it("sends a visitor without a session to the login page instead of revoking", async () => {
    const t = await newTenant();
    const { env, csrf } = await adminSession(t);
    const res = await call(env, `/dashboard/tokens/${target.id}/revoke`, form({ csrf }));
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('action="/dashboard/login"');
    expect(await isRevoked(t, target.id)).toBe(false);
  });

  it("will not revoke the Worker's own token: no button, and a refused post", async () => {
    const t = await newTenant();
    const { env, cookie, csrf, page } = await adminSession(t);
    const own = demo.tokens.superuserGlobal.id;
    expect(page).not.toContain(`href="/dashboard/tokens/${own}/revoke"`);
    const confirm = await (await call(env, `/dashboard/tokens/${own}/revoke`, { headers: { Cookie: cookie } })).text();
    expect(confirm).toContain("The dashboard will not revoke it");
    expect(confirm).not.toContain('data-testid="confirm-revoke"');
    const res = await call(env, `/dashboard/tokens/${own}/revoke`, form({ csrf }, { Cookie: cookie }));
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("Refusing to revoke the Worker&#39;s own token");
    expect(await isRevoked(t, own)).toBe(false);
  });

  it("answers 404 pages for an unknown or malformed token id", async () => {
    const t = await newTenant();
    const { env, cookie, csrf } = await adminSession(t);
    const unknown = await call(env, "/dashboard/tokens/AAAAAAAAAAAAAAAAAAAAAA/revoke", { headers: { Cookie: cookie } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("Content-Type")).toMatch(/^text\/html/);
    const malformed = await call(env, "/dashboard/tokens/..%2F..%2Fetc/revoke", form({ csrf }, { Cookie: cookie }));
    expect(malformed.status).toBe(404);
  });

  it("in dry-run mode revokes nothing and says so", async () => {
    const t = await newTenant();
    const { env, cookie, csrf } = await adminSession(t, { DRY_RUN: "true" });
    const res = await call(env, `/dashboard/tokens/${target.id}/revoke`, form({ csrf }, { Cookie: cookie }));
    expect(res.headers.get("Location")).toBe(`/dashboard?dry_run=${target.id}#audit`);
    expect(await isRevoked(t, target.id)).toBe(false);
    const page = await (await call(env, `/dashboard?dry_run=${target.id}`, { headers: { Cookie: cookie } })).text();
    expect(page).toContain(`Dry run: token ${target.id} was not revoked`);
    expect((await audit(env))[0]).toMatchObject({ result: "dry_run", surface: "dashboard" });
  });

  it("lets an Access user listed in ACCESS_REVOKE_EMAILS revoke, with a CSRF token bound to their identity", async () => {
    const t = await newTenant();
    const signer = await accessSigner("kid-revoke");
    const env = await dashboardEnv(t, {
      ACCESS_TEAM_DOMAIN: ACCESS_TEAM,
      ACCESS_AUD,
      ACCESS_JWKS: JSON.stringify(signer.jwks),
      ACCESS_REVOKE_EMAILS: "alice@acme.example",
    });
    const alice = { "Cf-Access-Jwt-Assertion": await signer.sign(accessClaims()) };
    const bob = { "Cf-Access-Jwt-Assertion": await signer.sign(accessClaims({ email: "bob@acme.example", sub: "bob-sub" })) };
    const csrf = csrfIn(await (await call(env, `/dashboard/tokens/${target.id}/revoke`, { headers: alice })).text());

    expect((await call(env, `/dashboard/tokens/${target.id}/revoke`, form({ csrf }, bob))).status).toBe(403);
    expect(await isRevoked(t, target.id)).toBe(false);

    const res = await call(env, `/dashboard/tokens/${target.id}/revoke`, form({ csrf }, alice));
    expect(res.status).toBe(303);
    expect(await isRevoked(t, target.id)).toBe(true);
    expect((await audit(env))[0]).toMatchObject({ principal: "access:alice@acme.example", surface: "dashboard", result: "ok" });
  });
});
