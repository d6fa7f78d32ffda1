import type { MiddlewareHandler } from "hono";
import type { EmulatorEnv } from "./hono-env";
import { sha256Hex } from "./random";
import type { EmulatorState } from "./state";

/** One request as the emulator saw it. Never the raw key: only its SHA-256. */
export interface CallRecord {
  method: string;
  /** Path relative to the tenant's base URL, e.g. "/tokens/self". */
  path: string;
  /** Raw query string without "?" ("" when none). */
  query: string;
  keyHash: string | null;
  userAgent: string | null;
  contentType: string | null;
  /** Whether a Fastly-OTP header was sent (its value is never kept). */
  otp: boolean;
  /** Status answered; null when a fault dropped the connection. */
  status: number | null;
  /** Emulator-clock time the call arrived, ISO 8601. */
  at: string;
  /** Whether a fault rule answered (or dropped) instead of the emulator. */
  faulted: boolean;
}

export function callLog(state: EmulatorState): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const key = c.req.header("fastly-key");
    const call: CallRecord = {
      method: c.req.method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      keyHash: key ? await sha256Hex(key) : null,
      userAgent: c.req.header("user-agent") ?? null,
      contentType: c.req.header("content-type") ?? null,
      otp: c.req.header("fastly-otp") !== undefined,
      status: null,
      at: new Date(state.now()).toISOString(),
      faulted: false,
    };
    try {
      await next();
      call.status = c.get("dropped") ? null : c.res.status;
    } finally {
      call.faulted = c.get("faulted") === true;
      state.logCall(call);
    }
  };
}
