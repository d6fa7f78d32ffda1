import type { Block } from "../chatops/message";
import { codeSpan, plainText } from "../chatops/safe-text";
import { formatTable } from "../chatops/table";
import { type LeakSummary, OUTCOME_WORDS, outcomeWords } from "../tokens/leak-summary";
import { formatElapsed, formatInstant } from "../tokens/time-to-revoke";

const DAY_MS = 86_400_000;

/** Worth a digest on a quiet day: a leak reported since yesterday's run, or one a person still has to deal with. */
export function leaksHaveNews(leaks: LeakSummary | undefined): boolean {
  return Boolean(leaks?.attention.some((l) => l.reportedMs >= leaks.nowMs - DAY_MS || l.state === "unverified" || l.state === "failed"));
}

/** The Leaks view's summary as digest blocks: counts by outcome and source, median and p95, the leaks to look at. */
export function leakBlocks(leaks: LeakSummary | undefined, maxItems: number): Block[] {
  if (!leaks || leaks.total === 0) return [];
  const ttr = leaks.timeToRevoke;
  const timing =
    ttr.count > 0 ? `Time to revoke: median ${formatElapsed(ttr.medianMs!)}, p95 ${formatElapsed(ttr.p95Ms!)} (${ttr.count} revoked).` : "Nothing revoked yet in this window.";
  const sources = leaks.bySource.map((s) => `${plainText(s.source, 40)} ${s.n}`).join(", ");
  const blocks: Block[] = [{ type: "text", text: `*Leaks, last ${leaks.days} days*: ${outcomeWords(leaks)}. ${timing}\nBy source: ${sources}.` }];
  const open = leaks.attention.filter((l) => l.state === "unverified" || l.state === "failed");
  if (open.length > 0) {
    blocks.push({
      type: "warning",
      text: `Not revoked, a person must check: ${open
        .slice(0, maxItems)
        .map((l) => `${codeSpan(l.tokenId ?? `sha256:${l.tokenHash.slice(0, 12)}`, 40)} ${OUTCOME_WORDS[l.state]}, open ${formatElapsed(l.openMs ?? 0)}`)
        .join("; ")}.`,
    });
  }
  const slowest = leaks.attention.filter((l) => l.timeToRevokeMs !== null).slice(0, Math.min(5, maxItems));
  if (slowest.length > 0) {
    const rows = slowest.map((l) => [plainText(l.tokenName, 28) || "(unnamed)", l.tokenId ?? "", plainText(l.source, 24), formatInstant(l.firstSeenMs), formatElapsed(l.timeToRevokeMs!)]);
    blocks.push({ type: "text", text: "*Slowest revocations*" }, { type: "code", text: formatTable(["NAME", "ID", "SOURCE", "FIRST SEEN", "TIME TO REVOKE"], rows, 28) });
  }
  return blocks;
}

/** The same summary as data for the signed webhook. */
export function leakPayload(leaks: LeakSummary | undefined) {
  if (!leaks) return undefined;
  return {
    days: leaks.days,
    total: leaks.total,
    by_outcome: Object.fromEntries(leaks.byOutcome.map((o) => [o.state === "claimed" ? "in_progress" : o.state, o.n])),
    by_source: Object.fromEntries(leaks.bySource.map((s) => [s.source, s.n])),
    time_to_revoke: { count: leaks.timeToRevoke.count, median_ms: leaks.timeToRevoke.medianMs, p95_ms: leaks.timeToRevoke.p95Ms, max_ms: leaks.timeToRevoke.maxMs },
    attention: leaks.attention.map((l) => ({
      token_hash: l.tokenHash,
      token_id: l.tokenId,
      token_name: l.tokenName,
      owner_id: l.ownerId,
      source: l.source,
      outcome: l.state === "claimed" ? "in_progress" : l.state,
      first_seen_at: new Date(l.firstSeenMs).toISOString(),
      revoked_at: l.revokedMs !== null && l.state === "revoked" ? new Date(l.revokedMs).toISOString() : null,
      time_to_revoke_ms: l.timeToRevokeMs,
    })),
  };
}
