import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ConfigError } from "../config";
import { FastlyApiError, FastlyArgumentError } from "../fastly";
import { TokenServiceError } from "../tokens/errors";

/** Fastly's error shape, used by every surface: `{"msg", "detail"?, "code"?}`. */
export function errorBody(msg: string, detail?: string, code?: string) {
  return { msg, ...(detail ? { detail } : {}), ...(code ? { code } : {}) };
}

/**
 * A request refused for a reason its sender must not learn in detail: which signature check failed (missing,
 * malformed, mismatched, stale, unknown key) tells a forger what to fix. The body says `msg` and a generic `code`;
 * `reason` (a fixed phrase, never request data) goes to the log.
 */
export class RequestRefused extends Error {
  override readonly name = "RequestRefused";
  constructor(
    readonly status: 401 | 403,
    readonly msg: string,
    readonly code: string,
    readonly reason: string,
  ) {
    super(msg);
  }
}

/** What a caller may learn about a configuration problem: which setting, not what is wrong with it. */
export function configProblemText(err: ConfigError): string {
  return `setting ${err.setting} is invalid; the Worker's log says why`;
}

/**
 * Every answer of the Worker carries `Cache-Control: no-store` unless its route chose otherwise, as Fastly's own
 * answers do: token metadata and errors must not sit in a shared or browser cache.
 */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
};

/**
 * The one place errors become responses. Upstream Fastly errors keep their status and message (the Worker is a
 * transparent proxy for them); unreachable upstream is 502/504; internal reasons (configuration problems,
 * signature check details, unexpected errors) stay in the log, not the body. No branch echoes request data.
 */
export function onError(err: Error, c: Context): Response {
  c.header("Cache-Control", "no-store");
  if (err instanceof TokenServiceError) {
    return c.json(errorBody(err.msg, err.detail, err.code), err.status as ContentfulStatusCode);
  }
  if (err instanceof RequestRefused) {
    console.warn(JSON.stringify({ event: "request_refused", status: err.status, code: err.code, reason: err.reason }));
    return c.json(errorBody(err.msg, undefined, err.code), err.status);
  }
  if (err instanceof FastlyApiError) {
    if (err.rateLimit.remaining !== null) c.header("Fastly-RateLimit-Remaining", String(err.rateLimit.remaining));
    if (err.rateLimit.reset !== null) c.header("Fastly-RateLimit-Reset", String(err.rateLimit.reset));
    if (err.kind === "timeout") return c.json(errorBody("Fastly API timed out", err.operation), 504);
    if (err.kind === "network") return c.json(errorBody("Fastly API unreachable", err.operation), 502);
    const status = err.status >= 400 && err.status <= 599 ? err.status : 502;
    return c.json(errorBody(err.msg, err.detail, err.code), status as ContentfulStatusCode);
  }
  if (err instanceof FastlyArgumentError) {
    // The client refused a caller-supplied value before sending it; its message names the argument, never the value.
    if (err.argument === "apiKey") return c.json(errorBody("Provided credentials are missing or invalid"), 401);
    return c.json(errorBody("Bad request", err.message, "invalid_request"), 400);
  }
  if (err instanceof HTTPException) {
    return c.json(errorBody(err.message || "Bad request"), err.status);
  }
  if (err instanceof ConfigError) {
    console.error(JSON.stringify({ event: "config_error", setting: err.setting, message: err.message }));
    return c.json(errorBody("Worker misconfigured", configProblemText(err), "misconfigured"), 500);
  }
  console.error(JSON.stringify({ event: "unhandled_error", name: err.name, path: c.req.path }));
  return c.json(errorBody("Internal error"), 500);
}
