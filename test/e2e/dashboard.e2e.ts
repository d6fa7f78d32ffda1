import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demo } from "../../emulator/seed";
import { launchChromium } from "./support/browser";
import { E2E_KEYS, type Stack, startStack } from "./support/stack";

// The dashboard in a real browser with JavaScript switched off, which proves it needs none: every step is a link
// or a form. One stack (emulator + Worker) for the file; the tests run in order and build on each other.

const ARTIFACTS = "test-artifacts";
const tokens = demo.tokens;

let stack: Stack;
let browser: Browser;
let admin: BrowserContext;
let page: Page;

const rowIds = (p: Page) => p.locator("table[data-testid=inventory] tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-token-id")));

async function signIn(context: BrowserContext, key: string): Promise<Page> {
  const p = await context.newPage();
  const login = await p.goto(`${stack.workerUrl}/dashboard`);
  expect(login?.status()).toBe(401);
  await p.fill("#api_key", key);
  await p.click("button[type=submit]");
  await p.waitForURL(`${stack.workerUrl}/dashboard`);
  return p;
}

beforeAll(async () => {
  stack = await startStack({ STALE_POLICY: "report" });
  browser = await launchChromium();
  admin = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1360, height: 900 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe("the dashboard in Chromium", () => {
  it("runs the scheduled digest on demand, as `wrangler dev --test-scheduled` does", async () => {
    const res = await fetch(`${stack.workerUrl}/__scheduled?cron=0+8+*+*+*`);
    expect(res.status).toBe(200);
    await res.body?.cancel();
    const [post, ...rest] = await stack.slackSink.received();
    expect(rest).toEqual([]);
    const body = JSON.parse(post!.body) as { text: string; blocks: unknown[] };
    expect(body.text).toMatch(/^Fastly token hygiene: 1 expiring soon, 1 expired/);
    expect(JSON.stringify(body.blocks)).toContain("would revoke 1 token unused for 90+ days. Nothing was revoked.");
  });

  it("signs in with an API key and loads the inventory, the findings and the visual cues", async () => {
    page = await signIn(admin, E2E_KEYS.admin);
    await expect.poll(() => page.textContent("[data-testid=signed-in-as]")).toBe("Signed in as apikey:demo-admin");
    const ids = await rowIds(page);
    expect(ids).toHaveLength(14);
    expect(ids[0]).toBe(tokens.engineerExpiringSoon.id);
    expect(await page.textContent("[data-testid=finding-expired] .count")).toBe("1");
    expect(await page.textContent("[data-testid=finding-global_all_services] .count")).toBe("7");
    expect(await page.locator(`tr[data-token-id="${tokens.engineerExpiringSoon.id}"] meter`).count()).toBe(2);
    expect(await page.locator(`tr[data-token-id="${tokens.userNeverUsed.id}"] td.cue .badge`, { hasText: "never used" }).count()).toBe(1);
    expect(await page.textContent("[data-testid=policy]")).toContain("1 would be revoked now");
    // The stylesheet loaded (CSP allows only it): the header bar is dark.
    // (Inside evaluate the code runs in the page, where getComputedStyle exists; this tsconfig has no DOM types.)
    const background = await page
      .locator("header.top")
      .evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    expect(background).toBe("rgb(20, 24, 31)");
    await page.screenshot({ path: `${ARTIFACTS}/01-dashboard.png`, fullPage: true });
  });

  it("filters by owner and sorts by expiry with the form, then by last use with a column header", async () => {
    await page.selectOption("select[name=owner]", demo.users.acmeEngineer.id);
    await page.selectOption("select[name=sort]", "expiry");
    await page.click("form[data-testid=filters] button[type=submit]");
    await page.waitForURL(/owner=/);
    expect(page.url()).toContain(`owner=${demo.users.acmeEngineer.id}`);
    expect(page.url()).toContain("sort=expiry");
    expect(await rowIds(page)).toEqual([
      tokens.engineerExpiringSoon.id,
      tokens.engineerGlobal.id,
      tokens.engineerReadOnly.id,
      // No expiry: last, by name.
      tokens.engineerPurgeSelect.id,
      tokens.engineerPurgeAll.id,
    ]);
    expect(await page.textContent("[data-testid=match-count]")).toBe("Showing 5 of 14 tokens");
    await page.screenshot({ path: `${ARTIFACTS}/02-filtered.png`, fullPage: true });

    await page.click("th a:has-text('Last use')");
    await page.waitForURL(/sort=last_used/);
    expect(page.url()).toContain(`owner=${demo.users.acmeEngineer.id}`);
    const byLastUse = await rowIds(page);
    expect(byLastUse).toHaveLength(5);
    expect(byLastUse[0]).toBe(tokens.engineerPurgeAll.id);
  });

  it("explains a malformed filter on the page instead of listing", async () => {
    const res = await page.goto(`${stack.workerUrl}/dashboard?expiring=soon&scope=everything`);
    expect(res?.status()).toBe(400);
    const notice = await page.textContent("[data-testid=notice]");
    expect(notice).toContain("These filters cannot be applied");
    expect(notice).toContain("expiring: expected a whole number of days from 1 to 3650");
    expect(notice).toContain("scope: expected one of global, purge_select, purge_all, global:read");
    expect(await page.locator("table[data-testid=inventory]").count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}/03-malformed-filter.png`, fullPage: true });
  });

  it("revokes a token after confirmation, and shows the audit entry", async () => {
    const target = tokens.userLongUnused;
    await page.goto(`${stack.workerUrl}/dashboard`);
    await page.click(`tr[data-token-id="${target.id}"] a[data-testid=revoke-link]`);
    await page.waitForURL(`${stack.workerUrl}/dashboard/tokens/${target.id}/revoke`);
    expect(await page.textContent("[data-testid=confirm-name]")).toBe(target.name);
    expect((await stack.tokens()).find((t) => t.id === target.id)!.revoked).toBe(false);
    await page.screenshot({ path: `${ARTIFACTS}/04-confirm.png`, fullPage: true });

    await page.click("[data-testid=confirm-revoke]");
    await page.waitForURL(`${stack.workerUrl}/dashboard?revoked=${target.id}#audit`);
    expect(await page.textContent("[data-testid=notice]")).toBe(`Token ${target.id} was revoked. The audit log below records it.`);
    expect((await stack.tokens()).find((t) => t.id === target.id)!.revoked).toBe(true);
    expect(await rowIds(page)).not.toContain(target.id);
    const entry = page.locator("table[data-testid=audit] tbody tr").first();
    const cells = await entry.locator("td").allTextContents();
    expect(cells.slice(1, 5)).toEqual(["apikey:demo-admin", "dashboard", "revokeToken", "ok"]);
    expect(cells[5]).toContain(target.name);
    expect(cells[5]).toContain(target.id);
    expect(await page.textContent("[data-testid=finding-unused] .count")).toBe("0");
    await page.screenshot({ path: `${ARTIFACTS}/05-revoked.png`, fullPage: true });
    // The README's picture of the dashboard: refreshed on request (UPDATE_SCREENSHOT=1), so test runs leave the tree clean.
    if ((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.UPDATE_SCREENSHOT === "1") await page.screenshot({ path: "docs/dashboard.png", fullPage: true });
  });

  it("does not revoke when a page on another site posts the revoke form", async () => {
    const target = tokens.userGlobal;
    const attacker = await admin.newPage();
    await attacker.setContent(
      `<form method="post" action="${stack.workerUrl}/dashboard/tokens/${target.id}/revoke"><input name="csrf" value="AAAAAAAAAAAAAAAAAAAAAA"><button>win a prize</button></form>`,
    );
    const [response] = await Promise.all([attacker.waitForNavigation(), attacker.click("button")]);
    expect([401, 403]).toContain(response?.status());
    expect((await stack.tokens()).find((t) => t.id === target.id)!.revoked).toBe(false);
    await attacker.close();
  });

  it("shows a read-only key no revoke buttons", async () => {
    const readerContext = await browser.newContext({ javaScriptEnabled: false });
    const reader = await signIn(readerContext, E2E_KEYS.reader);
    expect(await rowIds(reader)).toHaveLength(13);
    expect(await reader.locator("a[data-testid=revoke-link]").count()).toBe(0);
    const res = await reader.goto(`${stack.workerUrl}/dashboard/tokens/${tokens.userGlobal.id}/revoke`);
    expect(res?.status()).toBe(403);
    await readerContext.close();
  });

  it("signs out, after which the dashboard asks to sign in again", async () => {
    await page.goto(`${stack.workerUrl}/dashboard`);
    await page.click("header.top button[type=submit]");
    await page.waitForURL(`${stack.workerUrl}/dashboard/login`);
    const again = await page.goto(`${stack.workerUrl}/dashboard`);
    expect(again?.status()).toBe(401);
    expect(await page.locator("#api_key").count()).toBe(1);
  });
});
