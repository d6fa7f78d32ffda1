import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../../src/crypto/hash";
import { issueSession, SESSION_COOKIE } from "../../../src/routes/dashboard/session";
import { API_KEY_VALUES, apiKeysJson, demo, newTenant } from "../../helpers";
import { ACCESS_AUD, ACCESS_TEAM, accessClaims, accessSigner, call, cookieFrom, csrfIn, dashboardApp, dashboardEnv, form, ORIGIN, SESSION_SECRET, signIn } from "./helpers";

const rowIds = (html: string) => [...html.matchAll(/data-token-id="([^"]+)"/g)].map((m) => m[1]);

describe("dashboard sign-in with a Worker API key", () => {
  it("shows the login page, and no token, to a visitor without credentials", async () => {
    const env = await dashboardEnv(await newTenant());
    const res = await call(env, "/dashboard");
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/dashboard/login"');
    expect(html).toContain('name="api_key" type="password"');
    expect(rowIds(html)).toEqual([]);
    expect(html).not.toContain(demo.tokens.userGlobal.id);
  });

  it("refuses an unknown key with a clear message, sets no cookie and never repeats the key", async () => {
    const env = await dashboardEnv(await newTenant());
    const wrong = "ftw_wrong_key_0000000000000000000000000";
    const res = await call(env, "/dashboard/login", form({ api_key: wrong }));
    expect(res.status).toBe(401);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    const html = await res.text();
    expect(html).toContain("That API key is not valid.");
    expect(html).not.toContain(wrong);
  });

  it("refuses a key without the read scope", async () => {
    const env = await dashboardEnv(await newTenant());
    const res = await call(env, "/dashboard/login", form({ api_key: API_KEY_VALUES.revoker }));
    expect(res.status).toBe(403);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await res.text()).toContain("The API key &quot;revoker&quot; lacks the read scope the dashboard needs.");
  });

  it("signs a reader in with an HttpOnly, Secure, SameSite=Strict session cookie that names the key but does not hold it", async () => {
    const env = await dashboardEnv(await newTenant());
    const res = await call(env, "/dashboard/login", form({ api_key: API_KEY_VALUES.reader }));
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard");
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=v1\\.`));
    for (const attribute of ["Max-Age=3600", "Path=/", "HttpOnly", "Secure", "SameSite=Strict"]) expect(setCookie).toContain(attribute);
    expect(setCookie).not.toContain(API_KEY_VALUES.reader);
    expect(setCookie).not.toContain(await sha256Hex(API_KEY_VALUES.reader));

    const page = await call(env, "/dashboard", { headers: { Cookie: cookieFrom(res) } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Signed in as apikey:reader");
    expect(rowIds(html)).toContain(demo.tokens.userGlobal.id);
  });

  it("shows a key without the revoke scope no revoke buttons, and refuses its revocations with 403", async () => {
    const t = await newTenant();
    const env = await dashboardEnv(t);
    const cookie = await signIn(env, API_KEY_VALUES.reader);
    const html = await (await call(env, "/dashboard", { headers: { Cookie: cookie } })).text();
    expect(html).not.toContain("Revoke…");
    expect(html).not.toContain("/revoke");
    const csrf = csrfIn(html);

    const id = demo.tokens.userGlobal.id;
    const confirm = await call(env, `/dashboard/tokens/${id}/revoke`, { headers: { Cookie: cookie } });
    expect(confirm.status).toBe(403);
    expect(await confirm.text()).toContain("The API key &quot;reader&quot; lacks the revoke scope.");
    const post = await call(env, `/dashboard/tokens/${id}/revoke`, form({ csrf }, { Cookie: cookie }));
    expect(post.status).toBe(403);
    expect((await t.tokens()).find((x) => x.id === id)!.revoked).toBe(false);
  });

  it("treats a tampered, expired or rotated-key session as signed out", async () => {
    const t = await newTenant();
    const env = await dashboardEnv(t);
    const cookie = await signIn(env, API_KEY_VALUES.reader);

    // A character in the middle of the MAC: the last base64url character of 32 bytes carries 2 discarded bits, so
    // changing it can leave the decoded MAC as it was (a test that passed 15 times in 16).
    const at = cookie.length - 10;
    const swapped = cookie[at] === "A" ? "B" : "A";
    const tampered = await call(env, "/dashboard", { headers: { Cookie: cookie.slice(0, at) + swapped + cookie.slice(at + 1) } });
    expect(tampered.status).toBe(401);
    expect(await tampered.text()).toContain("Your session has ended. Sign in again.");
    expect(tampered.headers.get("Set-Cookie")).toContain("Max-Age=0");

    const readerSha = await sha256Hex(API_KEY_VALUES.reader);
    const expired = (await issueSession(SESSION_SECRET, "reader", readerSha, 60, new Date(Date.now() - 120_000))).value;
    expect((await call(env, "/dashboard", { headers: { Cookie: `${SESSION_COOKIE}=${expired}` } })).status).toBe(401);

    const forgedName = (await issueSession("another-secret-another-secret-another", "admin", readerSha, 600, new Date())).value;
    expect((await call(env, "/dashboard", { headers: { Cookie: `${SESSION_COOKIE}=${forgedName}` } })).status).toBe(401);

    // The operator rotates the reader key: same name, new value. Its old sessions end.
    const rotated = JSON.parse(await apiKeysJson()) as { name: string; sha256: string }[];
    rotated.find((k) => k.name === "reader")!.sha256 = await sha256Hex("ftw_reader_rotated_000000000000000000000");
    // Same storage (the session is still recorded as open), new configuration.
    const envAfter = { ...env, API_KEYS: JSON.stringify(rotated) };
    expect((await call(envAfter, "/dashboard", { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it("says API-key sign-in is not configured when there is no secret to sign sessions with", async () => {
    const env = await dashboardEnv(await newTenant(), { DASHBOARD_SESSION_SECRET: undefined, SEAL_SECRET: undefined });
    const page = await call(env, "/dashboard");
    expect(page.status).toBe(401);
    expect(await page.text()).toContain("API-key sign-in is not configured");
    const post = await call(env, "/dashboard/login", form({ api_key: API_KEY_VALUES.admin }));
    expect(post.status).toBe(503);
    expect(post.headers.get("Set-Cookie")).toBeNull();
  });

  it("refuses a sign-in posted from another site", async () => {
    const env = await dashboardEnv(await newTenant());
    const res = await call(env, "/dashboard/login", form({ api_key: API_KEY_VALUES.admin }, { Origin: "https://evil.example" }));
    expect(res.status).toBe(403);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    const sameSiteCheck = await call(env, "/dashboard/login", form({ api_key: API_KEY_VALUES.admin }, { Origin: ORIGIN, "Sec-Fetch-Site": "cross-site" }));
    expect(sameSiteCheck.status).toBe(403);
  });

  it("signs out: the cookie is cleared and the next visit shows the login page", async () => {
    const env = await dashboardEnv(await newTenant());
    const cookie = await signIn(env, API_KEY_VALUES.admin);
    const csrf = csrfIn(await (await call(env, "/dashboard", { headers: { Cookie: cookie } })).text());
    const forged = await call(env, "/dashboard/logout", form({ csrf: "AAAAAAAAAAAAAAAAAAAAAA" }, { Cookie: cookie }));
    expect(forged.status).toBe(403);
    const out = await call(env, "/dashboard/logout", form({ csrf }, { Cookie: cookie }));
    expect(out.status).toBe(303);
    expect(out.headers.get("Location")).toBe("/dashboard/login");
    expect(out.headers.get("Set-Cookie")).toMatch(new RegExp(`^${SESSION_COOKIE}=; Max-Age=0`));
  });
});

describe("dashboard sign-in with Cloudflare Access", () => {
  const accessEnv = async (signer: { jwks: unknown }, extra: Record<string, unknown> = {}) =>
    dashboardEnv(await newTenant(), {
      ACCESS_TEAM_DOMAIN: ACCESS_TEAM,
      ACCESS_AUD,
      ACCESS_JWKS: JSON.stringify(signer.jwks),
      ...extra,
    });

  it("lets a user with a valid Access token read, without revoke rights unless listed", async () => {
    const signer = await accessSigner("kid-valid");
    const env = await accessEnv(signer);
    const jwt = await signer.sign(accessClaims());
    const res = await call(env, "/dashboard", { headers: { "Cf-Access-Jwt-Assertion": jwt } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Signed in as access:alice@acme.example");
    expect(rowIds(html)).toContain(demo.tokens.userGlobal.id);
    expect(html).not.toContain("Revoke…");
    expect(html).toContain('href="/cdn-cgi/access/logout"');
  });

  it("gives revoke rights to the Access users named in ACCESS_REVOKE_EMAILS", async () => {
    const signer = await accessSigner("kid-revoker");
    const env = await accessEnv(signer, { ACCESS_REVOKE_EMAILS: "bob@acme.example, ALICE@acme.example" });
    const html = await (await call(env, "/dashboard", { headers: { "Cf-Access-Jwt-Assertion": await signer.sign(accessClaims()) } })).text();
    expect(html).toContain("Revoke…");
    const other = await signer.sign(accessClaims({ email: "mallory@acme.example", sub: "other" }));
    expect(await (await call(env, "/dashboard", { headers: { "Cf-Access-Jwt-Assertion": other } })).text()).not.toContain("Revoke…");
  });

  it.each([
    ["expired", { exp: Math.floor(Date.now() / 1000) - 120 }, "your Access session has expired"],
    ["for another application", { aud: ["0000000000000000000000000000000000000000000000000000000000000000"] }, "issued for another application"],
    ["from another Access team", { iss: "https://evil-team.cloudflareaccess.com" }, "issued by another Access team"],
    ["not yet valid", { nbf: Math.floor(Date.now() / 1000) + 600 }, "not valid yet"],
  ])("refuses an Access token that is %s with 403 and shows nothing", async (_, claims, reason) => {
    const signer = await accessSigner("kid-claims");
    const env = await accessEnv(signer);
    const res = await call(env, "/dashboard", { headers: { "Cf-Access-Jwt-Assertion": await signer.sign(accessClaims(claims)) } });
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain(reason);
    expect(rowIds(html)).toEqual([]);
    expect(html).not.toContain(demo.tokens.userGlobal.id);
  });

  it("refuses forged Access tokens: another key under the same kid, alg none, HS256, garbage", async () => {
    const signer = await accessSigner("kid-forge");
    const impostor = await accessSigner("kid-forge");
    const env = await accessEnv(signer);
    const b64 = (v: unknown) => btoa(JSON.stringify(v)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const valid = await signer.sign(accessClaims());
    const cases: [string, string][] = [
      [await impostor.sign(accessClaims()), "signature does not verify"],
      [`${b64({ alg: "none", kid: "kid-forge" })}.${b64(accessClaims())}.AAAA`, "not signed with RS256"],
      [`${b64({ alg: "HS256", kid: "kid-forge" })}.${valid.split(".")[1]}.${valid.split(".")[2]}`, "not signed with RS256"],
      [await impostor.sign(accessClaims(), { kid: "kid-unknown" }), "a key your Access team does not publish"],
      [`${valid.split(".")[0]}.${b64(accessClaims({ email: "admin@acme.example" }))}.${valid.split(".")[2]}`, "signature does not verify"],
      ["not-a-jwt", "not a well-formed JWT"],
    ];
    for (const [jwt, reason] of cases) {
      const res = await call(env, "/dashboard", { headers: { "Cf-Access-Jwt-Assertion": jwt } });
      expect(res.status, reason).toBe(403);
      expect(await res.text()).toContain(reason);
    }
  });

  it("fetches the team's key set from ACCESS_JWKS_URL once, and again only for a key id it has not seen", async () => {
    const signer = await accessSigner("kid-url-1");
    const next = await accessSigner("kid-url-2");
    const jwksUrl = `${ACCESS_TEAM}/cdn-cgi/access/certs?test=${crypto.randomUUID()}`;
    let served = signer.jwks.keys;
    const requested: string[] = [];
    // Stands in for the Access team's certs endpoint, which tests cannot reach.
    const accessEndpoint: typeof fetch = async (input) => {
      requested.push(String(input instanceof Request ? input.url : input));
      return Response.json({ keys: served });
    };
    const app = dashboardApp({ fetch: accessEndpoint });
    const env = await dashboardEnv(await newTenant(), { ACCESS_TEAM_DOMAIN: ACCESS_TEAM, ACCESS_AUD, ACCESS_JWKS_URL: jwksUrl });
    const headers = { "Cf-Access-Jwt-Assertion": await signer.sign(accessClaims()) };
    expect((await call(env, "/dashboard", { headers }, app)).status).toBe(200);
    expect((await call(env, "/dashboard", { headers }, app)).status).toBe(200);
    expect(requested).toEqual([jwksUrl]);

    // A key id the set does not have, within 30 s of the last fetch, is refused without fetching again, so a burst
    // of made-up key ids cannot hammer the endpoint (jwks.test.ts covers the refetch after that).
    served = [...signer.jwks.keys, ...next.jwks.keys];
    const rotated = { "Cf-Access-Jwt-Assertion": await next.sign(accessClaims()) };
    expect((await call(env, "/dashboard", { headers: rotated }, app)).status).toBe(403);
    expect(requested).toHaveLength(1);
  });

  it("answers 503, not 403, when the Access key set cannot be fetched", async () => {
    const signer = await accessSigner("kid-down");
    const down: typeof fetch = async () => new Response("upstream down", { status: 502 });
    const env = await dashboardEnv(await newTenant(), {
      ACCESS_TEAM_DOMAIN: ACCESS_TEAM,
      ACCESS_AUD,
      ACCESS_JWKS_URL: `${ACCESS_TEAM}/cdn-cgi/access/certs?down=${crypto.randomUUID()}`,
    });
    const res = await call(env, "/dashboard", { headers: { "Cf-Access-Jwt-Assertion": await signer.sign(accessClaims()) } }, dashboardApp({ fetch: down }));
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("the Access key set answered 502");
  });

  it("falls back to the API-key login page when a request carries no Access token", async () => {
    const signer = await accessSigner("kid-none");
    const env = await accessEnv(signer);
    const res = await call(env, "/dashboard");
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Or open this page through the Cloudflare Access application");
  });

  it("refuses a half-configured Access setup with a clear configuration error", async () => {
    const env = await dashboardEnv(await newTenant(), { ACCESS_TEAM_DOMAIN: ACCESS_TEAM });
    const res = await call(env, "/dashboard");
    expect(res.status).toBe(500);
    // The visitor learns which setting; why it is wrong is in the log.
    const html = await res.text();
    expect(html).toContain("setting ACCESS_AUD is invalid");
    expect(html).not.toContain("needs both");
  });
});
