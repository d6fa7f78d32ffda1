import type { Block, ChatMessage } from "../chatops/message";
import { codeSpan, plainText } from "../chatops/safe-text";
import { formatTable } from "../chatops/table";
import { formatDate, plural, relativeTime } from "../chatops/time";
import type { TokenResponse } from "../fastly/schemas";
import type { LeakSummary } from "../tokens/leak-summary";
import { parseTime, tokenScopes, tokenServices } from "../tokens/token-facts";
import { leakBlocks, leakPayload, leaksHaveNews } from "./digest-leaks";
import { describeFinding, FINDING_LABELS, type FindingClass, type HygieneReport } from "./classify";
import type { Inventory } from "./inventory";
import { type PolicyOutcome, policyHasNews } from "./stale-policy";

export const DIGEST_EVENT_TYPE = "fastly.token.digest";
export const DIGEST_FAILED_EVENT_TYPE = "fastly.token.digest_failed";
/** The webhook payload lists at most this many tokens; chat digests list `maxItems`. */
export const WEBHOOK_MAX_ITEMS = 200;

export interface DigestContext {
  now: Date;
  inventory: Pick<Inventory, "customerId" | "coverage">;
  maxItems: number;
  /** The last 30 days of leaks (the dashboard's Leaks view), when the ledger could be read. */
  leaks?: LeakSummary;
}

/** Whether a digest is worth sending: any finding in the reported classes, anything from the policy, or leak news. */
export function digestHasNews(report: HygieneReport, policy: PolicyOutcome | null, leaks?: LeakSummary): boolean {
  return report.items.length > 0 || policyHasNews(policy) || leaksHaveNews(leaks);
}

/** "2026-07-14"; "never" without a date; "unknown" when unreadable. */
export function formatDay(iso: string | null | undefined): string {
  if (!iso) return "never";
  const t = parseTime(iso);
  return t === undefined ? "unknown" : new Date(t).toISOString().slice(0, 10);
}

/** "2026-07-14 (in 2 days)" — a date a person can act on and how far away it is. */
function dated(iso: string | null | undefined, now: Date): string {
  if (!iso) return "never";
  const day = formatDay(iso);
  return day === "unknown" ? day : `${day} (${relativeTime(iso, now)})`;
}

const tokenLine = (t: TokenResponse, now: Date, extra = "") =>
  `• ${codeSpan(t.name || "(unnamed)", 60)} ${codeSpan(t.id, 40)} owner ${codeSpan(t.user_id, 40)}, last used ${dated(t.last_used_at, now)}${extra}`;

/**
 * The digest as a platform-neutral chat message: counts per class, the most urgent tokens with owner and dates,
 * and what the stale-token policy would do or did. Translate with toSlackMessage / toDiscordMessage.
 */
export function renderDigest(report: HygieneReport, policy: PolicyOutcome | null, ctx: DigestContext): ChatMessage {
  const { now } = ctx;
  const n = report.items.length;
  const title = n === 0 ? "Fastly token hygiene: all clear" : `Fastly token hygiene: ${plural(n, "token")} need${n === 1 ? "s" : ""} attention`;
  const where =
    ctx.inventory.coverage === "customer"
      ? `customer ${codeSpan(ctx.inventory.customerId)}`
      : "the Worker's own Fastly user only (its token cannot list the whole customer)";
  const blocks: Block[] = [
    { type: "header", text: title },
    { type: "context", text: `${plural(report.totalTokens, "token")} of ${where} · ${formatDate(report.generatedAt)}` },
    { type: "fields", fields: report.classes.map((c) => ({ label: FINDING_LABELS[c], value: String(report.counts[c]) })) },
  ];
  if (n > 0) {
    const shown = report.items.slice(0, ctx.maxItems);
    const rows = shown.map(({ token, findings }) => [
      plainText(token.name, 28) || "(unnamed)",
      token.id ?? "",
      token.user_id ?? "",
      findings.join(" "),
      formatDay(token.expires_at),
      formatDay(token.last_used_at),
    ]);
    blocks.push(
      { type: "text", text: `*Most urgent${n > shown.length ? ` (${shown.length} of ${n})` : ""}*` },
      { type: "code", text: formatTable(["NAME", "ID", "OWNER", "FINDINGS", "EXPIRES", "LAST USED"], rows, 28) },
    );
    const soonest = shown.find((i) => i.findings.includes("expiring"));
    if (soonest) {
      blocks.push({
        type: "warning",
        text: `${codeSpan(soonest.token.name || soonest.token.id, 60)} expires ${dated(soonest.token.expires_at, now)}: rotate it before whatever uses it breaks.`,
      });
    }
  }
  blocks.push(...policyBlocks(policy, now));
  blocks.push(...leakBlocks(ctx.leaks, ctx.maxItems));
  blocks.push({ type: "context", text: legend(report.classes, report) });
  const text =
    n === 0
      ? `Fastly token hygiene: all clear (${plural(report.totalTokens, "token")}).`
      : `Fastly token hygiene: ${report.classes
          .filter((c) => report.counts[c] > 0)
          .map((c) => `${report.counts[c]} ${FINDING_LABELS[c].toLowerCase()}`)
          .join(", ")}.`;
  return { text, visibility: "in_channel", blocks };
}

function policyBlocks(policy: PolicyOutcome | null, now: Date): Block[] {
  if (!policy || policy.mode === "off") return [];
  const { selection, afterDays } = policy;
  const blocks: Block[] = [];
  const unused = `unused for ${afterDays}+ days`;
  if (policy.mode === "report" || policy.dryRun) {
    const why = policy.mode === "report" ? "report only: STALE_POLICY=report" : "dry run: DRY_RUN=true";
    blocks.push({
      type: "text",
      text:
        selection.candidates.length === 0
          ? `*Stale-token policy* (${why}): no token is ${unused}.`
          : `*Stale-token policy* (${why}): would revoke ${plural(selection.candidates.length, "token")} ${unused}. Nothing was revoked.\n${selection.candidates.map((t) => tokenLine(t, now)).join("\n")}`,
    });
  } else {
    if (policy.revoked.length > 0) {
      blocks.push({
        type: "text",
        text: `*Stale-token policy*: revoked ${plural(policy.revoked.length, "token")} ${unused}.\n${policy.revoked.map((t) => tokenLine(t, now)).join("\n")}`,
      });
    } else if (policy.failed.length === 0) {
      blocks.push({ type: "text", text: `*Stale-token policy*: no token is ${unused}; nothing was revoked.` });
    }
    if (policy.failed.length > 0) {
      blocks.push({
        type: "warning",
        text: `Not revoked:\n${policy.failed.map((f) => tokenLine(f.token, now, `: ${plainText(f.reason, 200)}`)).join("\n")}`,
      });
    }
  }
  if (selection.deferred.length > 0) {
    blocks.push({ type: "context", text: `${plural(selection.deferred.length, "more stale token")} wait for the next run (STALE_MAX_REVOCATIONS).` });
  }
  if (selection.protected.length > 0) {
    const names = selection.protected.map(
      (p) => `${codeSpan(p.token.name || p.token.id, 60)} (${p.reason === "own_token" ? "the Worker's own token" : "exempt"})`,
    );
    blocks.push({ type: "context", text: `Stale but never revoked by policy: ${names.join(", ")}.` });
  }
  return blocks;
}

function legend(classes: FindingClass[], report: HygieneReport): string {
  const parts = classes.filter((c) => report.counts[c] > 0).map((c) => `${c} = ${describeFinding(c, report.thresholds)}`);
  return parts.length > 0 ? `${parts.join("; ")}.` : "No token falls into any reported class.";
}

/** What the signed webhook receives: everything in the chat digest, as data. Ids, names and dates; never a secret. */
export function digestPayload(report: HygieneReport, policy: PolicyOutcome | null, ctx: DigestContext) {
  const summary = (t: TokenResponse) => ({
    id: t.id ?? null,
    name: t.name ?? null,
    user_id: t.user_id ?? null,
    scope: tokenScopes(t).join(" "),
    services: tokenServices(t),
    created_at: t.created_at ?? null,
    last_used_at: t.last_used_at ?? null,
    expires_at: t.expires_at ?? null,
  });
  return {
    type: DIGEST_EVENT_TYPE,
    timestamp: ctx.now.toISOString(),
    data: {
      customer_id: ctx.inventory.customerId,
      coverage: ctx.inventory.coverage,
      total_tokens: report.totalTokens,
      thresholds: { expiring_days: report.thresholds.expiringDays, unused_days: report.thresholds.unusedDays },
      classes: report.classes,
      counts: Object.fromEntries(report.classes.map((c) => [c, report.counts[c]])),
      items: report.items.slice(0, WEBHOOK_MAX_ITEMS).map((i) => ({ ...summary(i.token), findings: i.findings })),
      more_items: Math.max(0, report.items.length - WEBHOOK_MAX_ITEMS),
      policy:
        !policy || policy.mode === "off"
          ? { mode: "off" }
          : {
              mode: policy.mode,
              after_days: policy.afterDays,
              dry_run: policy.mode === "report" || policy.dryRun,
              candidates: policy.selection.candidates.map(summary),
              revoked: policy.revoked.map(summary),
              failed: policy.failed.map((f) => ({ ...summary(f.token), reason: f.reason })),
              deferred: policy.selection.deferred.length,
              protected: policy.selection.protected.map((p) => ({ id: p.token.id ?? null, reason: p.reason })),
            },
      ...(ctx.leaks ? { leaks: leakPayload(ctx.leaks) } : {}),
    },
  };
}

/** Sent instead of a digest when the tokens could not be listed, so silence is never mistaken for "all clear". */
export function renderFailureDigest(reason: string, now: Date): { message: ChatMessage; payload: unknown } {
  const safe = plainText(reason, 300);
  return {
    message: {
      text: `Fastly token hygiene check failed: ${safe}`,
      visibility: "in_channel",
      blocks: [
        { type: "header", text: "Fastly token hygiene check failed" },
        { type: "warning", text: `The tokens could not be checked: ${safe}. No token was revoked.` },
        { type: "context", text: `${formatDate(now.toISOString())} · the next scheduled run tries again.` },
      ],
    },
    payload: { type: DIGEST_FAILED_EVENT_TYPE, timestamp: now.toISOString(), data: { reason: safe } },
  };
}
