import type { Config } from "../config";
import { seal, unseal } from "../crypto/seal";
import { sha256Hex } from "../crypto/hash";
import { FastlyApiError, FastlyClient } from "../fastly";
import type { TokenResponse } from "../fastly/schemas";
import type { AuditResult, Surface } from "./audit-entry";
import type { AuditLog } from "./audit-log";
import { type LeakContext, type LeakOutcome, summarize, type TokenSummary } from "./leak-outcome";
import type { Notifier } from "./notifier";
import type { GitHubAlertJob, RevocationJob, TokenJob } from "./revocation-job";
import { GitHubApiError, type GitHubAlertsClient } from "../github/alerts-client";
import type { SubrequestMeter } from "./subrequest-meter";
import { TokenCache } from "./token-cache";

/** Upstream calls one token can cost: prove live, revoke as itself, fall back to revoke by id. */
export const CALLS_PER_TOKEN = 3;
/** Calls kept back in every invocation for notifications (Slack and the signed webhook). */
const NOTIFY_CALLS = 2;
/** Messages per queue `sendBatch` call (Queues' own limit). */
const SEND_BATCH = 100;
const MAX_QUEUE_DELAY = 43_200; // Queues' own ceiling (12 h)

/** A retryable failure while consuming from the queue: retry the message after `delaySeconds`. */
export class RetryLater extends Error {
  constructor(
    readonly delaySeconds: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface LeakRevokerDeps {
  config: Config;
  kv: KVNamespace;
  audit: AuditLog;
  notifier: Notifier;
  queue?: Queue<RevocationJob>;
  github?: GitHubAlertsClient;
  fetch?: typeof fetch;
  /** Counts this invocation's subrequests (the same meter must wrap `fetch`); logged once per invocation. */
  meter?: SubrequestMeter;
  now?: () => Date;
  random?: () => number;
}

/**
 * The leak workflow (core): prove a reported token is live with the token itself, revoke it as itself (no admin
 * credential needed), fall back to revoking by id with the Worker's token, tombstone it so every later report of
 * the same value is answered from KV, audit, notify. Retryable failures go to the `revocations` queue, sealed.
 */
export class LeakRevoker {
  private readonly cache: TokenCache;
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(private readonly deps: LeakRevokerDeps) {
    this.cache = new TokenCache(deps.kv, deps.config.cacheTtl, deps.config.tombstoneTtl);
    this.now = deps.now ?? (() => new Date());
    this.random = deps.random ?? Math.random;
  }

  /**
   * How many of `total` tokens one invocation may revoke inline with `budget` subrequests, keeping back enough for
   * the notifications and for queueing the rest.
   */
  static inlineCapacity(budget: number, total: number): number {
    const cost = (inline: number) => inline * CALLS_PER_TOKEN + NOTIFY_CALLS + Math.ceil((total - inline) / SEND_BATCH);
    let inline = Math.min(total, Math.floor(budget / CALLS_PER_TOKEN));
    while (inline > 0 && cost(inline) > budget) inline--;
    return inline;
  }

  /**
   * Handles one report: de-duplicates the values, revokes as many inline as the subrequest budget allows, queues the
   * rest (and any that fail retryably), and sends one notification for the whole report.
   */
  async report(
    items: { raw: string; context: LeakContext }[],
    opts: { budget: number; surface: Surface; principal: string },
  ): Promise<LeakOutcome[]> {
    const unique = new Map<string, { raw: string; context: LeakContext }>();
    for (const item of items) unique.set(await sha256Hex(item.raw), item);
    const capacity = LeakRevoker.inlineCapacity(opts.budget, unique.size);
    const outcomes: LeakOutcome[] = [];
    const toQueue: RevocationJob[] = [];
    let index = 0;
    let overBudget = 0;
    for (const [hash, { raw, context }] of unique) {
      if (index++ < capacity) {
        try {
          outcomes.push(await this.revoke(raw, hash, context, opts));
          continue;
        } catch (err) {
          if (!(err instanceof RetryLater)) throw err; // revoke() turns every other failure into an outcome
          toQueue.push(await this.job(raw, hash, context));
          outcomes.push(await this.queued(hash, context, opts, err.reason));
          continue;
        }
      }
      // Over budget: queued without a per-token audit entry (KV writes are capped per invocation too);
      // each gets its own entry when the consumer settles it, and one summary entry is written below.
      overBudget++;
      toQueue.push(await this.job(raw, hash, context));
      outcomes.push({ status: "queued", tokenHash: hash, context, detail: "over this invocation's subrequest budget" });
    }
    if (overBudget > 0) {
      await this.deps.audit.append({
        surface: opts.surface,
        principal: opts.principal,
        operation: "leakQueue",
        result: "queued",
        detail: `${overBudget} reported tokens queued: over this invocation's subrequest budget`,
      });
    }
    await this.enqueue(toQueue);
    await this.deps.notifier.leakOutcomes(outcomes);
    this.logInvocation(opts.surface, unique.size, toQueue.length);
    return outcomes;
  }

  /** One structured line per invocation: how many tokens, how many queued, how many subrequests it spent. */
  private logInvocation(surface: string, tokens: number, queued: number): void {
    if (!this.deps.meter) return;
    console.log(JSON.stringify({ event: "leak_invocation", surface, tokens, queued, subrequests: this.deps.meter.count }));
  }

  /**
   * Revokes one leaked value. Throws {@link RetryLater} when Fastly is unreachable, failing (5xx) or rate-limiting;
   * any other failure is a `failed` outcome (audited), so one bad token never stops the rest of a report.
   */
  async revoke(raw: string, tokenHash: string, context: LeakContext, who: { surface: Surface; principal: string }, attempts?: number): Promise<LeakOutcome> {
    try {
      return await this.attempt(raw, tokenHash, context, who, attempts);
    } catch (err) {
      if (err instanceof RetryLater) throw err;
      return this.failed(who, { tokenHash, context, ...(attempts ? { attempts } : {}) }, undefined, describeFailure(err));
    }
  }

  private async failed(
    who: { surface: Surface; principal: string },
    base: Omit<LeakOutcome, "status">,
    token: TokenSummary | undefined,
    detail: string,
  ): Promise<LeakOutcome> {
    await this.record(who, "failed", base, token, detail);
    return { ...base, status: "failed", ...(token ? { token } : {}), detail };
  }

  private async attempt(raw: string, tokenHash: string, context: LeakContext, who: { surface: Surface; principal: string }, attempts?: number): Promise<LeakOutcome> {
    const base = { tokenHash, context, ...(attempts ? { attempts } : {}) };
    const tomb = await this.cache.tombstoneByHash(tokenHash);
    if (tomb) {
      const token: TokenSummary = { id: tomb.tokenId ?? undefined, name: tomb.name, user_id: tomb.userId ?? undefined, customer_id: tomb.customerId ?? undefined };
      const status = tomb.reason === "not_live" ? "not_live" : "already_revoked";
      await this.record(who, status, base, tomb.tokenId ? token : undefined, "repeat report: answered from the tombstone");
      return { ...base, status, ...(tomb.tokenId ? { token } : {}) };
    }

    const leaked = this.client(raw);
    let live: TokenResponse;
    try {
      live = await leaked.getTokenCurrent();
    } catch (err) {
      if (isNotLive(err)) {
        await Promise.all([
          this.cache.writeTombstone(null, tokenHash, { revokedAt: this.now().toISOString(), reason: "not_live" }),
          this.record(who, "not_live", base, undefined, `Fastly answered ${(err as FastlyApiError).status}`),
        ]);
        return { ...base, status: "not_live" };
      }
      throw this.retryOrFail(err, attempts);
    }
    const token = summarize(live);

    if (this.deps.config.dryRun) {
      await this.record(who, "dry_run", base, token);
      return { ...base, status: "dry_run", token };
    }

    let via: "self" | "worker" = "self";
    try {
      await leaked.revokeTokenCurrent();
    } catch (err) {
      if (err instanceof FastlyApiError && err.kind === "http" && (err.status === 401 || err.status === 404)) {
        // Revoked by someone else between our two calls: the goal is met.
        return this.finish(who, base, token, tokenHash, "already_revoked", "self");
      }
      const workerKey = this.deps.config.fastly.token;
      if (!(err instanceof FastlyApiError && err.kind === "http" && err.status === 403 && workerKey && live.id)) {
        throw this.retryOrFail(err, attempts);
      }
      via = "worker";
      try {
        await this.client(workerKey).revokeToken({ token_id: live.id });
      } catch (byIdErr) {
        if (!(byIdErr instanceof FastlyApiError && byIdErr.kind === "http" && byIdErr.status === 404)) {
          throw this.retryOrFail(byIdErr, attempts);
        }
        // 404 means "revoked meanwhile" or "not visible to the Worker's token" (another customer): ask the token.
        if (await this.stillLive(leaked, attempts)) {
          return this.failed(who, base, token, "the token may not revoke itself and the Worker's token cannot see it (another customer?)");
        }
        return this.finish(who, base, token, tokenHash, "already_revoked", via);
      }
    }
    return this.finish(who, base, token, tokenHash, "revoked", via);
  }

  /** True when the leaked token still answers `GET /tokens/self`. */
  private async stillLive(leaked: FastlyClient, attempts?: number): Promise<boolean> {
    try {
      await leaked.getTokenCurrent();
      return true;
    } catch (err) {
      if (isNotLive(err)) return false;
      throw this.retryOrFail(err, attempts);
    }
  }

  /**
   * Queue consumer for `revocations`: one token or alert per message. Retryable failures back off; anything else is
   * recorded as failed and acknowledged, so one bad message never holds back (or dead-letters) the rest of a batch.
   */
  async consume(batch: MessageBatch<RevocationJob>): Promise<void> {
    const outcomes: LeakOutcome[] = [];
    try {
      for (const msg of batch.messages) {
        try {
          const outcome = msg.body.kind === "github_alert" ? await this.handleAlert(msg.body, msg.attempts) : await this.handleToken(msg.body, msg.attempts);
          if (outcome) outcomes.push(outcome);
          msg.ack();
        } catch (err) {
          if (err instanceof RetryLater) {
            msg.retry({ delaySeconds: err.delaySeconds });
            continue;
          }
          const job = msg.body;
          const base = { tokenHash: job.kind === "token" ? job.tokenHash : "unknown", context: job.context, attempts: msg.attempts };
          outcomes.push(await this.failed({ surface: "queue", principal: "queue:revocations" }, base, undefined, describeFailure(err)));
          msg.ack();
        }
      }
    } finally {
      await this.deps.notifier.leakOutcomes(outcomes);
    }
    this.logInvocation("queue", batch.messages.length, 0);
  }

  private async handleToken(job: TokenJob, attempts: number): Promise<LeakOutcome> {
    const who = { surface: "queue" as const, principal: "queue:revocations" };
    let raw: string;
    try {
      raw = await unseal(this.sealSecret(), job.sealedToken);
    } catch {
      // Undecryptable (secret rotated or tampered): retrying can't help; record and drop.
      const detail = "sealed token could not be opened";
      await this.record(who, "failed", job, job.token, detail);
      return { status: "failed", tokenHash: job.tokenHash, context: job.context, detail };
    }
    return this.revoke(raw, job.tokenHash, job.context, who, attempts);
  }

  /**
   * A GitHub alert: fetch it for its secret, revoke, then resolve the alert as `revoked` with a comment naming the
   * token by id and name. Alerts already resolved, or of a secret type we do not handle, are skipped.
   */
  private async handleAlert(job: GitHubAlertJob, attempts: number): Promise<LeakOutcome | null> {
    const github = this.deps.github;
    if (!github) throw new Error("GITHUB_TOKEN is not configured");
    const who = { surface: "leak" as const, principal: `github:${job.repository}` };
    let alert: Awaited<ReturnType<GitHubAlertsClient["getAlert"]>>;
    try {
      alert = await github.getAlert(job.repository, job.alertNumber);
    } catch (err) {
      throw this.retryOrFail(err, attempts);
    }
    if (alert.state !== "open" || !alert.secret) return null;
    const context: LeakContext = { ...job.context, alertUrl: alert.html_url ?? job.context.alertUrl };
    const outcome = await this.revoke(alert.secret, await sha256Hex(alert.secret), context, who, attempts);
    if (outcome.status === "revoked" || outcome.status === "already_revoked") {
      const t = outcome.token;
      const comment = `Fastly token ${t?.name ? `"${t.name}" ` : ""}(id ${t?.id ?? "unknown"}) revoked by fastly-token-webhooks.`;
      try {
        await github.resolveAlert(job.repository, job.alertNumber, comment);
      } catch (err) {
        // The token is dead; only the alert bookkeeping failed. Record it rather than retry the revocation.
        await this.record(who, "error", outcome, t, `could not resolve the GitHub alert: ${(err as Error).message}`);
      }
    }
    return outcome;
  }

  /** Dead-letter consumer: the token could not be revoked after every retry. Audit and notify loudly. */
  async consumeDeadLetters(batch: MessageBatch<RevocationJob>, maxAttempts: number): Promise<void> {
    const outcomes: LeakOutcome[] = [];
    for (const msg of batch.messages) {
      const job = msg.body;
      // An alert job never got as far as the secret, so there is no hash to name it by.
      const tokenHash = job.kind === "token" ? job.tokenHash : "unknown";
      const token = job.kind === "token" ? job.token : undefined;
      const outcome: LeakOutcome = { status: "failed", tokenHash, context: job.context, attempts: maxAttempts };
      if (token) outcome.token = token;
      const what = job.kind === "github_alert" ? `GitHub alert ${job.repository}#${job.alertNumber}` : "token";
      await this.record({ surface: "queue", principal: "queue:revocations-dlq" }, "failed", outcome, token, `${what} not revoked after ${maxAttempts} attempts`);
      outcomes.push(outcome);
      msg.ack();
    }
    await this.deps.notifier.leakOutcomes(outcomes);
  }

  private async finish(
    who: { surface: Surface; principal: string },
    base: Omit<LeakOutcome, "status">,
    token: TokenSummary,
    tokenHash: string,
    status: "revoked" | "already_revoked",
    via: "self" | "worker",
  ): Promise<LeakOutcome> {
    // Independent KV writes: issued together, since each is a round trip.
    await Promise.all([
      this.cache.writeTombstone(token.id, tokenHash, {
        revokedAt: this.now().toISOString(),
        reason: "revoked",
        tokenId: token.id ?? null,
        name: token.name ?? null,
        userId: token.user_id ?? null,
        customerId: token.customer_id ?? null,
      }),
      token.customer_id ? this.cache.bumpGeneration(token.customer_id) : undefined,
    ]);
    await this.record(who, status === "revoked" ? "ok" : "already_revoked", base, token, `revoked as ${via === "self" ? "itself" : "the Worker"}`);
    return { ...base, status, token, via };
  }

  private client(key: string): FastlyClient {
    const { baseUrl, timeoutMs } = this.deps.config.fastly;
    // No client-side retries: the queue is the retry mechanism, with backoff that survives the invocation.
    return new FastlyClient({ apiKey: key, baseUrl, timeoutMs, retries: 0, fetch: this.deps.fetch });
  }

  /** Retryable upstream failure → RetryLater with a delay; anything else is rethrown. */
  private retryOrFail(err: unknown, attempts = 0): unknown {
    if (err instanceof GitHubApiError && err.retryable) {
      return new RetryLater(Math.min(10 * 2 ** attempts, 900), err.message);
    }
    if (!(err instanceof FastlyApiError) || !err.retryable) return err;
    const nowSec = Math.floor(this.now().getTime() / 1000);
    const reset = err.status === 429 && err.rateLimit.reset ? err.rateLimit.reset - nowSec : 0;
    const backoff = Math.min(10 * 2 ** attempts, 900);
    const delay = Math.min(MAX_QUEUE_DELAY, Math.max(1, reset > 0 ? reset + 1 : Math.ceil(backoff * (0.5 + this.random() / 2))));
    return new RetryLater(delay, `Fastly ${err.status || err.kind}: ${err.msg}`);
  }

  private sealSecret(): string {
    const secret = this.deps.config.leak.sealSecret;
    if (!secret) throw new Error("SEAL_SECRET is not configured");
    return secret;
  }

  private async job(raw: string, tokenHash: string, context: LeakContext): Promise<TokenJob> {
    return { kind: "token", sealedToken: await seal(this.sealSecret(), raw), tokenHash, context };
  }

  /** Queues jobs that need no secret (GitHub alerts): the intake acknowledges at once. */
  async enqueueAlert(job: GitHubAlertJob): Promise<void> {
    await this.enqueue([job]);
  }

  private async enqueue(jobs: RevocationJob[]): Promise<void> {
    if (jobs.length === 0) return;
    if (!this.deps.queue) throw new Error("the REVOCATIONS queue is not bound");
    for (let i = 0; i < jobs.length; i += SEND_BATCH) {
      if (this.deps.meter) this.deps.meter.count++;
      await this.deps.queue.sendBatch(jobs.slice(i, i + SEND_BATCH).map((body) => ({ body })));
    }
  }

  private async queued(tokenHash: string, context: LeakContext, who: { surface: Surface; principal: string }, why: string): Promise<LeakOutcome> {
    await this.record(who, "queued", { tokenHash, context }, undefined, why);
    return { status: "queued", tokenHash, context, detail: why };
  }

  private async record(
    who: { surface: Surface; principal: string },
    result: AuditResult,
    base: Pick<LeakOutcome, "tokenHash" | "context">,
    token: TokenSummary | undefined,
    detail?: string,
  ): Promise<void> {
    const where = [base.context.source, base.context.repository, base.context.url].filter(Boolean).join(" ");
    await this.deps.audit.append({
      surface: who.surface,
      principal: who.principal,
      operation: "leakRevoke",
      result,
      tokenId: token?.id ?? null,
      tokenName: token?.name ?? null,
      ownerId: token?.user_id ?? null,
      customerId: token?.customer_id ?? null,
      tokenHash: base.tokenHash,
      detail: [detail, where].filter(Boolean).join(" — "),
    });
  }
}

/** Why a revocation failed, in words safe for audit and chat: the client's errors are already redacted. */
function describeFailure(err: unknown): string {
  if (err instanceof FastlyApiError) return `Fastly ${err.status || err.kind}: ${err.msg}`.slice(0, 200);
  if (err instanceof GitHubApiError) return err.message;
  return err instanceof Error && /not configured|not bound/.test(err.message) ? err.message : "internal error";
}

/** 401/403/404 from GET /tokens/self: the value is not a working token. */
function isNotLive(err: unknown): boolean {
  return err instanceof FastlyApiError && err.kind === "http" && [401, 403, 404].includes(err.status);
}
