import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import type { RevocationJob } from "../../src/tokens/revocation-job";
import { API_KEY_VALUES, auditOf, callWorker, deliver, demo, dumpD1, dumpKv, FREE_PLAN, manualClock, PlatformLimits, postScannerReport, queuedTokens, scannerSetup, type Tenant } from "../helpers";

const acme = demo.customers.acme.id;

/** Live tokens of one customer, created through the emulator's own POST /tokens (its rate limit raised first). */
async function liveTokens(t: Tenant, n: number): Promise<string[]> {
  await t.configure({ rateLimit: 1_000_000 });
  const { login, password } = demo.users.acmeSuperuser;
  const out: string[] = [];
  for (let i = 0; i < n; i += 25) {
    const chunk = Array.from({ length: Math.min(25, n - i) }, async (_, j) => {
      const r = await fetch(`${t.baseUrl}/tokens`, { method: "POST", body: new URLSearchParams({ username: login, password, name: `leak-${i + j}` }) });
      if (r.status !== 200) throw new Error(`token create failed: ${r.status}`);
      return ((await r.json()) as { access_token: string }).access_token;
    });
    out.push(...(await Promise.all(chunk)));
  }
  return out;
}

function tally(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

/**
 * Runs the queue the way wrangler.toml configures it (one message per batch), one batch a second on the double's
 * clock, redelivering retried messages, until it is empty.
 */
async function drain(env: Parameters<typeof deliver>[0], first: RevocationJob[], clock: { advance(ms: number): void }, sent: { body: RevocationJob }[]) {
  let pending = first.map((body) => ({ body, attempts: 1 }));
  let batches = 0;
  while (pending.length > 0 && batches < 500) {
    const next: typeof pending = [];
    for (const p of pending) {
      clock.advance(1000);
      batches++;
      const before = sent.length;
      const res = await deliver(env, "revocations", [p.body], p.attempts);
      if (res.retryMessages.length > 0) next.push({ body: p.body, attempts: p.attempts + 1 });
      for (const m of sent.splice(before)) next.push({ body: m.body, attempts: 1 });
    }
    pending = next;
  }
  return batches;
}

/**
 * The leak workflow on the free plan's limits (test/helpers/platform-limits.ts wraps the real local KV and D1). The
 * double's clock stands still inside an invocation and moves a second between queue batches.
 */
describe("leaks under the free plan's limits", () => {
  it("revokes every one of 1,000 live tokens of one customer, none failed or delayed by a storage error", async () => {
    const TOKENS = 1000;
    const { t, env: base, queue, sink } = await scannerSetup();
    const tokens = await liveTokens(t, TOKENS);
    const clock = manualClock(Date.parse("2026-07-01T12:00:00Z"));
    const limits = new PlatformLimits(FREE_PLAN, { now: clock.now });
    const env = limits.env(base);

    const report = await postScannerReport(env, JSON.stringify({ tokens }));
    expect(report.status).toBe(200);
    const inline = ((await report.json()) as { results: { status: string }[] }).results.map((r) => r.status);
    expect(inline.filter((s) => s !== "revoked" && s !== "queued")).toEqual([]);
    const queuedCount = queuedTokens(queue).length;
    const messages = queue.sent.length;
    const batches = await drain(env, queue.sent.splice(0).map((m) => m.body), clock, queue.sent);

    expect((await t.tokens()).filter((x) => x.name.startsWith("leak-") && !x.revoked)).toEqual([]);
    const raw = limits.raw(env);
    const page = await auditOf(raw).list(1000, null, { operation: "leakRevoke" });
    expect(page.cursor).toBeNull(); // one page holds them all: exactly one entry per token
    expect(tally(page.entries.map((e) => e.result))).toEqual({ ok: TOKENS });
    const ledger = (await dumpD1(raw)).ledger!;
    expect(tally(ledger.map((r) => String(r.state)))).toEqual({ revoked: TOKENS });
    // What the double refused is all cache traffic (KV is best effort): no revocation failed because of it.
    const stats = limits.stats();
    for (const f of stats.failures) expect(f.operation.startsWith("kv.")).toBe(true);
    const notices = await sink.received();
    expect(notices.map((n) => n.body).join("\n")).not.toMatch(/FAILED/);

    // No secret anywhere in storage after the whole run.
    const stored = JSON.stringify([await dumpKv(raw), await dumpD1(raw)]);
    for (const v of tokens.slice(0, 50)) expect(stored).not.toContain(v);
    expect(stored).not.toContain(tokens.at(-1));

    const usage = limits.usageToday();
    console.log(
      JSON.stringify({
        event: "leak_1000_under_free_plan",
        tokens: TOKENS,
        inlineRevoked: inline.filter((s) => s === "revoked").length,
        queuedTokens: queuedCount,
        queueMessages: messages,
        queueBatches: batches,
        invocations: stats.invocations - 1,
        maxStorageOpsInOneInvocation: stats.maxOpsInOneInvocation,
        maxKvOpsInOneInvocation: stats.maxKvOpsInOneInvocation,
        maxD1QueriesInOneInvocation: stats.maxD1QueriesInOneInvocation,
        kv: stats.kv,
        d1: stats.d1,
        kvWritesOfDailyFreeAllowance: `${usage.kvWrites}/${FREE_PLAN.kvWritesPerDay}`,
        refusals: tally(stats.failures.map((f) => f.rule)),
        notifications: notices.length,
      }),
    );
    expect(stats.maxD1QueriesInOneInvocation).toBeLessThanOrEqual(FREE_PLAN.d1QueriesPerInvocation);
    expect(stats.maxOpsInOneInvocation).toBeLessThanOrEqual(FREE_PLAN.opsPerInvocation);
  }, 180_000);

  it("answers API reads from upstream and still revokes and audits a leak once the day's KV writes are spent", async () => {
    const { t, env: base, sink } = await scannerSetup();
    const limits = new PlatformLimits(FREE_PLAN);
    const env = limits.env(base);
    limits.exhaustToday("kvWrites", "kvDeletes");
    const key = { "Fastly-Key": demo.tokens.engineerGlobal.access_token };
    for (let i = 0; i < 2; i++) {
      const r = await callWorker(env, "/tokens/self", { headers: key });
      expect(r.status).toBe(200);
      expect(r.headers.get("X-Cache")).toBe("MISS");
    }
    const list = await callWorker(env, `/customer/${acme}/tokens`, { headers: { "Fastly-Key": API_KEY_VALUES.admin } });
    expect(list.status).toBe(200);

    const leaked = demo.tokens.userGlobal;
    const r = await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    expect(((await r.json()) as { results: { status: string }[] }).results.map((x) => x.status)).toEqual(["revoked"]);
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    const audit = (await auditOf(limits.raw(env)).list(10, null, { operation: "leakRevoke" })).entries;
    expect(audit).toEqual([expect.objectContaining({ result: "ok", tokenId: leaked.id })]);
    expect(await sink.received()).toHaveLength(1);
    expect(limits.stats().failures.some((f) => f.rule === "kvWrites")).toBe(true);
  });

  it("never double-revokes or double-notifies when a location that has not seen the revocation gets the same leak", async () => {
    const { t, env: base, sink } = await scannerSetup();
    const limits = new PlatformLimits(FREE_PLAN);
    const here = limits.env(base);
    const there = limits.env(base, "remote");
    const leaked = demo.tokens.userNeverUsed;
    const first = await postScannerReport(here, JSON.stringify({ tokens: [leaked.access_token] }));
    expect(((await first.json()) as { results: { status: string }[] }).results[0]!.status).toBe("revoked");
    await t.clearCalls();

    // The other location sees none of the KV tombstones yet; the ledger (D1) is one database for every location.
    expect(await there.TOKENS_KV.get(`tomb:id:${leaked.id}`)).toBeNull();
    const second = await postScannerReport(there, JSON.stringify({ tokens: [leaked.access_token] }));
    expect(((await second.json()) as { results: { status: string }[] }).results[0]!.status).toBe("already_revoked");
    expect(await t.calls()).toEqual([]);
    expect(await sink.received()).toHaveLength(1);
    // Nothing there un-revokes it either: a read by id goes to Fastly, which says it is gone.
    const read = await callWorker(there, `/tokens/${leaked.id}`, { headers: { "Fastly-Key": API_KEY_VALUES.admin } });
    expect(read.status).toBe(404);
    const entries = (await auditOf(limits.raw(here)).list(10, null, { operation: "leakRevoke" })).entries;
    expect(entries.map((e) => e.result)).toEqual(["ok"]);
    expect(await sha256Hex(leaked.access_token)).toBe(entries[0]!.tokenHash);
  });
});
