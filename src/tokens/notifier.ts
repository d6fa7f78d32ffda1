import { codeSpan, plainText } from "../chatops/safe-text";
import { escapeMrkdwn } from "../chatops/slack-render";
import { globalFetch, postJson } from "../outbound/post";
import type { FollowedUpOutcome } from "./leak-follow-up";
import type { LeakOutcome } from "./leak-outcome";
import { formatElapsed } from "./time-to-revoke";

export interface NotifierConfig {
  slackWebhookUrl?: string;
  webhookUrl?: string;
  /** whsec_… secret: outbound notifications are signed with Standard Webhooks so receivers can verify them. */
  webhookSecret?: string;
}

const LABEL: Record<LeakOutcome["status"], string> = {
  revoked: "revoked",
  already_revoked: "already revoked",
  not_live: "not live (false positive or already revoked)",
  queued: "queued for retry (Fastly unreachable or rate-limited)",
  dry_run: "would be revoked (dry run: nothing changed)",
  failed: "FAILED to revoke",
  unverified: "UNVERIFIED: Fastly proved neither revoked nor dead; a person must check it",
  in_progress: "being handled by another report",
};


/** "(Carol User, carol@acme.example)", or why the owner is not known; nothing unless OWNER_IN_NOTIFICATIONS. */
function ownerWords(o: FollowedUpOutcome): string {
  if (!o.owner) return "";
  if (o.owner.unknown) return ` (${escapeMrkdwn(plainText(o.owner.unknown, 120))})`;
  return ` (${escapeMrkdwn([o.owner.name, o.owner.login].filter(Boolean).map((w) => plainText(w, 100)).join(", "))})`;
}

/** "4 min 12 s after first seen", for what was revoked in this invocation. */
function elapsed(o: FollowedUpOutcome): string {
  const ms = o.timing?.timeToRevokeMs;
  return ms === undefined ? "" : ` ${formatElapsed(ms)} after first seen`;
}

/**
 * One Slack mrkdwn line per outcome. Fastly's strings (name, ids, scope, services) are made inert (plainText,
 * then Slack's escapes), so a token named "<!channel> <https://evil.example|Re-authenticate>" pings nobody and
 * links nowhere. Where it leaked comes from the signed report and stays a readable, escaped link target.
 */
function describe(o: FollowedUpOutcome): string {
  const t = o.token;
  const who = t
    ? `*${escapeMrkdwn(plainText(t.name, 100) || "(unnamed)")}* ${escapeMrkdwn(codeSpan(t.id))} owner ${escapeMrkdwn(codeSpan(t.user_id))}${ownerWords(o)}`
    : `token sha256:${o.tokenHash.slice(0, 12)}…`;
  const scope = t?.scope ? ` scope ${escapeMrkdwn(codeSpan(t.scope))}` : "";
  // Unknown (undefined) services, e.g. from a tombstone, say nothing; an empty list means every service.
  const services =
    t?.services === undefined ? "" : t.services.length ? ` services ${escapeMrkdwn(t.services.map((s) => plainText(s, 40)).join(", "))}` : " all services";
  const where = escapeMrkdwn(oneLine([o.context.repository, o.context.url, o.context.alertUrl].filter(Boolean).join(" · ")));
  const attempts = o.attempts ? ` after ${o.attempts} attempts` : "";
  const action = o.status === "failed" || o.status === "unverified" ? ": revoke it by hand" : "";
  const told = o.ownerNotified?.length ? `; owner told by ${o.ownerNotified.map((c) => (c === "email" ? "e-mail" : "Slack DM")).join(" and ")}` : "";
  return `• ${who}${scope}${services}: ${LABEL[o.status]}${elapsed(o)}${attempts}${action}${told}${where ? ` (found at ${where})` : ""}`;
}

/** Line breaks and control characters would start new mrkdwn lines (quotes, lists) inside one outcome. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: flattening control characters is the point
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").slice(0, 300);
}

/** Tokens waiting for a Fastly rate limit to reset: said once, with when they will be retried. */
function rateLimitLine(outcomes: LeakOutcome[]): string {
  const waiting = outcomes.filter((o) => o.retryAt);
  if (waiting.length === 0) return "";
  const last = waiting.map((o) => o.retryAt!).sort().at(-1)!;
  return `${waiting.length} token(s) wait for Fastly's hourly rate limit of their user: queued, retrying by ${last}`;
}

/**
 * Sends one message per batch of outcomes to the configured channels. Outcomes carry ids, names and hashes only;
 * the leaked value never reaches this module. After the follow-up (src/tokens/leak-follow-up.ts) they also carry
 * the time to revoke and, with OWNER_IN_NOTIFICATIONS, the owner's login and name: both reach the Slack text and the
 * signed webhook payload (`timing`, `owner`, `ownerNotified` on each outcome). Delivery failures are logged, never thrown: a notification must
 * not undo or repeat a revocation.
 */
export class Notifier {
  constructor(
    private readonly config: NotifierConfig,
    private readonly fetchFn: typeof fetch = globalFetch,
  ) {}

  get enabled(): boolean {
    return Boolean(this.config.slackWebhookUrl || this.config.webhookUrl);
  }

  async leakOutcomes(outcomes: (LeakOutcome | FollowedUpOutcome)[]): Promise<void> {
    if (outcomes.length === 0 || !this.enabled) return;
    const headline = `Fastly token leak report (${outcomes[0]!.context.source}): ${outcomes.length} token(s)`;
    const text = [headline, rateLimitLine(outcomes), ...outcomes.slice(0, 20).map(describe), outcomes.length > 20 ? `…and ${outcomes.length - 20} more` : ""]
      .filter(Boolean)
      .join("\n");
    await Promise.all([
      this.config.slackWebhookUrl ? this.post(this.config.slackWebhookUrl, { text }, false) : undefined,
      this.config.webhookUrl
        ? this.post(this.config.webhookUrl, { type: "fastly.token.leak", timestamp: new Date().toISOString(), data: { outcomes } }, true)
        : undefined,
    ]);
  }

  private async post(url: string, payload: unknown, sign: boolean): Promise<void> {
    const channel = sign ? "webhook" : "slack";
    await postJson(this.fetchFn, { url, payload, signingSecret: sign ? this.config.webhookSecret : undefined, log: { event: "notify_failed", fields: { channel } } });
  }
}
