import type { Config } from "../config";
import { FastlyClient } from "../fastly";
import type { AuditEntry } from "./audit-entry";
import { failureText } from "./failure";
import type { LeakOutcome } from "./leak-outcome";
import { type Delivery, EmailChannel, FOLLOW_UP_DEADLINE_MS, SlackDmChannel } from "./owner-notice-channels";
import { type LeakTiming, type NoticeItem, type OwnerIdentity, oneLine, renderOwnerNotice } from "./owner-notice-content";
import type { AuditLog } from "./store/audit-log";
import type { InvocationMeter } from "./store/invocation-meter";
import type { SettledTimes } from "./store/ledger";
import { formatElapsed, formatInstant } from "./time-to-revoke";
import { log } from "../log";

/**
 * Subrequests an owner notice never touches: the security notification (2), one queue send, and the calls the
 * surfaces keep back after the workflow (a chat reply needs 2, resolving a GitHub alert 1).
 */
export const RESERVED_CALLS = 5;
/** What one owner costs at most: the user lookup, the e-mail, the Slack lookup and post. */
const LOOKUP_CALLS = 1;
const EMAIL_CALLS = 1;
const SLACK_CALLS = 2;

/** The owner as the security notice and the signed webhook show them (only with OWNER_IN_NOTIFICATIONS). */
export interface OwnerView {
  id: string;
  login?: string;
  name?: string | null;
  /** Why login and name are missing: "not visible to the Worker's token (Fastly 404)", "over the subrequest budget"… */
  unknown?: string;
}

/** Time to revoke, as notifications show it. ISO times; `timeToRevokeMs` only once revoked. */
export interface OutcomeTiming {
  firstSeenAt: string;
  revokedAt?: string;
  timeToRevokeMs?: number;
}

/** An outcome after the follow-up: the same object plus timing, and the owner when configured. */
export interface FollowedUpOutcome extends LeakOutcome {
  timing?: OutcomeTiming;
  owner?: OwnerView;
  /** Owner channels that delivered (e.g. ["email", "slack"]), when any owner channel is on. */
  ownerNotified?: ("email" | "slack")[];
}

export interface LeakFollowUpDeps {
  config: Config;
  meter: InvocationMeter;
  /** The invocation's metered fetch. */
  fetch: typeof fetch;
  audit: AuditLog;
  /** The `send_email` binding, when bound. */
  email?: SendEmail;
}

type Lookup = { ok: true; owner: OwnerIdentity } | { ok: false; reason: string };

interface Who {
  surface: AuditEntry["surface"];
  principal: string;
}

const REVOKED = new Set<LeakOutcome["status"]>(["revoked", "already_revoked"]);
/** Outcomes whose owner is told: revoked ones, and ones a person must still revoke. Never dry runs or non-credentials. */
const TOLD = new Set<LeakOutcome["status"]>(["revoked", "already_revoked", "failed", "unverified"]);
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * What happens after a leak workflow invocation has settled its tokens in the ledger, so it can never delay a
 * revocation: time to revoke (from the settled rows), the owner's identity (`GET /user/{id}` with the Worker's token,
 * once per distinct owner per invocation) and the owner notices (e-mail, Slack DM), each within the invocation's
 * subrequest budget. Anything that goes wrong here is recorded and swallowed: the revocation already happened.
 */
export class LeakFollowUp {
  /** One lookup per owner per invocation, however many of their tokens leaked. */
  private readonly owners = new Map<string, Promise<Lookup>>();

  constructor(private readonly deps: LeakFollowUpDeps) {}

  private get wantsOwner(): boolean {
    const o = this.deps.config.owner;
    return o.inNotifications || o.email.enabled || o.slack.enabled;
  }

  /** Subrequests this step may still spend. */
  private left(): number {
    return this.deps.config.leak.subrequestBudget - this.deps.meter.subrequests - RESERVED_CALLS;
  }

  /**
   * Annotates `outcomes` (this invocation's decisions) with timing and, when configured, the owner, and sends the
   * owner notices. Returns the outcomes to notify the security channel with. Never throws.
   */
  async afterSettlement(outcomes: LeakOutcome[], settled: SettledTimes[], who: Who): Promise<FollowedUpOutcome[]> {
    try {
      return await this.run(outcomes, settled, who);
    } catch (err) {
      log.error("leak_follow_up_failed", { error: err instanceof Error ? err.name : "unknown" });
      return outcomes;
    }
  }

  private async run(outcomes: LeakOutcome[], settled: SettledTimes[], who: Who): Promise<FollowedUpOutcome[]> {
    const rows = new Map(settled.map((r) => [r.token_hash, r]));
    const timings = new Map<string, LeakTiming>();
    const annotated: FollowedUpOutcome[] = outcomes.map((o) => {
      const row = rows.get(o.tokenHash);
      if (!row) return o;
      const timing: LeakTiming = { firstSeenMs: row.first_seen_ms, revokedMs: REVOKED.has(o.status) ? row.revoked_ms : null };
      timings.set(o.tokenHash, timing);
      return { ...o, timing: toOutcomeTiming(timing) };
    });
    const entries: Omit<AuditEntry, "id" | "at">[] = annotated
      .filter((o) => o.timing?.timeToRevokeMs !== undefined)
      .map((o) => ({ ...entryFor(who, o), operation: "leakTimeToRevoke", result: "ok", detail: timingDetail(o, rows.get(o.tokenHash)!) }));

    if (this.wantsOwner) {
      const deadline = AbortSignal.timeout(FOLLOW_UP_DEADLINE_MS);
      const byOwner = new Map<string, FollowedUpOutcome[]>();
      for (const o of annotated) {
        const id = o.token?.user_id;
        if (id && TOLD.has(o.status)) byOwner.set(id, [...(byOwner.get(id) ?? []), o]);
      }
      const lookups = this.lookUp([...byOwner.keys()], deadline);
      const found = new Map(await Promise.all([...lookups].map(async ([id, p]) => [id, await p] as const)));
      const notified = await this.notify(byOwner, found, timings, who, entries, deadline);
      for (const o of annotated) {
        const id = o.token?.user_id;
        const lookup = id ? found.get(id) : undefined;
        if (!id || !lookup) continue;
        if (this.deps.config.owner.inNotifications) o.owner = lookup.ok ? { id, login: lookup.owner.login, name: lookup.owner.name ?? null } : { id, unknown: lookup.reason };
        const channels = notified.get(id);
        if (channels) o.ownerNotified = channels;
      }
    }
    await this.deps.audit.appendMany(entries);
    return annotated;
  }

  /** Starts the lookups this invocation has not made yet, as many as the budget allows; the rest are skipped. */
  private lookUp(ids: string[], deadline: AbortSignal): Map<string, Promise<Lookup>> {
    const token = this.deps.config.fastly.token;
    let allowance = this.left();
    const out = new Map<string, Promise<Lookup>>();
    for (const id of ids) {
      let lookup = this.owners.get(id);
      if (!lookup) {
        if (!token) lookup = Promise.resolve({ ok: false, reason: "not looked up: FASTLY_API_TOKEN is not set" });
        else if (allowance < LOOKUP_CALLS) lookup = Promise.resolve({ ok: false, reason: "not looked up: over this invocation's subrequest budget" });
        else {
          allowance -= LOOKUP_CALLS;
          lookup = this.fetchOwner(token, id, deadline);
        }
        this.owners.set(id, lookup);
      }
      out.set(id, lookup);
    }
    return out;
  }

  private async fetchOwner(token: string, userId: string, deadline: AbortSignal): Promise<Lookup> {
    const { baseUrl, timeoutMs } = this.deps.config.fastly;
    // No retries: a notice is not worth a second subrequest, and the lookup must not hold the invocation for long.
    const client = new FastlyClient({ apiKey: token, baseUrl, timeoutMs, retries: 0, fetch: this.deps.fetch });
    try {
      const user = await client.getUser({ user_id: userId }, { signal: deadline });
      if (!user.login) return { ok: false, reason: "Fastly gave no login for the owner" };
      return { ok: true, owner: { id: userId, login: user.login, name: user.name ?? null, twoFactor: user.two_factor_auth_enabled === true } };
    } catch (err) {
      return { ok: false, reason: failureText(err, "ownerLookup", deadline) };
    }
  }

  /** One notice per owner and channel; returns, per owner, the channels that delivered. Audits every attempt. */
  private async notify(
    byOwner: Map<string, FollowedUpOutcome[]>,
    found: Map<string, Lookup>,
    timings: Map<string, LeakTiming>,
    who: Who,
    entries: Omit<AuditEntry, "id" | "at">[],
    deadline: AbortSignal,
  ): Promise<Map<string, ("email" | "slack")[]>> {
    const { owner: cfg, fastly } = this.deps.config;
    const channels = cfg.email.enabled || cfg.slack.enabled;
    const result = new Map<string, ("email" | "slack")[]>();
    if (!channels) return result;
    const email = this.emailChannel();
    const slack = this.slackChannel();
    let allowance = this.left();
    const jobs: Promise<void>[] = [];
    for (const [id, items] of byOwner) {
      const lookup = found.get(id)!;
      // One entry per owner: with several tokens it names them in the detail instead of one in its columns.
      const single = entryFor(who, items[0]!);
      const base = { ...single, ...(items.length > 1 ? { tokenId: null, tokenName: null, tokenHash: null } : {}), ownerId: id, operation: "leakOwnerNotice" };
      const tokens = `${items.length} token${items.length === 1 ? "" : "s"}: ${items.map((o) => o.token?.id ?? "?").join(", ")}`;
      if (!lookup.ok) {
        entries.push({ ...base, result: "error", detail: `owner not told: ${lookup.reason} — ${tokens}` });
        continue;
      }
      const owner = lookup.owner;
      const notice = renderOwnerNotice(
        owner,
        items.map((o): NoticeItem => ({ outcome: o, ...(timings.has(o.tokenHash) ? { timing: timings.get(o.tokenHash)! } : {}) })),
        { fastlyBaseUrl: fastly.baseUrl, contact: cfg.contact },
      );
      const canEmail = EMAIL_ADDRESS.test(owner.login);
      // Each channel: on and configured, an address to reach, room in the budget; else why it was not sent.
      const plan = (channel: Delivery["channel"], enabled: boolean, sender: { send(): Promise<Delivery> } | string, cost: number): Promise<Delivery> | Delivery | null => {
        if (!enabled) return null;
        const skipped = (why: string): Delivery => ({ channel, ok: false, detail: `${channel === "email" ? "e-mail" : "Slack DM"} not sent: ${why}` });
        if (typeof sender === "string") return skipped(sender);
        if (!canEmail) return skipped("the owner's login is not an e-mail address");
        if (allowance < cost) return skipped("over this invocation's subrequest budget");
        allowance -= cost;
        return sender.send();
      };
      const planned = [
        plan("email", cfg.email.enabled, typeof email === "string" ? email : { send: () => this.sendEmail(email, owner.login, notice.subject, notice.text, deadline) }, EMAIL_CALLS),
        plan("slack", cfg.slack.enabled, typeof slack === "string" ? slack : { send: () => slack.send(owner.login, notice.slackText, deadline) }, SLACK_CALLS),
      ].filter((d): d is Promise<Delivery> | Delivery => d !== null);
      jobs.push(
        Promise.all(planned).then((deliveries) => {
          const ok = deliveries.filter((d) => d.ok).map((d) => d.channel);
          if (ok.length) result.set(id, ok);
          const named = `owner ${oneLine(owner.login, 120)}${owner.name ? ` (${oneLine(owner.name, 80)})` : ""}`;
          entries.push({ ...base, result: deliveries.every((d) => d.ok) ? "ok" : "error", detail: `${named}: ${deliveries.map((d) => d.detail).join("; ")} — ${tokens}` });
          for (const d of deliveries) if (!d.ok) log.warn("owner_notice_failed", { channel: d.channel });
        }),
      );
    }
    await Promise.all(jobs);
    return result;
  }

  /** The binding is no fetch, so the meter is told: a Cloudflare service call counts against the same budget. */
  private sendEmail(channel: EmailChannel, to: string, subject: string, text: string, deadline: AbortSignal): Promise<Delivery> {
    this.deps.meter.subrequests += EMAIL_CALLS;
    return channel.send(to, subject, text, deadline);
  }

  /** The e-mail channel, or why there is none. */
  private emailChannel(): EmailChannel | string {
    const cfg = this.deps.config.owner;
    if (cfg.email.missing) return `${cfg.email.missing} is not set`;
    if (!this.deps.email) return "the OWNER_EMAIL binding is missing";
    const replyTo = EMAIL_ADDRESS.test(cfg.contact) ? cfg.contact : undefined;
    return new EmailChannel(this.deps.email, cfg.email.from!, replyTo);
  }

  private slackChannel(): SlackDmChannel | string {
    const cfg = this.deps.config.owner.slack;
    if (cfg.missing) return `${cfg.missing} is not set`;
    return new SlackDmChannel(cfg.apiBaseUrl, cfg.botToken!, this.deps.fetch);
  }
}

function toOutcomeTiming(t: LeakTiming): OutcomeTiming {
  const out: OutcomeTiming = { firstSeenAt: new Date(t.firstSeenMs).toISOString() };
  if (t.revokedMs !== null) {
    out.revokedAt = new Date(t.revokedMs).toISOString();
    out.timeToRevokeMs = Math.max(0, t.revokedMs - t.firstSeenMs);
  }
  return out;
}

function entryFor(who: Who, o: LeakOutcome): Omit<AuditEntry, "id" | "at" | "operation" | "result"> {
  return {
    surface: who.surface,
    principal: who.principal,
    tokenId: o.token?.id ?? null,
    tokenName: o.token?.name ?? null,
    ownerId: o.token?.user_id ?? null,
    customerId: o.token?.customer_id ?? null,
    tokenHash: o.tokenHash,
  };
}

/** "time to revoke 4 min 12 s: first seen 2026-07-01 10:00 UTC (the report's own date), revoked 2026-07-01 10:04 UTC". */
function timingDetail(o: FollowedUpOutcome, row: SettledTimes): string {
  const basis = row.first_seen_ms < row.reported_ms ? (o.context.source === "github_alert" ? "the GitHub alert's created_at" : "the report's own date") : "receipt of the report";
  return `time to revoke ${formatElapsed(o.timing!.timeToRevokeMs!)}: first seen ${formatInstant(row.first_seen_ms)} (${basis}), revoked ${formatInstant(row.revoked_ms!)} — ${o.context.source}`;
}
