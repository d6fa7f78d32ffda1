import type { RateLimit } from "./options";

/**
 * Why a Fastly call failed: `http` (Fastly answered with an error status, or a body the client could not
 * accept), `network` (no answer: connection refused, reset, DNS), `timeout` (the per-attempt timeout fired).
 *
 * @example
 * ```ts
 * if (err instanceof FastlyApiError && err.kind !== "http") queueForLater();
 * ```
 */
export type FastlyErrorKind = "http" | "network" | "timeout";

/**
 * Everything a {@link FastlyApiError} carries. Every string in it must already be redacted: the error never
 * holds a reference to the request, its headers or anything else that could contain a secret.
 *
 * @example
 * ```ts
 * const init: FastlyApiErrorInit = {
 *   message: "getToken: 404 Token lookup failed", status: 404, msg: "Token lookup failed",
 *   operation: "getToken", method: "GET", path: "/tokens/abc", rateLimit: { remaining: null, reset: null },
 *   retryable: false, kind: "http", attempts: 1,
 * };
 * ```
 */
export interface FastlyApiErrorInit {
  message: string;
  status: number;
  msg: string;
  detail?: string;
  code?: string;
  operation: string;
  method: string;
  path: string;
  rateLimit: RateLimit;
  retryable: boolean;
  kind: FastlyErrorKind;
  body?: string;
  attempts: number;
}

/**
 * The one error type of the client: Fastly said no, could not be reached, or took too long.
 * Secrets (API key, password, OTP, any `access_token` seen) are replaced by `[REDACTED]` in every field,
 * so the error is safe to log, `JSON.stringify` or return.
 *
 * @example
 * ```ts
 * try {
 *   await client.getToken({ token_id: id });
 * } catch (err) {
 *   if (err instanceof FastlyApiError && err.status === 404) return null; // revoked or unknown
 *   if (err instanceof FastlyApiError && err.retryable) console.log(err.rateLimit.reset);
 *   throw err;
 * }
 * ```
 */
export class FastlyApiError extends Error {
  override readonly name = "FastlyApiError" as const;
  /** HTTP status, or 0 for a network error or timeout. */
  readonly status: number;
  /** Fastly's message (`msg`, JSON:API titles, problem `title`), else the raw text, else the status text. */
  readonly msg: string;
  readonly detail?: string;
  /** `POST /tokens` 400 codes (`invalid_grant`, `invalid_request`, `invalid_scope`, `account_locked`, `2fa.verify`) or a JSON:API `code`. */
  readonly code?: string;
  /** Client method that failed, e.g. `getToken`. */
  readonly operation: string;
  readonly method: string;
  /** Request path below the base URL, without query. */
  readonly path: string;
  /** Rate-limit headers of this response (nulls when absent or when there was no response). */
  readonly rateLimit: RateLimit;
  /** True for network errors, timeouts, 429 and 5xx: trying again later may succeed. */
  readonly retryable: boolean;
  readonly kind: FastlyErrorKind;
  /** Raw response text, redacted, truncated to 2 KB. */
  readonly body?: string;
  /** How many HTTP attempts were made before giving up (retries included). */
  readonly attempts: number;

  constructor(init: FastlyApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.msg = init.msg;
    if (init.detail !== undefined) this.detail = init.detail;
    if (init.code !== undefined) this.code = init.code;
    this.operation = init.operation;
    this.method = init.method;
    this.path = init.path;
    this.rateLimit = { ...init.rateLimit };
    this.retryable = init.retryable;
    this.kind = init.kind;
    if (init.body !== undefined) this.body = init.body;
    this.attempts = init.attempts;
  }

  /** Plain-object view for structured logs; includes `message`, which `JSON.stringify` would otherwise drop. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      msg: this.msg,
      detail: this.detail,
      code: this.code,
      operation: this.operation,
      method: this.method,
      path: this.path,
      rateLimit: this.rateLimit,
      retryable: this.retryable,
      kind: this.kind,
      body: this.body,
      attempts: this.attempts,
    };
  }
}

/**
 * An argument the client refuses before sending anything. `argument` names it; the message never repeats its
 * value, because the value may be a secret passed in the wrong place.
 *
 * @example
 * ```ts
 * try {
 *   await client.revokeToken({ token_id: " " });
 * } catch (err) {
 *   if (err instanceof FastlyArgumentError) console.log(err.argument); // "token_id"
 * }
 * ```
 */
export class FastlyArgumentError extends Error {
  override readonly name = "FastlyArgumentError" as const;
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
  }
}
