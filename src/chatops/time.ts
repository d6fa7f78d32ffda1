import type { TokenResponse } from "../fastly/schemas";
import { isGlobal, tokenServices } from "./token-facts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A token expiring within this many days gets a warning. */
export const EXPIRY_WARNING_DAYS = 7;
/** A token unused for longer than this many days gets a warning. */
export const STALE_WARNING_DAYS = 90;

/** Milliseconds since the epoch, or undefined for a missing or unparseable timestamp. */
export function parseTime(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

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
  const at = now.getTime();
  const expires = parseTime(token.expires_at);
  if (isGlobal(token) && !token.expires_at) {
    found.push({ code: "no-expiry", text: "Global scope and no expiry: this token works until someone revokes it." });
  }
  if (isGlobal(token) && tokenServices(token).length === 0) {
    found.push({ code: "all-services", text: "Global scope on all services: it is not limited to specific services." });
  }
  if (expires !== undefined && expires <= at) {
    found.push({ code: "expired", text: `Expired ${relativeTime(token.expires_at, now)}.` });
  } else if (expires !== undefined && expires - at <= EXPIRY_WARNING_DAYS * DAY) {
    found.push({ code: "expiring", text: `Expires ${relativeTime(token.expires_at, now)}.` });
  }
  const lastUsed = parseTime(token.last_used_at);
  const created = parseTime(token.created_at);
  if (lastUsed !== undefined && at - lastUsed > STALE_WARNING_DAYS * DAY) {
    found.push({ code: "stale", text: `Not used for ${describeSpan(at - lastUsed)}.` });
  } else if (!token.last_used_at && created !== undefined && at - created > STALE_WARNING_DAYS * DAY) {
    found.push({ code: "stale", text: `Never used since it was created ${relativeTime(token.created_at, now)}.` });
  }
  return found;
}

/** The warnings of `assessToken` as sentences. */
export function tokenWarnings(token: TokenResponse, now: Date): string[] {
  return assessToken(token, now).map((w) => w.text);
}
