import { env as workerEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callWorker, deliver, demo, dumpKv, limitedTestEnv, newTenant, prefixedKv, testEnv } from "../helpers";
import {
  FREE_PLAN,
  type LimitSettings,
  limitedD1,
  limitedKv,
  limitsOf,
  manualClock,
  PAID_PLAN,
  PlatformLimits,
} from "../helpers/platform-limits";

const bindings = workerEnv as unknown as { TOKENS_KV: KVNamespace; DB: D1Database };
const NOON = Date.parse("2026-07-01T12:00:00Z");
const SECOND = 1000;

/** A fresh slice of the real namespace, a clock at noon UTC, and the double over both. */
function kvSetup(settings: Readonly<LimitSettings> = FREE_PLAN, start = NOON) {
  const clock = manualClock(start);
  const limits = new PlatformLimits(settings, { now: clock.now });
  const raw = prefixedKv(bindings.TOKENS_KV, `pl-${crypto.randomUUID()}:`);
  return { clock, limits, raw, kv: limitedKv(raw, limits), remote: limitedKv(raw, limits, "remote") };
}

async function tableSetup(settings: Readonly<LimitSettings> = FREE_PLAN) {
  const clock = manualClock(NOON);
  const limits = new PlatformLimits(settings, { now: clock.now });
  const table = `t_${crypto.randomUUID().replaceAll("-", "")}`;
  await bindings.DB.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, v TEXT)`);
  const count = async () => (await bindings.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<number>("n")) ?? -1;
  return { clock, limits, table, count, db: limitedD1(bindings.DB, limits) };
}

const names = (page: KVNamespaceListResult<unknown>) => page.keys.map((k) => k.name);

describe("KV through the double", () => {
  it("answers every allowed call from the real namespace and writes through to it", async () => {
    const { limits, raw, kv } = kvSetup();
    await raw.put("before", JSON.stringify({ n: 1 }), { metadata: { m: "b" } });
    expect(await kv.get("before", "json")).toEqual({ n: 1 });
    expect(await kv.getWithMetadata("before")).toMatchObject({ value: '{"n":1}', metadata: { m: "b" } });
    await kv.put("a", "1", { metadata: { m: "a" }, expirationTtl: 600 });
    expect(await raw.getWithMetadata("a")).toMatchObject({ value: "1", metadata: { m: "a" } });
    expect(names(await kv.list())).toEqual(names(await raw.list()));
    expect(names(await kv.list({ prefix: "a" }))).toEqual(["a"]);
    await kv.delete("a");
    expect(await raw.get("a")).toBeNull();
    expect(limits.stats()).toMatchObject({ kv: { operations: 6, reads: 2, writes: 1, deletes: 1, lists: 2 }, failures: [] });
  });

  it("refuses a second put to the same key within a second with a 429 that never reaches the namespace", async () => {
    const { clock, limits, raw, kv } = kvSetup();
    await kv.put("gen:c", "1");
    clock.advance(999);
    await expect(kv.put("gen:c", "2")).rejects.toThrow("KV PUT failed: 429 Too Many Requests");
    expect(await raw.get("gen:c")).toBe("1");
    await kv.put("other", "x"); // another key is not limited by this one
    await kv.delete("gen:c"); // nor is a delete (Cloudflare documents the rate for writes only)
    clock.advance(1);
    await kv.put("gen:c", "3");
    expect(await raw.get("gen:c")).toBe("3");
    expect(limits.stats().failures).toEqual([
      expect.objectContaining({ rule: "kvSameKeyWrite", operation: "kv.put", key: "gen:c", message: "KV PUT failed: 429 Too Many Requests" }),
    ]);
  });

  it("lets exactly one of two concurrent puts to one key through, and the namespace holds that one", async () => {
    const { raw, kv } = kvSetup();
    const settled = await Promise.allSettled([kv.put("k", "first"), kv.put("k", "second")]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected"]);
    expect(await raw.get("k")).toBe("first");
  });

  it("leaves no trace of a put the real namespace rejects: the key may be written at once, and no location sees it", async () => {
    const { clock, limits, raw, kv, remote } = kvSetup();
    await raw.put("k", "before");
    await expect(kv.put("k", "bad", { expirationTtl: 30 })).rejects.toThrow(/Expiration TTL must be at least 60/);
    await kv.put("k", "good", { expirationTtl: 60 });
    expect(await raw.get("k")).toBe("good");
    expect(await remote.get("k")).toBe("before");
    clock.advance(60 * SECOND);
    expect(await remote.get("k")).toBe("good");
    expect(limits.stats().failures).toEqual([]);
  });

  it("counts a bulk get as one operation and each of its keys as a read", async () => {
    const clock = manualClock(NOON);
    const limits = new PlatformLimits({ ...FREE_PLAN, kvReadsPerDay: 4 }, { now: clock.now });
    // Bulk gets need the unprefixed namespace (prefixedKv takes one key); unique key names keep tests apart.
    const id = crypto.randomUUID();
    const [a, b, c] = [`${id}-a`, `${id}-b`, `${id}-c`];
    await bindings.TOKENS_KV.put(a, "1");
    await bindings.TOKENS_KV.put(b, JSON.stringify({ v: 2 }));
    const kv = limitedKv(bindings.TOKENS_KV, limits);
    expect([...(await kv.get([a, b, c]))]).toEqual([[a, "1"], [b, '{"v":2}'], [c, null]]);
    expect(limits.stats().kv).toMatchObject({ operations: 1, reads: 3 });
    await expect(kv.getWithMetadata([b, c], "json")).rejects.toThrow("KV get() limit exceeded for the day.");
    expect([...(await kv.getWithMetadata([b], "json"))]).toEqual([[b, { value: { v: 2 }, metadata: null }]]);
  });

  it("stops each kind of KV call at its daily cap until 00:00 UTC, without reaching the namespace", async () => {
    const settings = { ...FREE_PLAN, kvReadsPerDay: 2, kvWritesPerDay: 2, kvDeletesPerDay: 1, kvListsPerDay: 1 };
    const { clock, limits, raw, kv } = kvSetup(settings, Date.parse("2026-07-01T23:59:00Z"));
    await kv.put("a", "1");
    await kv.put("b", "2");
    await expect(kv.put("c", "3")).rejects.toThrow("KV put() limit exceeded for the day.");
    expect(await raw.get("c")).toBeNull();
    await kv.get("a");
    await kv.get("b");
    await expect(kv.get("a")).rejects.toThrow("KV get() limit exceeded for the day.");
    await expect(kv.getWithMetadata("a")).rejects.toThrow("KV get() limit exceeded for the day.");
    await kv.delete("a");
    await expect(kv.delete("b")).rejects.toThrow("KV delete() limit exceeded for the day.");
    expect(await raw.get("b")).toBe("2");
    await kv.list();
    await expect(kv.list()).rejects.toThrow("KV list() limit exceeded for the day.");
    expect(limits.usageToday()).toMatchObject({ kvReads: 2, kvWrites: 2, kvDeletes: 1, kvLists: 1 });

    clock.advance(59_999); // 23:59:59.999, still the same day
    await expect(kv.put("c", "3")).rejects.toThrow("KV put() limit exceeded for the day.");
    clock.advance(1); // 00:00:00.000 UTC
    await kv.put("c", "3");
    expect(await kv.get("c")).toBe("3");
    await kv.delete("b");
    expect(names(await kv.list())).toEqual(["c"]);
    expect(limits.stats().failures.map((f) => f.rule)).toEqual(["kvWrites", "kvReads", "kvReads", "kvDeletes", "kvLists", "kvWrites"]);
  });

  it("with the free plan, refuses the 1,001st KV write of a day and accepts writes again the next day", async () => {
    // No second location here: its history would read each key before its first write, doubling the test's cost.
    const { clock, limits, raw, kv } = kvSetup({ ...FREE_PLAN, kvVisibilityDelaySeconds: 0 });
    // 1,000 writes over two invocations (each stays under 1,000 operations).
    for (const half of [0, 500]) {
      await limits.invoke(() => Promise.all(Array.from({ length: 500 }, (_, i) => kv.put(`k${half + i}`, "v"))));
    }
    await expect(limits.invoke(() => kv.put("k1000", "v"))).rejects.toThrow("KV put() limit exceeded for the day.");
    expect(await raw.get("k1000")).toBeNull();
    expect(await raw.get("k999")).toBe("v");
    clock.advance(12 * 3600 * SECOND);
    await limits.invoke(() => kv.put("k1000", "v"));
    expect(limits.stats()).toMatchObject({ kv: { writes: 1001 }, failures: [expect.objectContaining({ rule: "kvWrites" })] });
  }, 30_000); // 1,001 real local KV writes: under a 5 s budget only on an idle machine.

  it("spends the rest of a day's allowance with exhaustToday, as an earlier busy day would have", async () => {
    const { limits, kv } = kvSetup(FREE_PLAN);
    await kv.put("a", "1");
    limits.exhaustToday("kvWrites");
    expect(limits.usageToday().kvWrites).toBe(1000);
    await expect(kv.put("b", "2")).rejects.toThrow("KV put() limit exceeded for the day.");
    expect(await kv.get("a")).toBe("1"); // reads have their own allowance
  });

  it("carries the documented figures in FREE_PLAN and PAID_PLAN", () => {
    expect(FREE_PLAN).toEqual({
      kvSameKeyWriteIntervalMs: 1000,
      kvReadsPerDay: 100_000,
      kvWritesPerDay: 1000,
      kvDeletesPerDay: 1000,
      kvListsPerDay: 1000,
      opsPerInvocation: 1000,
      d1QueriesCountAsOps: true,
      d1QueriesPerInvocation: 50,
      d1RowsReadPerDay: 5_000_000,
      d1RowsWrittenPerDay: 100_000,
      kvVisibilityDelaySeconds: 60,
    });
    expect(PAID_PLAN).toEqual({
      ...FREE_PLAN,
      kvReadsPerDay: Number.POSITIVE_INFINITY,
      kvWritesPerDay: Number.POSITIVE_INFINITY,
      kvDeletesPerDay: Number.POSITIVE_INFINITY,
      kvListsPerDay: Number.POSITIVE_INFINITY,
      d1QueriesPerInvocation: 1000,
      d1RowsReadPerDay: Number.POSITIVE_INFINITY,
      d1RowsWrittenPerDay: Number.POSITIVE_INFINITY,
    });
  });
});

describe("storage operations per invocation", () => {
  it("refuses the 1,001st storage operation of one invocation and starts afresh in the next", async () => {
    const { limits, raw, kv } = kvSetup(PAID_PLAN);
    await limits.invoke(async () => {
      for (let i = 0; i < 1000; i += 100) await Promise.all(Array.from({ length: 100 }, (_, j) => kv.get(`missing-${i + j}`)));
      await expect(kv.put("one-too-many", "x")).rejects.toThrow("Too many API requests by single worker invocation.");
    });
    expect(await raw.get("one-too-many")).toBeNull();
    await limits.invoke(() => kv.put("one-too-many", "x"));
    expect(await raw.get("one-too-many")).toBe("x");
    expect(limits.stats()).toMatchObject({
      maxOpsInOneInvocation: 1000,
      maxKvOpsInOneInvocation: 1000,
      failures: [expect.objectContaining({ rule: "opsPerInvocation", operation: "kv.put" })],
    });
  });

  it("keeps the counters of concurrent invocations apart", async () => {
    const { limits, kv } = kvSetup({ ...PAID_PLAN, opsPerInvocation: 3 });
    const oneInvocation = (tag: string) =>
      limits.invoke(async () => {
        for (let i = 0; i < 3; i++) await kv.get(`${tag}${i}`);
        return kv.get(`${tag}-fourth`).then(() => "allowed", (e: Error) => e.message);
      });
    expect(await Promise.all([oneInvocation("x"), oneInvocation("y")])).toEqual([
      "Too many API requests by single worker invocation.",
      "Too many API requests by single worker invocation.",
    ]);
    expect(limits.stats()).toMatchObject({ kv: { operations: 6 }, maxOpsInOneInvocation: 3 });
  });

  it("counts calls made outside invoke() toward one ambient invocation until beginInvocation()", async () => {
    const { limits, kv } = kvSetup({ ...PAID_PLAN, opsPerInvocation: 2 });
    await kv.get("a");
    await kv.get("b");
    await expect(kv.get("c")).rejects.toThrow("Too many API requests by single worker invocation.");
    limits.beginInvocation();
    await kv.get("c");
    expect(limits.stats().invocations).toBe(2);
  });

  it("makes D1 queries and KV calls share one invocation's budget", async () => {
    const { limits, table, db } = await tableSetup({ ...PAID_PLAN, opsPerInvocation: 3 });
    const kv = limitedKv(prefixedKv(bindings.TOKENS_KV, `pl-${crypto.randomUUID()}:`), limits);
    await limits.invoke(async () => {
      await kv.get("a");
      await db.prepare(`SELECT * FROM ${table}`).all();
      await kv.get("b");
      await expect(db.prepare(`SELECT * FROM ${table}`).all()).rejects.toThrow("Too many API requests by single worker invocation.");
      await expect(kv.get("c")).rejects.toThrow("Too many API requests by single worker invocation.");
    });
    expect(limits.stats()).toMatchObject({ maxOpsInOneInvocation: 3, maxKvOpsInOneInvocation: 2, maxD1QueriesInOneInvocation: 1 });
  });
});

describe("a second location", () => {
  it("sees a write only after the delay, and until then the value before it", async () => {
    const { clock, raw, kv, remote } = kvSetup();
    await raw.put("k", "old"); // there before the double
    await kv.put("k", "new");
    await kv.put("fresh", "1");
    expect(await kv.get("k")).toBe("new"); // the writer's location sees it at once
    expect(await remote.get("k")).toBe("old");
    expect(await remote.get("fresh")).toBeNull();
    clock.advance(59_999);
    expect(await remote.get("k")).toBe("old");
    clock.advance(1);
    expect(await remote.get("k")).toBe("new");
    expect(await remote.get("fresh")).toBe("1");
  });

  it("sees successive writes in order, each one delay late", async () => {
    const { clock, kv, remote } = kvSetup();
    await kv.put("k", "v1");
    clock.advance(30 * SECOND);
    await kv.put("k", "v2");
    clock.advance(30 * SECOND);
    expect(await remote.get("k")).toBe("v1");
    clock.advance(30 * SECOND);
    expect(await remote.get("k")).toBe("v2");
  });

  it("sees a delete only after the delay", async () => {
    const { clock, raw, kv, remote } = kvSetup();
    await raw.put("k", "there", { metadata: { m: 1 } });
    await kv.delete("k");
    expect(await kv.get("k")).toBeNull();
    expect(await remote.getWithMetadata("k")).toMatchObject({ value: "there", metadata: { m: 1 } });
    clock.advance(60 * SECOND);
    expect(await remote.get("k")).toBeNull();
  });

  it("makes writes from the second location reach the first one late, under the same key's write rate", async () => {
    const { clock, raw, kv, remote } = kvSetup();
    await raw.put("tomb", "none");
    await remote.put("tomb", "revoked");
    expect(await remote.get("tomb")).toBe("revoked");
    expect(await kv.get("tomb")).toBe("none");
    await expect(kv.put("tomb", "other")).rejects.toThrow("KV PUT failed: 429 Too Many Requests");
    clock.advance(60 * SECOND);
    expect(await kv.get("tomb")).toBe("revoked");
  });

  it("answers metadata, json, bytes, streams and bulk gets from the version it can see", async () => {
    const { clock, limits, raw, kv, remote } = kvSetup();
    await raw.put("j", JSON.stringify({ v: "old" }), { metadata: { rev: 1 } });
    await kv.put("j", JSON.stringify({ v: "new" }), { metadata: { rev: 2 } });
    expect(await remote.get("j", "json")).toEqual({ v: "old" });
    expect(await remote.get("j", { type: "json" })).toEqual({ v: "old" });
    expect(await remote.getWithMetadata("j", "json")).toEqual({ value: { v: "old" }, metadata: { rev: 1 }, cacheStatus: null });
    expect(new TextDecoder().decode((await remote.get("j", "arrayBuffer"))!)).toBe('{"v":"old"}');
    expect(await new Response(await remote.get("j", "stream")).text()).toBe('{"v":"old"}');
    // Bulk: the unprefixed namespace, unique keys.
    const id = crypto.randomUUID();
    const there = limitedKv(bindings.TOKENS_KV, limits, "remote");
    const here = limitedKv(bindings.TOKENS_KV, limits);
    await bindings.TOKENS_KV.put(`${id}-a`, "a0");
    await here.put(`${id}-a`, "a1");
    await here.put(`${id}-b`, "b1");
    expect([...(await there.get([`${id}-a`, `${id}-b`]))]).toEqual([[`${id}-a`, "a0"], [`${id}-b`, null]]);
    clock.advance(60 * SECOND);
    expect([...(await there.get([`${id}-a`, `${id}-b`]))]).toEqual([[`${id}-a`, "a1"], [`${id}-b`, "b1"]]);
  });

  it("lists what it can see, page by page: new keys appear and deleted keys go only after the delay", async () => {
    const { clock, raw, kv, remote } = kvSetup();
    await raw.put("a", "1");
    await raw.put("b", "2");
    await kv.put("c", "3");
    await kv.delete("a");
    expect(names(await kv.list())).toEqual(["b", "c"]);
    expect(names(await remote.list())).toEqual(["a", "b"]);
    const first = await remote.list({ limit: 1 });
    expect(first).toMatchObject({ list_complete: false, keys: [{ name: "a" }] });
    const second = await remote.list({ limit: 1, cursor: (first as { cursor: string }).cursor });
    expect(second).toMatchObject({ list_complete: true, keys: [{ name: "b" }] });
    clock.advance(60 * SECOND);
    expect(names(await remote.list())).toEqual(["b", "c"]);
  });

  it("shares one history between env() views of the same bindings from two locations", async () => {
    const clock = manualClock(NOON);
    const limits = new PlatformLimits(FREE_PLAN, { now: clock.now });
    const base = { TOKENS_KV: prefixedKv(bindings.TOKENS_KV, `pl-${crypto.randomUUID()}:`), NAME: "x" };
    const here = limits.env(base);
    const there = limits.env(here, "remote");
    await here.TOKENS_KV.put("k", "v");
    expect(await there.TOKENS_KV.get("k")).toBeNull();
    expect(await limits.raw(there).TOKENS_KV.get("k")).toBe("v");
    expect(there.NAME).toBe("x");
    clock.advance(60 * SECOND);
    expect(await there.TOKENS_KV.get("k")).toBe("v");
    expect(limits.stats().kv.operations).toBe(3); // raw() was not counted
    expect(limitsOf(limits.raw(there))).toBeUndefined();
    expect(limitsOf(there)).toBe(limits);
  });
});

describe("D1 through the double", () => {
  it("answers every statement from the real database and writes through to it", async () => {
    const { limits, table, count, db } = await tableSetup();
    const run = await db.prepare(`INSERT INTO ${table} (v) VALUES (?), (?)`).bind("a", "b").run();
    expect(run.meta.changes).toBe(2);
    expect(await count()).toBe(2);
    const select = `SELECT id, v FROM ${table} ORDER BY id`;
    expect((await db.prepare(select).all()).results).toEqual((await bindings.DB.prepare(select).all()).results);
    expect(await db.prepare(select).raw()).toEqual(await bindings.DB.prepare(select).raw());
    expect(await db.prepare(select).raw({ columnNames: true })).toEqual(await bindings.DB.prepare(select).raw({ columnNames: true }));
    const [inserted, listed] = await db.batch([db.prepare(`INSERT INTO ${table} (v) VALUES ('c')`), db.prepare(`SELECT v FROM ${table} ORDER BY id`)]);
    expect(inserted!.meta.changes).toBe(1);
    expect(listed!.results).toEqual([{ v: "a" }, { v: "b" }, { v: "c" }]);
    expect(await db.exec(`INSERT INTO ${table} (v) VALUES ('d');\nINSERT INTO ${table} (v) VALUES ('e')`)).toMatchObject({ count: 2 });
    const session = db.withSession("first-primary");
    expect(await session.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first("n")).toBe(5);
    expect(await count()).toBe(5);
    // run, all, raw, raw, batch (2), exec (2), session first.
    expect(limits.stats().d1).toMatchObject({ queries: 9, unmeteredCalls: 3 });
  });

  it("answers first() exactly as the real binding's first() does, its missing-column error included", async () => {
    const { table, db } = await tableSetup();
    await bindings.DB.prepare(`INSERT INTO ${table} (v) VALUES ('x'), ('y')`).run();
    const outcome = (p: Promise<unknown>) => p.then((value) => ({ value }), (e: Error) => ({ error: e.message }));
    for (const [sql, column] of [
      [`SELECT v FROM ${table} ORDER BY id`, undefined],
      [`SELECT v FROM ${table} ORDER BY id`, "v"],
      [`SELECT v FROM ${table} ORDER BY id`, "nope"],
      [`SELECT v FROM ${table} WHERE 0`, undefined],
      [`SELECT v FROM ${table} WHERE 0`, "nope"],
    ] as const) {
      const real = await outcome(column ? bindings.DB.prepare(sql).first(column) : bindings.DB.prepare(sql).first());
      const wrapped = await outcome(column ? db.prepare(sql).first(column) : db.prepare(sql).first());
      expect(wrapped, `${sql} first(${column ?? ""})`).toEqual(real);
    }
  });

  it("refuses the 51st D1 query of an invocation on the free plan, counting each statement of a batch", async () => {
    const { limits, table, count, db } = await tableSetup(FREE_PLAN);
    const insert = () => db.prepare(`INSERT INTO ${table} (v) VALUES ('x')`);
    await limits.invoke(async () => {
      for (let i = 0; i < 49; i++) await db.prepare(`SELECT * FROM ${table}`).all();
      await expect(db.batch([insert(), insert()])).rejects.toThrow("Too many API requests by single worker invocation.");
      expect(await count()).toBe(0);
      await insert().run();
      await expect(insert().run()).rejects.toThrow("Too many API requests by single worker invocation. (D1: 51 queries, limit 50 per invocation)");
    });
    expect(await count()).toBe(1);
    await limits.invoke(() => db.batch([insert(), insert()]));
    expect(await count()).toBe(3);
    expect(limits.stats()).toMatchObject({
      maxD1QueriesInOneInvocation: 50,
      failures: [expect.objectContaining({ rule: "d1QueriesPerInvocation", operation: "d1.batch" }), expect.objectContaining({ operation: "d1.run" })],
    });
  });

  it("counts rows read and written from the real results and stops at the daily caps until 00:00 UTC", async () => {
    const { clock, limits, table, count, db } = await tableSetup({ ...FREE_PLAN, d1RowsWrittenPerDay: 3, d1RowsReadPerDay: 7 });
    const written = await db.prepare(`INSERT INTO ${table} (v) VALUES ('a'), ('b'), ('c')`).run();
    expect(written.meta.rows_written).toBeGreaterThanOrEqual(3);
    expect(limits.stats().d1.rowsWritten).toBe(written.meta.rows_written);
    await expect(db.prepare(`INSERT INTO ${table} (v) VALUES ('d')`).run()).rejects.toThrow("D1 rows written limit exceeded for the day.");
    expect(await count()).toBe(3);
    const read = await db.prepare(`SELECT * FROM ${table}`).all(); // reads are still allowed
    expect(read.meta.rows_read).toBe(3);
    await db.prepare(`SELECT * FROM ${table}`).first(); // first() meters the rows it read too: 6 of 7
    expect(limits.stats().d1.rowsRead).toBe(6);
    await db.prepare(`SELECT * FROM ${table}`).all(); // 9: this one overshoots...
    await expect(db.prepare(`SELECT 1`).all()).rejects.toThrow("D1 rows read limit exceeded for the day."); // ...the next is refused
    clock.set(Date.parse("2026-07-02T00:00:00Z"));
    await db.prepare(`INSERT INTO ${table} (v) VALUES ('d')`).run();
    expect(await count()).toBe(4);
    expect(limits.usageToday()).toMatchObject({ d1RowsWritten: 1 });
  });
});

describe("the Worker's test helpers under the double", () => {
  it("gives every test's env the limits that bind on every plan: a second write to one KV key within a second fails", async () => {
    const env = await testEnv(await newTenant());
    expect(limitsOf(env)?.settings).toEqual(PAID_PLAN);
    await env.TOKENS_KV.put("probe", "1");
    await expect(env.TOKENS_KV.put("probe", "2")).rejects.toThrow(/429 Too Many Requests/);
    expect(await env.TOKENS_KV.get("probe")).toBe("1");
  });

  it("runs each callWorker request and each delivered queue batch as one invocation of the env's limits", async () => {
    const t = await newTenant();
    const { env, limits } = await limitedTestEnv(t, FREE_PLAN);
    const headers = { "Fastly-Key": demo.tokens.engineerGlobal.access_token };
    const miss = await callWorker(env, "/tokens/self", { headers });
    expect(miss.headers.get("X-Cache")).toBe("MISS");
    const hit = await callWorker(env, "/tokens/self", { headers });
    expect(hit.headers.get("X-Cache")).toBe("HIT");
    const afterRequests = limits.stats();
    expect(afterRequests.invocations).toBe(3); // the ambient one and two requests
    expect(afterRequests.kv.writes).toBeGreaterThan(0);
    expect(afterRequests.maxOpsInOneInvocation).toBeGreaterThan(0);
    // The cache entry really is in the real namespace.
    expect((await dumpKv(limits.raw(env))).map((k) => k.name)).toEqual([expect.stringMatching(/^c:self:/)]);
    await deliver(env, "revocations", []);
    expect(limits.stats().invocations).toBe(4);
    expect(limits.stats().kv.operations).toBe(afterRequests.kv.operations); // dumpKv on raw() was not counted
  });
});
