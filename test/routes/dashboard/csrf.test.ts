import { describe, expect, it } from "vitest";
import { API_KEY_VALUES, audit, callWorker, captureConsole, demo, newTenant, type Tenant } from "../../helpers";
import { call, csrfIn, dashboardEnv, form, ORIGIN, signIn } from "./helpers";

// hono's csrf() origin check runs on every dashboard post, beside the HMAC form token (src/routes/dashboard/index.tsx):
// a post must come from the dashboard's origin and carry the viewer's token.

const logged = captureConsole();
const target = demo.tokens.userLongUnused;

async function isRevoked(t: Tenant, id: string): Promise<boolean> {
  return (await t.tokens()).find((x) => x.id === id)!.revoked;
}

async function adminSession(t: Tenant) {
  const env = await dashboardEnv(t);
  const cookie = await signIn(env, API_KEY_VALUES.admin);
  const csrf = csrfIn(await (await call(env, "/dashboard", { headers: { Cookie: cookie } })).text());
  return { env, cookie, csrf };
}

describe("dashboard posts: origin check and HMAC token", () => {
  it("refuses a cross-origin revoke carrying a valid token with 403, through the whole app, changing nothing and logging why", async () => {
    const t = await newTenant();
    const { env, cookie, csrf } = await adminSession(t);
    const res = await callWorker(env, `/dashboard/tokens/${target.id}/revoke`, form({ csrf }, { Cookie: cookie, Origin: "https://evil.example" }));
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain("This form did not come from this dashboard. Nothing was changed.");
    expect(res.headers.get("X-Request-Id")).toBeTruthy();
    const line = logged.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === "request_refused");
    expect(line).toEqual({ event: "request_refused", status: 403, code: "cross_origin", reason: "cross-origin post", request_id: res.headers.get("X-Request-Id") });
    expect(html).not.toContain("cross-origin post");
    expect(await isRevoked(t, target.id)).toBe(false);
    expect(await audit(env)).toEqual([]);
  });

  it("refuses a cross-origin sign-in before looking at its key, setting no cookie", async () => {
    const env = await dashboardEnv(await newTenant());
    const res = await callWorker(env, "/dashboard/login", form({ api_key: API_KEY_VALUES.admin }, { Origin: "https://evil.example" }));
    expect(res.status).toBe(403);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(logged.some((l) => l.includes("dashboard_login"))).toBe(false);
  });

  it("still refuses a same-origin revoke whose HMAC token is wrong: the origin check alone is not enough", async () => {
    const t = await newTenant();
    const { env, cookie } = await adminSession(t);
    const res = await call(env, `/dashboard/tokens/${target.id}/revoke`, form({ csrf: "Zm9yZ2VkLWNzcmYtdG9rZW4" }, { Cookie: cookie, Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" }));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("CSRF check failed");
    const reasons = logged.filter((l) => l.includes('"event":"request_refused"')).map((l) => JSON.parse(l).reason);
    expect(reasons).toEqual(["CSRF token missing, malformed or not this viewer's"]);
    expect(await isRevoked(t, target.id)).toBe(false);
    expect(await audit(env)).toEqual([]);
  });

  it("refuses a form post that says nowhere where it came from (no Origin, no Sec-Fetch-Site), even with a valid token", async () => {
    const t = await newTenant();
    const { env, cookie, csrf } = await adminSession(t);
    const res = await call(env, `/dashboard/tokens/${target.id}/revoke`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf }).toString(),
    });
    expect(res.status).toBe(403);
    expect(await isRevoked(t, target.id)).toBe(false);
  });

  it("lets a same-origin post with the viewer's token revoke", async () => {
    const t = await newTenant();
    const { env, cookie, csrf } = await adminSession(t);
    const res = await callWorker(env, `/dashboard/tokens/${target.id}/revoke`, { redirect: "manual", ...form({ csrf }, { Cookie: cookie, "Sec-Fetch-Site": "same-origin" }) });
    expect(res.status).toBe(303);
    expect(await isRevoked(t, target.id)).toBe(true);
  });
});
