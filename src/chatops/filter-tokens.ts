import type { TokenResponse } from "../fastly/schemas";
import { DAY, parseTime } from "./time";
import { hasScope } from "./token-facts";

export interface TokenFilter {
  /** Which list the route fetched: the caller's own tokens or the whole customer's. Not a filter here. */
  target: "mine" | "customer";
  expiringDays?: number;
  staleDays?: number;
  scope?: string;
}

/**
 * The tokens matching every filter that is set:
 * - `expiringDays`: has an expiry that is still ahead and at most N days away (already expired tokens are
 *   not "expiring"; they show up with a warning in an unfiltered list).
 * - `staleDays`: not used for at least N days. A never-used token is stale once it is at least N days old
 *   (or when its age is unknown): a token created yesterday has not had the chance to be used.
 * - `scope`: one of the token's scope words equals it ("global" matches "global:read global" but not
 *   "global:read").
 */
export function filterTokens(tokens: TokenResponse[], filter: TokenFilter, now: Date): TokenResponse[] {
  const at = now.getTime();
  return tokens.filter((token) => {
    if (filter.expiringDays !== undefined) {
      const expires = parseTime(token.expires_at);
      if (expires === undefined || expires <= at || expires - at > filter.expiringDays * DAY) return false;
    }
    if (filter.staleDays !== undefined) {
      const window = filter.staleDays * DAY;
      const lastUsed = parseTime(token.last_used_at);
      if (token.last_used_at) {
        if (lastUsed !== undefined && at - lastUsed < window) return false;
      } else {
        const created = parseTime(token.created_at);
        if (created !== undefined && at - created < window) return false;
      }
    }
    if (filter.scope !== undefined && !hasScope(token, filter.scope)) return false;
    return true;
  });
}
