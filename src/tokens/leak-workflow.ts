import type { Config } from "../config";
import { seal, unseal } from "../crypto/seal";
import { sha256Hex } from "../crypto/hash";
import { GitHubApiError, type GitHubAlertsClient } from "../github/alerts-client";
import { type AuditEntry, type AuditResult, type Surface, tokenFields } from "./audit-entry";
import { failureText } from "./failure";
import { RevocationPlan, type Verdict } from "./leak-revocation";
import type { LeakContext, LeakOutcome, LeakStatus, TokenSummary } from "./leak-outcome";
import type { Notifier } from "./notifier";
import type { GitHubAlertJob, QueuedToken, RevocationJob, TokensJob } from "./revocation-job";
import type { AuditLog } from "./store/audit-log";
import type { InvocationMeter } from "./store/invocation-meter";
import type { LeakFollowUp } from "./leak-follow-up";
import type { LedgerRow, RevocationLedger, Settlement } from "./store/ledger";
import type { TokenService } from "./token-service";
import { log } from "../log";

/** Calls kept back in every invocation for notifications (Slack and the signed webhook). */
const NOTIFY_CALLS = 2;
/** Calls an invocation spends besides one read per token: the Worker's own customer, a bulk revocation, a queue send. */
const FIXED_CALLS = 3;
/** Messages per queue `sendBatch` call (Queues' own limit). */
const SEND_BATCH = 100;
/**
 * Tokens packed into one queue message: as many as one consumer invocation can revoke with `budget` subrequests
 * when they are bulk-revocable (one read each; 45 on the free plan's 50), and the consumer takes one message per
 * batch (wrangler.toml), so a message is one invocation's work; what does not fit (tokens revoked one by one cost a
 * write each) goes back to the queue as a new message. A delivered message costs about three queue operations
 * whatever it holds, so a 1,000-token alert costs ~70 operations instead of ~3,000 (the free plan has 10,000 a
 * day). A sealed token is ~200 bytes: 100 stay far below the 128 KB message limit.
 */
export function tokensPerMessage(budget: number): number {
  return Math.max(1, Math.min(100, budget - NOTIFY_CALLS - FIXED_CALLS));
}
/** How long a queued token waits when another invocation still holds its claim. */
const CLAIM_WAIT_SECONDS = 60;

export interface LeakWorkflowDeps {
  config: Config;
  tokens: TokenService;
  ledger: RevocationLedger;
  audit: AuditLog;
  notifier: Notifier;
  meter: InvocationMeter;
  queue?: Queue<RevocationJob>;
  github?: GitHubAlertsClient;
  /** Time to revoke and the owner notices, after settlement (src/tokens/leak-follow-up.ts). */
  followUp?: LeakFollowUp;
  now?: () => Date;
  random?: () => number;
}

/** An item to try again after `delaySeconds`. */
interface Retry {
  item: Item;
  delaySeconds: number;
  unverified?: boolean;
  /** Left for the queue because this invocation's budget ran out (not a failure, not an attempt). */
  overBudget?: boolean;
}

interface Who {
  surface: Surface;
  principal: string;
}

/** One reported value on its way through an invocation. */
interface Item {
  raw: string;
  tokenHash: string;
  context: LeakContext;
  /** Attempts so far (queue retries); 0 for a fresh report. */
  attempts: number;
  /** Delivered by the queue: its first sighting was notified already, and only the queue can retry it. */
  fromQueue?: boolean;
}

/**
 * The leak workflow (core), built on TokenService: prove a reported value live with the value itself, revoke it as
 * itself, fall back to revoking by id with the Worker's token. The revocation ledger (D1) decides who handles a
 * value: one atomic claim per report, so concurrent reports of one token cause one revocation and one notification.
 * Retryable failures go to the `revocations` queue, sealed and packed several to a message.
 */
export class LeakWorkflow {
  private readonly now: () => Date;
  private readonly random: () => number;
  /** Audit entries of this invocation, written in one query when it settles. */
  private pendingAudit: Omit<AuditEntry, "id" | "at">[] = [];

  constructor(private readonly deps: LeakWorkflowDeps) {
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
  }

  /** Whether what cannot be revoked inline can be queued (the binding is there). */
  get canQueue(): boolean {
    return this.deps.queue !== undefined;
  }

  /**
   * Handles one report: claims its values in the ledger, revokes as many of the won ones inline as the subrequest
   * budget allows (see RevocationPlan), queues the rest (and any that fail retryably), answers the others from the
   * ledger, and sends one notification for what this invocation decided.
   */
  async report(items: { raw: string; context: LeakContext }[], opts: Who & { budget: number }): Promise<LeakOutcome[]> {
    const unique = new Map<string, Item>();
    for (const { raw, context } of items) {
      const tokenHash = await sha256Hex(raw);
      if (!unique.has(tokenHash)) unique.set(tokenHash, { raw, tokenHash, context, attempts: 0 });
    }
    const { outcomes, retry, notify } = await this.process([...unique.values()], opts, opts.budget - this.deps.meter.subrequests);
    try {
      await this.enqueue(retry);
    } finally {
      // What was revoked is told even if queueing the rest failed (the sender's retry finds it settled, and a
      // value answered from the ledger is never notified again).
      await this.deps.notifier.leakOutcomes(notify);
    }
    this.logInvocation(opts.surface, unique.size, retry.length);
    return [...unique.keys()].map((hash) => outcomes.get(hash)!);
  }

  /**
   * The shared core of a report and a queue batch: an outcome per item, and the items to try again (with their
   * delay). Items answered from the ledger (settled elsewhere, or claimed by a concurrent invocation) are neither
   * audited as new work nor notified, so a repeat never double-revokes or double-notifies.
   */
  private async process(items: Item[], who: Who, budget: number): Promise<{ outcomes: Map<string, LeakOutcome>; retry: Retry[]; notify: LeakOutcome[] }> {
    const nowMs = this.now().getTime();
    const won = await this.deps.ledger.claim(
      items.map((i) => ({ tokenHash: i.tokenHash, firstSeenMs: firstSeenMs(i.context, nowMs), source: i.context.source })),
      nowMs,
    );
    const outcomes = new Map<string, LeakOutcome>();
    const lost = items.filter((i) => !won.has(i.tokenHash));
    const rows = await this.deps.ledger.get(lost.map((i) => i.tokenHash));
    const toRequeue: Retry[] = [];
    for (const item of lost) {
      const outcome = answerFromLedger(item, rows.get(item.tokenHash));
      outcomes.set(item.tokenHash, outcome);
      // Someone else holds the claim: if that invocation dies, only a retry brings the token back.
      if (outcome.status === "in_progress" && item.fromQueue) toRequeue.push({ item, delaySeconds: CLAIM_WAIT_SECONDS });
    }

    const mine = items.filter((i) => won.has(i.tokenHash));
    const start = this.deps.meter.subrequests;
    const verdicts = await new RevocationPlan({
      tokens: this.deps.tokens,
      dryRun: this.deps.config.dryRun,
      budget,
      spent: () => this.deps.meter.subrequests - start,
      reserve: NOTIFY_CALLS + 1, // the notification, and one queue send for what does not fit
      bulkMax: this.deps.config.leak.bulkMax,
      workerKey: Boolean(this.deps.config.fastly.token),
      now: this.now,
      backoff: (attempts) => this.backoff(attempts),
    }).run(mine);
    const settlements: Settlement[] = [];
    const decided: LeakOutcome[] = [];
    let overBudget = 0;
    for (const item of mine) {
      const verdict = verdicts.get(item.tokenHash)!;
      const base = { tokenHash: item.tokenHash, context: item.context, ...(item.attempts > 0 ? { attempts: item.attempts + 1 } : {}) };
      let outcome: LeakOutcome;
      if (verdict.kind === "done") {
        outcome = { ...base, status: verdict.status, ...(verdict.token ? { token: verdict.token } : {}), ...(verdict.via ? { via: verdict.via } : {}), ...(verdict.detail && verdict.status === "failed" ? { detail: verdict.detail } : {}) };
        this.audit(who, "leakRevoke", verdict.audit, base, verdict.token, verdict.detail);
      } else if (verdict.overBudget) {
        // Over budget: queued without a per-token audit entry; each gets one when the consumer settles it.
        overBudget++;
        toRequeue.push({ item, delaySeconds: 0, overBudget: true });
        outcome = { ...base, status: "queued", detail: verdict.reason };
      } else {
        outcome = this.later(item, verdict, who, toRequeue);
      }
      outcomes.set(item.tokenHash, outcome);
      // A queued token that only waits again (or stays unverified) says nothing new: its first sighting was notified.
      if (!(item.fromQueue && (outcome.status === "queued" || outcome.status === "unverified"))) decided.push(outcome);
      settlements.push(settlementOf(outcome));
    }
    if (overBudget > 0) {
      this.audit(who, "leakQueue", "queued", undefined, undefined, `${overBudget} reported tokens queued: over this invocation's subrequest budget`);
    }
    const [settled] = await Promise.all([this.deps.ledger.settle(settlements, this.now().getTime()), this.flushAudit()]);
    // After settlement, so it never delays a revocation: time to revoke, the owner's identity and the owner notices.
    const notify = this.deps.followUp ? await this.deps.followUp.afterSettlement(decided, settled, who) : decided;
    return { outcomes, retry: toRequeue, notify };
  }

  /** A retryable failure: try again later. After the queue's last retry the dead-letter consumer settles it. */
  private later(item: Item, verdict: Extract<Verdict, { kind: "later" }>, who: Who, toRequeue: Retry[]): LeakOutcome {
    const attempts = item.attempts + 1;
    const base = { tokenHash: item.tokenHash, context: item.context, ...(item.attempts > 0 ? { attempts } : {}) };
    toRequeue.push({ item: { ...item, attempts }, delaySeconds: verdict.delaySeconds, unverified: verdict.unverified });
    // Loud from the first time when unverified: a person may want to look before the retries run out.
    this.audit(who, "leakRevoke", verdict.unverified ? "unverified" : "queued", base, undefined, verdict.reason);
    return { ...base, status: verdict.unverified ? "unverified" : "queued", detail: verdict.reason, ...(verdict.retryAt ? { retryAt: verdict.retryAt } : {}) };
  }

  /**
   * Queue consumer for `revocations`. A message holds several tokens (or one GitHub alert). A message any of whose
   * tokens needs another try is retried whole, with the longest delay its tokens ask for: the tokens it did settle
   * are answered from the ledger next time, so a retry never revokes or notifies twice. After `max_retries` the
   * message goes to the dead-letter queue. Tokens beyond this invocation's budget wait in their message.
   */
  async consume(batch: MessageBatch<RevocationJob>): Promise<void> {
    const who = { surface: "queue" as const, principal: "queue:revocations" };
    const byMessage = new Map<Message<RevocationJob>, Item[]>();
    const notify: LeakOutcome[] = [];
    const budget = this.deps.config.leak.subrequestBudget;
    let tokens = 0;
    for (const msg of batch.messages) {
      if (msg.body.kind === "github_alert") {
        notify.push(...(await this.consumeAlert(msg)));
        continue;
      }
      const items: Item[] = [];
      for (const queued of jobTokens(msg.body)) {
        const raw = await this.open(queued);
        if (raw === null) {
          // Undecryptable (secret rotated or tampered): retrying can't help; record and drop.
          const base = { tokenHash: queued.tokenHash, context: queued.context, attempts: msg.attempts };
          this.audit(who, "leakRevoke", "failed", base, queued.token, "sealed token could not be opened");
          notify.push({ ...base, status: "failed", detail: "sealed token could not be opened" });
          continue;
        }
        items.push({ raw, tokenHash: queued.tokenHash, context: queued.context, attempts: (queued.attempts ?? 0) + msg.attempts - 1, fromQueue: true });
      }
      byMessage.set(msg, items);
    }
    for (const [msg, items] of byMessage) {
      const left = budget - this.deps.meter.subrequests;
      try {
        const { retry, notify: decided } = items.length ? await this.process(items, who, left) : { retry: [], notify: [] };
        notify.push(...decided);
        tokens += items.length;
        const failed = retry.filter((r) => !r.overBudget);
        // A failure retries the whole message (what it settled is answered from the ledger next time, and what did
        // not fit comes along); otherwise what did not fit goes back as a new message and this one is done.
        if (failed.length > 0) msg.retry({ delaySeconds: Math.max(...failed.map((r) => r.delaySeconds), 1) });
        else {
          await this.enqueue(retry);
          msg.ack();
        }
      } catch (err) {
        log.error("queue_message_failed", { error: err instanceof Error ? err.name : "unknown" });
        msg.retry({ delaySeconds: this.backoff(msg.attempts) });
      }
    }
    await this.flushAudit();
    // One notification for the whole batch.
    await this.deps.notifier.leakOutcomes(notify);
    this.logInvocation("queue", tokens, 0);
  }

  /**
   * A GitHub alert: fetch it for its secret, revoke, then resolve the alert as `revoked` with a comment naming the
   * token by id and name. Alerts already resolved, or of a secret type we do not handle, are skipped.
   */
  private async consumeAlert(msg: Message<RevocationJob>): Promise<LeakOutcome[]> {
    const job = msg.body as GitHubAlertJob;
    const github = this.deps.github;
    const who = { surface: "leak" as const, principal: `github:${job.repository}` };
    try {
      if (!github) throw new Error("GITHUB_TOKEN is not configured");
      const alert = await github.getAlert(job.repository, job.alertNumber);
      if (alert.state !== "open" || !alert.secret) {
        msg.ack();
        return [];
      }
      const context: LeakContext = { ...job.context, alertUrl: alert.html_url ?? job.context.alertUrl, firstSeenAt: alert.created_at ?? job.context.firstSeenAt };
      const item = { raw: alert.secret, tokenHash: await sha256Hex(alert.secret), context, attempts: msg.attempts - 1, fromQueue: true };
      const { outcomes, retry, notify } = await this.process([item], who, this.deps.config.leak.subrequestBudget - this.deps.meter.subrequests - 1);
      if (retry.length > 0) {
        msg.retry({ delaySeconds: Math.max(...retry.map((r) => r.delaySeconds), 1) });
        return notify;
      }
      const outcome = outcomes.get(item.tokenHash)!;
      if (outcome.status === "revoked" || outcome.status === "already_revoked") {
        const t = outcome.token;
        const comment = `Fastly token ${t?.name ? `"${t.name}" ` : ""}(id ${t?.id ?? "unknown"}) revoked by fastly-token-webhooks.`;
        try {
          await github.resolveAlert(job.repository, job.alertNumber, comment);
        } catch (err) {
          // The token is dead; only the alert bookkeeping failed. Record it rather than retry the revocation.
          this.audit(who, "leakRevoke", "error", outcome, t, `could not resolve the GitHub alert: ${(err as Error).message}`);
        }
      }
      msg.ack();
      return notify;
    } catch (err) {
      // Only a permanent answer from GitHub (or a missing setting) drops the alert; anything else (GitHub or storage
      // failing) retries it, and what keeps failing reaches the dead-letter queue.
      const permanent = (err instanceof GitHubApiError && !err.retryable) || (err instanceof Error && /not configured/.test(err.message));
      if (!permanent) {
        msg.retry({ delaySeconds: this.backoff(msg.attempts) });
        return [];
      }
      const base = { tokenHash: "unknown", context: job.context, attempts: msg.attempts };
      this.audit(who, "leakRevoke", "failed", base, undefined, failureText(err, "revocation"));
      msg.ack();
      return [{ ...base, status: "failed", detail: failureText(err, "revocation") }];
    }
  }

  /**
   * Dead-letter consumer: messages that still had tokens to try after every retry. Tokens the ledger shows settled
   * (a later report revoked them, say) are left alone; the rest are recorded `failed` (or `unverified`), audited and
   * notified loudly for a person.
   */
  async consumeDeadLetters(batch: MessageBatch<RevocationJob>, maxAttempts: number): Promise<void> {
    const who = { surface: "queue" as const, principal: "queue:revocations-dlq" };
    const outcomes: LeakOutcome[] = [];
    const settlements: Settlement[] = [];
    const queuedTokens = batch.messages.flatMap((m) => jobTokens(m.body));
    const rows = await this.deps.ledger.get(queuedTokens.map((q) => q.tokenHash));
    for (const msg of batch.messages) {
      const job = msg.body;
      if (job.kind === "github_alert") {
        const outcome: LeakOutcome = { status: "failed", tokenHash: "unknown", context: job.context, attempts: maxAttempts };
        this.audit(who, "leakRevoke", "failed", outcome, undefined, `GitHub alert ${job.repository}#${job.alertNumber} not revoked after ${maxAttempts} attempts`);
        outcomes.push(outcome);
      } else {
        for (const queued of jobTokens(job)) {
          const row = rows.get(queued.tokenHash);
          if (row && (row.state === "revoked" || row.state === "not_live")) continue;
          const status = row?.state === "unverified" ? "unverified" : "failed";
          const outcome: LeakOutcome = { status, tokenHash: queued.tokenHash, context: queued.context, attempts: maxAttempts };
          if (queued.token) outcome.token = queued.token;
          this.audit(who, "leakRevoke", status, outcome, queued.token, `token not revoked after ${maxAttempts} attempts`);
          settlements.push({ tokenHash: queued.tokenHash, state: status, detail: "dead-lettered" });
          outcomes.push(outcome);
        }
      }
    }
    // Acknowledged only once recorded: if the ledger or the audit fails, the messages come back.
    await Promise.all([this.deps.ledger.settle(settlements, this.now().getTime()), this.flushAudit()]);
    for (const msg of batch.messages) msg.ack();
    await this.deps.notifier.leakOutcomes(outcomes);
  }

  /** Queues jobs that need no secret (GitHub alerts): the intake acknowledges at once. */
  async enqueueAlert(job: GitHubAlertJob): Promise<void> {
    await this.send([{ body: job }]);
  }

  /** Packs tokens into messages; tokens with the same delay share messages. */
  private async enqueue(entries: Retry[]): Promise<void> {
    if (entries.length === 0) return;
    const secret = this.deps.config.leak.sealSecret;
    if (!secret) throw new Error("SEAL_SECRET is not configured");
    // Sorted by delay and cut into messages, each waiting as long as its longest-waiting token: a rate-limited token
    // (minutes) never holds back ones that can go now.
    const sorted = [...entries].sort((a, b) => a.delaySeconds - b.delaySeconds);
    const perMessage = tokensPerMessage(this.deps.config.leak.subrequestBudget);
    const messages: MessageSendRequest<RevocationJob>[] = [];
    for (let i = 0; i < sorted.length; i += perMessage) {
      const chunk = sorted.slice(i, i + perMessage);
      const tokens = await Promise.all(
        chunk.map(async ({ item }): Promise<QueuedToken> => ({ sealedToken: await seal(secret, item.raw), tokenHash: item.tokenHash, context: item.context, attempts: item.attempts })),
      );
      const body: TokensJob = { kind: "tokens", tokens };
      const delaySeconds = chunk.at(-1)!.delaySeconds;
      messages.push(delaySeconds > 0 ? { body, delaySeconds } : { body });
    }
    await this.send(messages);
  }

  private async send(messages: MessageSendRequest<RevocationJob>[]): Promise<void> {
    if (!this.deps.queue) throw new Error("the REVOCATIONS queue is not bound");
    for (let i = 0; i < messages.length; i += SEND_BATCH) {
      this.deps.meter.subrequests++;
      await this.deps.queue.sendBatch(messages.slice(i, i + SEND_BATCH));
    }
  }

  private async open(queued: QueuedToken): Promise<string | null> {
    const secret = this.deps.config.leak.sealSecret;
    if (!secret) return null;
    try {
      return await unseal(secret, queued.sealedToken);
    } catch {
      return null;
    }
  }

  /** One structured line per invocation: how many tokens, how many queued, what it spent of the platform's budgets. */
  private logInvocation(surface: string, tokens: number, queued: number): void {
    log.info("leak_invocation", { surface, tokens, queued, ...this.deps.meter.snapshot() });
  }

  private backoff(attempts: number): number {
    const backoff = Math.min(10 * 2 ** attempts, 900);
    return Math.max(1, Math.ceil(backoff * (0.5 + this.random() / 2)));
  }

  private audit(who: Who, operation: string, result: AuditResult, base: Pick<LeakOutcome, "tokenHash" | "context"> | undefined, token: TokenSummary | undefined, detail?: string): void {
    const where = base ? [base.context.source, base.context.repository, base.context.url].filter(Boolean).join(" ") : "";
    this.pendingAudit.push({
      surface: who.surface,
      principal: who.principal,
      operation,
      result,
      ...tokenFields(token),
      ...(base && base.tokenHash !== "unknown" ? { tokenHash: base.tokenHash } : {}),
      detail: [detail, where].filter(Boolean).join(" — "),
    });
  }

  private async flushAudit(): Promise<void> {
    const entries = this.pendingAudit;
    this.pendingAudit = [];
    await this.deps.audit.appendMany(entries);
  }
}

/** Old single-token messages (queued before packing) and packed ones alike. */
function jobTokens(job: RevocationJob): QueuedToken[] {
  if (job.kind === "tokens") return job.tokens;
  if (job.kind === "token") return [{ sealedToken: job.sealedToken, tokenHash: job.tokenHash, context: job.context, ...(job.token ? { token: job.token } : {}) }];
  return [];
}

/** What the ledger says about a value this invocation did not win. */
function answerFromLedger(item: Item, row: LedgerRow | undefined): LeakOutcome {
  const base = { tokenHash: item.tokenHash, context: item.context };
  const token: TokenSummary | undefined = row?.token_id
    ? { id: row.token_id, name: row.token_name, ...(row.owner_id ? { user_id: row.owner_id } : {}), ...(row.customer_id ? { customer_id: row.customer_id } : {}) }
    : undefined;
  const status: LeakStatus = row?.state === "revoked" ? "already_revoked" : row?.state === "not_live" ? "not_live" : "in_progress";
  return { ...base, status, ...(token ? { token } : {}), detail: status === "in_progress" ? "another report of this token is being handled" : "answered from the revocation ledger" };
}

function settlementOf(o: LeakOutcome): Settlement {
  const state: Settlement["state"] =
    o.status === "revoked" || o.status === "already_revoked"
      ? "revoked"
      : o.status === "not_live"
        ? "not_live"
        : o.status === "queued"
          ? "queued"
          : o.status === "unverified"
            ? "unverified"
            : "failed";
  return {
    tokenHash: o.tokenHash,
    state,
    tokenId: o.token?.id ?? null,
    tokenName: o.token?.name ?? null,
    ownerId: o.token?.user_id ?? null,
    customerId: o.token?.customer_id ?? null,
    detail: o.status === "dry_run" ? "dry run: left live" : (o.detail ?? null),
  };
}

function firstSeenMs(context: LeakContext, nowMs: number): number {
  const seen = context.firstSeenAt ? Date.parse(context.firstSeenAt) : Number.NaN;
  return Number.isFinite(seen) ? Math.min(seen, nowMs) : nowMs;
}

