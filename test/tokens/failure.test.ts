import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config";
import { FastlyApiError, type FastlyErrorKind } from "../../src/fastly";
import { forbidden, notConfigured, TokenServiceError } from "../../src/tokens/errors";
import { type Audience, classifyFailure, failureText } from "../../src/tokens/failure";

function fastly(status: number, msg: string, kind: FastlyErrorKind = "http", body?: string): FastlyApiError {
  return new FastlyApiError({
    message: `getUser: ${status || kind} ${msg}`,
    status,
    msg,
    operation: "getUser",
    method: "GET",
    path: "/current_user",
    rateLimit: { remaining: null, reset: null },
    retryable: kind !== "http" || status === 429 || status >= 500,
    kind,
    attempts: 1,
    ...(body ? { body } : {}),
  });
}

const NOT_FOUND = "not found: it does not exist, was already revoked, or is not visible to this Worker's Fastly token";
const UNREACHABLE = "Fastly could not be reached; try again in a minute";
const CHAT_INTERNAL = "an internal error occurred";
const INVENTORY_INTERNAL = "an internal error (see the Worker's logs)";

const audiences: Audience[] = ["chat", "audit", "inventory", "revocation", "retry", "ownerLookup", "notice"];

/** One row per situation: the error, then what each audience read before the phrasings were gathered in one table. */
const rows: [string, unknown, string[]][] = [
  [
    "Fastly 404",
    fastly(404, "Token lookup failed"),
    [
      NOT_FOUND,
      "upstream 404: Token lookup failed",
      "Fastly answered 404: Token lookup failed",
      "Fastly 404: Token lookup failed",
      "Fastly 404: Token lookup failed",
      "lookup failed: Fastly 404 (another account's user?)",
      "getUser: 404 Token lookup failed",
    ],
  ],
  [
    "Fastly 403",
    fastly(403, "Insufficient permissions"),
    [
      "Fastly refused the Worker's token (HTTP 403)",
      "upstream 403: Insufficient permissions",
      "Fastly answered 403: Insufficient permissions",
      "Fastly 403: Insufficient permissions",
      "Fastly 403: Insufficient permissions",
      "lookup failed: Fastly 403",
      "getUser: 403 Insufficient permissions",
    ],
  ],
  [
    "Fastly 429",
    fastly(429, "Too many requests"),
    [
      "Fastly's rate limit was reached; try again later",
      "upstream 429: Too many requests",
      "Fastly answered 429: Too many requests",
      "Fastly 429: Too many requests",
      "Fastly 429: Too many requests",
      "lookup failed: Fastly 429",
      "getUser: 429 Too many requests",
    ],
  ],
  [
    "Fastly 503",
    fastly(503, "Service Unavailable"),
    [
      "Fastly failed (HTTP 503); try again later",
      "upstream 503: Service Unavailable",
      "Fastly answered 503: Service Unavailable",
      "Fastly 503: Service Unavailable",
      "Fastly 503: Service Unavailable",
      "lookup failed: Fastly 503",
      "getUser: 503 Service Unavailable",
    ],
  ],
  [
    "Fastly 400",
    fastly(400, "Token revocation error"),
    [
      "Fastly refused the request (HTTP 400)",
      "upstream 400: Token revocation error",
      "Fastly answered 400: Token revocation error",
      "Fastly 400: Token revocation error",
      "Fastly 400: Token revocation error",
      "lookup failed: Fastly 400",
      "getUser: 400 Token revocation error",
    ],
  ],
  [
    "Fastly unreachable",
    fastly(0, "connection refused", "network"),
    [
      UNREACHABLE,
      "upstream network: connection refused",
      "the Fastly API could not be reached",
      "Fastly network: connection refused",
      "Fastly network: connection refused",
      "lookup failed: Fastly network",
      "getUser: network connection refused",
    ],
  ],
  [
    "Fastly timed out",
    fastly(0, "timed out after 50 ms", "timeout"),
    [
      UNREACHABLE,
      "upstream timeout: timed out after 50 ms",
      "the Fastly API timed out",
      "Fastly timeout: timed out after 50 ms",
      "Fastly timeout: timed out after 50 ms",
      "lookup failed: Fastly timeout",
      "getUser: timeout timed out after 50 ms",
    ],
  ],
  [
    "the core's 404",
    new TokenServiceError(404, "not_found", "Token not found"),
    [NOT_FOUND, "404: Token not found", "Token not found", "internal error", "internal error", "lookup failed", "Token not found"],
  ],
  [
    "the core's self-token guard",
    new TokenServiceError(400, "self_token", "Refusing to revoke the Worker's own token"),
    [
      "it is the Worker's own Fastly token (FASTLY_API_TOKEN); rotate it through the Worker's secrets instead",
      "400: Refusing to revoke the Worker's own token",
      "Refusing to revoke the Worker's own token",
      "internal error",
      "internal error",
      "lookup failed",
      "Refusing to revoke the Worker's own token",
    ],
  ],
  [
    "the core's refusal with a detail",
    forbidden("needs the revoke role"),
    [
      "Forbidden: needs the revoke role",
      "403: Forbidden",
      "Forbidden: needs the revoke role",
      "internal error",
      "internal error",
      "lookup failed",
      "Forbidden: needs the revoke role",
    ],
  ],
  [
    "a surface that is not configured",
    notConfigured("The leak intake", "SCANNER_WEBHOOK_SECRETS"),
    [
      "The leak intake is not configured: set SCANNER_WEBHOOK_SECRETS to enable it",
      "503: The leak intake is not configured",
      "The leak intake is not configured: set SCANNER_WEBHOOK_SECRETS to enable it",
      "The leak intake is not configured: set SCANNER_WEBHOOK_SECRETS to enable it",
      "The leak intake is not configured: set SCANNER_WEBHOOK_SECRETS to enable it",
      "lookup failed",
      "The leak intake is not configured: set SCANNER_WEBHOOK_SECRETS to enable it",
    ],
  ],
  [
    "a configuration error",
    new ConfigError("Setting CHAT_POLICY is invalid: expected JSON"),
    [
      CHAT_INTERNAL,
      "internal error",
      "Setting CHAT_POLICY is invalid: expected JSON",
      "internal error",
      "internal error",
      "lookup failed",
      "Setting CHAT_POLICY is invalid: expected JSON",
    ],
  ],
  [
    "a stopped wait",
    new DOMException("The operation timed out.", "TimeoutError"),
    [CHAT_INTERNAL, "internal error", INVENTORY_INTERNAL, "internal error", "internal error", "lookup failed", "timed out"],
  ],
  [
    "a missing binding",
    new Error("the REVOCATIONS queue is not bound"),
    [
      CHAT_INTERNAL,
      "internal error",
      INVENTORY_INTERNAL,
      "the REVOCATIONS queue is not bound",
      "the REVOCATIONS queue is not bound",
      "lookup failed",
      "the REVOCATIONS queue is not bound",
    ],
  ],
  [
    "a binding's own words over two lines",
    new TypeError("email to carol@acme.example\n   not allowed"),
    [CHAT_INTERNAL, "internal error", INVENTORY_INTERNAL, "internal error", "internal error", "lookup failed", "email to carol@acme.example not allowed"],
  ],
  ["something thrown that is not an Error", "a string", [CHAT_INTERNAL, "internal error", INVENTORY_INTERNAL, "internal error", "internal error", "lookup failed", "failed"]],
];

describe("one description of a failure", () => {
  it.each(rows)("phrases %s for every audience exactly as each place did before", (_, err, expected) => {
    // The owner lookup always passes its deadline; here it has not fired.
    const running = new AbortController().signal;
    expect(audiences.map((a) => failureText(err, a, a === "ownerLookup" ? running : undefined))).toEqual(expected);
  });

  it("calls any failure of an owner lookup whose deadline fired a timeout, unless Fastly itself answered", () => {
    const fired = AbortSignal.abort();
    for (const err of [new Error("aborted"), new TokenServiceError(404, "not_found", "Token not found"), "odd"]) {
      expect(failureText(err, "ownerLookup", fired)).toBe("lookup timed out");
    }
    expect(failureText(fastly(503, "Service Unavailable"), "ownerLookup", fired)).toBe("lookup failed: Fastly 503");
  });

  it("caps a failed revocation's words at 200 characters but not the words of one queued for retry", () => {
    const long = fastly(503, "x".repeat(300));
    expect(failureText(long, "revocation")).toHaveLength(200);
    expect(failureText(long, "retry")).toBe(`Fastly 503: ${"x".repeat(300)}`);
  });

  it("never repeats Fastly's response body, and never shows the chat user Fastly's own words", () => {
    for (const status of [400, 403, 404, 429, 500]) {
      const err = fastly(status, "fastly-msg-words", "http", "<html>body-words db=internal-7</html>");
      for (const audience of audiences) expect(failureText(err, audience)).not.toContain("body-words");
      expect(failureText(err, "chat")).not.toContain("fastly-msg-words");
    }
  });

  it("classifies Fastly's errors by status, the core's by code and the rest by name", () => {
    expect(classifyFailure(fastly(429, "Too many requests")).kind).toBe("fastly_rate_limited");
    expect(classifyFailure(new TokenServiceError(409, "conflict", "Busy")).kind).toBe("refused");
    expect(classifyFailure(new ConfigError("Setting X is invalid: y")).kind).toBe("config");
    expect(classifyFailure(null)).toMatchObject({ kind: "unexpected", name: "unknown", message: "" });
  });
});
