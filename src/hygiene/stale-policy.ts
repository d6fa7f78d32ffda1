import type { TokenResponse } from "../fastly/schemas";
import { idleFor, isStale } from "../tokens/token-facts";
import type { StalePolicyMode } from "../config";

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
  // Stale for the policy is the core's `isStale`: a token whose dates are missing or unreadable is never stale,
  // because revoking on a guess cannot be undone.
  const stale = tokens.filter((t) => t.id && isStale(t, now, policy.afterDays));
  // Longest idle first (every stale token has a known idle time).
  stale.sort((a, b) => idleFor(b, now)! - idleFor(a, now)! || (a.id ?? "").localeCompare(b.id ?? ""));
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
