import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/crypto/hash";
import type { RevocationJob } from "../../src/tokens/revocation-job";
import { audit, deliver, demo, dumpKv, postScannerReport, scannerSetup } from "../helpers";
import { RevocationLedger } from "../../src/tokens/store/ledger";
import { Sql } from "../../src/tokens/store/sql";

const setup = scannerSetup;

const leaked = demo.tokens.userGlobal;

describe("revocation queue", () => {
  it("queues a token Fastly could not take (503), sealed, and revokes it when the consumer runs", async () => {
    const { t, env, queue, sink } = await setup();
    await t.addFault({ method: "GET", path: "/tokens/self", status: 503, count: 1 });
    const r = await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    expect(((await r.json()) as { results: { status: string }[] }).results[0]!.status).toBe("queued");
    expect(queue.sent).toHaveLength(1);
    expect(JSON.stringify(queue.sent)).not.toContain(leaked.access_token);
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(false);

    const result = await deliver(env, "revocations", queue.sent.map((m) => m.body));
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    const bodies = (await sink.received()).map((n) => n.body);
    expect(bodies.at(-1)).toContain("revoked");
    expect(bodies.join("\n")).not.toContain(leaked.access_token);
  });

  it("keeps a queued token whose ledger claim another invocation holds, retrying it rather than dropping it", async () => {
    const { t, env, queue } = await setup();
    await t.addFault({ method: "GET", path: "/tokens/self", status: 503, count: 1 });
    await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    // A concurrent report claimed the token (and may die holding it): the consumer must not acknowledge it away.
    await new RevocationLedger(new Sql(env.DB)).claim([{ tokenHash: await sha256Hex(leaked.access_token), firstSeenMs: Date.now(), source: "demo" }], Date.now());
    const result = await deliver(env, "revocations", queue.sent.map((m) => m.body));
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    expect(result.retryDelays[0]).toBeGreaterThanOrEqual(60);
    expect((await t.calls()).filter((c) => c.method === "DELETE")).toEqual([]);
  });

  it("retries with a delay that honours Fastly-RateLimit-Reset on 429", async () => {
    const { t, env, queue } = await setup();
    const reset = Math.floor(Date.now() / 1000) + 120;
    await t.addFault({ path: "/tokens/self", status: 429, count: 2, headers: { "Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": String(reset) }, body: { msg: "You have exceeded your hourly rate limit." } });
    await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    const result = await deliver(env, "revocations", queue.sent.map((m) => m.body), 2);
    expect(result.retryMessages).toHaveLength(1);
    const delay = result.retryDelays[0]!;
    expect(delay).toBeGreaterThanOrEqual(100);
    expect(delay).toBeLessThanOrEqual(122);
  });

  it("backs off exponentially on network errors and 5xx", async () => {
    const { t, env, queue } = await setup();
    await t.addFault({ path: "/tokens/self", drop: true, count: 1 });
    await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    await t.addFault({ path: "/tokens/self", status: 502, count: 10 });
    const early = await deliver(env, "revocations", queue.sent.map((m) => m.body), 1);
    const late = await deliver(env, "revocations", queue.sent.map((m) => m.body), 5);
    expect(early.retryDelays[0]!).toBeLessThan(late.retryDelays[0]!);
    expect(late.retryDelays[0]!).toBeLessThanOrEqual(900);
  });

  it("records and notifies what lands in the dead-letter queue, without the secret", async () => {
    const { env, queue, sink, t } = await setup();
    await t.addFault({ path: "/tokens/self", status: 503, count: 1 });
    await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    const result = await deliver(env, "revocations-dlq", queue.sent.map((m) => m.body));
    expect(result.explicitAcks).toHaveLength(1);
    const failed = (await audit(env)).find((e) => e.result === "failed");
    expect(failed).toMatchObject({ operation: "leakRevoke", principal: "queue:revocations-dlq" });
    expect(failed?.detail).toMatch(/not revoked after 6 attempts/);
    const last = (await sink.received()).at(-1)!.body;
    expect(last).toMatch(/FAILED to revoke after 6 attempts: revoke it by hand/);
    expect(last).not.toContain(leaked.access_token);
  });

  it("drops a message whose sealed token cannot be opened, and records it as failed", async () => {
    const { env } = await setup();
    const job: RevocationJob = { kind: "token", sealedToken: "v1.AAAA.BBBB", tokenHash: "0".repeat(64), context: { source: "demo" } };
    const result = await deliver(env, "revocations", [job]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await audit(env)).find((e) => e.result === "failed")?.detail).toMatch(/sealed token could not be opened/);
  });

  it("loses no leaked token while Fastly fails a fraction of calls: each is revoked or dead-lettered, audited and notified", async () => {
    const { t, env, queue, sink } = await setup({ SUBREQUEST_BUDGET: "16" });
    // Twenty live tokens for one user, created through the emulator's own API.
    const u = demo.users.acmeUser;
    const values: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${t.baseUrl}/tokens`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username: u.login, password: u.password, name: `leak-${i}` }),
      });
      values.push(((await r.json()) as { access_token: string }).access_token);
    }
    const reset = String(Math.floor(Date.now() / 1000) + 30);
    for (const fault of [
      { path: "/tokens/self", status: 500, probability: 0.1 },
      { path: "/tokens/self", status: 503, probability: 0.1 },
      { path: "/tokens/self", status: 429, probability: 0.1, headers: { "Fastly-RateLimit-Reset": reset } },
      { path: "/tokens/self", drop: true, probability: 0.05 },
      { path: "/tokens/self", delayMs: 50, probability: 0.1 },
    ]) {
      await t.addFault(fault);
    }
    const r = await postScannerReport(env, JSON.stringify({ tokens: values }));
    expect(r.status).toBe(200);

    // Run the queue like Cloudflare would: retries until max attempts, then the dead-letter queue.
    const maxAttempts = 6;
    let pending = queue.sent.map((m) => ({ body: m.body, attempts: 1 }));
    queue.sent.length = 0;
    let deadLettered = 0;
    while (pending.length > 0) {
      const next: typeof pending = [];
      for (const p of pending) {
        const res = await deliver(env, "revocations", [p.body], p.attempts);
        if (res.retryMessages.length === 0) continue;
        if (p.attempts >= maxAttempts) {
          await deliver(env, "revocations-dlq", [p.body]);
          deadLettered++;
        } else next.push({ body: p.body, attempts: p.attempts + 1 });
      }
      pending = next;
    }

    const state = new Map((await t.tokens()).map((x) => [x.name, x.revoked]));
    const revoked = values.filter((_, i) => state.get(`leak-${i}`)).length;
    expect(revoked + deadLettered).toBe(20);
    const entries = await audit(env);
    const final = entries.filter((e) => e.operation === "leakRevoke" && ["ok", "already_revoked", "failed"].includes(e.result));
    const hashes = await Promise.all(values.map((v) => sha256Hex(v)));
    expect(new Set(final.map((e) => e.tokenHash))).toEqual(new Set(hashes));
    const notified = (await sink.received()).map((n) => n.body).join("\n");
    for (const v of values) expect(notified).not.toContain(v);
    const kv = JSON.stringify(await dumpKv(env));
    for (const v of values) expect(kv).not.toContain(v);
  });
});
