import type { TokenResponse } from "../fastly/schemas";
import { DAY, expiresWithin, idleFor, isExpired, isGlobal, isGlobalOnAllServices, neverExpires, neverUsed, parseTime } from "../tokens/token-facts";

// Presentation only: how the token facts (src/tokens/token-facts.ts) read to a person in chat and on the dashboard.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A token expiring within this many days gets a warning. */
export const EXPIRY_WARNING_DAYS = 7;
/** A token unused for longer than this many days gets a warning. */
export const STALE_WARNING_DAYS = 90;

/**
 * "in 3 days", "92 days ago", "just now" (under a minute either way), "never" (no timestamp),
 * "unknown" (unparseable). Units are minutes, hours, then days up to two years, then years; counts are
 * truncated, so 3 days 20 hours is "3 days".
 */
export function relativeTime(iso: string | null | undefined, now: Date): string {
  if (!iso) return "never";
  const t = parseTime(iso);
  if (t === undefined) return "unknown";
  const diff = t - now.getTime();
  const span = Math.abs(diff);
  if (span < MINUTE) return "just now";
  const amount = describeSpan(span);
  return diff > 0 ? `in ${amount}` : `${amount} ago`;
}

function describeSpan(ms: number): string {
  if (ms < HOUR) return plural(Math.floor(ms / MINUTE), "minute");
  if (ms < DAY) return plural(Math.floor(ms / HOUR), "hour");
  const days = Math.floor(ms / DAY);
  if (days < 730) return plural(days, "day");
  return plural(Math.floor(days / 365), "year");
}

export function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** "2021-01-14 11:36 UTC"; "unknown" when the timestamp cannot be parsed; "never" when there is none. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "never";
  const t = parseTime(iso);
  if (t === undefined) return "unknown";
  return `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "expires in 3 days", "expired 2 days ago", "never expires". */
export function describeExpiry(token: TokenResponse, now: Date): string {
  if (!token.expires_at) return "never expires";
  const t = parseTime(token.expires_at);
  if (t === undefined) return "expiry unknown";
  return `${t > now.getTime() ? "expires" : "expired"} ${relativeTime(token.expires_at, now)}`;
}

/** "last used 92 days ago", "never used". */
export function describeLastUse(token: TokenResponse, now: Date): string {
  if (!token.last_used_at) return "never used";
  return `last used ${relativeTime(token.last_used_at, now)}`;
}

/** Short names for warnings, for table columns; `tokenWarnings` gives the sentences. */
export type WarningCode = "no-expiry" | "all-services" | "expired" | "expiring" | "stale";

/**
 * Everything worth a warning, most serious first: global scope without expiry, global scope on every
 * service, expired, expiring within 7 days, unused for more than 90 days (a never-used token counts once
 * it is more than 90 days old).
 */
export function assessToken(token: TokenResponse, now: Date): { code: WarningCode; text: string }[] {
  const found: { code: WarningCode; text: string }[] = [];
  if (isGlobal(token) && neverExpires(token)) {
    found.push({ code: "no-expiry", text: "Global scope and no expiry: this token works until someone revokes it." });
  }
  if (isGlobalOnAllServices(token)) {
    found.push({ code: "all-services", text: "Global scope on all services: it is not limited to specific services." });
  }
  if (isExpired(token, now)) {
    found.push({ code: "expired", text: `Expired ${relativeTime(token.expires_at, now)}.` });
  } else if (expiresWithin(token, now, EXPIRY_WARNING_DAYS)) {
    found.push({ code: "expiring", text: `Expires ${relativeTime(token.expires_at, now)}.` });
  }
  // The stale fact (`idleFor`: unknown dates give no warning), with the warning's own boundary: MORE than 90 days,
  // where `isStale` says "at least". "warns about a never-used token only once it is more than 90 days old" pins it.
  const idle = idleFor(token, now);
  if (idle !== undefined && idle > STALE_WARNING_DAYS * DAY) {
    const text = neverUsed(token) ? `Never used since it was created ${relativeTime(token.created_at, now)}.` : `Not used for ${describeSpan(idle)}.`;
    found.push({ code: "stale", text });
  }
  return found;
}

/** The warnings of `assessToken` as sentences. */
export function tokenWarnings(token: TokenResponse, now: Date): string[] {
  return assessToken(token, now).map((w) => w.text);
}
