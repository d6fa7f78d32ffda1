import type { RateLimit } from "./options";

function header(headers: Headers, name: string): number | null {
  const value = headers.get(name);
  if (value === null || value.trim() === "") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads `Fastly-RateLimit-Remaining` and `Fastly-RateLimit-Reset` (epoch seconds); `null` for absent or
 * unreadable values.
 *
 * @example
 * ```ts
 * readRateLimit(new Headers({ "Fastly-RateLimit-Remaining": "999" })); // { remaining: 999, reset: null }
 * ```
 */
export function readRateLimit(headers: Headers): RateLimit {
  return {
    remaining: header(headers, "Fastly-RateLimit-Remaining"),
    reset: header(headers, "Fastly-RateLimit-Reset"),
  };
}

/**
 * A rate limit with nothing known, for errors that had no response.
 *
 * @example
 * ```ts
 * const rl = unknownRateLimit(); // { remaining: null, reset: null }
 * ```
 */
export function unknownRateLimit(): RateLimit {
  return { remaining: null, reset: null };
}
