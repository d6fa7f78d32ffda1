import type { MiddlewareHandler } from "hono";
import type { EmulatorEnv } from "./hono-env";
import type { EmulatorState } from "./state";

const REASONS: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * The headers every recorded api.fastly.com answer carries (a literal `Status` header included), so clients
 * meet the same shape offline. Headers a fault sets explicitly win.
 */
export function fastlyHeaders(state: EmulatorState): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const started = Date.now();
    await next();
    const headers = c.res.headers;
    const status = c.res.status;
    const nowMs = state.now();
    const defaults: Record<string, string> = {
      "Cache-Control": "no-store",
      Status: `${status} ${REASONS[status] ?? ""}`.trim(),
      "Strict-Transport-Security": "max-age=31536000",
      Vary: "Accept-Encoding",
      Via: "1.1 varnish",
      "X-Cache": "MISS",
      "X-Served-By": "cache-emu0001-EMU",
      "X-Timer": `S${(nowMs / 1000).toFixed(6)},VS0,VE${Date.now() - started}`,
      // The emulator clock, so `last_used_at` equals `Date` as it does on the real API.
      Date: new Date(nowMs).toUTCString(),
    };
    for (const [name, value] of Object.entries(defaults)) if (!headers.has(name)) headers.set(name, value);
    if (status === 204) headers.delete("Content-Type");
  };
}
