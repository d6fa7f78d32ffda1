import { unstable_startWorker } from "wrangler";
import { migratedState } from "./local-d1.mjs";

/** The Worker running under workerd on a loopback port, as `wrangler dev` would run it. */
export interface LocalWorker {
  /** e.g. "http://127.0.0.1:45123" (no trailing slash). */
  url: string;
  stop(): Promise<void>;
}

export interface LocalWorkerOptions {
  /** The Wrangler configuration, relative to the working directory (the project root for vitest and npm scripts). */
  config?: string;
  /** Wrangler's log level; "error" hides the harmless offline warning about fetching `Request.cf`. */
  logLevel?: "none" | "error" | "warn" | "info" | "log" | "debug";
  /** Serve `/__scheduled` to fire the cron handler, as `wrangler dev --test-scheduled` does. */
  testScheduled?: boolean;
}

/**
 * A deliberately absent env file: naming one stops wrangler from reading a developer's `.dev.vars` or `.env`,
 * so the Worker sees exactly the vars it is given (plus wrangler.toml) and nothing else.
 */
const NO_ENV_FILE = ".env.local-worker-none";

/**
 * Starts the Worker (wrangler.toml: KV, D1, queues, cron) locally with the given vars, offline, with storage in a
 * fresh temporary folder (the D1 schema applied, KV empty), removed on stop. Each call is a separate workerd instance.
 *
 * @example
 * ```ts
 * const worker = await startLocalWorker({ FASTLY_API_BASE_URL: tenant.baseUrl, FASTLY_API_TOKEN: "…", API_KEYS: "[…]" });
 * await fetch(`${worker.url}/tokens/self`, { headers: { "Fastly-Key": apiKey } });
 * await worker.stop();
 * ```
 */
export async function startLocalWorker(vars: Record<string, string>, options: LocalWorkerOptions = {}): Promise<LocalWorker> {
  const state = migratedState(options.config ?? "wrangler.toml");
  const worker = await unstable_startWorker({
    config: options.config ?? "wrangler.toml",
    envFiles: [NO_ENV_FILE],
    bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }])),
    sendMetrics: false,
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: state.dir,
      watch: false,
      logLevel: options.logLevel ?? "error",
      testScheduled: options.testScheduled ?? false,
    },
  });
  try {
    await worker.ready;
    const url = (await worker.url).origin;
    let stopped: Promise<void> | undefined;
    return { url, stop: () => (stopped ??= worker.dispose().finally(state.remove)) };
  } catch (err) {
    await worker.dispose();
    state.remove();
    throw err;
  }
}
