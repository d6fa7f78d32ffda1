import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ConfigError } from "../config";
import { FastlyApiError, FastlyArgumentError } from "../fastly";
import { log } from "../log";
import { TokenServiceError } from "../tokens/errors";
import type { VerifyFailure } from "../verify/result";

/** Fastly's error shape, used by every surface: `{"msg", "detail"?, "code"?}`. */
export function errorBody(msg: string, detail?: string, code?: string) {
  return { msg, ...(detail ? { detail } : {}), ...(code ? { code } : {}) };
}

/** What a refusal tells its sender, in Fastly's error shape; `reason` is what only the log learns. */
export interface Refusal {
  msg: string;
  /** Stable and machine-readable; optional only where the body has always had none (413). */
  code?: string;
  detail?: string;
  /** A fixed phrase (never request data) for the log: e.g. which signature check failed, which would tell a forger what to fix. */
  reason?: string;
}

/**
 * A surface refusing a request: bad JSON, an invalid payload (400/422), a failed signature or credential (401), a
 * missing scope (403), too large a body (413), the wrong media type (415), keys it cannot fetch to verify (503).
 * hono's `HTTPException` with Fastly's error shape: `msg`, `code` and `detail` are sent; `reason` is logged by
 * `onError`, never sent. The core's own decisions (policy, self-token, not found, not configured) stay
 * `TokenServiceError`.
 */
export class RequestRefused extends HTTPException {
  override readonly name = "RequestRefused";
  readonly msg: string;
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly reason: string | undefined;

  constructor(status: ContentfulStatusCode, refusal: Refusal) {
    super(status, { message: refusal.msg });
    this.msg = refusal.msg;
    this.code = refusal.code;
    this.detail = refusal.detail;
    this.reason = refusal.reason;
  }

  /** The body, for a refusal rendered outside `onError` (hono calls this for an `HTTPException` it meets bare). */
  override getResponse(): Response {
    return Response.json(errorBody(this.msg, this.detail, this.code), { status: this.status, headers: { "Cache-Control": "no-store" } });
  }
}

/** Which signature check failed, as each intake logs it. */
const SIGNATURE_REASONS: Record<VerifyFailure, string> = {
  missing: "signature headers are missing",
  malformed: "signature is malformed",
  mismatch: "signature does not match",
  stale: "timestamp is outside the 5-minute window",
  unknown_key: "signing key is unknown",
};

/**
 * A failed signature: the same 401 body whichever check failed (it would tell a forger what to fix); the check goes
 * to the log. `reason` overrides a phrase where a scheme says more (chat's payload is part of what is checked).
 */
export function invalidSignature(msg: string, failure: VerifyFailure, reason = SIGNATURE_REASONS[failure]): RequestRefused {
  return new RequestRefused(401, { msg, code: "invalid_signature", reason });
}

/** The refusal's internal reason, for the log only (with the request id, src/log.ts). */
export function logRefusal(err: RequestRefused): void {
  if (err.reason) log.warn("request_refused", { status: err.status, code: err.code, reason: err.reason });
}

/** 400 for a body or parameter the surface cannot use; `detail` names the field, never the submitted value. */
export const invalidRequest = (detail: string, code = "invalid_request") => new RequestRefused(400, { msg: "Bad request", code, detail });

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
 * transparent proxy for them); unreachable upstream is 502/504; a surface's `RequestRefused` and the core's
 * `TokenServiceError` keep their status and Fastly-shaped body; internal reasons (a refusal's `reason`, configuration
 * problems, unexpected errors) stay in the log, not the body. No branch echoes request data.
 */
export function onError(err: Error, c: Context): Response {
  c.header("Cache-Control", "no-store");
  if (err instanceof TokenServiceError) {
    return c.json(errorBody(err.msg, err.detail, err.code), err.status as ContentfulStatusCode);
  }
  if (err instanceof RequestRefused) {
    logRefusal(err);
    return c.json(errorBody(err.msg, err.detail, err.code), err.status);
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
    log.error("config_error", { setting: err.setting, message: err.message });
    return c.json(errorBody("Worker misconfigured", configProblemText(err), "misconfigured"), 500);
  }
  log.error("unhandled_error", { name: err.name, path: c.req.path });
  return c.json(errorBody("Internal error"), 500);
}
