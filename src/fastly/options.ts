/**
 * Rate-limit figures Fastly sends on non-GET responses (`Fastly-RateLimit-Remaining` / `-Reset`).
 * `null` means "not seen yet": GET responses never carry them, so a client that has only read knows nothing.
 *
 * @example
 * ```ts
 * await client.revokeToken({ token_id: "2j1hEyxXOEqYaSipeZHaW4" });
 * const { remaining, reset } = client.rateLimit; // e.g. 999, 1635879600 (epoch seconds)
 * ```
 */
export interface RateLimit {
  /** Write requests left in the current window. */
  remaining: number | null;
  /** When the window resets, in UTC epoch seconds. */
  reset: number | null;
}

/**
 * Construction options of {@link FastlyClient}. Every field is optional; the defaults suit a Worker calling
 * api.fastly.com.
 *
 * @example
 * ```ts
 * const client = new FastlyClient({
 *   apiKey: env.FASTLY_API_KEY,
 *   fetch: (req) => fetch(req),          // any fetch-compatible function
 *   timeoutMs: 5_000,
 *   retries: 3,
 *   rateLimitWait: { maxWaitMs: 30_000 },
 * });
 * ```
 */
export interface FastlyClientOptions {
  /** Sent as `Fastly-Key`. */
  apiKey?: string;
  /** Default `https://api.fastly.com`. May carry a path prefix (`http://127.0.0.1:9/_t/abc`); it is kept. */
  baseUrl?: string;
  /**
   * Default `globalThis.fetch`, looked up at call time. Always called as a plain function with one `Request`,
   * so a `(request: Request) => Promise<Response>` is enough.
   */
  fetch?: typeof fetch | ((request: Request) => Promise<Response>);
  /** Default `fastly-token-webhooks/<version>`. */
  userAgent?: string;
  /** Per attempt, default 10 000 ms. */
  timeoutMs?: number;
  /** Extra attempts for GET and DELETE only (network errors, timeouts, 502/503/504). Default 2. */
  retries?: number;
  /** Capped exponential backoff with full jitter. Default `{ base: 200, max: 2000 }`. */
  retryDelayMs?: { base: number; max: number };
  /**
   * Opt-in: on a 429 to a GET or DELETE, wait until `Fastly-RateLimit-Reset` when that is at most `maxWaitMs`
   * away, then retry once. Default `false` (Fastly windows are an hour long; waiting is rarely what a caller wants).
   */
  rateLimitWait?: false | { maxWaitMs: number };
  /** Injectable for tests. Default: a `setTimeout` promise. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Per-call options accepted by every operation of {@link FastlyClient}.
 *
 * @example
 * ```ts
 * const ctrl = new AbortController();
 * await client.getTokenCurrent({ signal: ctrl.signal, timeoutMs: 2_000 });
 * await client.getTokenCurrent({ apiKey: leakedToken }); // act as another key for this call only
 * ```
 */
export interface RequestOptions {
  /**
   * Caller's cancellation. When it aborts, the call rejects with `signal.reason` unchanged (the same contract as
   * `fetch`), never with a FastlyApiError, and it is not retried.
   */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number;
  /** Overrides the client's key for this call. */
  apiKey?: string;
}
