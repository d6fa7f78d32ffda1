import type { LeakFigures } from "./store/leak-figures";
import type { LedgerRow, LedgerState } from "./store/ledger";
import { percentile } from "./time-to-revoke";

/** Ledger states in the order a person reads them, with their words. */
export const OUTCOME_ORDER: readonly LedgerState[] = ["revoked", "not_live", "unverified", "failed", "queued", "claimed"];
export const OUTCOME_WORDS: Record<LedgerState, string> = {
  revoked: "revoked",
  not_live: "not live",
  unverified: "unverified",
  failed: "failed",
  queued: "queued",
  claimed: "in progress",
};

/** One leak as the Leaks view and the digest list it. Ids, names and hashes only. */
export interface LeakLine {
  tokenHash: string;
  state: LedgerState;
  source: string;
  tokenId: string | null;
  tokenName: string | null;
  ownerId: string | null;
  firstSeenMs: number;
  reportedMs: number;
  revokedMs: number | null;
  /** Revoked: first seen → revoked. */
  timeToRevokeMs: number | null;
  /** Not revoked: how long it has been open since first seen. */
  openMs: number | null;
  attempts: number;
  detail: string | null;
}

export interface LeakSummary {
  days: number;
  sinceMs: number;
  nowMs: number;
  /** Leaked values reported in the window (one per token, however often it was reported). */
  total: number;
  byOutcome: { state: LedgerState; n: number }[];
  bySource: { source: string; n: number }[];
  timeToRevoke: { count: number; medianMs: number | null; p95Ms: number | null; maxMs: number | null };
  /** The unverified and failed first, then the rest still open, then the slowest revoked. */
  attention: LeakLine[];
}

export interface SummaryOptions {
  nowMs: number;
  days?: number;
  /** A viewer restricted to one customer sees that customer's leaks only. */
  customerId?: string;
  /** How many leaks `attention` lists. */
  limit?: number;
}

/**
 * The leak figures of the last `days` (30): counts by outcome and by source, median and p95 time to revoke (first
 * seen → revoked), and the leaks that need a person, slowest first. Three ledger queries.
 */
export async function summarizeLeaks(figures: LeakFigures, opts: SummaryOptions): Promise<LeakSummary> {
  const days = opts.days ?? 30;
  const sinceMs = opts.nowMs - days * 86_400_000;
  const scope = { sinceMs, ...(opts.customerId ? { customerId: opts.customerId } : {}) };
  const [states, times, rows] = await Promise.all([
    figures.states(scope),
    figures.revokeTimes(scope),
    figures.attention(scope, opts.nowMs, opts.limit ?? 20),
  ]);
  const byState = new Map<LedgerState, number>();
  const bySource = new Map<string, number>();
  for (const s of states) {
    byState.set(s.state, (byState.get(s.state) ?? 0) + s.n);
    bySource.set(s.source, (bySource.get(s.source) ?? 0) + s.n);
  }
  const sorted = times.map((t) => t.ms);
  return {
    days,
    sinceMs,
    nowMs: opts.nowMs,
    total: states.reduce((sum, s) => sum + s.n, 0),
    byOutcome: OUTCOME_ORDER.map((state) => ({ state, n: byState.get(state) ?? 0 })),
    bySource: [...bySource].map(([source, n]) => ({ source, n })).sort((a, b) => b.n - a.n || a.source.localeCompare(b.source)),
    timeToRevoke: { count: sorted.length, medianMs: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: sorted.at(-1) ?? null },
    attention: rows.filter((r) => r.state !== "not_live").map((r) => lineOf(r, opts.nowMs)),
  };
}

function lineOf(r: LedgerRow, nowMs: number): LeakLine {
  const revoked = r.state === "revoked" && r.revoked_ms !== null;
  return {
    tokenHash: r.token_hash,
    state: r.state,
    source: r.source ?? "unknown",
    tokenId: r.token_id,
    tokenName: r.token_name,
    ownerId: r.owner_id,
    firstSeenMs: r.first_seen_ms,
    reportedMs: r.reported_ms,
    revokedMs: r.revoked_ms,
    timeToRevokeMs: revoked ? Math.max(0, r.revoked_ms! - r.first_seen_ms) : null,
    openMs: revoked ? null : Math.max(0, nowMs - r.first_seen_ms),
    attempts: r.attempts,
    detail: r.detail,
  };
}

/** "12 leaks: 9 revoked, 2 not live, 1 unverified", for chat text and headings. */
export function outcomeWords(summary: LeakSummary): string {
  const parts = summary.byOutcome.filter((o) => o.n > 0).map((o) => `${o.n} ${OUTCOME_WORDS[o.state]}`);
  return `${summary.total} leak${summary.total === 1 ? "" : "s"}${parts.length ? `: ${parts.join(", ")}` : ""}`;
}
