/**
 * The signal for one attempt: the caller's signal plus the per-attempt timeout. `timedOut()` tells the two
 * apart after an abort, so a timeout becomes a FastlyApiError while a caller abort keeps the caller's reason.
 *
 * @example
 * ```ts
 * const attempt = attemptSignal(10_000, opts.signal);
 * try { await fetchFn(new Request(url, { signal: attempt.signal })); }
 * catch { if (attempt.timedOut()) { … } }
 * ```
 */
export function attemptSignal(
  timeoutMs: number,
  caller: AbortSignal | undefined,
): { signal: AbortSignal | undefined; timedOut: () => boolean } {
  const timeout = Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined;
  const signals = [caller, timeout].filter((s): s is AbortSignal => s !== undefined);
  return {
    signal: signals.length <= 1 ? signals[0] : anySignal(signals),
    timedOut: () => timeout?.aborted === true && caller?.aborted !== true,
  };
}

/**
 * `AbortSignal.any`, with a fallback for runtimes that predate it (Node < 20.3, older browsers).
 *
 * @example
 * ```ts
 * const signal = anySignal([callerSignal, AbortSignal.timeout(5_000)]);
 * ```
 */
export function anySignal(signals: AbortSignal[]): AbortSignal {
  if (typeof AbortSignal.any === "function") return AbortSignal.any(signals);
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener("abort", () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}

/**
 * Waits `ms` with the injected `sleep`, but gives up as soon as the caller's signal aborts (rejecting with its
 * reason), so a cancelled call does not sit out its backoff.
 *
 * @example
 * ```ts
 * await abortableSleep((ms) => new Promise((r) => setTimeout(r, ms)), 400, opts.signal);
 * ```
 */
export async function abortableSleep(
  sleep: (ms: number) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!signal) return sleep(ms);
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

/**
 * The default `sleep`: a plain `setTimeout` promise (available in Workers, Node, Deno and browsers).
 *
 * @example
 * ```ts
 * await defaultSleep(250);
 * ```
 */
export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
