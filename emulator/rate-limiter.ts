export interface RateInfo {
  remaining: number;
  /** Epoch seconds of the next top of the hour, as in `Fastly-RateLimit-Reset`. */
  reset: number;
  limited: boolean;
}

interface Bucket {
  reset: number;
  used: number;
}

/** Hourly windows that reset at the top of the hour, like the `Fastly-RateLimit-Reset` values recorded. */
export class RateLimiter {
  #buckets = new Map<string, Bucket>();

  /** Counts one request against `key`; once `limit` is used up the request is refused and not counted. */
  consume(key: string, nowMs: number, limit: number): RateInfo {
    const nowSec = Math.floor(nowMs / 1000);
    let bucket = this.#buckets.get(key);
    // A clock moved backwards past the window start also opens a fresh window.
    if (!bucket || nowSec >= bucket.reset || nowSec < bucket.reset - 3600) {
      bucket = { reset: Math.floor(nowSec / 3600) * 3600 + 3600, used: 0 };
      this.#buckets.set(key, bucket);
    }
    if (bucket.used >= limit) return { remaining: 0, reset: bucket.reset, limited: true };
    bucket.used += 1;
    return { remaining: limit - bucket.used, reset: bucket.reset, limited: false };
  }

  clear(): void {
    this.#buckets.clear();
  }
}
