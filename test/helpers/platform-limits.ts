/**
 * Cloudflare's production limits, enforced around the REAL local KV and D1 bindings.
 *
 * The local runtime enforces none of the limits that shape this Worker in production (one write a second per KV key,
 * the free plan's daily caps, 1,000 storage operations per invocation, D1's per-invocation query limit, KV's
 * eventual consistency), so a suite on bare bindings is green on a platform kinder than production. This double wraps
 * the bindings and makes every call either fail the way production fails it or reach the real binding unchanged.
 * It is a wrapper, not a mock: allowed calls are answered by the real namespace/database; refused calls never reach it.
 *
 * ```ts
 * const clock = manualClock(Date.parse("2026-07-01T12:00:00Z")); // optional: default is real time
 * const limits = new PlatformLimits(FREE_PLAN, { now: clock.now });
 * const env = limits.env(await testEnv(tenant));   // every KV and D1 binding in env wrapped (TOKENS_KV, DB)
 * await callWorker(env, "/tokens/self", init);      // test/helpers/request.ts: one request = one invocation
 * await limits.invoke(() => work(env));             // or run any code as one invocation
 * const there = limits.env(env, "remote");          // the same storage seen from a second location
 * limits.stats();  // { kv, d1, invocations, maxOpsInOneInvocation, maxD1QueriesInOneInvocation, failures, ... }
 * limits.raw(env); // the env with the unwrapped bindings, for a test's own inspection (nothing counted)
 * ```
 *
 * Rules (every number is a {@link LimitSettings} field; {@link FREE_PLAN} / {@link PAID_PLAN} hold the documented
 * values from /work/shared/reference/cloudflare-limits.md):
 * - KV `put` to a key whose last put was under `kvSameKeyWriteIntervalMs` ago rejects with
 *   `KV PUT failed: 429 Too Many Requests` (the same key in any location; deletes are not counted: undocumented).
 * - KV daily caps (reads count each key of a bulk get; writes; deletes; lists) reject with
 *   `KV get()/put()/delete()/list() limit exceeded for the day.` until 00:00 UTC on the clock.
 * - Storage operations per invocation (`opsPerInvocation`): every KV call (a bulk get is one, as documented) and, with
 *   `d1QueriesCountAsOps`, every D1 query; over it: `Too many API requests by single worker invocation.`
 * - D1 queries per invocation (each statement of a batch counts); over it the same text, naming D1 (Cloudflare
 *   documents the limit, not its error text).
 * - D1 rows read / written per day, summed from the real results' `meta`; once a cap is spent, queries (for the
 *   written cap: statements that are not SELECT/WITH/PRAGMA/EXPLAIN) reject until 00:00 UTC. `raw()` and `exec()` give
 *   no `meta`, so their rows are not counted (`stats().d1.unmeteredCalls` says how many such calls there were).
 * - A second location: a view created with another `location` name sees each KV write or delete made elsewhere only
 *   `kvVisibilityDelaySeconds` after it happened; until then it sees the value before it (or nothing). The double
 *   keeps a per-key history of writes for this; once the latest write is old enough the real binding answers.
 * Key/value/metadata sizes, TTL floors and the 100-key bulk limit are already enforced by the local binding itself.
 *
 * Invocations: `invoke(fn)` gives fn its own counters (AsyncLocalStorage, so concurrent invocations do not mix);
 * calls outside any `invoke` count toward the "ambient" invocation that `beginInvocation()` starts afresh.
 * A call refused for a daily cap or the per-key rate still counts as one operation of its invocation (production made
 * the request), never toward the daily totals; every refusal is listed in `stats().failures`. A call the real binding
 * itself rejects leaves no trace in the double's history.
 *
 * Workerd-agnostic: it needs only `node:async_hooks` and Web APIs, so a Node benchmark can wrap Miniflare's
 * `getKVNamespace()` / `getD1Database()` bindings with it. The clock must not run backwards.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface LimitSettings {
  /** Minimum time between two puts to one KV key (every plan: one write per second). */
  kvSameKeyWriteIntervalMs: number;
  kvReadsPerDay: number;
  kvWritesPerDay: number;
  kvDeletesPerDay: number;
  kvListsPerDay: number;
  /** Storage operations one invocation may make (KV: 1,000 on every plan). */
  opsPerInvocation: number;
  /** The docs count KV, R2 and other "external service" calls against one budget; D1 queries are assumed to join it. */
  d1QueriesCountAsOps: boolean;
  d1QueriesPerInvocation: number;
  d1RowsReadPerDay: number;
  d1RowsWrittenPerDay: number;
  /** How long another location takes to see a KV write (0: at once). */
  kvVisibilityDelaySeconds: number;
}

/** Workers Paid: only the per-key rate, the per-invocation limits and eventual consistency bind. */
export const PAID_PLAN: Readonly<LimitSettings> = Object.freeze({
  kvSameKeyWriteIntervalMs: 1000,
  kvReadsPerDay: Number.POSITIVE_INFINITY,
  kvWritesPerDay: Number.POSITIVE_INFINITY,
  kvDeletesPerDay: Number.POSITIVE_INFINITY,
  kvListsPerDay: Number.POSITIVE_INFINITY,
  opsPerInvocation: 1000,
  d1QueriesCountAsOps: true,
  d1QueriesPerInvocation: 1000,
  d1RowsReadPerDay: Number.POSITIVE_INFINITY,
  d1RowsWrittenPerDay: Number.POSITIVE_INFINITY,
  kvVisibilityDelaySeconds: 60,
});

/** Workers Free. */
export const FREE_PLAN: Readonly<LimitSettings> = Object.freeze({
  ...PAID_PLAN,
  kvReadsPerDay: 100_000,
  kvWritesPerDay: 1000,
  kvDeletesPerDay: 1000,
  kvListsPerDay: 1000,
  d1QueriesPerInvocation: 50,
  d1RowsReadPerDay: 5_000_000,
  d1RowsWrittenPerDay: 100_000,
});

/** Enforces nothing and delays nothing: for benchmarks that only count. */
export const COUNT_ONLY: Readonly<LimitSettings> = Object.freeze({
  ...PAID_PLAN,
  kvSameKeyWriteIntervalMs: 0,
  opsPerInvocation: Number.POSITIVE_INFINITY,
  d1QueriesPerInvocation: Number.POSITIVE_INFINITY,
  kvVisibilityDelaySeconds: 0,
});

export type DailyCounter = "kvReads" | "kvWrites" | "kvDeletes" | "kvLists" | "d1RowsRead" | "d1RowsWritten";
export type LimitRule = DailyCounter | "kvSameKeyWrite" | "opsPerInvocation" | "d1QueriesPerInvocation";

const DAILY: Record<DailyCounter, { cap: keyof LimitSettings; message: string }> = {
  kvReads: { cap: "kvReadsPerDay", message: "KV get() limit exceeded for the day." },
  kvWrites: { cap: "kvWritesPerDay", message: "KV put() limit exceeded for the day." },
  kvDeletes: { cap: "kvDeletesPerDay", message: "KV delete() limit exceeded for the day." },
  kvLists: { cap: "kvListsPerDay", message: "KV list() limit exceeded for the day." },
  d1RowsRead: { cap: "d1RowsReadPerDay", message: "D1 rows read limit exceeded for the day." },
  d1RowsWritten: { cap: "d1RowsWrittenPerDay", message: "D1 rows written limit exceeded for the day." },
};

const TOO_MANY = "Too many API requests by single worker invocation.";
const DAY_MS = 86_400_000;
/** Statements that cannot write rows: still allowed once the daily rows-written cap is spent. */
const READ_ONLY_SQL = /^\s*(select|with|pragma|explain)\b/i;

/** What a refused call throws: a plain Error to the code under test, with the rule for the test. */
export class PlatformLimitError extends Error {
  constructor(
    readonly rule: LimitRule,
    message: string,
  ) {
    super(message);
    this.name = "Error";
  }
}

export interface LimitFailure {
  rule: LimitRule;
  /** e.g. `kv.put`, `d1.batch`. */
  operation: string;
  key?: string;
  location: string;
  message: string;
  /** Clock time (ms). */
  at: number;
  invocation: number;
}

export interface LimitStats {
  /** Totals since the double was created; `reads` counts keys (a bulk get of 5 keys is 5 reads, 1 operation). */
  kv: { operations: number; reads: number; writes: number; deletes: number; lists: number };
  d1: { queries: number; rowsRead: number; rowsWritten: number; unmeteredCalls: number };
  invocations: number;
  /** KV operations plus D1 queries. */
  maxOpsInOneInvocation: number;
  maxKvOpsInOneInvocation: number;
  maxD1QueriesInOneInvocation: number;
  failures: LimitFailure[];
}

/** A clock the test moves by hand. */
export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function manualClock(startMs = Date.now()): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}

interface Invocation {
  id: number;
  ops: number;
  kvOps: number;
  d1Queries: number;
}

/** One write or delete of a key, as a location other than the writer's will eventually see it. */
interface Version {
  at: number;
  /** Where it was written; `*` for the value found before the double's first write (seen everywhere). */
  location: string;
  value: string | Uint8Array | null;
  metadata: unknown;
  expiresAt: number | null;
}

/** Per underlying namespace: last put per key (the 1/s rule) and the recent writes (the delayed location). */
interface KvHistory {
  lastPut: Map<string, number>;
  versions: Map<string, Version[]>;
}

const LIMITS = Symbol.for("platform-limits");
const RAW = Symbol.for("platform-limits.raw");

/** The state of one simulated account: its settings, clock, counters, histories and failures. */
export class PlatformLimits {
  readonly settings: Readonly<LimitSettings>;
  readonly now: () => number;
  private readonly scope = new AsyncLocalStorage<Invocation>();
  private invocations = 0;
  private ambient: Invocation;
  private day = Number.NaN;
  private today: Record<DailyCounter, number> = zeroDaily();
  private readonly totals: Pick<LimitStats, "kv" | "d1"> = {
    kv: { operations: 0, reads: 0, writes: 0, deletes: 0, lists: 0 },
    d1: { queries: 0, rowsRead: 0, rowsWritten: 0, unmeteredCalls: 0 },
  };
  private readonly max = { ops: 0, kvOps: 0, d1Queries: 0 };
  private readonly failures: LimitFailure[] = [];
  private readonly histories = new WeakMap<object, KvHistory>();

  constructor(settings: Readonly<LimitSettings> = FREE_PLAN, opts: { now?: () => number } = {}) {
    this.settings = Object.freeze({ ...settings });
    this.now = opts.now ?? Date.now;
    this.ambient = this.newInvocation();
  }

  /** Starts a new ambient invocation: calls made outside {@link invoke} count toward it. */
  beginInvocation(): void {
    this.ambient = this.newInvocation();
  }

  /** Runs fn as one invocation with its own per-invocation counters. */
  async invoke<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.scope.run(this.newInvocation(), fn);
  }

  /**
   * A copy of env whose KV namespaces and D1 databases are wrapped (duck-typed, so TOKENS_KV, DB and any later
   * binding), seen from `location`. Wrapping an already wrapped env re-wraps its raw bindings (no double counting).
   */
  env<E extends object>(base: E, location = "local"): E {
    const source = rawBindings(base);
    const out: Record<string | symbol, unknown> = { ...(base as Record<string, unknown>) };
    const raw: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(source)) {
      if (isKv(value)) out[name] = limitedKv(value, this, location);
      else if (isD1(value)) out[name] = limitedD1(value, this);
      else continue;
      raw[name] = value;
    }
    out[LIMITS] = this;
    out[RAW] = raw;
    return out as E;
  }

  /** The env with its unwrapped bindings: a test's own look at storage, never counted or refused. */
  raw<E extends object>(env: E): E {
    const out: Record<string | symbol, unknown> = { ...(rawBindings(env) as Record<string, unknown>) };
    delete out[LIMITS];
    delete out[RAW];
    return out as E;
  }

  stats(): LimitStats {
    return {
      kv: { ...this.totals.kv },
      d1: { ...this.totals.d1 },
      invocations: this.invocations,
      maxOpsInOneInvocation: this.max.ops,
      maxKvOpsInOneInvocation: this.max.kvOps,
      maxD1QueriesInOneInvocation: this.max.d1Queries,
      failures: [...this.failures],
    };
  }

  /** What today's (UTC, on the clock) daily counters stand at. */
  usageToday(): Record<DailyCounter, number> {
    this.rollDay();
    return { ...this.today };
  }

  /** Spends the rest of today's allowance of each counter, as an earlier busy day would have. */
  exhaustToday(...counters: DailyCounter[]): void {
    this.rollDay();
    for (const c of counters) this.today[c] = Math.max(this.today[c], this.settings[DAILY[c].cap] as number);
  }

  /** @internal Counts one KV call or refuses it. `put` also enforces the per-key write rate; returns the previous put time. */
  chargeKv(call: { op: "get" | "put" | "delete" | "list"; counter: DailyCounter; amount: number; key: string; location: string; history?: KvHistory }): number | undefined {
    const s = this.settings;
    const inv = this.invocation();
    const failure = { operation: `kv.${call.op}`, key: call.key, location: call.location };
    if (inv.ops + 1 > s.opsPerInvocation) this.fail("opsPerInvocation", TOO_MANY, failure);
    this.countKv(inv);
    const now = this.now();
    const last = call.history?.lastPut.get(call.key);
    if (call.op === "put" && last !== undefined && now - last < s.kvSameKeyWriteIntervalMs) {
      this.fail("kvSameKeyWrite", "KV PUT failed: 429 Too Many Requests", failure);
    }
    this.spendDaily(call.counter, call.amount, failure);
    if (call.op === "put") call.history?.lastPut.set(call.key, now);
    this.totals.kv[KV_TOTAL[call.counter]] += call.amount;
    return last;
  }

  /** @internal Counts the queries of one D1 call or refuses it. */
  chargeD1(op: string, sqls: string[]): void {
    const s = this.settings;
    const inv = this.invocation();
    const n = sqls.length;
    const failure = { operation: `d1.${op}`, location: "local" };
    if (inv.d1Queries + n > s.d1QueriesPerInvocation) {
      this.fail("d1QueriesPerInvocation", `${TOO_MANY} (D1: ${inv.d1Queries + n} queries, limit ${s.d1QueriesPerInvocation} per invocation)`, failure);
    }
    if (s.d1QueriesCountAsOps && inv.ops + n > s.opsPerInvocation) this.fail("opsPerInvocation", TOO_MANY, failure);
    this.countD1(inv, n);
    this.spendDaily("d1RowsRead", 0, failure);
    if (sqls.some((q) => !READ_ONLY_SQL.test(q))) this.spendDaily("d1RowsWritten", 0, failure);
  }

  /** @internal Adds a real result's rows to today's D1 counters (a query may overshoot the cap; the next is refused). */
  meterRows(meta: { rows_read?: number; rows_written?: number } | undefined): void {
    const read = meta?.rows_read ?? 0;
    const written = meta?.rows_written ?? 0;
    this.rollDay();
    this.today.d1RowsRead += read;
    this.today.d1RowsWritten += written;
    this.totals.d1.rowsRead += read;
    this.totals.d1.rowsWritten += written;
  }

  /** @internal Queries whose rows the real binding does not report (`raw()`, `exec()`); extra statements of an exec. */
  unmetered(extraQueries = 0): void {
    this.totals.d1.unmeteredCalls++;
    if (extraQueries > 0) this.countD1(this.invocation(), extraQueries);
  }

  /** @internal The write history of one underlying namespace (shared by every location's view of it). */
  historyOf(kv: object): KvHistory {
    const known = this.histories.get(kv);
    if (known) return known;
    const h: KvHistory = { lastPut: new Map(), versions: new Map() };
    this.histories.set(kv, h);
    return h;
  }

  private invocation(): Invocation {
    return this.scope.getStore() ?? this.ambient;
  }

  private newInvocation(): Invocation {
    return { id: ++this.invocations, ops: 0, kvOps: 0, d1Queries: 0 };
  }

  private countKv(inv: Invocation): void {
    inv.ops++;
    inv.kvOps++;
    this.totals.kv.operations++;
    this.track(inv);
  }

  private countD1(inv: Invocation, queries: number): void {
    inv.d1Queries += queries;
    if (this.settings.d1QueriesCountAsOps) inv.ops += queries;
    this.totals.d1.queries += queries;
    this.track(inv);
  }

  private track(inv: Invocation): void {
    this.max.ops = Math.max(this.max.ops, inv.ops);
    this.max.kvOps = Math.max(this.max.kvOps, inv.kvOps);
    this.max.d1Queries = Math.max(this.max.d1Queries, inv.d1Queries);
  }

  private rollDay(): void {
    const day = Math.floor(this.now() / DAY_MS);
    if (day === this.day) return;
    this.day = day;
    this.today = zeroDaily();
  }

  /** Refuses when today's allowance is already spent or `amount` would overspend it; else spends it. */
  private spendDaily(counter: DailyCounter, amount: number, failure: Omit<LimitFailure, "rule" | "message" | "at" | "invocation">): void {
    this.rollDay();
    const cap = this.settings[DAILY[counter].cap] as number;
    const spent = this.today[counter];
    if (spent >= cap || spent + amount > cap) this.fail(counter, DAILY[counter].message, failure);
    this.today[counter] += amount;
  }

  private fail(rule: LimitRule, message: string, failure: Omit<LimitFailure, "rule" | "message" | "at" | "invocation">): never {
    this.failures.push({ rule, message, at: this.now(), invocation: this.invocation().id, ...failure });
    throw new PlatformLimitError(rule, message);
  }
}

const KV_TOTAL = { kvReads: "reads", kvWrites: "writes", kvDeletes: "deletes", kvLists: "lists" } as Record<DailyCounter, "reads" | "writes" | "deletes" | "lists">;

function zeroDaily(): Record<DailyCounter, number> {
  return { kvReads: 0, kvWrites: 0, kvDeletes: 0, kvLists: 0, d1RowsRead: 0, d1RowsWritten: 0 };
}

/** The limits an env was wrapped with, if any. */
export function limitsOf(env: object): PlatformLimits | undefined {
  return (env as Record<symbol, PlatformLimits | undefined>)[LIMITS];
}

/** Runs fn as one invocation of env's limits, or just runs it when env carries none. */
export async function asInvocation<T>(env: object, fn: () => Promise<T>): Promise<T> {
  const limits = limitsOf(env);
  return limits ? limits.invoke(fn) : fn();
}

function rawBindings<E extends object>(env: E): E {
  const raw = (env as Record<symbol, Record<string, unknown> | undefined>)[RAW];
  return (raw ? { ...env, ...raw } : env) as E;
}

function hasMethods(value: unknown, names: string[]): boolean {
  if (typeof value !== "object" || value === null) return false;
  // A service binding (ASSETS) is an RPC stub that answers every property name with a method: never storage.
  if (value.constructor?.name === "Fetcher") return false;
  return names.every((n) => typeof (value as Record<string, unknown>)[n] === "function");
}

function isKv(value: unknown): value is KVNamespace {
  return hasMethods(value, ["get", "getWithMetadata", "put", "delete", "list"]);
}

function isD1(value: unknown): value is D1Database {
  return hasMethods(value, ["prepare", "batch", "exec"]);
}

// ---------------------------------------------------------------------------------------------------------------
// KV

type GetArg = string | { type?: string; cacheTtl?: number } | undefined;

const typeOf = (arg: GetArg): string => (typeof arg === "string" ? arg : (arg?.type ?? "text"));

async function snapshot(value: string | ArrayBuffer | ArrayBufferView | ReadableStream): Promise<string | Uint8Array> {
  if (typeof value === "string") return value;
  if (value instanceof ReadableStream) return new Uint8Array(await new Response(value).arrayBuffer());
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  return new Uint8Array(value.slice(0));
}

function decode(value: string | Uint8Array, type: string): unknown {
  const text = () => (typeof value === "string" ? value : new TextDecoder().decode(value));
  const bytes = () => (typeof value === "string" ? new TextEncoder().encode(value) : value.slice());
  if (type === "json") return JSON.parse(text());
  if (type === "arrayBuffer") return bytes().buffer;
  if (type === "stream") return new Response(bytes()).body;
  return text();
}

const LIST_CURSOR = "platform-limits:";

/**
 * `kv` seen from `location` under `limits`. Views of the same underlying namespace share its write history, so a
 * `"remote"` view sees the `"local"` view's writes `kvVisibilityDelaySeconds` late, and the other way round.
 */
export function limitedKv(kv: KVNamespace, limits: PlatformLimits, location = "local"): KVNamespace {
  const history = limits.historyOf(kv);
  const delayMs = limits.settings.kvVisibilityDelaySeconds * 1000;
  const seen = (v: Version, now: number) => v.location === location || now - v.at >= delayMs;

  /** The version this location sees when it is not the latest (then the real binding answers: null). */
  const hidden = (key: string): Version | null => {
    const versions = history.versions.get(key);
    const now = limits.now();
    if (!versions?.length || seen(versions[versions.length - 1]!, now)) return null;
    for (let i = versions.length - 2; i >= 0; i--) if (seen(versions[i]!, now)) return versions[i]!;
    return null;
  };
  const live = (v: Version) => v.value !== null && (v.expiresAt === null || v.expiresAt > limits.now());

  /**
   * Remembers a write for other locations (the first one also what was there before the double), then makes it;
   * a write the real binding rejects is forgotten again.
   */
  const writeThrough = async (key: string, version: Omit<Version, "at" | "location">, write: () => Promise<void>, undo: () => void): Promise<void> => {
    const entry = await remember(key, version);
    try {
      await write();
    } catch (err) {
      const versions = history.versions.get(key);
      if (entry && versions?.includes(entry)) versions.splice(versions.indexOf(entry), 1);
      undo();
      throw err;
    }
  };

  const remember = async (key: string, version: Omit<Version, "at" | "location">): Promise<Version | null> => {
    if (delayMs <= 0) return null;
    const now = limits.now();
    let versions = history.versions.get(key);
    if (!versions) {
      versions = [];
      history.versions.set(key, versions);
      const before = await kv.getWithMetadata(key, "arrayBuffer");
      const prior = before.value === null ? null : new Uint8Array(before.value);
      versions.push({ at: Number.NEGATIVE_INFINITY, location: "*", value: prior, metadata: before.metadata ?? undefined, expiresAt: null });
    }
    // Versions older than the newest one every location already sees can never be served again.
    let keep = 0;
    for (let i = versions.length - 1; i >= 0; i--) {
      if (now - versions[i]!.at >= delayMs) {
        keep = i;
        break;
      }
    }
    versions.splice(0, keep);
    const entry = { ...version, at: now, location };
    versions.push(entry);
    return entry;
  };

  const read = (v: Version, arg: GetArg) => (live(v) ? decode(v.value!, typeOf(arg)) : null);

  const getMany = async (keys: string[], arg: GetArg, withMetadata: boolean): Promise<Map<string, unknown>> => {
    const real = keys.filter((k) => !hidden(k));
    const fetched: Map<string, unknown> = real.length
      ? await ((withMetadata ? kv.getWithMetadata : kv.get) as (k: string[], a: GetArg) => Promise<Map<string, unknown>>).call(kv, real, arg)
      : new Map();
    const out = new Map<string, unknown>();
    for (const key of keys) {
      const v = hidden(key);
      if (!v) out.set(key, fetched.get(key) ?? (withMetadata ? { value: null, metadata: null } : null));
      else out.set(key, withMetadata ? { value: read(v, arg), metadata: live(v) ? (v.metadata ?? null) : null } : read(v, arg));
    }
    return out;
  };

  const wrapped = {
    async get(key: string | string[], arg?: GetArg) {
      limits.chargeKv({ op: "get", counter: "kvReads", amount: Array.isArray(key) ? key.length : 1, key: String(key), location });
      if (Array.isArray(key)) return getMany(key, arg, false);
      const v = hidden(key);
      return v ? read(v, arg) : (kv.get as (k: string, a: GetArg) => Promise<unknown>).call(kv, key, arg);
    },
    async getWithMetadata(key: string | string[], arg?: GetArg) {
      limits.chargeKv({ op: "get", counter: "kvReads", amount: Array.isArray(key) ? key.length : 1, key: String(key), location });
      if (Array.isArray(key)) return getMany(key, arg, true);
      const v = hidden(key);
      if (!v) return (kv.getWithMetadata as (k: string, a: GetArg) => Promise<unknown>).call(kv, key, arg);
      return { value: read(v, arg), metadata: live(v) ? (v.metadata ?? null) : null, cacheStatus: null };
    },
    async put(key: string, value: string | ArrayBuffer | ArrayBufferView | ReadableStream, opts?: KVNamespacePutOptions) {
      const previousPut = limits.chargeKv({ op: "put", counter: "kvWrites", amount: 1, key, location, history });
      const stored = await snapshot(value);
      const ttlAt = opts?.expirationTtl ? limits.now() + opts.expirationTtl * 1000 : null;
      const version = { value: stored, metadata: opts?.metadata ?? undefined, expiresAt: opts?.expiration ? opts.expiration * 1000 : ttlAt };
      const undo = () => (previousPut === undefined ? history.lastPut.delete(key) : history.lastPut.set(key, previousPut));
      await writeThrough(key, version, () => kv.put(key, stored, opts), undo);
    },
    async delete(key: string) {
      limits.chargeKv({ op: "delete", counter: "kvDeletes", amount: 1, key, location });
      await writeThrough(key, { value: null, metadata: undefined, expiresAt: null }, () => kv.delete(key), () => {});
    },
    async list(opts: KVNamespaceListOptions = {}) {
      limits.chargeKv({ op: "list", counter: "kvLists", amount: 1, key: opts.prefix ?? "", location });
      const prefix = opts.prefix ?? "";
      const overrides = [...history.versions.keys()].filter((k) => k.startsWith(prefix)).flatMap((k) => {
        const v = hidden(k);
        return v ? [[k, v] as const] : [];
      });
      if (overrides.length === 0 && !opts.cursor?.startsWith(LIST_CURSOR)) return kv.list(opts);
      return overlayList(kv, opts, overrides, live);
    },
  };
  return wrapped as unknown as KVNamespace;
}

/** A list page as this location sees it: the real keys, with the keys it sees at an older version replaced. */
async function overlayList(
  kv: KVNamespace,
  opts: KVNamespaceListOptions,
  overrides: (readonly [string, Version])[],
  live: (v: Version) => boolean,
): Promise<KVNamespaceListResult<unknown>> {
  const all = new Map<string, KVNamespaceListKey<unknown>>();
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: opts.prefix, cursor });
    for (const k of page.keys) all.set(k.name, k);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  for (const [name, v] of overrides) {
    if (!live(v)) all.delete(name);
    else all.set(name, { name, ...(v.expiresAt ? { expiration: Math.floor(v.expiresAt / 1000) } : {}), ...(v.metadata !== undefined ? { metadata: v.metadata } : {}) });
  }
  const names = [...all.keys()].sort();
  const after = opts.cursor?.startsWith(LIST_CURSOR) ? decodeURIComponent(opts.cursor.slice(LIST_CURSOR.length)) : null;
  const start = after === null ? 0 : names.findIndex((n) => n > after);
  const from = start < 0 ? names.length : start;
  const page = names.slice(from, from + (opts.limit ?? 1000));
  const keys = page.map((n) => all.get(n)!);
  if (from + page.length >= names.length) return { keys, list_complete: true, cacheStatus: null };
  return { keys, list_complete: false, cursor: LIST_CURSOR + encodeURIComponent(page[page.length - 1]!), cacheStatus: null };
}

// ---------------------------------------------------------------------------------------------------------------
// D1

const statements = new WeakMap<object, { real: D1PreparedStatement; sql: string }>();

function firstOf(results: Record<string, unknown>[], column?: string): unknown {
  const row = results[0];
  if (!row) return null;
  if (column === undefined) return row;
  // The real binding's own check and wording (verified against it in test/platform/limits-double.test.ts).
  if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
  return row[column];
}

function limitedStatement(real: D1PreparedStatement, sql: string, limits: PlatformLimits): D1PreparedStatement {
  const metered = async <R extends { meta?: D1Meta }>(op: string, run: () => Promise<R>): Promise<R> => {
    limits.chargeD1(op, [sql]);
    const result = await run();
    limits.meterRows(result.meta);
    return result;
  };
  const wrapped = {
    bind: (...values: unknown[]) => limitedStatement(real.bind(...values), sql, limits),
    // Through all(): first() gives no meta, and D1 runs the whole statement for first() anyway (it adds no LIMIT).
    first: async (column?: string) => firstOf((await metered("first", () => real.all<Record<string, unknown>>())).results, column),
    all: () => metered("all", () => real.all()),
    run: () => metered("run", () => real.run()),
    raw: async (opts?: { columnNames?: boolean }) => {
      limits.chargeD1("raw", [sql]);
      limits.unmetered();
      return (real.raw as (o?: { columnNames?: boolean }) => Promise<unknown>).call(real, opts);
    },
  };
  statements.set(wrapped, { real, sql });
  return wrapped as unknown as D1PreparedStatement;
}

function unwrapStatements(stmts: D1PreparedStatement[]): { reals: D1PreparedStatement[]; sqls: string[] } {
  const inner = stmts.map((s) => statements.get(s) ?? { real: s, sql: "" });
  return { reals: inner.map((i) => i.real), sqls: inner.map((i) => i.sql) };
}

function limitedBatch(target: { batch: D1Database["batch"] }, limits: PlatformLimits) {
  return async <T>(stmts: D1PreparedStatement[]): Promise<D1Result<T>[]> => {
    const { reals, sqls } = unwrapStatements(stmts);
    limits.chargeD1("batch", sqls);
    const results = await target.batch<T>(reals);
    for (const r of results) limits.meterRows(r.meta);
    return results;
  };
}

/** `db` under `limits`: prepare/bind/first/all/run/raw, batch, exec and withSession sessions. */
export function limitedD1(db: D1Database, limits: PlatformLimits): D1Database {
  const wrapped = {
    prepare: (sql: string) => limitedStatement(db.prepare(sql), sql, limits),
    batch: limitedBatch(db, limits),
    async exec(sql: string) {
      // exec gives only a statement count, after the fact: charge one now, the rest once known.
      limits.chargeD1("exec", [sql]);
      const result = await db.exec(sql);
      limits.unmetered(result.count - 1);
      return result;
    },
    withSession(constraint?: D1SessionBookmark | D1SessionConstraint) {
      const session = db.withSession(constraint);
      return {
        prepare: (sql: string) => limitedStatement(session.prepare(sql), sql, limits),
        batch: limitedBatch(session, limits),
        getBookmark: () => session.getBookmark(),
      } as unknown as D1DatabaseSession;
    },
    dump: () => db.dump(),
  };
  return wrapped as unknown as D1Database;
}
