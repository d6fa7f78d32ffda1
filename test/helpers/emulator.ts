import { inject } from "vitest";
import type { CallRecord } from "../../emulator/call-log";
import type { FaultRule } from "../../emulator/faults";
import type { EmulatorConfig } from "../../emulator/records";
import { demo } from "../../emulator/seed";
import type { controlTokenView } from "../../emulator/views";

export type { CallRecord, EmulatorConfig, FaultRule };
export type { DemoCustomer, DemoService, DemoToken, DemoUser, TokenKey, UserKey } from "../../emulator/seed";
/** A token as `GET /__emulator/tokens` shows it: the Fastly view plus `updated_at`, `revoked`, `revoked_at`, `hash`. */
export type EmulatorToken = ReturnType<typeof controlTokenView>;

/** The seed's customers, services, users (with passwords/OTP) and tokens (with raw `access_token`s). */
export { demo };

/** A fresh, isolated, seeded Fastly emulator, plus its control API. */
export interface Tenant {
  /** Use as the Fastly API base URL, e.g. `${baseUrl}/tokens/self`. */
  baseUrl: string;
  /** The next matching call(s) get this fault instead of (or, with only `delayMs`, before) the real answer. */
  addFault(rule: FaultRule): Promise<void>;
  clearFaults(): Promise<void>;
  /** Every Fastly call the tenant received, oldest first (control calls excluded; keys only as SHA-256). */
  calls(): Promise<CallRecord[]>;
  clearCalls(): Promise<void>;
  /** Back to the seed: tokens, clock, config, faults and call log. */
  reset(): Promise<void>;
  /** Freeze the emulator clock at an ISO time, or `null` to follow real time again. */
  setClock(iso: string | null): Promise<void>;
  advanceClock(seconds: number): Promise<void>;
  /** Every token, revoked ones included (`revoked: true`), with its SHA-256 `hash` and never its value. */
  tokens(): Promise<EmulatorToken[]>;
  configure(cfg: Partial<EmulatorConfig>): Promise<void>;
  /** `count` live tokens of a user, made through the control API so no rate limit is spent. */
  seedTokens(userId: string, count: number, opts?: { namePrefix?: string; scope?: string }): Promise<{ id: string; access_token: string }[]>;
  /** A new account (customer) with one user, for reports spanning several customers. */
  seedCustomer(name: string): Promise<{ customer_id: string; user_id: string }>;
}

/** The shared emulator's root URL (its default tenant). Prefer `newTenant()` in tests. */
export function emulatorUrl(): string {
  return inject("emulatorUrl");
}

async function control(baseUrl: string, method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${baseUrl}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`emulator control ${method} ${path} failed: ${response.status} ${await response.text()}`);
  }
  return response;
}

/** Creates an isolated tenant on the shared emulator. */
export async function newTenant(): Promise<Tenant> {
  const created = await control(emulatorUrl(), "POST", "/tenants");
  const { baseUrl } = (await created.json()) as { id: string; baseUrl: string };
  const run = async (method: string, path: string, body?: unknown) => {
    const response = await control(baseUrl, method, path, body);
    await response.body?.cancel();
  };
  return {
    baseUrl,
    addFault: (rule) => run("POST", "/faults", rule),
    clearFaults: () => run("DELETE", "/faults"),
    calls: async () => (await (await control(baseUrl, "GET", "/calls")).json()) as CallRecord[],
    clearCalls: () => run("DELETE", "/calls"),
    reset: () => run("POST", "/reset"),
    setClock: (iso) => run("POST", "/clock", { now: iso }),
    advanceClock: (seconds) => run("POST", "/clock", { advanceSeconds: seconds }),
    tokens: async () => (await (await control(baseUrl, "GET", "/tokens")).json()) as EmulatorToken[],
    configure: (cfg) => run("POST", "/config", cfg),
    seedTokens: async (userId, count, opts = {}) =>
      (await (await control(baseUrl, "POST", "/tokens", { user_id: userId, count, ...(opts.namePrefix ? { name_prefix: opts.namePrefix } : {}), ...(opts.scope ? { scope: opts.scope } : {}) })).json()) as never,
    seedCustomer: async (name) => (await (await control(baseUrl, "POST", "/customers", { name })).json()) as never,
  };
}
