import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { API_KEY_VALUES, auditOf, demo, dumpD1, newTenant } from "../helpers";
import { call, csrfIn, dashboardEnv, form, signIn } from "../routes/dashboard/helpers";
import { evidence, expectNothingHappened } from "./evidence";

// Issue 12, item 7: dashboard sessions are recorded server-side (D1), so logout ends a session for good, and an admin
// (an API key with the `admin` scope) can sign everyone out; a copied cookie then signs in no more.

const target = demo.tokens.userNeverUsed.id;

async function page(env: Env, cookie: string) {
  const res = await call(env, "/dashboard", { headers: { Cookie: cookie } });
  return { status: res.status, html: await res.text() };
}

describe("dashboard sessions end server-side", () => {
  it("signs out a cookie replayed after logout, and refuses its revoke form, changing nothing", async () => {
    const t = await newTenant();
    const env = await dashboardEnv(t);
    const cookie = await signIn(env, API_KEY_VALUES.admin);
    const csrf = csrfIn((await call(env, `/dashboard/tokens/${target}/revoke`, { headers: { Cookie: cookie } }).then((r) => r.text())));
    const out = await call(env, "/dashboard/logout", form({ csrf }, { Cookie: cookie }));
    expect(out.status).toBe(303);

    await t.clearCalls();
    const before = await evidence(env, t);
    const replayed = await page(env, cookie);
    expect(replayed.status).toBe(401);
    expect(replayed.html).toContain("Your session has ended. Sign in again.");
    const revoke = await call(env, `/dashboard/tokens/${target}/revoke`, form({ csrf }, { Cookie: cookie }));
    expect(revoke.status).toBe(401);
    expect((await t.calls()).length).toBe(0);
    await expectNothingHappened(before, env, t);
  });

  it("lets an admin sign everyone out: every key's sessions end, the admin's own included, and it is audited", async () => {
    const t = await newTenant();
    const env = await dashboardEnv(t);
    const readerHere = await signIn(env, API_KEY_VALUES.reader);
    const readerThere = await signIn(env, API_KEY_VALUES.reader);
    const admin = await signIn(env, API_KEY_VALUES.admin);
    const home = await page(env, admin);
    expect(home.html).toContain('action="/dashboard/sign-out-everywhere"');
    const res = await call(env, "/dashboard/sign-out-everywhere", form({ csrf: csrfIn(home.html) }, { Cookie: admin }));
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dashboard/login");
    for (const cookie of [readerHere, readerThere, admin]) expect((await page(env, cookie)).status).toBe(401);
    const [entry] = (await auditOf(env).list(1)).entries;
    expect(entry).toMatchObject({ surface: "dashboard", principal: "apikey:admin", operation: "signOutEverywhere", result: "ok", detail: "ended 3 dashboard sessions" });
    // Signing in again starts a new session.
    expect((await page(env, await signIn(env, API_KEY_VALUES.reader))).status).toBe(200);
  });

  it("refuses sign-out-everywhere without the admin scope, or with a forged form, and ends nothing", async () => {
    const t = await newTenant();
    const env = await dashboardEnv(t);
    const reader = await signIn(env, API_KEY_VALUES.reader);
    const admin = await signIn(env, API_KEY_VALUES.admin);
    const readerPage = await page(env, reader);
    expect(readerPage.html).not.toContain("sign-out-everywhere");
    const before = await evidence(env, t);
    const denied = await call(env, "/dashboard/sign-out-everywhere", form({ csrf: csrfIn(readerPage.html) }, { Cookie: reader }));
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain("needs an API key with the &quot;admin&quot; scope");
    const forged = await call(env, "/dashboard/sign-out-everywhere", form({ csrf: "AAAAAAAAAAAAAAAAAAAAAA" }, { Cookie: admin }));
    expect(forged.status).toBe(403);
    const crossSite = await call(env, "/dashboard/sign-out-everywhere", form({ csrf: csrfIn((await page(env, admin)).html) }, { Cookie: admin, Origin: "https://evil.example" }));
    expect(crossSite.status).toBe(403);
    await expectNothingHappened(before, env, t);
    for (const cookie of [reader, admin]) expect((await page(env, cookie)).status).toBe(200);
  });

  it("records sessions by the SHA-256 of their id: no cookie, and no part of one, is stored", async () => {
    const env = await dashboardEnv(await newTenant());
    const cookie = await signIn(env, API_KEY_VALUES.reader);
    const { sessions } = await dumpD1(env);
    expect(sessions).toHaveLength(1);
    expect(sessions![0]).toMatchObject({ principal: "apikey:reader", ended_ms: null });
    expect(String(sessions![0]!.id)).toMatch(/^[0-9a-f]{64}$/);
    const parts = cookie.split("=")[1]!.split(".");
    expect(JSON.stringify(sessions)).not.toContain(parts[3]!);
    expect(JSON.stringify(sessions)).not.toContain(parts[4]!);
  });
});
