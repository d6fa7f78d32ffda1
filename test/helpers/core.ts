import type { Env } from "../../src/env";
import { type Services, servicesFor } from "../../src/services";
import type { LedgerRow } from "../../src/tokens/store/ledger";
import { inspect } from "./storage";

/** One call the core made through the injected fetch: method and path (never a header or body). */
export interface Fetched {
  method: string;
  /** Relative to the Fastly base URL (`/tokens/self`) for Fastly calls; the URL's path for anything else. */
  path: string;
}

/**
 * The core (TokenService, the leak workflow and the stores) built by the composition root for `env`, with an
 * injected fetch: every call the core makes goes through it to the emulator on loopback (nothing is answered here),
 * and lands in `fetched` so a test can tell what went out. One `core()` is one invocation: its subrequest meter
 * starts at zero, as in a fresh request or queue batch.
 */
export function core(env: Env, opts: { now?: () => Date } = {}): Services & { fetched: Fetched[] } {
  const fetched: Fetched[] = [];
  const injected: typeof fetch = (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const fastly = new URL(env.FASTLY_API_BASE_URL ?? "https://api.fastly.com");
    const path = url.origin === fastly.origin && url.pathname.startsWith(fastly.pathname) ? url.pathname.slice(fastly.pathname.replace(/\/$/, "").length) : url.pathname;
    fetched.push({ method: request.method, path });
    return fetch(request);
  };
  return { ...servicesFor(env, { fetch: injected, ...opts }), fetched };
}

/** The env's ledger rows by token hash, read around the limits double. */
export async function ledgerRows(env: Env): Promise<Map<string, LedgerRow>> {
  const { results } = await inspect(env).DB.prepare("SELECT * FROM ledger").all<LedgerRow>();
  return new Map(results.map((r) => [r.token_hash, r]));
}
