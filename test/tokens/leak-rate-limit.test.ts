import { describe, expect, it } from "vitest";
import type { RevocationJob } from "../../src/tokens/revocation-job";
import { deliver, demo, postScannerReport, queuedTokens, scannerSetup } from "../helpers";

type Results = { results: { status: string }[] };

/** Delivers queued messages one per batch (wrangler.toml), redelivering retries, until the queue is empty. */
async function drain(env: Parameters<typeof deliver>[0], queue: { sent: { body: RevocationJob }[] }) {
  let pending = queue.sent.splice(0).map((m) => ({ body: m.body, attempts: 1 }));
  for (let round = 0; pending.length > 0 && round < 100; round++) {
    const next: typeof pending = [];
    for (const p of pending) {
      const res = await deliver(env, "revocations", [p.body], p.attempts);
      if (res.retryMessages.length > 0) next.push({ body: p.body, attempts: p.attempts + 1 });
    }
    next.push(...queue.sent.splice(0).map((m) => ({ body: m.body, attempts: 1 })));
    pending = next;
  }
}

describe("mass leaks within Fastly's rate limit (1,000 writes an hour per user)", () => {
  it("revokes 1,000 live tokens of one user at the default limit with a handful of writes and no 429", async () => {
    const { t, env, queue } = await scannerSetup();
    const carol = demo.users.acmeUser;
    const tokens = await t.seedTokens(carol.id, 1000, { namePrefix: "laptop" });
    const r = await postScannerReport(env, JSON.stringify({ tokens: tokens.map((x) => x.access_token) }));
    expect(r.status).toBe(200);
    await drain(env, queue);

    const state = new Map((await t.tokens()).map((x) => [x.id, x.revoked]));
    expect(tokens.filter((x) => !state.get(x.id))).toEqual([]);
    const calls = await t.calls();
    const writes = calls.filter((c) => c.method !== "GET");
    expect(calls.filter((c) => c.status === 429)).toEqual([]);
    // Every token proven by a read; the writes are bulk revocations with the Worker's token, none on Carol's budget.
    expect(writes.every((c) => c.method === "DELETE" && c.path === "/tokens")).toBe(true);
    expect(writes.length).toBeLessThanOrEqual(30);
    console.log(JSON.stringify({ event: "leak_1000_one_user_default_rate_limit", writes: writes.length, reads: calls.length - writes.length }));
  }, 120_000);

  it("bulk-revokes the tokens of the Worker's customer and revokes the other customers' tokens as themselves", async () => {
    const { t, env } = await scannerSetup();
    const other = await t.seedCustomer("Initech");
    const acme = await t.seedTokens(demo.users.acmeUser.id, 3, { namePrefix: "acme" });
    const globex = await t.seedTokens(demo.users.globexUser.id, 2, { namePrefix: "globex" });
    const initech = await t.seedTokens(other.user_id, 2, { namePrefix: "initech" });
    const all = [...acme, ...globex, ...initech];
    const r = await postScannerReport(env, JSON.stringify({ tokens: all.map((x) => x.access_token) }));
    expect(((await r.json()) as Results).results.map((x) => x.status)).toEqual(Array(7).fill("revoked"));
    const writes = (await t.calls()).filter((c) => c.method === "DELETE");
    expect(writes.filter((c) => c.path === "/tokens")).toHaveLength(1);
    expect(writes.filter((c) => c.path === "/tokens/self")).toHaveLength(4);
    const state = new Map((await t.tokens()).map((x) => [x.id, x.revoked]));
    for (const x of all) expect(state.get(x.id)).toBe(true);
  });

  it("still revokes every token when Fastly's real bulk maximum is smaller than LEAK_BULK_MAX, and fits it when set to match", async () => {
    const { t, env } = await scannerSetup();
    await t.configure({ bulkMax: 2 });
    const acme = await t.seedTokens(demo.users.acmeUser.id, 5, { namePrefix: "acme" });
    const r = await postScannerReport(env, JSON.stringify({ tokens: acme.map((x) => x.access_token) }));
    expect(((await r.json()) as Results).results.map((x) => x.status)).toEqual(Array(5).fill("revoked"));
    // The bulk of five was refused (400 over the maximum), so each was revoked as itself.
    const writes = (await t.calls()).filter((c) => c.method === "DELETE");
    expect(writes.filter((c) => c.path === "/tokens").map((c) => c.status)).toEqual([400]);
    expect(writes.filter((c) => c.path === "/tokens/self")).toHaveLength(5);

    const { t: t2, env: env2 } = await scannerSetup({ LEAK_BULK_MAX: "2" });
    await t2.configure({ bulkMax: 2 });
    const more = await t2.seedTokens(demo.users.acmeUser.id, 5, { namePrefix: "acme" });
    const r2 = await postScannerReport(env2, JSON.stringify({ tokens: more.map((x) => x.access_token) }));
    expect(((await r2.json()) as Results).results.map((x) => x.status)).toEqual(Array(5).fill("revoked"));
    const writes2 = (await t2.calls()).filter((c) => c.method === "DELETE");
    // Chunks of 2, 2 and a last single token (revoked as itself): no refusal.
    expect(writes2.filter((c) => c.path === "/tokens").map((c) => c.status)).toEqual([204, 204]);
    expect(writes2.filter((c) => c.path === "/tokens/self")).toHaveLength(1);
  });

  it("queues the rest of a user's tokens for the reset once that user's budget is spent, without calling Fastly again", async () => {
    const { t, env, queue, sink } = await scannerSetup();
    await t.configure({ rateLimit: 3 });
    const heidi = await t.seedTokens(demo.users.globexUser.id, 5, { namePrefix: "heidi" }); // another customer: one by one
    const r = await postScannerReport(env, JSON.stringify({ tokens: heidi.map((x) => x.access_token) }));
    expect(((await r.json()) as Results).results.map((x) => x.status)).toEqual(["revoked", "revoked", "revoked", "queued", "queued"]);
    // The third answer said "0 remaining": the fourth write is never tried, so Fastly sees no 429 at all.
    expect((await t.calls()).filter((c) => c.status === 429)).toEqual([]);
    expect(queuedTokens(queue)).toHaveLength(2);
    const delay = queue.sent[0]!.delaySeconds!;
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(3601);
    const notices = await sink.received();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toMatch(/2 token\(s\) wait for Fastly's hourly rate limit of their user: queued, retrying by /);

    // After the reset (the next hour holds three more writes), the queue revokes the rest: nothing lost.
    await t.advanceClock(3600);
    await drain(env, queue);
    const state = new Map((await t.tokens()).map((x) => [x.id, x.revoked]));
    for (const x of heidi) expect(state.get(x.id)).toBe(true);
  });

  it("queues the rest for the reset Fastly names when a 429 arrives mid-report, and sends one notice that says so", async () => {
    const { t, env, queue, sink } = await scannerSetup();
    const heidi = await t.seedTokens(demo.users.globexUser.id, 4, { namePrefix: "heidi" });
    const reset = Math.floor(Date.now() / 1000) + 600;
    await t.addFault({ method: "DELETE", path: "/tokens/self", status: 429, count: 1, headers: { "Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": String(reset) }, body: { msg: "You have exceeded your hourly rate limit." } });
    const r = await postScannerReport(env, JSON.stringify({ tokens: heidi.map((x) => x.access_token) }));
    expect(((await r.json()) as Results).results.map((x) => x.status)).toEqual(["queued", "queued", "queued", "queued"]);
    expect((await t.calls()).filter((c) => c.status === 429)).toHaveLength(1);
    expect(queuedTokens(queue)).toHaveLength(4);
    for (const m of queue.sent) expect(Math.abs(m.delaySeconds! - (reset - Math.floor(Date.now() / 1000)))).toBeLessThanOrEqual(3);
    const notices = await sink.received();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.body).toMatch(/4 token\(s\) wait for Fastly's hourly rate limit/);
  });
});
