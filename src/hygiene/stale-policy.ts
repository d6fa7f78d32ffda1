import { DAY, parseTime } from "../chatops/time";
import type { TokenResponse } from "../fastly/schemas";
import type { StalePolicyMode } from "../config";

/**
 * Stale for the policy: last used at least `afterDays` ago, or never used and created at least `afterDays` ago.
 * Stricter than the digest's classes on purpose: a token whose dates are missing or unreadable is never stale,
 * because revoking on a guess cannot be undone.
 */
export function isStale(token: TokenResponse, now: Date, afterDays: number): boolean {
  const window = afterDays * DAY;
  const at = now.getTime();
  if (token.last_used_at) {
    const lastUsed = parseTime(token.last_used_at);
    return lastUsed !== undefined && at - lastUsed >= window;
  }
  const created = parseTime(token.created_at);
  return created !== undefined && at - created >= window;
}

export interface StaleSelection {
  /** Would be (report) or will be (revoke) revoked this run, oldest use first. */
  candidates: TokenResponse[];
  /** Stale, but beyond this run's cap: next run. */
  deferred: TokenResponse[];
  /** Stale but never revoked by policy: the Worker's own token, and the exempt list. */
  protected: { token: TokenResponse; reason: "own_token" | "exempt" }[];
}

/** Which stale tokens the policy acts on. Pure: the caller decides whether to report or revoke. */
export function selectStale(
  tokens: TokenResponse[],
  now: Date,
  policy: { afterDays: number; maxRevocations: number; exemptTokenIds: string[] },
  ownTokenId: string | null,
): StaleSelection {
  const stale = tokens.filter((t) => t.id && isStale(t, now, policy.afterDays));
  stale.sort((a, b) => lastActivity(a) - lastActivity(b) || (a.id ?? "").localeCompare(b.id ?? ""));
  const exempt = new Set(policy.exemptTokenIds);
  const selection: StaleSelection = { candidates: [], deferred: [], protected: [] };
  for (const token of stale) {
    if (ownTokenId !== null && token.id === ownTokenId) selection.protected.push({ token, reason: "own_token" });
    else if (exempt.has(token.id!)) selection.protected.push({ token, reason: "exempt" });
    else if (selection.candidates.length < policy.maxRevocations) selection.candidates.push(token);
    else selection.deferred.push(token);
  }
  return selection;
}

function lastActivity(t: TokenResponse): number {
  return parseTime(t.last_used_at) ?? parseTime(t.created_at) ?? 0;
}

export interface PolicyOutcome {
  mode: StalePolicyMode;
  afterDays: number;
  selection: StaleSelection;
  /** Revoke mode: revoked this run. */
  revoked: TokenResponse[];
  /** Revoke mode: refused or failed, with a reason safe to show. */
  failed: { token: TokenResponse; reason: string }[];
  /** The Worker runs with DRY_RUN=true: revoke mode changed nothing. */
  dryRun: boolean;
}

/** Whether the policy has anything to say. */
export function policyHasNews(outcome: PolicyOutcome | null): boolean {
  if (!outcome || outcome.mode === "off") return false;
  return outcome.selection.candidates.length > 0 || outcome.revoked.length > 0 || outcome.failed.length > 0;
}
