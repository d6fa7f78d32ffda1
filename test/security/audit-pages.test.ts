import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import type { AuditEntry, AuditResult, Surface } from "../../src/tokens/audit-entry";
import { AuditLog } from "../../src/tokens/store/audit-log";
import { Sql } from "../../src/tokens/store/sql";
import { API_KEY_VALUES, auditOf, callWorker, demo, dumpD1, newTenant, testEnv } from "../helpers";
import { call, dashboardEnv, signIn } from "../routes/dashboard/helpers";

// Issue 12, item 10: GET /audit filters in the query (D1), so a customer-restricted key's pages, and any filtered
// page, are as full as the limit allows; bad filters are a 400 naming the parameter, and change nothing.

const acme = demo.customers.acme.id;
const globex = demo.customers.globex.id;
const T0 = Date.parse("2026-07-01T12:00:00Z");
const N = 60;

/** Entry i: customers alternate, every third is denied, every fourth came from Slack, five token ids and owners. */
function spec(i: number) {
  return {
    surface: (i % 4 === 0 ? "slack" : "api") as Surface,
    principal: "apikey:seed",
    operation: i % 2 === 0 ? "revokeToken" : "getToken",
    result: (i % 3 === 0 ? "denied" : "ok") as AuditResult,
    tokenId: `tok${i % 5}`,
    tokenName: `token ${i}`,
    ownerId: `owner${i % 5}`,
    customerId: i % 2 === 0 ? acme : globex,
  };
}

/** N entries one second apart (entry i at T0 + i s), written straight to the env's audit table. */
async function seeded(): Promise<{ env: Env; entries: AuditEntry[] }> {
  const env = await testEnv(await newTenant());
  const entries: AuditEntry[] = [];
  for (let i = 0; i < N; i++) entries.push(await new AuditLog(new Sql(env.DB), () => new Date(T0 + i * 1000)).append(spec(i)));
  return { env, entries };
}

/** Every page of GET /audit with `query`, following the cursor; returns the page sizes and the ids in order. */
async function pages(env: Env, key: string, query: string) {
  const sizes: number[] = [];
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const url = `/audit?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const r = await callWorker(env, url, { headers: { "Fastly-Key": key } });
    expect(r.status, url).toBe(200);
    const page = (await r.json()) as { entries: AuditEntry[]; cursor: string | null };
    sizes.push(page.entries.length);
    ids.push(...page.entries.map((e) => e.id));
    cursor = page.cursor;
  } while (cursor);
  return { sizes, ids };
}

const newestFirst = (entries: AuditEntry[]) => [...entries].sort((a, b) => b.at.localeCompare(a.at)).map((e) => e.id);

describe("GET /audit filters in the query, so every page is full", () => {
  it("gives a customer-restricted key full pages of its own entries, interleaved with another customer's, under a filter", async () => {
    const { env, entries } = await seeded();
    const own = entries.filter((e) => e.customerId === globex);
    expect(await pages(env, API_KEY_VALUES.globexReader, "limit=10")).toEqual({ sizes: [10, 10, 10], ids: newestFirst(own) });
    const ownOk = own.filter((e) => e.result === "ok");
    expect(ownOk).toHaveLength(20);
    expect(await pages(env, API_KEY_VALUES.globexReader, "limit=10&result=ok")).toEqual({ sizes: [10, 10], ids: newestFirst(ownOk) });
  });

  it("narrows by token_id, owner_id, customer_id, result, surface, operation, since and until together", async () => {
    const { env, entries } = await seeded();
    const since = new Date(T0 + 10_000).toISOString();
    const until = new Date(T0 + 50_000).toISOString();
    const cases: [string, (e: AuditEntry) => boolean][] = [
      ["token_id=tok2", (e) => e.tokenId === "tok2"],
      ["owner_id=owner3", (e) => e.ownerId === "owner3"],
      [`customer_id=${acme}`, (e) => e.customerId === acme],
      ["result=denied", (e) => e.result === "denied"],
      ["surface=slack", (e) => e.surface === "slack"],
      ["operation=getToken", (e) => e.operation === "getToken"],
      [`since=${since}&until=${until}`, (e) => Date.parse(e.at) >= T0 + 10_000 && Date.parse(e.at) < T0 + 50_000],
      [`surface=api&result=ok&customer_id=${globex}&since=${since}`, (e) => e.surface === "api" && e.result === "ok" && e.customerId === globex && Date.parse(e.at) >= T0 + 10_000],
    ];
    for (const [query, keep] of cases) {
      const expected = newestFirst(entries.filter(keep));
      expect(expected.length, query).toBeGreaterThan(3);
      const got = await pages(env, API_KEY_VALUES.reader, `limit=3&${query}`);
      expect(got.ids, query).toEqual(expected);
      expect(got.sizes.slice(0, -1).every((s) => s === 3), query).toBe(true);
    }
  });

  it("refuses malformed filters and cursors with a 400 naming the parameter, without echoing it, and writes nothing", async () => {
    const { env } = await seeded();
    const before = await dumpD1(env);
    const secretish = "ftw_not_a_cursor_but_a_pasted_secret_0123456789";
    const bad: [string, string][] = [
      [`cursor=${secretish}`, "cursor is malformed"],
      [`cursor=${btoa("12:")}`, "cursor is malformed"],
      ["result=maybe", "result must be one of"],
      ["surface=email", "surface must be one of"],
      ["token_id=not-an-id!", "token_id must be 1-64 alphanumeric characters"],
      ["owner_id=", "owner_id must be 1-64 alphanumeric characters"],
      [`customer_id=${"x".repeat(65)}`, "customer_id must be 1-64 alphanumeric characters"],
      ["operation=drop table", "operation must be an operation name"],
      ["since=yesterday", "since must be an ISO 8601 date-time"],
      ["until=2026-07-01", "until must be an ISO 8601 date-time"],
      ["since=2026-07-02T00:00:00Z&until=2026-07-01T00:00:00Z", "since must be before until"],
      ["result=ok&result=denied", "result may be given once"],
      ["limit=0", "limit must be an integer"],
      ["limit=1.5", "limit must be an integer"],
    ];
    for (const [query, detail] of bad) {
      const r = await callWorker(env, `/audit?${query}`, { headers: { "Fastly-Key": API_KEY_VALUES.reader } });
      expect(r.status, query).toBe(400);
      const body = (await r.json()) as { msg: string; detail: string; code: string };
      expect(body, query).toMatchObject({ msg: "Bad request", code: "invalid_request" });
      expect(body.detail, query).toContain(detail);
      expect(JSON.stringify(body), query).not.toContain(secretish);
    }
    expect(await dumpD1(env)).toEqual(before);
  });

  it("refuses a restricted key's request for another customer's entries with 403", async () => {
    const { env } = await seeded();
    const r = await callWorker(env, `/audit?customer_id=${acme}`, { headers: { "Fastly-Key": API_KEY_VALUES.globexReader } });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { detail: string }).detail).toMatch(/restricted to another customer/);
  });

  it("fills the dashboard's recent-events list for a customer-restricted key too", async () => {
    const t = await newTenant();
    const env = await dashboardEnv(t, { DASHBOARD_AUDIT_ENTRIES: "10" });
    for (let i = 0; i < 40; i++) await new AuditLog(new Sql(env.DB), () => new Date(T0 + i * 1000)).append(spec(i));
    // The helper's "admin" key is restricted to Acme, the Worker's own customer; every other entry is Globex's.
    const cookie = await signIn(env, API_KEY_VALUES.admin);
    const page = await call(env, "/dashboard", { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const shown = [...(await page.text()).matchAll(/data-audit-id="([^"]+)"/g)].map((m) => m[1]);
    const acmeIds = (await auditOf(env).list(100, null, { customerId: acme })).entries.map((e) => e.id);
    expect(shown).toEqual(acmeIds.slice(0, 10));
  });
});
