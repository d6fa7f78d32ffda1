import type { Context } from "hono";
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
 * The one place errors become responses. Upstream Fastly errors keep their status and message (the Worker is a
 * transparent proxy for them); unreachable upstream is 502/504; anything unexpected is a 500 whose reason stays in
 * the log, not the body. No branch echoes request data.
 */
export function onError(err: Error, c: Context): Response {
  if (err instanceof TokenServiceError) {
    return c.json(errorBody(err.msg, err.detail, err.code), err.status as ContentfulStatusCode);
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
    console.error(JSON.stringify({ event: "config_error", message: err.message }));
    return c.json(errorBody("Worker misconfigured", err.message), 500);
  }
  console.error(JSON.stringify({ event: "unhandled_error", name: err.name, path: c.req.path }));
  return c.json(errorBody("Internal error"), 500);
}
