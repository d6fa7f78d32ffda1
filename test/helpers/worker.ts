import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env as baseEnv } from "cloudflare:workers";
import worker from "../../src/index";
import type { Env } from "../../src/env";
import type { QueuedToken, RevocationJob } from "../../src/tokens/revocation-job";
import { sha256Hex } from "../../src/crypto/hash";
import { AuditLog } from "../../src/tokens/store/audit-log";
import { Sql } from "../../src/tokens/store/sql";
import { freshD1 } from "./d1";
import { demo, type Tenant } from "./emulator";
import { asInvocation, type LimitSettings, limitsOf, PAID_PLAN, PlatformLimits } from "./platform-limits";

/**
 * The real local KV namespace, seen through a per-test key prefix: tests run in parallel against tenants whose
 * seeded token ids are identical, so each test gets its own slice of the one real namespace.
 */
export function prefixedKv(kv: KVNamespace, prefix: string): KVNamespace {
  const strip = (name: string) => name.slice(prefix.length);
  const wrapped = {
    get: (key: string, opts?: unknown) => (kv.get as (k: string, o?: unknown) => Promise<unknown>)(prefix + key, opts),
    getWithMetadata: (key: string, opts?: unknown) =>
      (kv.getWithMetadata as (k: string, o?: unknown) => Promise<unknown>)(prefix + key, opts),
    put: (key: string, value: string, opts?: KVNamespacePutOptions) => kv.put(prefix + key, value, opts),
    delete: (key: string) => kv.delete(prefix + key),
    list: async (opts: KVNamespaceListOptions = {}) => {
      const page = await kv.list({ ...opts, prefix: prefix + (opts.prefix ?? "") });
      return { ...page, keys: page.keys.map((k) => ({ ...k, name: strip(k.name) })) };
    },
  };
  return wrapped as unknown as KVNamespace;
}

export const API_KEY_VALUES = {
  reader: "ftw_reader_7f3a9c1e5b2d4f6a8c0e2b4d6f8a0c2e",
  revoker: "ftw_revoker_1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a",
  creator: "ftw_creator_2c4e6a8b0d2f4a6c8e0b2d4f6a8c0e2b",
  admin: "ftw_admin_3d5f7b9a1c3e5d7f9b1a3c5e7d9f1b3a",
  globexReader: "ftw_globex_4e6a8c0b2d4f6e8a0c2b4d6f8e0a2c4b",
} as const;

export async function apiKeysJson(): Promise<string> {
  const acme = demo.customers.acme.id;
  const globex = demo.customers.globex.id;
  const entries = [
    { name: "reader", key: API_KEY_VALUES.reader, scopes: ["read"] },
    { name: "revoker", key: API_KEY_VALUES.revoker, scopes: ["revoke"] },
    { name: "creator", key: API_KEY_VALUES.creator, scopes: ["create"] },
    { name: "admin", key: API_KEY_VALUES.admin, scopes: ["read", "revoke", "create", "admin"], customer_id: acme },
    { name: "globex-reader", key: API_KEY_VALUES.globexReader, scopes: ["read"], customer_id: globex },
  ];
  return JSON.stringify(
    await Promise.all(entries.map(async ({ key, ...rest }) => ({ ...rest, sha256: await sha256Hex(key) }))),
  );
}

/**
 * The producer side of the `revocations` queue for one test: it keeps what was sent so the test can hand those
 * messages to the Worker's real queue handler (`deliver`). Sending to the real binding would deliver them to the
 * base env's consumer, outside the test's tenant and KV slice.
 */
export interface CapturedQueue extends Queue<RevocationJob> {
  sent: { body: RevocationJob; delaySeconds?: number }[];
}

export function capturingQueue(): CapturedQueue {
  const sent: CapturedQueue["sent"] = [];
  return {
    sent,
    async send(body: RevocationJob, opts?: QueueSendOptions) {
      sent.push({ body: structuredClone(body), delaySeconds: opts?.delaySeconds });
    },
    async sendBatch(messages: Iterable<MessageSendRequest<RevocationJob>>) {
      for (const m of messages) sent.push({ body: structuredClone(m.body), delaySeconds: m.delaySeconds });
    },
  } as unknown as CapturedQueue;
}

/** Hands messages to the Worker's queue handler as one real MessageBatch; returns acks/retries. */
export async function deliver(env: Env, queue: "revocations" | "revocations-dlq", bodies: RevocationJob[], attempts = 1) {
  const batch = createMessageBatch<RevocationJob>(
    queue,
    bodies.map((body, i) => ({ id: `m${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })),
  );
  // The pool's MessageBatch records that a message was retried, not its delay: note the delay on the way through.
  const retryDelays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (opts?: QueueRetryOptions) => {
      retryDelays.push(opts?.delaySeconds);
      retry(opts);
    };
  }
  const ctx = createExecutionContext();
  // With platform limits (test/helpers/platform-limits.ts), one batch is one invocation.
  await asInvocation(env, () => worker.queue(batch, env));
  return { ...(await getQueueResult(batch, ctx)), retryDelays };
}

let counter = 0;

/** An Env pointing at the tenant, with the Worker's own token = the demo superuser's global token. */
/**
 * An Env pointing at the tenant, with the Worker's own token = the demo superuser's global token, its own KV and D1
 * slices, and Cloudflare's limits that bind on every plan enforced around them (PAID_PLAN: one write a second per
 * KV key, 1,000 storage operations and 1,000 D1 queries per invocation; test/helpers/platform-limits.ts), so no test
 * passes on a platform kinder than production. `limitedTestEnv` gives the free plan's caps and a clock.
 */
export async function testEnv(tenant: Tenant, overrides: Record<string, unknown> = {}): Promise<Env> {
  return new PlatformLimits(PAID_PLAN).env(await unlimitedTestEnv(tenant, overrides));
}

/** `testEnv` on the bare local bindings: only for tests of the limits double itself. */
export async function unlimitedTestEnv(tenant: Tenant, overrides: Record<string, unknown> = {}): Promise<Env> {
  const prefix = `t${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}:`;
  const base = baseEnv as unknown as Env;
  return {
    ...base,
    TOKENS_KV: prefixedKv(base.TOKENS_KV, prefix),
    DB: await freshD1(prefix.replace(/\W/g, "_")),
    FASTLY_API_BASE_URL: tenant.baseUrl,
    FASTLY_API_TOKEN: demo.tokens.superuserGlobal.access_token,
    API_KEYS: await apiKeysJson(),
    REVOCATIONS: capturingQueue(),
    ...overrides,
  };
}

/**
 * Calls the Worker's fetch handler and waits for its waitUntil work. With platform limits (an env from
 * `limitedTestEnv` or `limits.env()`), the request and its waitUntil work are one invocation.
 */
export async function callWorker(env: Env, path: string, init: RequestInit = {}): Promise<Response> {
  return asInvocation(env, async () => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`https://worker.test${path}`, init), env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  });
}

/** `testEnv` under Cloudflare's production limits: its KV and D1 bindings wrapped by a fresh `PlatformLimits`. */
export async function limitedTestEnv(
  tenant: Tenant,
  settings: Readonly<LimitSettings>,
  opts: { now?: () => number; overrides?: Record<string, unknown> } = {},
): Promise<{ env: Env; limits: PlatformLimits }> {
  const limits = new PlatformLimits(settings, { now: opts.now });
  return { env: limits.env(await unlimitedTestEnv(tenant, opts.overrides)), limits };
}

/** Every key and value in the env's KV slice, for secret scans. */
export async function dumpKv(limited: Env): Promise<{ name: string; value: string | null; metadata: unknown }[]> {
  const env = inspect(limited);
  const out: { name: string; value: string | null; metadata: unknown }[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.TOKENS_KV.list({ cursor });
    for (const k of page.keys) out.push({ name: k.name, value: await env.TOKENS_KV.get(k.name), metadata: k.metadata ?? null });
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out;
}

/** The env's audit trail (its D1 slice), for assertions. */
export function auditOf(env: Env): AuditLog {
  return new AuditLog(new Sql(inspect(env).DB));
}

/** Every row of the env's D1 slice, table by table, for "nothing was written" assertions and secret scans. */
export async function dumpD1(limited: Env): Promise<Record<string, Record<string, unknown>[]>> {
  const env = inspect(limited);
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of ["audit_log", "ledger", "claims", "confirmations", "sessions"]) {
    out[table] = (await env.DB.prepare(`SELECT * FROM ${table}`).all<Record<string, unknown>>()).results;
  }
  return out;
}

/** True when the env's D1 slice holds no row at all (outside the tables named in `allow`). */
export async function d1IsEmpty(env: Env, allow: string[] = []): Promise<boolean> {
  return Object.entries(await dumpD1(env)).every(([table, rows]) => allow.includes(table) || rows.length === 0);
}

/** Every token in the captured queue's messages (messages are packed: several tokens each). */
export function queuedTokens(queue: CapturedQueue): QueuedToken[] {
  return queue.sent.flatMap(({ body }) =>
    body.kind === "tokens" ? body.tokens : body.kind === "token" ? [{ sealedToken: body.sealedToken, tokenHash: body.tokenHash, context: body.context }] : [],
  );
}

/** A test's own look at storage goes around the limits double: never counted, never refused. */
function inspect(env: Env): Env {
  return limitsOf(env)?.raw(env) ?? env;
}
