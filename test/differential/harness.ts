import { expect } from "vitest";
import type { Env } from "../../src/env";
import { DEFAULT_USER_AGENT } from "../../src/fastly/version";
import { callWorker, demo, type EmulatorConfig, newTenant, type Tenant, testEnv } from "../helpers";
import type { Answer, Step, StepFn } from "./corpus";

/** The readings of what the reference leaves open (emulator/README.md, "Switches for the open questions"). */
export const READINGS: { name: string; config: Partial<EmulatorConfig> }[] = [
  { name: "the default reading", config: {} },
  { name: "unknown keys answered 403", config: { unknownKeyStatus: 403 } },
  { name: "limited tokens refused GET /tokens/self", config: { limitedTokenSelfStatus: 403 } },
  { name: "another user's token answered 404", config: { foreignTokenStatus: 404 } },
  {
    name: "every non-default reading at once, with a bulk maximum of 2",
    config: { unknownKeyStatus: 403, limitedTokenSelfStatus: 403, foreignTokenStatus: 404, bulkMax: 2 },
  },
];

/** Two tenants with identical state: one answers directly, the other behind the Worker. */
export interface Pair {
  direct: Tenant;
  behind: Tenant;
  env: Env;
}

/** A pure passthrough Worker: no FASTLY_API_TOKEN (so no self-token guard) and no API keys. */
export function passthroughEnv(tenant: Tenant, overrides: Record<string, unknown> = {}): Promise<Env> {
  return testEnv(tenant, { FASTLY_API_TOKEN: undefined, API_KEYS: undefined, ...overrides });
}

export async function newPair(): Promise<Pair> {
  const [direct, behind] = await Promise.all([newTenant(), newTenant()]);
  return { direct, behind, env: await passthroughEnv(behind) };
}

/** Back to the seed on both sides under `config`, with a fresh KV slice for the Worker. */
export async function resetPair(pair: Pair, config: Partial<EmulatorConfig>, overrides: Record<string, unknown> = {}): Promise<void> {
  await Promise.all([pair.direct.reset(), pair.behind.reset()]);
  if (Object.keys(config).length > 0) await Promise.all([pair.direct.configure(config), pair.behind.configure(config)]);
  pair.env = await passthroughEnv(pair.behind, overrides);
}

/** Tenants are cheap but not free: the shared emulator forgets the oldest beyond 2000. */
export async function dropPair(pair: Pair): Promise<void> {
  for (const t of [pair.direct, pair.behind]) {
    const { origin, pathname } = new URL(t.baseUrl);
    const response = await fetch(`${origin}/__emulator/tenants/${pathname.split("/").at(-1)}`, { method: "DELETE" });
    await response.body?.cancel();
  }
}

function requestInit(step: Step, direct: boolean): RequestInit {
  const headers = new Headers(step.headers);
  if (step.key !== undefined) headers.set("Fastly-Key", step.key);
  // Fastly records the user agent of whoever calls it; straight calls use the Worker's, so both sides record the same.
  if (direct) headers.set("User-Agent", DEFAULT_USER_AGENT);
  let body = step.body;
  if (step.form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(step.form)) for (const item of [v].flat()) params.append(k, item);
    body = params.toString();
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/x-www-form-urlencoded");
  } else if (step.json !== undefined) {
    body = JSON.stringify(step.json);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  return { method: step.method ?? "GET", headers, body };
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text === "" ? null : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export async function sendDirect(tenant: Tenant, step: Step): Promise<Answer> {
  return answer(await fetch(`${tenant.baseUrl}${step.path}`, requestInit(step, true)));
}

export async function sendThroughWorker(env: Env, step: Step): Promise<Answer> {
  return answer(await callWorker(env, step.path, requestInit(step, false)));
}

/** Runs the steps on both sides, each side feeding its own earlier answers to the steps that need them. */
export async function runBoth(pair: Pair, steps: StepFn[]): Promise<{ direct: Answer[]; worker: Answer[]; steps: Step[] }> {
  const direct: Answer[] = [];
  const worker: Answer[] = [];
  const sent: Step[] = [];
  for (const fn of steps) {
    const directStep = typeof fn === "function" ? fn(direct) : fn;
    const workerStep = typeof fn === "function" ? fn(worker) : fn;
    sent.push(directStep);
    direct.push(await sendDirect(pair.direct, directStep));
    worker.push(await sendThroughWorker(pair.env, workerStep));
  }
  return { direct, worker, steps: sent };
}

const SEED_IDS = new Set<string>([
  ...Object.values(demo.tokens).map((t) => t.id),
  ...Object.values(demo.users).map((u) => u.id),
  ...Object.values(demo.customers).map((c) => c.id),
  ...Object.values(demo.services).map((s) => s.id),
]);
const TIME_FIELDS = new Set(["created_at", "updated_at", "last_used_at", "sudo_expires_at", "expires_at", "expiry_time", "revoked_at"]);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * What differs between the two sides by design, replaced by placeholders after its shape is checked: ids and
 * access_tokens of tokens created during the case (random), token hashes, and timestamps relative to "now" (the
 * two tenants are seeded a moment apart). Timestamps the corpus chose (year 2090 and later) stay exact.
 */
export function normalise(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, key));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v, k)]));
  }
  if (typeof value !== "string") return value;
  if (TIME_FIELDS.has(key)) {
    expect(value, key).toMatch(ISO);
    return Number(value.slice(0, 4)) >= 2090 ? value : "<time>";
  }
  if (key === "access_token") {
    expect(value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    return "<access_token>";
  }
  if (key === "hash") return "<hash>";
  if ((key === "id" || key === "service_id") && !SEED_IDS.has(value)) {
    expect(value).toMatch(/^[A-Za-z0-9]{22}$/);
    return "<new id>";
  }
  return value;
}

function mediaType(headers: Headers): string | null {
  return headers.get("Content-Type")?.split(";")[0]?.trim() ?? null;
}

/**
 * The part of an answer a Fastly client sees and depends on: status, media type, Allow, the body (normalised),
 * and on success the rate-limit figures. Given `fastly` (the straight answer), this is the Worker's answer, which
 * may add a `code` of its own to an error whose Fastly body has none (README, "Differences from Fastly").
 */
export function comparable(a: Answer, fastly?: Answer): Record<string, unknown> {
  let body = normalise(a.json);
  const theirs = fastly?.json as Record<string, unknown> | null | undefined;
  if (a.status >= 400 && body && typeof body === "object" && !Array.isArray(body) && theirs && typeof theirs === "object" && !("code" in theirs)) {
    const { code: _ownCode, ...rest } = body as Record<string, unknown>;
    body = rest;
  }
  const write = a.status < 300 && a.status !== 0;
  return {
    status: a.status,
    type: a.status === 204 ? null : mediaType(a.headers),
    allow: a.headers.get("Allow"),
    body,
    rateLimitRemaining: write ? a.headers.get("Fastly-RateLimit-Remaining") : undefined,
  };
}

/** The emulator's record of every token on one side (revoked too), normalised. */
export async function stateOf(tenant: Tenant): Promise<unknown> {
  return normalise(await tenant.tokens());
}

/** A normalised state without the usage fields Fastly sets on every authenticated request. */
export function withoutUsage(state: unknown): unknown {
  return (state as Record<string, unknown>[]).map(({ last_used_at: _t, ip: _ip, user_agent: _ua, ...rest }) => rest);
}
