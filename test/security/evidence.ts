import { expect } from "vitest";
import type { Env } from "../../src/env";
import { type CapturedQueue, demo, dumpD1, dumpKv, type Tenant } from "../helpers";

/**
 * Everything a hostile request could change: the env's KV slice and D1 slice, the captured queue, and which tokens
 * the emulator holds revoked. Upstream mutations are read from the emulator's call log separately (`upstreamWrites`),
 * since reads legitimately touch `last_used_at`.
 */
export interface Evidence {
  kv: Awaited<ReturnType<typeof dumpKv>>;
  d1: Awaited<ReturnType<typeof dumpD1>>;
  queued: number;
  revoked: string[];
}

export async function evidence(env: Env, t: Tenant): Promise<Evidence> {
  return {
    kv: await dumpKv(env),
    d1: await dumpD1(env),
    queued: (env.REVOCATIONS as CapturedQueue).sent.length,
    revoked: (await t.tokens()).filter((x) => x.revoked).map((x) => x.id).sort(),
  };
}

/** Calls that could change something at Fastly (anything but a read), since the tenant's call log was last cleared. */
export async function upstreamWrites(t: Tenant): Promise<string[]> {
  return (await t.calls()).filter((c) => c.method !== "GET" && c.method !== "HEAD").map((c) => `${c.method} ${c.path}`);
}

/** Asserts that storage, the queue and Fastly's tokens are as `before`, and that no write reached Fastly. */
export async function expectNothingHappened(before: Evidence, env: Env, t: Tenant): Promise<void> {
  const after = await evidence(env, t);
  expect(after.kv, "KV").toEqual(before.kv);
  expect(after.d1, "D1").toEqual(before.d1);
  expect(after.queued, "queue messages").toBe(before.queued);
  expect(after.revoked, "revoked at Fastly").toEqual(before.revoked);
  expect(await upstreamWrites(t), "upstream writes").toEqual([]);
}

/** A key Fastly has never issued: 32 characters, like a real token. */
export const GARBAGE_KEY = "garbage0garbage0garbage0garbage0";

/** Worker API keys for these tests: the scopes under test, none restricted to a customer. */
export const KEYS = {
  revoker: { key: "ftw_sec_revoker_5a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b", scopes: ["read", "revoke"] },
  admin: { key: "ftw_sec_admin_6b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a", scopes: ["read", "revoke", "admin"] },
  adminOnly: { key: "ftw_sec_adminonly_7c3e5a7b9d1f3c5e7a9b1d3f5c7e9a1b", scopes: ["read", "admin"] },
} as const;

export async function keysJson(): Promise<string> {
  const { sha256Hex } = await import("../../src/crypto/hash");
  return JSON.stringify(
    await Promise.all(Object.entries(KEYS).map(async ([name, k]) => ({ name, scopes: k.scopes, sha256: await sha256Hex(k.key) }))),
  );
}

/** The Worker's own token (testEnv's FASTLY_API_TOKEN). */
export const OWN = demo.tokens.superuserGlobal;
