import type { MiddlewareHandler } from "hono";
import { clientIp, isWriteMethod } from "./auth";
import type { EmulatorEnv } from "./hono-env";
import type { EmulatorState } from "./state";

/**
 * Puts `Fastly-RateLimit-Remaining`/`-Reset` on every write answer, errors included, and never on reads.
 * Writes refused before the user is known (401, unknown route) are counted per client address.
 */
export function rateHeaders(state: EmulatorState): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    await next();
    if (!isWriteMethod(c.req.method) || c.get("faulted")) return;
    const info =
      c.get("rate") ??
      state.rateLimiter.consume(`anon:${clientIp(c.req.raw.headers)}`, state.now(), state.config.rateLimit);
    c.res.headers.set("Fastly-RateLimit-Remaining", String(info.remaining));
    c.res.headers.set("Fastly-RateLimit-Reset", String(info.reset));
  };
}
