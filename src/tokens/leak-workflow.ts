import type { Config } from "../config";
import { seal, unseal } from "../crypto/seal";
import { sha256Hex } from "../crypto/hash";
import { FastlyApiError } from "../fastly";
import type { TokenResponse } from "../fastly/schemas";
import { GitHubApiError, type GitHubAlertsClient } from "../github/alerts-client";
import type { AuditEntry, AuditResult, Surface } from "./audit-entry";
import { type LeakContext, type LeakOutcome, type LeakStatus, summarize, type TokenSummary } from "./leak-outcome";
import type { Notifier } from "./notifier";
import type { GitHubAlertJob, QueuedToken, RevocationJob, TokensJob } from "./revocation-job";
import type { AuditLog } from "./store/audit-log";
import type { InvocationMeter } from "./store/invocation-meter";
import type { LedgerRow, RevocationLedger, Settlement } from "./store/ledger";
import type { TokenService } from "./token-service";

/** Upstream calls one token can cost: prove live, revoke as itself, fall back to revoke by id. */
export const CALLS_PER_TOKEN = 3;
/** Calls kept back in every invocation for notifications (Slack and the signed webhook). */
const NOTIFY_CALLS = 2;
/** Messages per queue `sendBatch` call (Queues' own limit). */
const SEND_BATCH = 100;
/**
 * Tokens packed into one queue message: as many as one consumer invocation can revoke with `budget` subrequests
 * (16 on the free plan's 50), and the consumer takes one message per batch (wrangler.toml), so a message is one
 * invocation's work. A delivered message costs about three queue operations whatever it holds, so a 1,000-token
 * alert costs ~190 operations instead of ~3,000 (the free plan has 10,000 a day). A sealed token is ~200 bytes.
 */
export function tokensPerMessage(budget: number): number {
  return Math.max(1, Math.min(100, Math.floor((budget - NOTIFY_CALLS - 1) / CALLS_PER_TOKEN)));
}
const MAX_QUEUE_DELAY = 43_200; // Queues' own ceiling (12 h)
/** How long a re-queued token waits when another invocation still holds its claim. */
const CLAIM_WAIT_SECONDS = 60;

/** A retryable failure: retry this token after `delaySeconds`. */
export class RetryLater extends Error {
  constructor(
    readonly delaySeconds: number,
    readonly reason: string,
    /** `unverified`: Fastly's answers proved neither "revoked" nor "not live"; a person must look if retries fail. */
    readonly unverified = false,
  ) {
    super(reason);
  }
}

export interface LeakWorkflowDeps {
  config: Config;
  tokens: TokenService;
  ledger: RevocationLedger;
  audit: AuditLog;
  notifier: Notifier;
  meter: InvocationMeter;
  queue?: Queue<RevocationJob>;
  github?: GitHubAlertsClient;
  now?: () => Date;
  random?: () => number;
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

  /**
   * How many of `total` tokens one invocation may revoke inline with `budget` subrequests, keeping back enough for
   * the notifications and for queueing the rest.
   */
  static inlineCapacity(budget: number, total: number): number {
    const perMessage = tokensPerMessage(budget);
    const cost = (inline: number) => inline * CALLS_PER_TOKEN + NOTIFY_CALLS + Math.ceil((total - inline) / perMessage / SEND_BATCH);
    let inline = Math.max(0, Math.min(total, Math.floor(budget / CALLS_PER_TOKEN)));
    while (inline > 0 && cost(inline) > budget) inline--;
    return inline;
  }

  /**
   * Handles one report: claims its values in the ledger, revokes as many of the won ones inline as the subrequest
   * budget allows, queues the rest (and any that fail retryably), answers the others from the ledger, and sends one
   * notification for what this invocation decided.
   */
  async report(items: { raw: string; context: LeakContext }[], opts: Who & { budget: number }): Promise<LeakOutcome[]> {
    const unique = new Map<string, Item>();
    for (const { raw, context } of items) {
      const tokenHash = await sha256Hex(raw);
      if (!unique.has(tokenHash)) unique.set(tokenHash, { raw, tokenHash, context, attempts: 0 });
    }
    const outcomes = await this.process([...unique.values()], opts, opts.budget - this.deps.meter.subrequests);
    return [...unique.keys()].map((hash) => outcomes.get(hash)!);
  }

  /**
   * The shared core of a report and a queue batch. Returns an outcome per item; the ones answered from the ledger
   * (settled elsewhere, or claimed by a concurrent invocation) are neither re-audited as new work nor notified.
   */
  private async process(items: Item[], who: Who, budget: number): Promise<Map<string, LeakOutcome>> {
    const nowMs = this.now().getTime();
    const won = await this.deps.ledger.claim(
      items.map((i) => ({ tokenHash: i.tokenHash, firstSeenMs: firstSeenMs(i.context, nowMs), source: i.context.source })),
      nowMs,
    );
    const outcomes = new Map<string, LeakOutcome>();
    const lost = items.filter((i) => !won.has(i.tokenHash));
    const rows = await this.deps.ledger.get(lost.map((i) => i.tokenHash));
    const toRequeue: { item: Item; delaySeconds: number }[] = [];
    for (const item of lost) {
      const outcome = answerFromLedger(item, rows.get(item.tokenHash));
      outcomes.set(item.tokenHash, outcome);
      // Someone else holds the claim: if that invocation dies, only a retry brings the token back.
      if (outcome.status === "in_progress" && item.attempts > 0) toRequeue.push({ item, delaySeconds: CLAIM_WAIT_SECONDS });
    }

    const mine = items.filter((i) => won.has(i.tokenHash));
    const capacity = LeakWorkflow.inlineCapacity(budget, mine.length);
    const settlements: Settlement[] = [];
    const decided: LeakOutcome[] = [];
    let overBudget = 0;
    for (const [index, item] of mine.entries()) {
      let outcome: LeakOutcome;
      if (index < capacity) {
        try {
          outcome = await this.revokeOne(item, who);
        } catch (err) {
          if (!(err instanceof RetryLater)) throw err; // revokeOne turns every other failure into an outcome
          outcome = this.retryOrGiveUp(item, err, who, toRequeue);
        }
      } else {
        // Over budget: queued without a per-token audit entry; each gets one when the consumer settles it.
        overBudget++;
        toRequeue.push({ item, delaySeconds: 0 });
        outcome = { status: "queued", tokenHash: item.tokenHash, context: item.context, detail: "over this invocation's subrequest budget" };
      }
      outcomes.set(item.tokenHash, outcome);
      decided.push(outcome);
      settlements.push(settlementOf(outcome));
    }
    if (overBudget > 0) {
      this.audit(who, "leakQueue", "queued", undefined, undefined, `${overBudget} reported tokens queued: over this invocation's subrequest budget`);
    }
    await this.enqueue(toRequeue);
    await Promise.all([this.deps.ledger.settle(settlements, this.now().getTime()), this.flushAudit()]);
    // A retry that only re-queues (or stays unverified) says nothing new: its first sighting was notified already.
    await this.deps.notifier.leakOutcomes(decided.filter((o) => !((o.status === "queued" || o.status === "unverified") && (o.attempts ?? 0) > 1)));
    return outcomes;
  }

  /** A retryable failure: re-queue with backoff, or, after the last attempt, give up loudly. */
  private retryOrGiveUp(item: Item, err: RetryLater, who: Who, toRequeue: { item: Item; delaySeconds: number }[]): LeakOutcome {
    const attempts = item.attempts + 1;
    const base = { tokenHash: item.tokenHash, context: item.context, attempts };
    if (attempts >= this.deps.config.leak.maxAttempts) {
      const status = err.unverified ? "unverified" : "failed";
      const detail = `${err.reason}; gave up after ${attempts} attempts`;
      this.audit(who, "leakRevoke", status === "unverified" ? "unverified" : "failed", base, undefined, detail);
      return { ...base, status, detail };
    }
    toRequeue.push({ item: { ...item, attempts }, delaySeconds: err.delaySeconds });
    if (err.unverified) {
      // Loud from the first time: a person may want to look before the retries run out.
      this.audit(who, "leakRevoke", "unverified", base, undefined, err.reason);
      return { ...base, status: "unverified", detail: `${err.reason}; retrying` };
    }
    this.audit(who, "leakRevoke", "queued", base, undefined, err.reason);
    return { ...base, status: "queued", detail: err.reason };
  }

  /**
   * Revokes one claimed value. Throws {@link RetryLater} when Fastly is unreachable, failing (5xx), rate-limiting or
   * answering doubtfully; any other failure is a `failed` outcome, so one bad token never stops the rest of a report.
   */
  private async revokeOne(item: Item, who: Who): Promise<LeakOutcome> {
    const base = { tokenHash: item.tokenHash, context: item.context, ...(item.attempts ? { attempts: item.attempts + 1 } : {}) };
    try {
      return await this.attempt(item, base, who);
    } catch (err) {
      if (err instanceof RetryLater) throw err;
      const detail = describeFailure(err);
      this.audit(who, "leakRevoke", "failed", base, undefined, detail);
      return { ...base, status: "failed", detail };
    }
  }

  private async attempt(item: Item, base: Omit<LeakOutcome, "status">, who: Who): Promise<LeakOutcome> {
    const { tokens } = this.deps;
    let live: TokenResponse;
    try {
      live = await tokens.proveLive(item.raw);
    } catch (err) {
      if (provesNotACredential(err)) {
        this.audit(who, "leakRevoke", "not_live", base, undefined, `Fastly answered ${(err as FastlyApiError).status}`);
        return { ...base, status: "not_live" };
      }
      // 403: the key authenticated but may not read itself (a purge-only token, say). It is live: revoke it anyway.
      if (isHttp(err, 403)) return this.revokeUnreadable(item, base, who);
      throw this.retryable(err, item.attempts);
    }
    const token = summarize(live);

    if (this.deps.config.dryRun) {
      this.audit(who, "leakRevoke", "dry_run", base, token);
      return { ...base, status: "dry_run", token };
    }

    let via: "self" | "worker" = "self";
    try {
      await tokens.revokeLeakedAsItself(item.raw, live, item.tokenHash);
    } catch (err) {
      if (isHttp(err, 401) || isHttp(err, 404)) {
        // Revoked by someone else between our two calls: the goal is met.
        await tokens.recordRevokedElsewhere(live, item.tokenHash);
        return this.finish(who, base, token, "already_revoked", "self");
      }
      if (!(isHttp(err, 403) && this.deps.config.fastly.token && live.id)) throw this.retryable(err, item.attempts);
      via = "worker";
      try {
        await tokens.revokeLeakedById({ ...live, id: live.id }, item.tokenHash);
      } catch (byIdErr) {
        if (!isHttp(byIdErr, 404) && !isHttp(byIdErr, 403)) throw this.retryable(byIdErr, item.attempts);
        // "Revoked meanwhile", or not the Worker's to see or touch (another customer): ask the token.
        if (await this.stillLive(item)) {
          const detail = "the token may not revoke itself and the Worker's token cannot revoke it (another customer?)";
          this.audit(who, "leakRevoke", "failed", base, token, detail);
          return { ...base, status: "failed", token, detail };
        }
        await tokens.recordRevokedElsewhere(live, item.tokenHash);
        return this.finish(who, base, token, "already_revoked", via);
      }
    }
    return this.finish(who, base, token, "revoked", via);
  }

  /** The live check was refused (403): the value is a credential. Try to revoke it as itself; else it is unverified. */
  private async revokeUnreadable(item: Item, base: Omit<LeakOutcome, "status">, who: Who): Promise<LeakOutcome> {
    if (this.deps.config.dryRun) {
      this.audit(who, "leakRevoke", "dry_run", base, undefined, "Fastly refused the live check (403): it is a credential");
      return { ...base, status: "dry_run" };
    }
    try {
      await this.deps.tokens.revokeLeakedAsItself(item.raw, {}, item.tokenHash);
      return this.finish(who, base, undefined, "revoked", "self");
    } catch (err) {
      if (isHttp(err, 401)) {
        this.audit(who, "leakRevoke", "not_live", base, undefined, "Fastly answered 401 to revoking it");
        return { ...base, status: "not_live" };
      }
      if (err instanceof FastlyApiError && err.retryable) throw this.retryable(err, item.attempts);
      // With no id (the live check gave none) there is no fallback: neither revoked nor proven dead.
      const status = err instanceof FastlyApiError ? err.status || err.kind : "error";
      throw new RetryLater(this.backoff(item.attempts), `Fastly refused both the live check (403) and self-revocation (${status})`, true);
    }
  }

  /** True when the leaked token still answers `GET /tokens/self`. */
  private async stillLive(item: Item): Promise<boolean> {
    try {
      await this.deps.tokens.proveLive(item.raw);
      return true;
    } catch (err) {
      if (provesNotACredential(err)) return false;
      if (isHttp(err, 403)) return true;
      throw this.retryable(err, item.attempts);
    }
  }

  private finish(who: Who, base: Omit<LeakOutcome, "status">, token: TokenSummary | undefined, status: "revoked" | "already_revoked", via: "self" | "worker"): LeakOutcome {
    this.audit(who, "leakRevoke", status === "revoked" ? "ok" : "already_revoked", base, token, `revoked as ${via === "self" ? "itself" : "the Worker"}`);
    return { ...base, status, ...(token ? { token } : {}), via };
  }

  /**
   * Queue consumer for `revocations`. A message holds several tokens (or one GitHub alert). Tokens that need another
   * try are re-queued, packed, with their own delay, and the message is acknowledged; only a failure of the consumer
   * itself retries a whole message (and, after `max_retries`, dead-letters it).
   */
  async consume(batch: MessageBatch<RevocationJob>): Promise<void> {
    const who = { surface: "queue" as const, principal: "queue:revocations" };
    const items: Item[] = [];
    const sealedFailures: LeakOutcome[] = [];
    const alertMessages: Message<RevocationJob>[] = [];
    for (const msg of batch.messages) {
      if (msg.body.kind === "github_alert") {
        alertMessages.push(msg);
        continue;
      }
      for (const queued of jobTokens(msg.body)) {
        const raw = await this.open(queued);
        if (raw === null) {
          // Undecryptable (secret rotated or tampered): retrying can't help; record and drop.
          const base = { tokenHash: queued.tokenHash, context: queued.context, attempts: msg.attempts };
          this.audit(who, "leakRevoke", "failed", base, queued.token, "sealed token could not be opened");
          sealedFailures.push({ ...base, status: "failed", detail: "sealed token could not be opened" });
          continue;
        }
        items.push({ raw, tokenHash: queued.tokenHash, context: queued.context, attempts: queued.attempts ?? msg.attempts - 1 });
      }
    }
    const tokenMessages = batch.messages.filter((m) => m.body.kind !== "github_alert");
    try {
      if (items.length > 0) await this.process(items, who, this.deps.config.leak.subrequestBudget - this.deps.meter.subrequests);
      else await this.flushAudit();
      if (sealedFailures.length) await this.deps.notifier.leakOutcomes(sealedFailures);
      for (const msg of tokenMessages) msg.ack();
    } catch (err) {
      console.error(JSON.stringify({ event: "queue_batch_failed", error: err instanceof Error ? err.name : "unknown" }));
      for (const msg of tokenMessages) msg.retry({ delaySeconds: this.backoff(msg.attempts) });
    }
    for (const msg of alertMessages) await this.consumeAlert(msg);
    this.logInvocation("queue", items.length);
  }

  /**
   * A GitHub alert: fetch it for its secret, revoke, then resolve the alert as `revoked` with a comment naming the
   * token by id and name. Alerts already resolved, or of a secret type we do not handle, are skipped.
   */
  private async consumeAlert(msg: Message<RevocationJob>): Promise<void> {
    const job = msg.body as GitHubAlertJob;
    const github = this.deps.github;
    const who = { surface: "leak" as const, principal: `github:${job.repository}` };
    try {
      if (!github) throw new Error("GITHUB_TOKEN is not configured");
      const alert = await github.getAlert(job.repository, job.alertNumber);
      if (alert.state !== "open" || !alert.secret) return msg.ack();
      const context: LeakContext = { ...job.context, alertUrl: alert.html_url ?? job.context.alertUrl, firstSeenAt: alert.created_at ?? job.context.firstSeenAt };
      const item = { raw: alert.secret, tokenHash: await sha256Hex(alert.secret), context, attempts: msg.attempts - 1 };
      const outcome = (await this.process([item], who, this.deps.config.leak.subrequestBudget - this.deps.meter.subrequests - 1)).get(item.tokenHash)!;
      if (outcome.status === "revoked" || outcome.status === "already_revoked") {
        const t = outcome.token;
        const comment = `Fastly token ${t?.name ? `"${t.name}" ` : ""}(id ${t?.id ?? "unknown"}) revoked by fastly-token-webhooks.`;
        try {
          await github.resolveAlert(job.repository, job.alertNumber, comment);
        } catch (err) {
          // The token is dead; only the alert bookkeeping failed. Record it rather than retry the revocation.
          this.audit(who, "leakRevoke", "error", outcome, t, `could not resolve the GitHub alert: ${(err as Error).message}`);
          await this.flushAudit();
        }
      }
      msg.ack();
    } catch (err) {
      if (err instanceof GitHubApiError && err.retryable) return msg.retry({ delaySeconds: this.backoff(msg.attempts) });
      const base = { tokenHash: "unknown", context: job.context, attempts: msg.attempts };
      this.audit(who, "leakRevoke", "failed", base, undefined, describeFailure(err));
      await this.flushAudit();
      await this.deps.notifier.leakOutcomes([{ ...base, status: "failed", detail: describeFailure(err) }]);
      msg.ack();
    }
  }

  /** Dead-letter consumer: messages the consumer itself could not handle after every retry. Audit and notify loudly. */
  async consumeDeadLetters(batch: MessageBatch<RevocationJob>, maxAttempts: number): Promise<void> {
    const who = { surface: "queue" as const, principal: "queue:revocations-dlq" };
    const outcomes: LeakOutcome[] = [];
    const settlements: Settlement[] = [];
    for (const msg of batch.messages) {
      const job = msg.body;
      if (job.kind === "github_alert") {
        const outcome: LeakOutcome = { status: "failed", tokenHash: "unknown", context: job.context, attempts: maxAttempts };
        this.audit(who, "leakRevoke", "failed", outcome, undefined, `GitHub alert ${job.repository}#${job.alertNumber} not revoked after ${maxAttempts} attempts`);
        outcomes.push(outcome);
      } else {
        for (const queued of jobTokens(job)) {
          const outcome: LeakOutcome = { status: "failed", tokenHash: queued.tokenHash, context: queued.context, attempts: maxAttempts };
          if (queued.token) outcome.token = queued.token;
          this.audit(who, "leakRevoke", "failed", outcome, queued.token, `token not revoked after ${maxAttempts} attempts`);
          settlements.push({ tokenHash: queued.tokenHash, state: "failed", detail: "dead-lettered" });
          outcomes.push(outcome);
        }
      }
      msg.ack();
    }
    await Promise.all([this.deps.ledger.settle(settlements, this.now().getTime()), this.flushAudit()]);
    await this.deps.notifier.leakOutcomes(outcomes);
  }

  /** Queues jobs that need no secret (GitHub alerts): the intake acknowledges at once. */
  async enqueueAlert(job: GitHubAlertJob): Promise<void> {
    await this.send([{ body: job }]);
  }

  /** Packs tokens into messages; each message waits as long as its longest-waiting token asks. */
  private async enqueue(entries: { item: Item; delaySeconds: number }[]): Promise<void> {
    if (entries.length === 0) return;
    const secret = this.deps.config.leak.sealSecret;
    if (!secret) throw new Error("SEAL_SECRET is not configured");
    // Tokens with the same delay share messages, so an early retry is not held back by a long one.
    const byDelay = new Map<number, QueuedToken[]>();
    for (const { item, delaySeconds } of entries) {
      const queued: QueuedToken = { sealedToken: await seal(secret, item.raw), tokenHash: item.tokenHash, context: item.context, attempts: item.attempts };
      const list = byDelay.get(delaySeconds) ?? [];
      list.push(queued);
      byDelay.set(delaySeconds, list);
    }
    const perMessage = tokensPerMessage(this.deps.config.leak.subrequestBudget);
    const messages: MessageSendRequest<RevocationJob>[] = [];
    for (const [delaySeconds, list] of byDelay) {
      for (let i = 0; i < list.length; i += perMessage) {
        const body: TokensJob = { kind: "tokens", tokens: list.slice(i, i + perMessage) };
        messages.push(delaySeconds > 0 ? { body, delaySeconds } : { body });
      }
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

  /** One structured line per invocation: how many tokens and what it spent of the platform's budgets. */
  logInvocation(surface: string, tokens: number): void {
    console.log(JSON.stringify({ event: "leak_invocation", surface, tokens, ...this.deps.meter.snapshot() }));
  }

  private backoff(attempts: number): number {
    const backoff = Math.min(10 * 2 ** attempts, 900);
    return Math.max(1, Math.ceil(backoff * (0.5 + this.random() / 2)));
  }

  /** Retryable upstream failure → RetryLater with a delay (the rate limit's reset where Fastly gave one); else rethrown. */
  private retryable(err: unknown, attempts: number): unknown {
    if (!(err instanceof FastlyApiError) || !err.retryable) return err;
    const nowSec = Math.floor(this.now().getTime() / 1000);
    const reset = err.status === 429 && err.rateLimit.reset ? err.rateLimit.reset - nowSec : 0;
    const delay = Math.min(MAX_QUEUE_DELAY, reset > 0 ? reset + 1 : this.backoff(attempts));
    return new RetryLater(delay, `Fastly ${err.status || err.kind}: ${err.msg}`);
  }

  private audit(who: Who, operation: string, result: AuditResult, base: Pick<LeakOutcome, "tokenHash" | "context"> | undefined, token: TokenSummary | undefined, detail?: string): void {
    const where = base ? [base.context.source, base.context.repository, base.context.url].filter(Boolean).join(" ") : "";
    this.pendingAudit.push({
      surface: who.surface,
      principal: who.principal,
      operation,
      result,
      tokenId: token?.id ?? null,
      tokenName: token?.name ?? null,
      ownerId: token?.user_id ?? null,
      customerId: token?.customer_id ?? null,
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

function isHttp(err: unknown, status: number): boolean {
  return err instanceof FastlyApiError && err.kind === "http" && err.status === status;
}

/**
 * Only an answer that proves a key is not a credential means "not live": 401, and 404 (which Fastly gives unknown
 * keys on some paths). A 403 means the key authenticated but lacks permission: the token is live.
 */
function provesNotACredential(err: unknown): boolean {
  return isHttp(err, 401) || isHttp(err, 404);
}

/** Why a revocation failed, in words safe for audit and chat: the client's errors are already redacted. */
function describeFailure(err: unknown): string {
  if (err instanceof FastlyApiError) return `Fastly ${err.status || err.kind}: ${err.msg}`.slice(0, 200);
  if (err instanceof GitHubApiError) return err.message;
  return err instanceof Error && /not configured|not bound/.test(err.message) ? err.message : "internal error";
}
