/**
 * Bindings for timing the Worker's own code (bench/storage.mjs), usable in Node and in workerd alike.
 *
 * A scenario (a few requests or queue batches) is first RECORDED in Node against the real thing: the emulator over
 * loopback and real local D1; KV is an in-memory namespace. The recording (every D1 result, every upstream answer) is
 * a plain JSON {@link Script}. REPLAYING it answers every D1 call and every fetch from the script, matched call by
 * call (D1 by SQL text and method, in order; fetches by method + URL + a hash of Fastly-Key, first unused), with KV
 * the same in-memory namespace emptied first: what is left to spend CPU on is the Worker's own JavaScript, plus a
 * Map lookup per storage call and a `new Response` per upstream call. A divergence throws.
 */

export interface FetchAnswer {
  key: string;
  status: number;
  headers: [string, string][];
  /** base64 */
  body: string;
}

export interface D1Answer {
  sql: string;
  method: string;
  result: unknown;
}

export interface Script {
  d1: D1Answer[];
  fetches: FetchAnswer[];
}

/** One step of a scenario: a request to the fetch handler, or a batch of one message to the queue handler. */
export type Step =
  | { kind: "fetch"; method: string; url: string; headers: [string, string][]; body?: string }
  | { kind: "queue"; body: unknown; attempts?: number };

export interface Counts {
  kvReads: number;
  kvWrites: number;
  kvDeletes: number;
  d1Queries: number;
  subrequests: number;
  queueMessages: number;
  logLines: number;
}

interface KvEntry {
  value: string;
  metadata: unknown;
  expiresAt: number | null;
}

/** A KVNamespace in a Map (string values, TTLs honoured), counting calls. */
export class MemoryKv {
  readonly entries = new Map<string, KvEntry>();
  reads = 0;
  writes = 0;
  deletes = 0;

  private live(key: string): KvEntry | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt !== null && e.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  async get(key: string, arg?: string | { type?: string }): Promise<unknown> {
    this.reads++;
    const e = this.live(key);
    if (!e) return null;
    const type = typeof arg === "string" ? arg : (arg?.type ?? "text");
    return type === "json" ? JSON.parse(e.value) : e.value;
  }

  async getWithMetadata(key: string, arg?: string | { type?: string }): Promise<{ value: unknown; metadata: unknown }> {
    const value = await this.get(key, arg);
    return { value, metadata: value === null ? null : (this.live(key)?.metadata ?? null) };
  }

  async put(key: string, value: string, opts: { expirationTtl?: number; expiration?: number; metadata?: unknown } = {}): Promise<void> {
    this.writes++;
    const expiresAt = opts.expiration ? opts.expiration * 1000 : opts.expirationTtl ? Date.now() + opts.expirationTtl * 1000 : null;
    this.entries.set(key, { value: String(value), metadata: opts.metadata ?? null, expiresAt });
  }

  async delete(key: string): Promise<void> {
    this.deletes++;
    this.entries.delete(key);
  }

  async list(opts: { prefix?: string } = {}): Promise<{ keys: { name: string }[]; list_complete: true; cacheStatus: null }> {
    this.reads++;
    const names = [...this.entries.keys()].filter((k) => k.startsWith(opts.prefix ?? "") && this.live(k)).sort();
    return { keys: names.map((name) => ({ name })), list_complete: true, cacheStatus: null };
  }

  reset(): void {
    this.entries.clear();
  }
}

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** A D1Database that records real results (when given one) or answers from a script, counting statements. */
export class ScriptedD1 {
  queries = 0;
  private cursor = 0;

  constructor(
    readonly answers: D1Answer[],
    private real?: D1Database,
  ) {}

  prepare(sql: string) {
    const statement = (params: unknown[]) => {
      const call = (method: "all" | "first" | "run" | "raw") => async () => {
        this.queries++;
        if (this.real) {
          const result = await (this.real.prepare(sql).bind(...params) as unknown as Record<string, () => Promise<unknown>>)[method]!();
          this.answers.push({ sql, method, result: clone(result) });
          return result;
        }
        const next = this.answers[this.cursor++];
        if (!next || next.sql !== sql || next.method !== method) throw new Error(`D1 replay diverged at call ${this.cursor}: ${method} ${sql.slice(0, 60)}`);
        return clone(next.result);
      };
      return { bind: (...more: unknown[]) => statement([...params, ...more]), all: call("all"), first: call("first"), run: call("run"), raw: call("raw") };
    };
    return statement([]);
  }

  batch(): never {
    throw new Error("the Worker does not batch D1 statements (bench/replay/fakes.ts would need to learn it)");
  }

  /** Stops recording; `rewind()` starts every replay from the script's first answer. */
  freeze(): void {
    this.real = undefined;
    this.cursor = 0;
  }

  rewind(): void {
    this.cursor = 0;
  }
}

async function sha256Short(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function headerOf(h: HeadersInit | undefined, name: string): string | null {
  if (!h) return null;
  if (h instanceof Headers) return h.get(name);
  const pairs = Array.isArray(h) ? h : Object.entries(h);
  return pairs.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
}

/** method, URL and Fastly-Key of a fetch, read without building a Request. */
async function requestKey(input: RequestInfo | URL, init?: RequestInit): Promise<string> {
  const req = input instanceof Request ? input : null;
  const method = (init?.method ?? req?.method ?? "GET").toUpperCase();
  const url = req ? req.url : String(input);
  const key = init?.headers ? headerOf(init.headers, "fastly-key") : (req?.headers.get("fastly-key") ?? null);
  return `${method} ${url} ${key ? await sha256Short(key) : "-"}`;
}

const toBase64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const bodyless = (status: number) => status === 204 || status === 304;

/** A fetch that records upstream answers (when given a real fetch) or serves them from a script, counting calls. */
export class ScriptedFetch {
  calls = 0;
  private used = new Set<number>();
  private decoded = new Map<number, Uint8Array>();

  constructor(
    readonly answers: FetchAnswer[],
    private real?: typeof fetch,
  ) {}

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    this.calls++;
    const key = await requestKey(input, init);
    if (this.real) {
      const response = await this.real(input, init);
      const body = new Uint8Array(await response.arrayBuffer());
      this.answers.push({ key, status: response.status, headers: [...response.headers], body: toBase64(body) });
      return new Response(bodyless(response.status) ? null : body, { status: response.status, headers: response.headers });
    }
    // In order, but concurrent calls may interleave: the first unused answer to the same request.
    const i = this.answers.findIndex((e, n) => !this.used.has(n) && e.key === key);
    if (i < 0) throw new Error(`fetch replay has no answer for ${key}`);
    this.used.add(i);
    const e = this.answers[i]!;
    let body = this.decoded.get(i);
    if (!body) {
      body = fromBase64(e.body);
      this.decoded.set(i, body);
    }
    return new Response(bodyless(e.status) ? null : body, { status: e.status, headers: e.headers });
  };

  freeze(): void {
    this.real = undefined;
    this.used.clear();
  }

  rewind(): void {
    this.used.clear();
  }
}

/** A queue producer that only counts. */
export class CountingQueue {
  messages = 0;
  sendCalls = 0;

  async send(): Promise<void> {
    this.sendCalls++;
    this.messages++;
  }

  async sendBatch(list: Iterable<unknown>): Promise<void> {
    this.sendCalls++;
    this.messages += [...list].length;
  }
}

export interface WorkerHandlers {
  fetch(request: Request, env: unknown, ctx: ExecutionContext): Response | Promise<Response>;
  queue(batch: MessageBatch<unknown>, env: unknown, ctx: ExecutionContext): void | Promise<void>;
}

/** The Worker with fake bindings: `run(step)` is one invocation (its waitUntil work included). */
export class Harness {
  readonly kv = new MemoryKv();
  readonly d1: ScriptedD1;
  readonly upstream: ScriptedFetch;
  readonly queue = new CountingQueue();
  readonly env: Record<string, unknown>;
  logLines = 0;

  constructor(
    private readonly handlers: WorkerHandlers,
    vars: Record<string, string>,
    script: Script,
    real?: { d1: D1Database; fetch: typeof fetch },
  ) {
    this.d1 = new ScriptedD1(script.d1, real?.d1);
    this.upstream = new ScriptedFetch(script.fetches, real?.fetch);
    this.env = { ...vars, TOKENS_KV: this.kv, DB: this.d1, REVOCATIONS: this.queue };
  }

  /** From now on every answer comes from the script. */
  freeze(): void {
    this.d1.freeze();
    this.upstream.freeze();
    this.kv.reset();
  }

  /** Before each replay: the script from its start and an empty KV namespace (the isolate's own caches stay warm). */
  rewind(): void {
    this.d1.rewind();
    this.upstream.rewind();
    this.kv.reset();
  }

  private counters() {
    return { r: this.kv.reads, w: this.kv.writes + this.kv.deletes, d: this.kv.deletes, q: this.d1.queries, f: this.upstream.calls, s: this.queue.sendCalls, m: this.queue.messages, l: this.logLines };
  }

  /**
   * Runs one step with the global fetch swapped for the scripted one and console output counted, not written (the
   * Worker still builds its log lines; writing them is I/O). Returns the status (or "ack"/"retry") and the counts.
   */
  async run(step: Step): Promise<{ status: number | string; counts: Counts }> {
    const before = this.counters();
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (p: Promise<unknown>) => void pending.push(p), passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const saved = { fetch: globalThis.fetch, log: console.log, warn: console.warn, error: console.error };
    globalThis.fetch = this.upstream.fetch;
    console.log = console.warn = console.error = () => void this.logLines++;
    let status: number | string;
    try {
      if (step.kind === "fetch") {
        const request = new Request(step.url, { method: step.method, headers: step.headers, ...(step.body === undefined ? {} : { body: step.body }) });
        const response = await this.handlers.fetch(request, this.env, ctx);
        await response.arrayBuffer();
        status = response.status;
      } else {
        const seen = { outcome: "none" };
        const settle = (outcome: string) => () => {
          seen.outcome = outcome;
        };
        const message = { id: "bench-message", timestamp: new Date(), body: step.body, attempts: step.attempts ?? 1, ack: settle("ack"), retry: settle("retry") };
        const batch = { queue: "revocations", messages: [message], ackAll: () => {}, retryAll: () => {} } as unknown as MessageBatch<unknown>;
        await this.handlers.queue(batch, this.env, ctx);
        status = seen.outcome;
      }
      while (pending.length) await Promise.allSettled(pending.splice(0));
    } finally {
      globalThis.fetch = saved.fetch;
      Object.assign(console, { log: saved.log, warn: saved.warn, error: saved.error });
    }
    const after = this.counters();
    return {
      status,
      counts: {
        kvReads: after.r - before.r,
        kvWrites: after.w - before.w,
        kvDeletes: after.d - before.d,
        d1Queries: after.q - before.q,
        subrequests: after.f - before.f + after.s - before.s,
        queueMessages: after.m - before.m,
        logLines: after.l - before.l,
      },
    };
  }

  /** Replays `steps` `times` times (each from an emptied KV and the script's start). */
  async replay(steps: Step[], times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      this.rewind();
      for (const step of steps) await this.run(step);
    }
  }
}
