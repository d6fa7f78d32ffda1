import type { TokenResponse } from "../fastly/schemas";

/*
 * The facts about a token that every surface asks — the chat `list` filters and warnings, the hygiene classes,
 * the stale-token policy, the dashboard's filters and cues — written once. Pure: `now` is always passed in.
 *
 * One rule for dates: a timestamp that is missing or cannot be parsed proves nothing. No fact here is true
 * because of a date nobody can read; only the facts about absence itself (`neverUsed`, `neverExpires`) look
 * at whether a date is there at all. The list filter's `mayBeStale` is the one fact that leans the other way,
 * on purpose: see there.
 */

export const DAY = 86_400_000;

/** Milliseconds since the epoch, or undefined for a missing or unparseable timestamp. */
export function parseTime(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

// --- Scope breadth ---

/**
 * The token's scope words. `scope` is a space-delimited list ("global:read global"); `scopes` is the
 * undocumented array form some responses carry instead. Both are read so either shape works.
 */
export function tokenScopes(token: TokenResponse): string[] {
  const words = new Set<string>();
  for (const w of (token.scope ?? "").split(/\s+/)) if (w) words.add(w);
  for (const s of token.scopes ?? []) for (const w of s.split(/\s+/)) if (w) words.add(w);
  return [...words];
}

/** One of the token's scope words equals `scope` ("global" is in "global:read global", not in "global:read"). */
export function hasScope(token: TokenResponse, scope: string): boolean {
  return tokenScopes(token).includes(scope);
}

/** "global" exactly: "global:read" is read-only and not the broad scope the warnings are about. */
export function isGlobal(token: TokenResponse): boolean {
  return hasScope(token, "global");
}

/** Service ids the token is limited to; empty means every service on the account. */
export function tokenServices(token: TokenResponse): string[] {
  const services = new Set(token.services ?? []);
  if (token.service_id) services.add(token.service_id);
  return [...services];
}

/** The broadest a token gets: the `global` scope on every service of the account. */
export function isGlobalOnAllServices(token: TokenResponse): boolean {
  return isGlobal(token) && tokenServices(token).length === 0;
}

// --- Expiry ---

/** No `expires_at` at all: the token works until someone revokes it. */
export function neverExpires(token: TokenResponse): boolean {
  return !token.expires_at;
}

/** Its expiry is now or past (Fastly still lists it until it is revoked). */
export function isExpired(token: TokenResponse, now: Date): boolean {
  const expires = parseTime(token.expires_at);
  return expires !== undefined && expires <= now.getTime();
}

/** Its expiry is still ahead and at most `days` days away; an expired token is not "expiring". */
export function expiresWithin(token: TokenResponse, now: Date, days: number): boolean {
  const expires = parseTime(token.expires_at);
  const at = now.getTime();
  return expires !== undefined && expires > at && expires - at <= days * DAY;
}

// --- Use ---

/** No `last_used_at` at all, whatever the token's age. */
export function neverUsed(token: TokenResponse): boolean {
  return !token.last_used_at;
}

/**
 * How long the token has been idle, in milliseconds: since its last use, or since it was created when it was
 * never used (a token created yesterday has not had the chance to be used). Undefined when that date is
 * unreadable, or when a never-used token's creation date is missing: its idleness is unknown.
 */
export function idleFor(token: TokenResponse, now: Date): number | undefined {
  const since = neverUsed(token) ? parseTime(token.created_at) : parseTime(token.last_used_at);
  return since === undefined ? undefined : now.getTime() - since;
}

/**
 * Stale: idle (see `idleFor`) for at least `days` days. A token whose idleness is unknown is NOT stale: a
 * finding must be something a person can verify from the dates shown, and revoking on a guess cannot be undone.
 * The stale-token policy, the hygiene `unused` class and the dashboard's last-use bar all ask this.
 */
export function isStale(token: TokenResponse, now: Date, days: number): boolean {
  const idle = idleFor(token, now);
  return idle !== undefined && idle >= days * DAY;
}

/**
 * Stale, or its dates cannot tell: not provably used (or created) within the last `days` days. This is what the
 * chat `list --stale` filter and the dashboard's `unused` filter show, because a filter only chooses what a person
 * looks at: hiding a token of unknown age would hide exactly the one that most needs a look. A second rule kept on
 * purpose: test/tokens/filter-tokens.test.ts pins it ("counts a never-used token of unknown age as stale").
 */
export function mayBeStale(token: TokenResponse, now: Date, days: number): boolean {
  const idle = idleFor(token, now);
  return idle === undefined || idle >= days * DAY;
}

// --- The list filters (chat `list` and the dashboard inventory) ---

export interface TokenFilter {
  /** Which list the route fetched: the caller's own tokens or the whole customer's. Not a filter here. */
  target: "mine" | "customer";
  expiringDays?: number;
  staleDays?: number;
  scope?: string;
}

/**
 * The tokens matching every filter that is set:
 * - `expiringDays`: `expiresWithin` N days (already expired tokens are not "expiring"; they show up with a
 *   warning in an unfiltered list).
 * - `staleDays`: `mayBeStale` for N days: not used for at least N days; a never-used token counts once it is at
 *   least N days old, or when its age is unknown.
 * - `scope`: `hasScope` ("global" matches "global:read global" but not "global:read").
 */
export function filterTokens(tokens: TokenResponse[], filter: TokenFilter, now: Date): TokenResponse[] {
  return tokens.filter(
    (token) =>
      (filter.expiringDays === undefined || expiresWithin(token, now, filter.expiringDays)) &&
      (filter.staleDays === undefined || mayBeStale(token, now, filter.staleDays)) &&
      (filter.scope === undefined || hasScope(token, filter.scope)),
  );
}
