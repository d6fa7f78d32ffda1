/**
 * Statuses worth another attempt for an idempotent request: the gateway or the origin is briefly unavailable.
 * 500 is left out on purpose: from Fastly it usually means the request itself is bad.
 *
 * @example
 * ```ts
 * RETRY_STATUSES.has(503); // true
 * ```
 */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * Methods the client may repeat. POST is never repeated: a second `POST /tokens` would mint a second token.
 *
 * @example
 * ```ts
 * isRepeatable("DELETE"); // true
 * ```
 */
export function isRepeatable(method: string): boolean {
  return method === "GET" || method === "DELETE";
}

/**
 * Delay before retry number `retry` (1-based): capped exponential backoff with full jitter, i.e. a uniform
 * draw in `[0, min(max, base * 2^(retry-1)))`.
 *
 * @example
 * ```ts
 * backoffDelay(3, { base: 200, max: 2000 }); // somewhere in [0, 800)
 * ```
 */
export function backoffDelay(retry: number, delay: { base: number; max: number }, random: () => number = Math.random): number {
  const cap = Math.min(delay.max, delay.base * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * cap);
}

/**
 * `Retry-After` in milliseconds from now (delta-seconds or an HTTP date), or `null` if absent or unreadable.
 *
 * @example
 * ```ts
 * parseRetryAfter("2"); // 2000
 * ```
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
