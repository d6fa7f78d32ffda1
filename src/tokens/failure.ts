import { plainText } from "../chatops/safe-text";
import { FastlyApiError } from "../fastly";
import { TokenServiceError } from "./errors";

/** What went wrong, classified once; every phrasing below is a cell of {@link PHRASES}. */
export type FailureKind =
  // Fastly answered with an error status…
  | "fastly_not_found"
  | "fastly_denied"
  | "fastly_rate_limited"
  | "fastly_failed"
  | "fastly_refused"
  // …or did not answer.
  | "fastly_unreachable"
  | "fastly_timeout"
  // The core's own decisions (TokenServiceError).
  | "not_found"
  | "self_token"
  | "refused"
  // Everything else.
  | "config"
  | "timeout"
  | "unexpected";

/** Rows that most audiences phrase alike: a cell for a group applies to each of its kinds without its own cell. */
type FailureGroup = "fastly" | "core";

/**
 * The facts a phrasing may use. Only the client's and the core's own words: both are redacted at the source. The
 * upstream response body (`FastlyApiError.body`) is never read here.
 */
export interface Failure {
  kind: FailureKind;
  group: FailureGroup | "other";
  /** Fastly's or the core's HTTP status; 0 when Fastly did not answer. */
  status: number;
  /** Fastly's `msg` or the core's `msg`; empty for anything else. */
  msg: string;
  /** "http", "network" or "timeout" for Fastly's errors (named where there was no status). */
  reach: string;
  /** The error's own message (the core's "msg: detail", a binding's or configuration's words); "" for a non-Error. */
  message: string;
  /** The error's name, for logs; "unknown" for a non-Error. */
  name: string;
}

/**
 * Classifies `err` once. `deadline`, when given, decides what counts as a timeout for errors that are neither
 * Fastly's nor the core's (a binding call or a lookup that was stopped waiting for); otherwise a TimeoutError does.
 */
export function classifyFailure(err: unknown, deadline?: AbortSignal): Failure {
  const message = err instanceof Error ? err.message : "";
  const name = err instanceof Error ? err.name : "unknown";
  const base = { message, name, msg: "", status: 0, reach: "" };
  if (err instanceof FastlyApiError) {
    return { ...base, group: "fastly", kind: fastlyKind(err), status: err.status, msg: err.msg, reach: err.kind };
  }
  // Before the core's errors: whatever a stopped wait ended with, it is the wait's timeout (the owner lookup's rule).
  if (deadline ? deadline.aborted : name === "TimeoutError") return { ...base, group: "other", kind: "timeout" };
  if (err instanceof TokenServiceError) {
    const kind = err.status === 404 ? "not_found" : err.code === "self_token" ? "self_token" : "refused";
    return { ...base, group: "core", kind, status: err.status, msg: err.msg };
  }
  return { ...base, group: "other", kind: name === "ConfigError" ? "config" : "unexpected" };
}

function fastlyKind(err: FastlyApiError): FailureKind {
  if (err.kind === "network") return "fastly_unreachable";
  if (err.kind === "timeout") return "fastly_timeout";
  if (err.status === 404) return "fastly_not_found";
  if (err.status === 401 || err.status === 403) return "fastly_denied";
  if (err.status === 429) return "fastly_rate_limited";
  return err.status >= 500 ? "fastly_failed" : "fastly_refused";
}

/** Who reads the sentence. */
export type Audience = "chat" | "audit" | "inventory" | "revocation" | "retry" | "ownerLookup" | "notice";

type Phrase = string | ((f: Failure) => string);
type Column = Partial<Record<FailureKind | FailureGroup, Phrase>> & { otherwise: Phrase };

const NOT_FOUND = "not found: it does not exist, was already revoked, or is not visible to this Worker's Fastly token";
const UNREACHABLE = "Fastly could not be reached; try again in a minute";
/** "503: Service Unavailable", "timeout: timed out after 50 ms": the status, or the kind when there was none. */
const cause = (f: Failure) => `${f.status || f.reach}: ${f.msg}`;
/** Words the leak workflow is allowed to repeat from an error of its own making. */
const setupWords = (f: Failure) => (/not configured|not bound/.test(f.message) ? f.message : "internal error");

/**
 * Every phrasing the product uses, one column per audience (a cell for a kind beats its group's, then `otherwise`).
 * The columns differ on purpose: the chat user gets advice and no Fastly text (for a non-JSON answer `msg` is the
 * raw response text); operators (audit, inventory, ledger) get Fastly's redacted `msg`; an owner notice, which is
 * about a binding, gets the binding's own words.
 */
const PHRASES: Record<Audience, Column> = {
  // Chat replies (routes/chat): "Could not run `revoke`: <this>."
  chat: {
    fastly_not_found: NOT_FOUND,
    fastly_denied: (f) => `Fastly refused the Worker's token (HTTP ${f.status})`,
    fastly_rate_limited: "Fastly's rate limit was reached; try again later",
    fastly_failed: (f) => `Fastly failed (HTTP ${f.status}); try again later`,
    fastly_refused: (f) => `Fastly refused the request (HTTP ${f.status})`,
    fastly_unreachable: UNREACHABLE,
    fastly_timeout: UNREACHABLE,
    not_found: NOT_FOUND,
    self_token: "it is the Worker's own Fastly token (FASTLY_API_TOKEN); rotate it through the Worker's secrets instead",
    refused: (f) => plainText(f.message, 200),
    otherwise: "an internal error occurred",
  },
  // TokenService's audit detail for an operation that failed.
  audit: {
    fastly: (f) => `upstream ${cause(f)}`,
    core: (f) => `${f.status}: ${f.msg}`,
    otherwise: "internal error",
  },
  // The dashboard, the digest and the stale-token policy (hygiene).
  inventory: {
    fastly_unreachable: "the Fastly API could not be reached",
    fastly_timeout: "the Fastly API timed out",
    fastly: (f) => `Fastly answered ${f.status}: ${f.msg}`,
    core: (f) => f.message,
    config: (f) => f.message,
    otherwise: "an internal error (see the Worker's logs)",
  },
  // A leak revocation that failed for good: ledger, audit, notification and chat.
  revocation: {
    fastly: (f) => `Fastly ${cause(f)}`.slice(0, 200),
    otherwise: setupWords,
  },
  // A leak revocation queued for another try (only Fastly's retryable errors get here).
  retry: {
    fastly: (f) => `Fastly ${cause(f)}`,
    otherwise: setupWords,
  },
  // Why a leaked token's owner could not be looked up (the owner-notice audit entry and the notification).
  ownerLookup: {
    fastly: (f) => `lookup failed: Fastly ${f.status || f.reach}${f.status === 404 ? " (another account's user?)" : ""}`,
    timeout: "lookup timed out",
    otherwise: "lookup failed",
  },
  // Why an e-mail to an owner failed: the local and remote bindings say why in plain words; one short line.
  notice: {
    timeout: "timed out",
    otherwise: (f) => (f.message ? f.message.replace(/\s+/g, " ").slice(0, 120) : "failed"),
  },
};

/** The phrasing of an already classified failure for `audience`. */
export function phraseFailure(f: Failure, audience: Audience): string {
  const column = PHRASES[audience];
  const phrase = column[f.kind] ?? (f.group === "other" ? undefined : column[f.group]) ?? column.otherwise;
  return typeof phrase === "string" ? phrase : phrase(f);
}

/** `err` in the words `audience` reads. Never an upstream response body or a secret. */
export function failureText(err: unknown, audience: Audience, deadline?: AbortSignal): string {
  return phraseFailure(classifyFailure(err, deadline), audience);
}
