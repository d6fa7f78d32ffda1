import type { ZodMiniType } from "zod/mini";
import { parseErrorBody } from "./error-body";
import { FastlyApiError } from "./errors";
import type { RateLimit } from "./options";
import { readRateLimit, unknownRateLimit } from "./rate-limit";
import { findAccessTokens, redact } from "./redact";
import { backoffDelay, isRepeatable, parseRetryAfter, RETRY_STATUSES } from "./retry";
import { abortableSleep, attemptSignal } from "./signals";
import { joinPath } from "./url";

/** Cap on the raw body kept on an error; enough to debug, small enough to log. */
const MAX_BODY = 2048;

/**
 * The resolved, validated settings the request loop runs with (built once by FastlyClient).
 *
 * @example
 * ```ts
 * const transport: Transport = { baseUrl: "https://api.fastly.com", fetch: (r) => fetch(r), userAgent: "x/1",
 *   timeoutMs: 10_000, retries: 2, retryDelayMs: { base: 200, max: 2000 }, rateLimitWait: false,
 *   sleep: defaultSleep, onRateLimit: () => {} };
 * ```
 */
export interface Transport {
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
  userAgent: string;
  timeoutMs: number;
  retries: number;
  retryDelayMs: { base: number; max: number };
  rateLimitWait: false | { maxWaitMs: number };
  sleep: (ms: number) => Promise<void>;
  /** Called with the figures of every non-GET response that carries them. */
  onRateLimit: (rateLimit: RateLimit) => void;
}

/**
 * One API call as the client describes it. `secrets` lists every secret the call knows; all of them are
 * scrubbed from any error. Without `schema` the response body is ignored (204 operations).
 *
 * @example
 * ```ts
 * const spec: CallSpec<TokenResponse> = { operation: "getTokenCurrent", method: "GET", path: "/tokens/self",
 *   headers: { "Fastly-Key": key }, secrets: [key], schema: TokenResponseSchema };
 * ```
 */
export interface CallSpec<T> {
  operation: string;
  method: "GET" | "POST" | "DELETE";
  path: string;
  headers: Record<string, string>;
  body?: string;
  secrets: string[];
  signal?: AbortSignal;
  timeoutMs?: number;
  schema?: ZodMiniType<T>;
}

interface Failure {
  status: number;
  msg: string;
  detail?: string;
  code?: string;
  rateLimit: RateLimit;
  retryable: boolean;
  kind: "http" | "network" | "timeout";
  body?: string;
}

function fail<T>(spec: CallSpec<T>, f: Failure, secrets: string[], attempts: number): FastlyApiError {
  const scrub = (s: string) => redact(s, secrets);
  const msg = scrub(f.msg);
  const detail = f.detail === undefined ? undefined : scrub(f.detail);
  const path = scrub(spec.path);
  const head = f.kind === "http" ? `${f.status} ${msg}` : msg;
  // People asked for the rate-limit figures in 429 messages (fastly/cli#1836): the reset is what they act on.
  const reset =
    f.status === 429 && f.rateLimit.reset !== null ? ` (rate limit resets at ${new Date(f.rateLimit.reset * 1000).toISOString()})` : "";
  return new FastlyApiError({
    message: scrub(`${spec.operation} (${spec.method} ${path}): ${head}${detail ? ` — ${detail}` : ""}${reset}`),
    status: f.status,
    msg,
    detail,
    code: f.code === undefined ? undefined : scrub(f.code),
    operation: spec.operation,
    method: spec.method,
    path,
    rateLimit: f.rateLimit,
    retryable: f.retryable,
    kind: f.kind,
    body: f.body === undefined ? undefined : clipBody(scrub(f.body)),
    attempts,
  });
}

// Redaction happens before clipping, so a secret straddling the cut can never survive half-visible.
function clipBody(body: string): string {
  return body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}…[truncated]` : body;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}

function accept<T>(
  spec: CallSpec<T>,
  response: Response,
  text: string,
  rateLimit: RateLimit,
  secrets: string[],
  attempts: number,
): T | undefined {
  if (!spec.schema) return undefined;
  const unexpected = (detail: string) =>
    fail(
      spec,
      { status: response.status, msg: "Unexpected response body from Fastly", detail, rateLimit, retryable: false, kind: "http", body: text },
      secrets,
      attempts,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw unexpected(text.trim() === "" ? "the body is empty" : "the body is not JSON");
  }
  const result = spec.schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`)
      .join("; ");
    throw unexpected(issues);
  }
  return result.data;
}

function rateLimitWaitMs(rateLimit: RateLimit, headers: Headers): number | null {
  if (rateLimit.reset !== null) return Math.max(0, rateLimit.reset * 1000 - Date.now());
  return parseRetryAfter(headers.get("Retry-After"));
}

/**
 * Sends one call with the client's rules: per-attempt timeout, retries with backoff for GET/DELETE only,
 * the opt-in 429 wait, rate-limit bookkeeping, error parsing and redaction.
 * A caller abort rejects with the caller's `signal.reason`, not a FastlyApiError.
 *
 * @example
 * ```ts
 * const token = await send(transport, { operation: "getTokenCurrent", method: "GET", path: "/tokens/self",
 *   headers: { "Fastly-Key": key }, secrets: [key], schema: TokenResponseSchema });
 * ```
 */
export async function send<T>(transport: Transport, spec: CallSpec<T>): Promise<T | undefined> {
  const url = joinPath(transport.baseUrl, spec.path);
  const repeatable = isRepeatable(spec.method);
  const timeoutMs = spec.timeoutMs ?? transport.timeoutMs;
  let attempts = 0;
  let retriesUsed = 0;
  let waitedForRateLimit = false;

  const backoff = async (delayMs?: number) => {
    retriesUsed += 1;
    await abortableSleep(transport.sleep, delayMs ?? backoffDelay(retriesUsed, transport.retryDelayMs), spec.signal);
  };

  for (;;) {
    spec.signal?.throwIfAborted();
    attempts += 1;
    const attempt = attemptSignal(timeoutMs, spec.signal);
    let response: Response;
    let text: string;
    try {
      const init: RequestInit = { method: spec.method, headers: spec.headers };
      if (spec.body !== undefined) init.body = spec.body;
      if (attempt.signal) init.signal = attempt.signal;
      response = await transport.fetch(new Request(url, init));
      // Decoded by hand: workerd warns when .text() meets a content type it does not consider text.
      text = new TextDecoder().decode(await response.arrayBuffer());
    } catch (cause) {
      if (spec.signal?.aborted) throw spec.signal.reason;
      const timedOut = attempt.timedOut();
      const failure: Failure = timedOut
        ? { status: 0, msg: `timed out after ${timeoutMs} ms`, rateLimit: unknownRateLimit(), retryable: true, kind: "timeout" }
        : { status: 0, msg: "network error", detail: describeCause(cause), rateLimit: unknownRateLimit(), retryable: true, kind: "network" };
      if (repeatable && retriesUsed < transport.retries) {
        await backoff();
        continue;
      }
      throw fail(spec, failure, spec.secrets, attempts);
    }

    const rateLimit = readRateLimit(response.headers);
    if (spec.method !== "GET" && (rateLimit.remaining !== null || rateLimit.reset !== null)) {
      transport.onRateLimit(rateLimit);
    }
    const secrets = [...spec.secrets, ...findAccessTokens(text)];
    if (response.ok) return accept(spec, response, text, rateLimit, secrets, attempts);

    const status = response.status;
    if (status === 429 && repeatable && transport.rateLimitWait && !waitedForRateLimit) {
      const waitMs = rateLimitWaitMs(rateLimit, response.headers);
      if (waitMs !== null && waitMs <= transport.rateLimitWait.maxWaitMs) {
        waitedForRateLimit = true;
        await abortableSleep(transport.sleep, waitMs, spec.signal);
        continue;
      }
    }
    if (RETRY_STATUSES.has(status) && repeatable && retriesUsed < transport.retries) {
      // Honour Retry-After when the server sends one, but never wait longer than the configured cap:
      // past it, the caller is better served by the error than by a hung request.
      const retryAfter = parseRetryAfter(response.headers.get("Retry-After"));
      if (retryAfter === null || retryAfter <= transport.retryDelayMs.max) {
        await backoff(retryAfter ?? undefined);
        continue;
      }
    }

    // Parse the redacted text, so every field derived from it is already clean.
    const parsed = parseErrorBody(redact(text, secrets), response.headers.get("Content-Type"), status, response.statusText);
    throw fail(
      spec,
      {
        status,
        msg: parsed.msg,
        detail: parsed.detail,
        code: parsed.code,
        rateLimit,
        retryable: status === 429 || status >= 500,
        kind: "http",
        body: text,
      },
      secrets,
      attempts,
    );
  }
}
