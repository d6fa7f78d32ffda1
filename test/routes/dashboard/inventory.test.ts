import { describe, expect, it } from "vitest";
import { API_KEY_VALUES, demo, newTenant, type Tenant } from "../../helpers";
import { call, csrfIn, dashboardEnv, form, SESSION_SECRET, signIn } from "./helpers";

const tk = demo.tokens;
const rowIds = (html: string) => [...html.matchAll(/data-token-id="([^"]+)"/g)].map((m) => m[1]!);
const finding = (html: string, c: string) => new RegExp(`data-testid="finding-${c}"><span class="count">(\\d+)<`).exec(html)?.[1];

async function signedIn(t: Tenant, key: string = API_KEY_VALUES.admin, overrides: Record<string, unknown> = {}) {
  const env = await dashboardEnv(t, overrides);
  const cookie = await signIn(env, key);
  const get = async (path: string) => {
    const res = await call(env, path, { headers: { Cookie: cookie } });
    return { status: res.status, headers: res.headers, html: await res.text() };
  };
  return { env, cookie, get };
}

async function createToken(t: Tenant, name: string, extra: Record<string, string> = {}): Promise<{ id: string; access_token: string }> {
  const carol = demo.users.acmeUser;
  const res = await fetch(`${t.baseUrl}/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: carol.login, password: carol.password, name, ...extra }).toString(),
  });
  if (res.status !== 200) throw new Error(`create failed: ${res.status}`);
  return (await res.json()) as { id: string; access_token: string };
}

describe("the dashboard inventory", () => {
  it("lists every token of the customer with the hygiene findings counted, most urgent first", async () => {
    const { get } = await signedIn(await newTenant());
    const { status, html } = await get("/dashboard");
    expect(status).toBe(200);
    const ids = rowIds(html);
    expect(ids).toHaveLength(14);
    expect(ids.slice(0, 4)).toEqual([tk.engineerExpiringSoon.id, tk.userExpired.id, tk.userLongUnused.id, tk.userNeverUsed.id]);
    expect(ids.at(-1)).toBe(tk.engineerReadOnly.id);
    expect(["expiring", "expired", "unused", "never_used", "global_all_services", "no_expiry"].map((c) => finding(html, c))).toEqual([
      "1",
      "1",
      "1",
      "1",
      "7",
      "10",
    ]);
    expect(html).toContain("Stale-token policy: <strong>off</strong>");
    expect(html).toContain("this Worker&#39;s token");
  });

  it("shows expiry and last use as bars and badges, not only dates", async () => {
    const { get } = await signedIn(await newTenant());
    const { html } = await get("/dashboard");
    const row = (id: string) => html.slice(html.indexOf(`data-token-id="${id}"`), html.indexOf("</tr>", html.indexOf(`data-token-id="${id}"`)));
    // The seed says "+2d" from the emulator's clock; the Worker's clock (workerd's advances only on I/O) may read a
    // few milliseconds behind it, so the bar's value is "about two days": just under, or a hair over.
    const expiring = /<meter min="0" max="90" low="7" high="30" optimum="90" value="([\d.]+)" title="expires in (1 day|2 days)"/.exec(row(tk.engineerExpiringSoon.id));
    expect(Number(expiring?.[1])).toBeGreaterThan(1);
    expect(Number(expiring?.[1])).toBeLessThan(2.001);
    expect(row(tk.userExpired.id)).toContain('<span class="badge red">expired 10 days ago</span>');
    expect(row(tk.userNeverUsed.id)).toContain('<span class="badge amber">never used</span>');
    expect(row(tk.userLongUnused.id)).toMatch(/<meter min="0" max="90" low="30" high="60" optimum="0" value="90"/);
    expect(row(tk.userLongUnused.id)).toContain('<span class="badge red">used 120 days ago</span>');
    expect(row(tk.userGlobal.id)).toContain('<span class="badge amber">never expires</span>');
    expect(row(tk.userGlobal.id)).toContain('<span class="badge amber">all services</span>');
  });

  it.each([
    ["owner", `owner=${demo.users.acmeEngineer.id}`, [tk.engineerExpiringSoon, tk.engineerGlobal, tk.engineerPurgeAll, tk.engineerPurgeSelect, tk.engineerReadOnly]],
    ["scope", "scope=purge_all", [tk.engineerPurgeAll]],
    ["finding", "finding=never_used", [tk.userNeverUsed]],
    ["expiry window", "expiring=7", [tk.engineerExpiringSoon]],
    ["last use", "unused=100", [tk.userLongUnused]],
    ["name", "q=DEPLOY", [tk.engineerExpiringSoon]],
    ["several filters at once", `scope=global&owner=${demo.users.acmeUser.id}&finding=global_all_services`, [tk.userExpired, tk.userLongUnused, tk.userGlobal]],
  ])("filters by %s", async (_, query, expected) => {
    const { get } = await signedIn(await newTenant());
    const { status, html } = await get(`/dashboard?${query}&sort=name`);
    expect(status).toBe(200);
    expect(rowIds(html)).toEqual([...expected].sort((a, b) => a.name.localeCompare(b.name)).map((x) => x.id));
    expect(html).toContain(`Showing ${expected.length} of 14 tokens`);
  });

  it("sorts by expiry, last use, owner and scope, both ways", async () => {
    const { get } = await signedIn(await newTenant());
    const byExpiry = rowIds((await get("/dashboard?sort=expiry")).html);
    expect(byExpiry.slice(0, 4)).toEqual([tk.userExpired.id, tk.engineerExpiringSoon.id, tk.engineerGlobal.id, tk.engineerReadOnly.id]);
    const byExpiryDesc = rowIds((await get("/dashboard?sort=expiry&dir=desc")).html);
    expect(byExpiryDesc).toEqual([...byExpiry].reverse());
    const byLastUse = rowIds((await get("/dashboard?sort=last_used")).html);
    expect(byLastUse.slice(0, 3)).toEqual([tk.userNeverUsed.id, tk.userLongUnused.id, tk.userExpired.id]);
    const byOwner = (await get("/dashboard?sort=owner")).html;
    const owners = [...byOwner.matchAll(/data-token-id="[^"]+"><td>.*?<\/td><td><code>([^<]+)<\/code>/g)].map((m) => m[1]!);
    expect(owners).toEqual([...owners].sort((a, b) => a.localeCompare(b)));
    expect(new Set(owners).size).toBeGreaterThan(2);
    const byScope = rowIds((await get("/dashboard?sort=scope&scope=global:read")).html);
    expect(byScope).toHaveLength(3);
  });

  it("makes the column headers sort links that flip the order, keeping the filters", async () => {
    const { get } = await signedIn(await newTenant());
    const { html } = await get("/dashboard?scope=global&sort=expiry");
    expect(html).toContain('href="/dashboard?scope=global&amp;sort=expiry&amp;dir=desc">Expiry ▲</a>');
    expect(html).toContain('href="/dashboard?scope=global&amp;sort=last_used">Last use</a>');
  });

  it("explains malformed filters on the page with 400, lists nothing, and does not repeat the input", async () => {
    const { get } = await signedIn(await newTenant());
    const { status, html } = await get("/dashboard?expiring=soonish&scope=rootkit&sort=%3Cscript%3E&owner=x%22y&dir=sideways&unused=0");
    expect(status).toBe(400);
    expect(html).toContain("These filters cannot be applied; nothing is listed until they are fixed:");
    for (const message of [
      "owner: expected a user id (letters and digits)",
      "scope: expected one of global, purge_select, purge_all, global:read",
      "expiring: expected a whole number of days from 1 to 3650",
      "unused: expected a whole number of days from 1 to 3650",
      "sort: expected one of urgency, name, owner, scope, expiry, last_used, created",
      "dir: expected &quot;asc&quot; or &quot;desc&quot;",
    ]) {
      expect(html).toContain(`<li>${message}</li>`);
    }
    expect(rowIds(html)).toEqual([]);
    for (const echoed of ["soonish", "rootkit", "<script>", "&lt;script&gt;", "sideways", 'x"y']) expect(html).not.toContain(echoed);
    // The findings and the audit log still show: only the filtered list is withheld.
    expect(finding(html, "expired")).toBe("1");
  });

  it("refuses a filter given twice and a search that looks like a pasted token, without echoing it", async () => {
    const { get } = await signedIn(await newTenant());
    const twice = await get("/dashboard?scope=global&scope=purge_all");
    expect(twice.status).toBe(400);
    expect(twice.html).toContain("<li>scope: give it once</li>");
    const pasted = await get(`/dashboard?q=${tk.userGlobal.access_token}`);
    expect(pasted.status).toBe(400);
    expect(pasted.html).toContain("q: looks like a token value: search by name or id, never paste a token");
    expect(pasted.html).not.toContain(tk.userGlobal.access_token);
  });

  it("escapes token names everywhere they appear, so a name cannot inject markup", async () => {
    const t = await newTenant();
    const evil = `<img src=x onerror=alert(1)><script>alert("pwn")</script>"'&`;
    const created = await createToken(t, evil, { expires_at: new Date(Date.now() + 86_400_000).toISOString() });
    const { env, cookie, get } = await signedIn(t);

    const list = (await get("/dashboard")).html;
    expect(rowIds(list)).toContain(created.id);
    expect(list).toContain("&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(&quot;pwn&quot;)&lt;/script&gt;&quot;&#39;&amp;");
    expect(list).not.toContain("<script");
    expect(list).not.toContain("<img");

    const confirm = (await get(`/dashboard/tokens/${created.id}/revoke`)).html;
    expect(confirm).not.toContain("<script");
    await call(env, `/dashboard/tokens/${created.id}/revoke`, form({ csrf: csrfIn(confirm) }, { Cookie: cookie }));
    const audited = (await get("/dashboard")).html;
    expect(audited).toContain(`data-audit-id=`);
    expect(audited).not.toContain("<script");
    expect(audited).not.toContain("<img");
  });

  it("sends no script and forbids any with its Content-Security-Policy; the stylesheet is a separate file", async () => {
    const { env, get } = await signedIn(await newTenant());
    const { html, headers } = await get("/dashboard");
    expect(html.startsWith("<!DOCTYPE html><html lang=\"en\">")).toBe(true);
    expect(html).not.toMatch(/<script|onclick=|style="/i);
    expect(headers.get("Content-Security-Policy")).toBe(
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(headers.get("Cache-Control")).toBe("no-store");
    expect(headers.get("X-Frame-Options")).toBe("DENY");
    const css = await call(env, "/dashboard/assets/dashboard.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("Cache-Control")).toBe("public, max-age=3600");
    expect(await css.text()).toContain("meter{");
  });

  it("shows a key restricted to another customer a forbidden page, not that customer's tokens", async () => {
    const { get } = await signedIn(await newTenant(), API_KEY_VALUES.globexReader);
    const { status, html } = await get("/dashboard");
    expect(status).toBe(403);
    expect(html).toContain("this API key is restricted to another customer");
    expect(rowIds(html)).toEqual([]);
  });

  it("shows the stale policy and how many tokens it would revoke", async () => {
    const { get } = await signedIn(await newTenant(), API_KEY_VALUES.admin, { STALE_POLICY: "report" });
    const { html } = await get("/dashboard");
    expect(html).toContain("Stale-token policy: <strong>report</strong> — tokens unused for 90+ days are reported in the daily digest, never revoked; 1 would be revoked now.");
  });

  it("answers unknown dashboard paths with an HTML 404 page", async () => {
    const { get } = await signedIn(await newTenant());
    const res = await get("/dashboard/nope");
    expect(res.status).toBe(404);
    expect(res.html).toContain("There is no such dashboard page.");
  });

  it("never shows a secret on any page: token values, API keys, the Worker's token, the session secret", async () => {
    const t = await newTenant();
    const created = await createToken(t, "fresh token");
    const { env, cookie, get } = await signedIn(t);
    const pages: string[] = [];
    const keep = async (res: Response) => pages.push(`${res.status} ${[...res.headers].join(";")} ${await res.text()}`);
    await keep(await call(env, "/dashboard"));
    await keep(await call(env, "/dashboard/login", form({ api_key: API_KEY_VALUES.admin })));
    await keep(await call(env, "/dashboard/login", form({ api_key: tk.userGlobal.access_token })));
    for (const path of ["/dashboard", "/dashboard?sort=expiry", `/dashboard?q=${created.access_token}`, `/dashboard/tokens/${tk.userGlobal.id}/revoke`, "/dashboard/x"]) {
      const page = await get(path);
      pages.push(page.html, [...page.headers].join(";"));
    }
    const csrf = csrfIn(pages.join("\n"));
    await keep(await call(env, `/dashboard/tokens/${tk.userGlobal.id}/revoke`, form({ csrf }, { Cookie: cookie })));
    await keep(await call(env, "/dashboard?revoked=" + tk.userGlobal.id, { headers: { Cookie: cookie } }));
    const all = pages.join("\n");
    expect(all).toContain(tk.userGlobal.id);
    const secrets = [
      ...Object.values(tk).map((x) => x.access_token),
      created.access_token,
      ...Object.values(API_KEY_VALUES),
      SESSION_SECRET,
      "test-seal-secret-0123456789abcdef",
    ];
    for (const secret of secrets) expect(all).not.toContain(secret);
  });
});
