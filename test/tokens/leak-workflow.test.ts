import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import type { Env } from "../../src/env";
import type { LeakContext } from "../../src/tokens/leak-outcome";
import type { RevocationJob } from "../../src/tokens/revocation-job";
import { type CapturedQueue, core, demo, ledgerRows, messageBatch, newSink, newTenant, queuedTokens, type Tenant, testEnv, audit } from "../helpers";

// The leak workflow's decisions, called directly: `core(env)` is one invocation's object graph from the composition
// root, with its fetch injected and reaching the emulator, and the real local D1 (ledger, audit), KV and a captured
// queue. Assertions read the ledger rows, the audit, the queue's messages, the emulator's tokens and the sink.

const context: LeakContext = { source: "standard_webhooks", url: "https://git.example/acme/app/commit/1" };
const who = { surface: "leak" as const, principal: "scanner:test" };

async function setup(overrides: Record<string, unknown> = {}) {
  const t = await newTenant();
  const sink = newSink("leak-notify");
  const env = await testEnv(t, { NOTIFY_SLACK_WEBHOOK_URL: sink.url, ...overrides });
  return { t, sink, env, queue: env.REVOCATIONS as CapturedQueue };
}

/** One report as one invocation (a fresh meter): the intake's call, minus HTTP. */
function report(env: Env, raws: string[], budget = 50) {
  const services = core(env);
  return { services, outcomes: services.leaks.report(raws.map((raw) => ({ raw, context })), { ...who, budget }) };
}

async function deletes(t: Tenant): Promise<string[]> {
  return (await t.calls()).filter((c) => c.method === "DELETE").map((c) => c.path);
}

/** The seed's own revoked token stays revoked: what the tests revoke is the rest. */
const seededRevoked = new Set(Object.values(demo.tokens).filter((x) => x.revoked).map((x) => x.id));

async function revokedIds(t: Tenant): Promise<string[]> {
  return (await t.tokens()).filter((x) => x.revoked && !seededRevoked.has(x.id)).map((x) => x.id).sort();
}

/** The seeded live tokens of Carol (customer acme, the Worker's own). */
async function carolsTokens(t: Tenant, count: number) {
  return t.seedTokens(demo.users.acmeUser.id, count, { namePrefix: "leaked" });
}

describe("the leak workflow's report", () => {
  it("revokes a reported live token as itself, settles its ledger row, audits it and tells the security channel once, without the value", async () => {
    const { t, sink, env } = await setup();
    const [leaked] = await carolsTokens(t, 1);
    const hash = await sha256Hex(leaked!.access_token);
    const { outcomes } = report(env, [leaked!.access_token]);
    const [outcome] = await outcomes;
    expect(outcome).toMatchObject({ status: "revoked", via: "self", tokenHash: hash, token: { id: leaked!.id } });
    expect(await revokedIds(t)).toEqual([leaked!.id]);

    const row = (await ledgerRows(env)).get(hash);
    expect(row).toMatchObject({ state: "revoked", token_id: leaked!.id, owner_id: demo.users.acmeUser.id, customer_id: demo.customers.acme.id, source: "standard_webhooks" });
    expect(row!.revoked_ms).toEqual(expect.any(Number));
    expect(row!.claim_until_ms === null || row!.state !== "claimed").toBe(true);

    const revokes = (await audit(env)).filter((e) => e.operation === "leakRevoke");
    expect(revokes.map((e) => [e.result, e.tokenId, e.tokenHash, e.principal])).toEqual([["ok", leaked!.id, hash, "scanner:test"]]);

    const messages = await sink.received();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.body).toContain(leaked!.id);
    expect(JSON.stringify([messages, await audit(env), [...(await ledgerRows(env)).values()]])).not.toContain(leaked!.access_token);
  });

  it("claims a value once: two concurrent reports of one token revoke it once and notify once", async () => {
    const { t, sink, env } = await setup();
    const [leaked] = await carolsTokens(t, 1);
    const [[first], [second]] = await Promise.all([report(env, [leaked!.access_token]).outcomes, report(env, [leaked!.access_token]).outcomes]);
    const statuses = [first!.status, second!.status].sort();
    expect(statuses[1]).toBe("revoked");
    expect(["in_progress", "already_revoked"]).toContain(statuses[0]);
    expect(await deletes(t)).toEqual(["/tokens/self"]);
    expect((await audit(env)).filter((e) => e.operation === "leakRevoke")).toHaveLength(1);
    expect(await sink.received()).toHaveLength(1);
  });

  it("answers a repeat report of a settled value from the ledger, asking Fastly nothing and telling nobody", async () => {
    const { t, sink, env } = await setup();
    const [leaked] = await carolsTokens(t, 1);
    await report(env, [leaked!.access_token]).outcomes;
    const auditBefore = (await audit(env)).length;
    const again = report(env, [leaked!.access_token]);
    expect(await again.outcomes).toMatchObject([{ status: "already_revoked", token: { id: leaked!.id }, detail: "answered from the revocation ledger" }]);
    expect(again.services.fetched.filter((f) => !f.path.startsWith("/__sinks"))).toEqual([]);
    expect(await audit(env)).toHaveLength(auditBefore);
    expect(await sink.received()).toHaveLength(1);
  });

  it("settles a value Fastly does not know as not_live and revokes nothing", async () => {
    const { t, env } = await setup();
    const garbage = "notatoken0notatoken0notatoken00";
    const [outcome] = await report(env, [garbage]).outcomes;
    expect(outcome).toMatchObject({ status: "not_live" });
    expect(await deletes(t)).toEqual([]);
    expect((await ledgerRows(env)).get(await sha256Hex(garbage))).toMatchObject({ state: "not_live", revoked_ms: null, token_id: null });
  });

  it("revokes the tokens the Worker's own customer holds in one bulk call", async () => {
    const { t, env } = await setup();
    const leaked = await carolsTokens(t, 3);
    const outcomes = await report(env, leaked.map((l) => l.access_token)).outcomes;
    expect(outcomes.map((o) => [o.status, o.via])).toEqual([["revoked", "bulk"], ["revoked", "bulk"], ["revoked", "bulk"]]);
    expect(await deletes(t)).toEqual(["/tokens"]);
    expect(await revokedIds(t)).toEqual(leaked.map((l) => l.id).sort());
  });

  it("queues what does not fit the subrequest budget, sealed and packed, with its ledger rows queued and one audit row for the lot", async () => {
    const { t, env, queue } = await setup();
    const leaked = await carolsTokens(t, 12);
    const outcomes = await report(env, leaked.map((l) => l.access_token), 10).outcomes;
    const queued = outcomes.filter((o) => o.status === "queued");
    const revoked = outcomes.filter((o) => o.status === "revoked");
    // 10 subrequests, 3 kept back (notification, queue send): 4 reads, the Worker's customer and one bulk write.
    expect(revoked.length).toBe(4);
    expect(queued.length).toBe(8);

    expect(queue.sent).toHaveLength(1);
    expect(queuedTokens(queue).map((q) => q.tokenHash).sort()).toEqual(queued.map((o) => o.tokenHash).sort());
    const inQueue = JSON.stringify(queue.sent);
    for (const l of leaked) expect(inQueue).not.toContain(l.access_token);

    const rows = await ledgerRows(env);
    for (const o of queued) expect(rows.get(o.tokenHash)?.state).toBe("queued");
    const queueEntries = (await audit(env)).filter((e) => e.operation === "leakQueue");
    expect(queueEntries.map((e) => e.detail)).toEqual([`${queued.length} reported tokens queued: over this invocation's subrequest budget`]);
    expect((await revokedIds(t)).length).toBe(revoked.length);
  });

  it("leaves a reported token live in a dry run, and the ledger open for a real report later", async () => {
    const { t, env } = await setup({ DRY_RUN: "true" });
    const [leaked] = await carolsTokens(t, 1);
    const [outcome] = await report(env, [leaked!.access_token]).outcomes;
    expect(outcome).toMatchObject({ status: "dry_run", token: { id: leaked!.id } });
    expect(await deletes(t)).toEqual([]);
    expect((await ledgerRows(env)).get(outcome!.tokenHash)).toMatchObject({ state: "failed", detail: "dry run: left live" });
  });
});

describe("the leak workflow's queue consumer", () => {
  /** Makes the one token's revocation fail retryably, reports it, and returns what the report queued. */
  async function queuedReport() {
    const s = await setup();
    const [leaked] = await carolsTokens(s.t, 1);
    await s.t.addFault({ method: "DELETE", path: "/tokens/self", status: 503, body: { msg: "Service unavailable" } });
    const [outcome] = await report(s.env, [leaked!.access_token]).outcomes;
    return { ...s, leaked: leaked!, outcome: outcome!, bodies: s.queue.sent.map((m) => m.body) as RevocationJob[] };
  }

  it("queues a token Fastly could not revoke, with its ledger row queued and its audit row saying so", async () => {
    const { t, env, leaked, outcome, bodies } = await queuedReport();
    expect(outcome).toMatchObject({ status: "queued", detail: "Fastly 503: Service unavailable" });
    expect(bodies).toHaveLength(1);
    expect(JSON.stringify(bodies)).not.toContain(leaked.access_token);
    expect((await ledgerRows(env)).get(outcome.tokenHash)?.state).toBe("queued");
    expect((await audit(env)).map((e) => [e.operation, e.result])).toContainEqual(["leakRevoke", "queued"]);
    expect(await revokedIds(t)).toEqual([]);
  });

  it("revokes a queued token on delivery and acknowledges it; the same message delivered again revokes and tells nothing twice", async () => {
    const { t, sink, env, leaked, outcome, bodies } = await queuedReport();
    const toldBefore = (await sink.received()).length;
    const first = messageBatch("revocations", bodies, 2);
    await core(env).leaks.consume(first.batch);
    expect((await first.result()).explicitAcks).toHaveLength(1);
    expect(await revokedIds(t)).toEqual([leaked.id]);
    expect((await ledgerRows(env)).get(outcome.tokenHash)).toMatchObject({ state: "revoked", token_id: leaked.id });
    expect((await sink.received()).length).toBe(toldBefore + 1);

    const again = messageBatch("revocations", bodies, 2);
    const services = core(env);
    await services.leaks.consume(again.batch);
    expect((await again.result()).explicitAcks).toHaveLength(1);
    expect(services.fetched).toEqual([]);
    expect((await deletes(t)).length, "one failed attempt, one revocation").toBe(2);
    expect((await sink.received()).length).toBe(toldBefore + 1);
    expect((await audit(env)).filter((e) => e.operation === "leakRevoke" && e.result === "ok")).toHaveLength(1);
  });

  it("retries a queued token whose claim another invocation holds, without asking Fastly", async () => {
    const { t, env, outcome, bodies } = await queuedReport();
    const holder = core(env);
    expect([...(await holder.ledger.claim([{ tokenHash: outcome.tokenHash, firstSeenMs: Date.now(), source: "standard_webhooks" }], Date.now()))]).toEqual([outcome.tokenHash]);
    const delivery = messageBatch("revocations", bodies, 2);
    const services = core(env);
    await services.leaks.consume(delivery.batch);
    const result = await delivery.result();
    expect(result.retryMessages).toHaveLength(1);
    expect(result.retryDelays).toEqual([60]);
    expect(services.fetched).toEqual([]);
    expect(await revokedIds(t)).toEqual([]);
  });

  it("records a dead-lettered token as failed, audits it and tells the security channel to revoke it by hand", async () => {
    const { sink, env, outcome, bodies } = await queuedReport();
    const dead = messageBatch("revocations-dlq", bodies, 6);
    await core(env).leaks.consumeDeadLetters(dead.batch, 6);
    expect((await dead.result()).explicitAcks).toHaveLength(1);
    expect((await ledgerRows(env)).get(outcome.tokenHash)).toMatchObject({ state: "failed", detail: "dead-lettered" });
    const failed = (await audit(env)).filter((e) => e.result === "failed");
    expect(failed.map((e) => [e.principal, e.tokenHash, e.detail?.split(" — ")[0]])).toEqual([["queue:revocations-dlq", outcome.tokenHash, "token not revoked after 6 attempts"]]);
    const last = (await sink.received()).at(-1)!;
    expect(last.body).toContain("FAILED to revoke");
    expect(last.body).toContain("revoke it by hand");
  });

  it("leaves a dead-lettered token alone when a later report revoked it meanwhile", async () => {
    const { t, sink, env, leaked, outcome, bodies } = await queuedReport();
    expect(await report(env, [leaked.access_token]).outcomes).toMatchObject([{ status: "revoked" }]);
    const told = (await sink.received()).length;
    const auditRows = (await audit(env)).length;
    const dead = messageBatch("revocations-dlq", bodies, 6);
    await core(env).leaks.consumeDeadLetters(dead.batch, 6);
    expect((await dead.result()).explicitAcks).toHaveLength(1);
    expect((await ledgerRows(env)).get(outcome.tokenHash)?.state).toBe("revoked");
    expect(await audit(env)).toHaveLength(auditRows);
    expect(await sink.received()).toHaveLength(told);
    expect(await revokedIds(t)).toEqual([leaked.id]);
  });
});

describe("the leak workflow's revocation plan", () => {
  it("revokes a token that may not revoke itself by id, with the Worker's own token", async () => {
    const { t, env } = await setup();
    const [leaked] = await carolsTokens(t, 1);
    await t.addFault({ method: "DELETE", path: "/tokens/self", status: 403, body: { msg: "Insufficient permissions" } });
    const [outcome] = await report(env, [leaked!.access_token]).outcomes;
    expect(outcome).toMatchObject({ status: "revoked", via: "worker", token: { id: leaked!.id } });
    expect(await deletes(t)).toEqual(["/tokens/self", `/tokens/${leaked!.id}`]);
    expect(await revokedIds(t)).toEqual([leaked!.id]);
  });

  it("revokes a value that may not read itself (403 on the live check) as itself, since it authenticated", async () => {
    const { t, env } = await setup();
    const [leaked] = await carolsTokens(t, 1);
    await t.addFault({ method: "GET", path: "/tokens/self", status: 403, body: { msg: "Insufficient permissions" } });
    const [outcome] = await report(env, [leaked!.access_token]).outcomes;
    expect(outcome).toMatchObject({ status: "revoked", via: "self" });
    expect(await revokedIds(t)).toEqual([leaked!.id]);
    expect((await ledgerRows(env)).get(outcome!.tokenHash)?.state).toBe("revoked");
  });

  it("queues a token whose user's hourly rate limit is spent until Fastly's reset, instead of retrying blindly", async () => {
    const { t, env, queue } = await setup();
    const [leaked] = await carolsTokens(t, 1);
    const reset = Math.floor(Date.now() / 1000) + 600;
    await t.addFault({
      method: "DELETE",
      path: "/tokens/self",
      status: 429,
      headers: { "Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": String(reset) },
      body: { msg: "You have exceeded your hourly rate limit." },
    });
    const [outcome] = await report(env, [leaked!.access_token]).outcomes;
    expect(outcome).toMatchObject({ status: "queued", retryAt: new Date((reset + 1) * 1000).toISOString() });
    // Fastly's reset plus a second, counted from this invocation's clock (a second or two after `reset` was taken).
    expect(queue.sent.map((m) => m.delaySeconds)).toEqual([expect.toSatisfy((d: number) => d >= 598 && d <= 601)]);
    expect(await deletes(t)).toEqual(["/tokens/self"]);
    expect(await revokedIds(t)).toEqual([]);
  });
});
