import { describe, expect, it } from "vitest";
import { API_KEY_VALUES, callWorker, demo, newTenant, plantLeaks } from "../../helpers";
import { call, dashboardEnv, signIn } from "./helpers";

const NOW = Date.now();
const MIN = 60_000;
const DAY = 86_400_000;
const acme = demo.customers.acme.id;

const stateOrder = (html: string) => [...html.matchAll(/<tr data-state="([a-z_]+)"/g)].map((m) => m[1]);
const outcome = (html: string, state: string) => new RegExp(`data-testid="outcome-${state}"><span class="count">(\\d+)<`).exec(html)?.[1];

async function leaksPage(key: string = API_KEY_VALUES.reader) {
  const t = await newTenant();
  const env = await dashboardEnv(t);
  await plantLeaks(env, [
    // Revoked after 1, 2, 3 … 20 minutes: median 10 min, p95 19 min.
    ...Array.from({ length: 20 }, (_, i) => ({
      hash: `r${i}`,
      state: "revoked" as const,
      source: i < 15 ? "github_alert" : "standard_webhooks",
      firstSeenMs: NOW - DAY,
      revokedMs: NOW - DAY + (i + 1) * MIN,
      tokenId: `tok${i}`,
      tokenName: i === 19 ? "<script>alert(1)</script>" : `token ${i}`,
      customerId: acme,
    })),
    { hash: "u1", state: "unverified", source: "standard_webhooks", firstSeenMs: NOW - 2 * DAY, detail: "Fastly refused both the live check (403) and self-revocation (403)" },
    { hash: "f1", state: "failed", source: "chat", firstSeenMs: NOW - 3 * DAY, tokenId: "tokF", customerId: acme },
    { hash: "n1", state: "not_live", source: "github_partner", firstSeenMs: NOW - 4 * DAY },
    // Older than 30 days: not in the view.
    { hash: "old", state: "revoked", source: "github_alert", firstSeenMs: NOW - 40 * DAY, revokedMs: NOW - 40 * DAY + 999 * MIN },
  ]);
  const cookie = await signIn(env, key);
  const res = await call(env, "/dashboard/leaks", { headers: { Cookie: cookie } });
  return { env, res, html: await res.text() };
}

describe("the dashboard's Leaks view", () => {
  it("counts the last 30 days by outcome and by source, with the median and p95 time to revoke", async () => {
    const { res, html } = await leaksPage();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(html).toContain("23 leaked tokens reported since");
    expect(["revoked", "not_live", "unverified", "failed", "queued", "claimed"].map((s) => outcome(html, s))).toEqual(["20", "1", "1", "1", "0", "0"]);
    expect(html).toContain('data-testid="ttr-median">10 min<');
    expect(html).toContain('data-testid="ttr-p95">19 min<');
    expect(html).toMatch(/<tr data-source="github_alert"><td>GitHub alert<\/td><td>15<\/td>/);
    expect(html).toMatch(/<tr data-source="standard_webhooks"><td>Scanner webhook<\/td><td>6<\/td>/);
  });

  it("lists the unverified and failed first, then the slowest revocations, with names escaped", async () => {
    const { html } = await leaksPage();
    const order = stateOrder(html);
    expect(order.slice(0, 3)).toEqual(["unverified", "failed", "revoked"]);
    expect(order).not.toContain("not_live");
    const revokedRows = [...html.matchAll(/<tr data-state="revoked"[\s\S]*?<\/tr>/g)].map((m) => m[0]);
    expect(revokedRows[0]).toContain("20 min");
    expect(revokedRows[0]).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script>");
    expect(html).toContain("open for 2 d");
  });

  it("shows a key restricted to one customer that customer's leaks only", async () => {
    const { html } = await leaksPage(API_KEY_VALUES.admin);
    expect(html).toContain("21 leaked tokens reported since");
    expect(stateOrder(html)[0]).toBe("failed");
    expect(html).toContain(`customer <code>${acme}</code> only`);
  });

  it("is mounted in the Worker behind sign-in", async () => {
    const env = await dashboardEnv(await newTenant());
    const anonymous = await callWorker(env, "/dashboard/leaks");
    expect(anonymous.status).toBe(401);
    const cookie = await signIn(env, API_KEY_VALUES.reader);
    const page = await callWorker(env, "/dashboard/leaks", { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("0 leaked tokens reported since");
  });
});
