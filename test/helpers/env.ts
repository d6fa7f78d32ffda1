import { env as baseEnv } from "cloudflare:workers";
import { sha256Hex } from "../../src/crypto/hash";
import type { Env } from "../../src/env";
import type { RevocationJob } from "../../src/tokens/revocation-job";
import { freshD1 } from "./d1";
import { demo, type Tenant } from "./emulator";
import { type LimitSettings, PAID_PLAN, PlatformLimits } from "./platform-limits";

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

let counter = 0;

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

/** `testEnv` under Cloudflare's production limits: its KV and D1 bindings wrapped by a fresh `PlatformLimits`. */
export async function limitedTestEnv(
  tenant: Tenant,
  settings: Readonly<LimitSettings>,
  opts: { now?: () => number; overrides?: Record<string, unknown> } = {},
): Promise<{ env: Env; limits: PlatformLimits }> {
  const limits = new PlatformLimits(settings, { now: opts.now });
  return { env: limits.env(await unlimitedTestEnv(tenant, opts.overrides)), limits };
}
