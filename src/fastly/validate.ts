import { isIsoDateTime, toFastlyDateTime } from "./date-time";
import { FastlyArgumentError } from "./errors";
import { TOKEN_SCOPES, type TokenScope } from "./schemas";

// Whitespace and C0/C1 controls are never part of an id; in a header value they are illegal or an injection.
// Char codes rather than a regex with control characters in it (clearer, and what the linter asks for).
function hasUnsafe(value: string): boolean {
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (c <= 0x20 || (c >= 0x7f && c <= 0xa0) || /\s/.test(ch)) return true;
  }
  return false;
}

function headerUnsafe(value: string): boolean {
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return true;
  }
  return false;
}

/**
 * Checks a token or customer id before it becomes a path segment: a non-blank string with no `/`, whitespace
 * or control characters, not `.`/`..` (URL normalisation would eat them) and not `self` (which would silently
 * address the caller's own token; use the `…Current` operations for that).
 *
 * @example
 * ```ts
 * assertId("token_id", "2j1hEyxXOEqYaSipeZHaW4"); // ok
 * assertId("token_id", "self");                   // throws FastlyArgumentError
 * ```
 */
export function assertId(argument: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new FastlyArgumentError(argument, `${argument} must be a non-empty string`);
  }
  if (value.includes("/") || hasUnsafe(value)) {
    throw new FastlyArgumentError(argument, `${argument} must not contain "/", whitespace or control characters`);
  }
  if (value === "." || value === "..") {
    throw new FastlyArgumentError(argument, `${argument} must not be a dot segment`);
  }
  if (argument !== "customer_id" && value.toLowerCase() === "self") {
    throw new FastlyArgumentError(argument, `${argument} "self" is reserved; use the *Current operation instead`);
  }
}

/**
 * Checks a value that will travel in an HTTP header (API key, OTP, User-Agent). Runtimes put the offending value
 * into their own "invalid header value" message, which would leak a secret, so the client refuses it first.
 *
 * @example
 * ```ts
 * assertHeaderValue("apiKey", key); // throws FastlyArgumentError for "" or a value with a newline
 * ```
 */
export function assertHeaderValue(argument: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new FastlyArgumentError(argument, `${argument} must be a non-empty string`);
  }
  if (headerUnsafe(value) || value !== value.trim()) {
    throw new FastlyArgumentError(argument, `${argument} contains characters not allowed in an HTTP header`);
  }
}

/**
 * Checks a secret-bearing credential field (password, OTP): a non-empty string. Its value is never echoed.
 *
 * @example
 * ```ts
 * assertSecret("password", params.password);
 * ```
 */
export function assertSecret(argument: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || value === "") {
    throw new FastlyArgumentError(argument, `${argument} must be a non-empty string`);
  }
}

/**
 * Normalises `scope` to Fastly's space-delimited form, refusing words outside {@link TOKEN_SCOPES}.
 *
 * @example
 * ```ts
 * normaliseScope(["global:read", "purge_select"]); // "global:read purge_select"
 * normaliseScope("purge_all  global");              // "purge_all global"
 * ```
 */
export function normaliseScope(value: unknown): string {
  const words = Array.isArray(value) ? value : typeof value === "string" ? value.split(/\s+/).filter(Boolean) : null;
  if (words === null) throw new FastlyArgumentError("scope", "scope must be a string or an array of scopes");
  if (words.length === 0) throw new FastlyArgumentError("scope", "scope must name at least one scope");
  for (const word of words) {
    if (typeof word !== "string" || !(TOKEN_SCOPES as readonly string[]).includes(word)) {
      throw new FastlyArgumentError("scope", `scope words must be one of: ${TOKEN_SCOPES.join(", ")}`);
    }
  }
  return (words as TokenScope[]).join(" ");
}

/**
 * Checks `services`: an array of non-empty service ids without whitespace.
 *
 * @example
 * ```ts
 * assertServices(["0Us63sb8R1BpWQBIhluncu"]); // ok
 * ```
 */
export function assertServices(value: unknown): asserts value is string[] {
  if (!Array.isArray(value)) throw new FastlyArgumentError("services", "services must be an array of service ids");
  for (const id of value) {
    if (typeof id !== "string" || id.trim() === "" || hasUnsafe(id)) {
      throw new FastlyArgumentError("services", "services must contain only non-empty service ids without whitespace");
    }
  }
}

/**
 * Checks a date-time argument and returns its wire form: strings must be ISO 8601 date-times with an offset and
 * are sent as given; Dates must be valid and are sent as `YYYY-MM-DDTHH:MM:SSZ`.
 *
 * @example
 * ```ts
 * normaliseDateTime("expires_at", new Date("2026-01-02T03:04:05.678Z")); // "2026-01-02T03:04:05Z"
 * ```
 */
export function normaliseDateTime(argument: string, value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new FastlyArgumentError(argument, `${argument} is an invalid Date`);
    return toFastlyDateTime(value);
  }
  if (typeof value !== "string" || !isIsoDateTime(value)) {
    throw new FastlyArgumentError(
      argument,
      `${argument} must be an ISO 8601 date-time with offset, e.g. 2026-01-02T03:04:05Z, or a valid Date`,
    );
  }
  return value;
}

/**
 * Checks an optional plain text field (token name, username).
 *
 * @example
 * ```ts
 * assertOptionalText("name", params.name);
 * ```
 */
export function assertOptionalText(argument: string, value: unknown): asserts value is string | undefined {
  if (value !== undefined && typeof value !== "string") {
    throw new FastlyArgumentError(argument, `${argument} must be a string`);
  }
}

/**
 * Turns either form of `bulkRevokeTokens` params into the ids to revoke, checking each one.
 *
 * @example
 * ```ts
 * bulkIds({ token_ids: ["a", "b"] }); // ["a", "b"]
 * bulkIds({ request_body: { data: [{ id: "a", type: "token" }] } }); // ["a"]
 * ```
 */
export function bulkIds(params: unknown): string[] {
  if (params === null || typeof params !== "object") {
    throw new FastlyArgumentError("params", "bulkRevokeTokens needs { token_ids } or { request_body }");
  }
  const p = params as { token_ids?: unknown; request_body?: unknown };
  if (p.token_ids !== undefined) {
    if (!Array.isArray(p.token_ids) || p.token_ids.length === 0) {
      throw new FastlyArgumentError("token_ids", "token_ids must be a non-empty array of token ids");
    }
    for (const id of p.token_ids) assertId("token_ids", id);
    return p.token_ids as string[];
  }
  const body = p.request_body as { data?: unknown } | undefined;
  if (body === null || typeof body !== "object" || !Array.isArray(body.data) || body.data.length === 0) {
    throw new FastlyArgumentError("request_body.data", "request_body.data must be a non-empty array");
  }
  return body.data.map((item: unknown) => {
    const entry = item as { id?: unknown; type?: unknown } | null;
    if (entry === null || typeof entry !== "object" || entry.type !== "token") {
      throw new FastlyArgumentError("request_body.data", 'every request_body.data entry must have type "token"');
    }
    assertId("request_body.data.id", entry.id);
    return entry.id;
  });
}
