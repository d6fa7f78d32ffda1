import { FastlyApiError, type RateLimit } from "../fastly";
import type { TokenResponse } from "../fastly/schemas";
import type { AuditResult } from "./audit-entry";
import { failureText } from "./failure";
import { type LeakStatus, summarize, type TokenSummary } from "./leak-outcome";
import type { TokenService } from "./token-service";

/** A value this invocation won in the ledger and must settle. */
export interface Claimed {
  raw: string;
  tokenHash: string;
  /** Attempts before this one. */
  attempts: number;
}

/** How a value ended in this invocation. */
export type Verdict =
  | { kind: "done"; status: Exclude<LeakStatus, "queued" | "in_progress" | "unverified">; audit: AuditResult; token?: TokenSummary; via?: "self" | "worker" | "bulk"; detail?: string }
  | { kind: "later"; reason: string; delaySeconds: number; unverified?: boolean; overBudget?: boolean; retryAt?: string };

export interface RevocationPlanDeps {
  tokens: TokenService;
  dryRun: boolean;
  /** Subrequests this run may spend, and what it has spent so far (the invocation's meter). */
  budget: number;
  spent: () => number;
  /** Subrequests to keep back for what follows the run (notifications, queue sends). */
  reserve: number;
  bulkMax: number;
  /** Whether the Worker has its own token (for bulk and by-id revocation). */
  workerKey: boolean;
  now: () => Date;
  backoff: (attempts: number) => number;
}

interface Live {
  item: Claimed;
  token: TokenResponse;
}

const MAX_QUEUE_DELAY = 43_200; // Queues' own ceiling (12 h)

/**
 * The upstream side of one invocation's leaked values, within its subrequest budget and Fastly's rate limit.
 *
 * 1. Prove each value live with a read as itself (`GET /tokens/self`: reads are not rate-limited, and the answer
 *    names the token, its user and customer). Only 401 and 404 prove a value is not a credential; 403 means it
 *    authenticated, so it is revoked anyway.
 * 2. Revoke the live tokens the Worker's own token can see (its customer's) with **bulk** revocation: one write for
 *    up to `bulkMax` tokens, on the Worker's user's budget instead of the leaked user's.
 * 3. Revoke the rest as themselves (`DELETE /tokens/self`), one write each on their user's hourly budget, tracking
 *    `Fastly-RateLimit-Remaining`/`-Reset` per user from every answer: a user whose budget is spent (or a 429) has
 *    the rest of their tokens queued for the reset time, never retried blindly.
 *
 * Values that do not fit the budget are left for the queue. Nothing here writes the ledger, the audit or the queue:
 * the workflow does, from the verdicts.
 */
export class RevocationPlan {
  private readonly verdicts = new Map<string, Verdict>();
  /** Per Fastly user: the latest figures seen, so a spent budget stops further writes for that user. */
  private readonly budgets = new Map<string, RateLimit>();

  constructor(private readonly deps: RevocationPlanDeps) {}

  async run(items: Claimed[]): Promise<Map<string, Verdict>> {
    const live: Live[] = [];
    const unreadable: (Claimed & { unknownOnRead: boolean })[] = [];
    // The Worker's customer decides what bulk can take; it is looked up (one read, usually cached) only once a
    // second live token makes bulk worth it: one token is revoked as itself, on its own user's budget.
    let owner: string | null | undefined = this.deps.workerKey && !this.deps.dryRun ? undefined : null;
    const bulkable = (l: Live) => owner !== undefined && owner !== null && l.token.customer_id === owner && Boolean(l.token.id);
    // Worst-case calls still owed by what is proven so far: a write per token revoked one by one, one per bulk chunk,
    // and the owner lookup while it is still to come.
    const owed = () => {
      const inBulk = live.filter(bulkable).length;
      return live.length - inBulk + Math.ceil(inBulk / this.deps.bulkMax) + unreadable.length + (owner === undefined ? 1 : 0);
    };

    for (const item of items) {
      // This read, plus the worst case for this value (a write of its own), must fit with everything owed.
      if (!this.fits(1 + owed() + 1)) {
        this.later(item, "over this invocation's subrequest budget", 0, { overBudget: true });
        continue;
      }
      let token: TokenResponse;
      try {
        token = await this.deps.tokens.proveLive(item.raw);
      } catch (err) {
        if (isHttp(err, 401) || isHttp(err, 404)) this.done(item, "not_live", "not_live", undefined, `Fastly answered ${(err as FastlyApiError).status}`);
        // 403: the key authenticated but may not read itself (a purge-only token, say). It is live: revoke it anyway.
        else if (isHttp(err, 403)) unreadable.push({ ...item, unknownOnRead: unknownKey(err) });
        else this.failedOrLater(item, err);
        continue;
      }
      if (this.deps.dryRun) {
        this.done(item, "dry_run", "dry_run", summarize(token));
        continue;
      }
      live.push({ item, token });
      if (live.length === 2 && owner === undefined) owner = await this.ownCustomer();
    }

    const bulk = live.filter(bulkable);
    const single = live.filter((l) => !bulkable(l));
    for (let i = 0; i < bulk.length; i += this.deps.bulkMax) {
      const chunk = bulk.slice(i, i + this.deps.bulkMax);
      if (chunk.length === 1 || !(await this.revokeInBulk(chunk))) single.push(...chunk);
    }
    for (const { item, token } of single) await this.revokeAsItself(item, token);
    for (const item of unreadable) await this.revokeUnreadable(item);
    return this.verdicts;
  }

  private async ownCustomer(): Promise<string | null> {
    try {
      return await this.deps.tokens.workerCustomerId();
    } catch {
      // Without it every token is revoked as itself: slower on the rate limit, never less safe.
      return null;
    }
  }

  /** True when the chunk is revoked. False (fall back to one by one) when Fastly refused it outright. */
  private async revokeInBulk(chunk: Live[]): Promise<boolean> {
    if (!this.fits(1)) {
      for (const { item } of chunk) this.later(item, "over this invocation's subrequest budget", 0, { overBudget: true });
      return true;
    }
    try {
      await this.deps.tokens.revokeLeakedInBulk(chunk.map(({ item, token }) => ({ token: { ...token, id: token.id! }, tokenHash: item.tokenHash })));
    } catch (err) {
      if (err instanceof FastlyApiError && err.retryable) {
        for (const { item } of chunk) this.failedOrLater(item, err);
        return true;
      }
      // Fastly's bulk rules are not documented (a list with one gone or foreign token may fail whole): go one by one.
      return false;
    }
    for (const { item, token } of chunk) this.done(item, "revoked", "ok", summarize(token), "revoked in bulk by the Worker", "bulk");
    return true;
  }

  private async revokeAsItself(item: Claimed, live: TokenResponse): Promise<void> {
    const token = summarize(live);
    const user = live.user_id ?? `token:${item.tokenHash}`;
    if (!this.fits(1)) return this.later(item, "over this invocation's subrequest budget", 0, { overBudget: true });
    const spent = this.budgets.get(user);
    if (spent?.remaining === 0 && spent.reset && spent.reset * 1000 > this.deps.now().getTime()) {
      return this.rateLimited(item, spent.reset);
    }
    try {
      this.budgets.set(user, await this.deps.tokens.revokeLeakedAsItself(item.raw, live, item.tokenHash));
      return this.done(item, "revoked", "ok", token, "revoked as itself", "self");
    } catch (err) {
      if (err instanceof FastlyApiError) this.budgets.set(user, err.rateLimit);
      if (isHttp(err, 401) || isHttp(err, 404)) {
        // Revoked by someone else between our two calls: the goal is met.
        await this.deps.tokens.recordRevokedElsewhere(live, item.tokenHash);
        return this.done(item, "already_revoked", "already_revoked", token, "revoked as itself", "self");
      }
      if (isHttp(err, 429)) return this.rateLimited(item, (err as FastlyApiError).rateLimit.reset);
      if (!(isHttp(err, 403) && this.deps.workerKey && live.id)) return this.failedOrLater(item, err, token);
    }
    return this.revokeById(item, live, token);
  }

  /** The token may not revoke itself: the Worker's token revokes it by id, if it can see it. */
  private async revokeById(item: Claimed, live: TokenResponse, token: TokenSummary): Promise<void> {
    if (!this.fits(2)) return this.later(item, "over this invocation's subrequest budget", 0, { overBudget: true });
    try {
      await this.deps.tokens.revokeLeakedById({ ...live, id: live.id! }, item.tokenHash);
      return this.done(item, "revoked", "ok", token, "revoked as the Worker", "worker");
    } catch (err) {
      if (!isHttp(err, 404) && !isHttp(err, 403)) return this.failedOrLater(item, err, token);
    }
    // "Revoked meanwhile", or not the Worker's to see or touch (another customer): ask the token.
    try {
      await this.deps.tokens.proveLive(item.raw);
    } catch (err) {
      if (isHttp(err, 401) || isHttp(err, 404)) {
        await this.deps.tokens.recordRevokedElsewhere(live, item.tokenHash);
        return this.done(item, "already_revoked", "already_revoked", token, "revoked as the Worker", "worker");
      }
      if (!isHttp(err, 403)) return this.failedOrLater(item, err, token);
    }
    this.done(item, "failed", "failed", token, "the token may not revoke itself and the Worker's token cannot revoke it (another customer?)");
  }

  /** The live check was refused (403): the value is a credential. Revoke it as itself; else it is unverified. */
  private async revokeUnreadable(item: Claimed & { unknownOnRead: boolean }): Promise<void> {
    if (this.deps.dryRun) return this.done(item, "dry_run", "dry_run", undefined, "Fastly refused the live check (403): it is a credential");
    if (!this.fits(1)) return this.later(item, "over this invocation's subrequest budget", 0, { overBudget: true });
    try {
      await this.deps.tokens.revokeLeakedAsItself(item.raw, {}, item.tokenHash);
      return this.done(item, "revoked", "ok", undefined, "revoked as itself (it may not read itself)", "self");
    } catch (err) {
      if (isHttp(err, 401)) return this.done(item, "not_live", "not_live", undefined, "Fastly answered 401 to revoking it");
      // Where Fastly answers unknown keys with 403 (one reading of the reference), its message is the only difference
      // from a live key that lacks permission: both the read and the revocation saying "unknown key" prove it.
      if (unknownKey(err) && item.unknownOnRead) {
        return this.done(item, "not_live", "not_live", undefined, "Fastly refused it as unknown credentials (403) to reading and to revoking it");
      }
      if (isHttp(err, 429)) return this.rateLimited(item, (err as FastlyApiError).rateLimit.reset);
      if (err instanceof FastlyApiError && err.retryable) return this.failedOrLater(item, err);
      // With no id (the live check gave none) there is no fallback: neither revoked nor proven dead.
      const status = err instanceof FastlyApiError ? err.status || err.kind : "error";
      this.later(item, `Fastly refused both the live check (403) and self-revocation (${status})`, this.deps.backoff(item.attempts), { unverified: true });
    }
  }

  private fits(calls: number): boolean {
    return this.deps.spent() + calls + this.deps.reserve <= this.deps.budget;
  }

  private done(item: Claimed, status: Extract<Verdict, { kind: "done" }>["status"], audit: AuditResult, token?: TokenSummary, detail?: string, via?: "self" | "worker" | "bulk"): void {
    this.verdicts.set(item.tokenHash, { kind: "done", status, audit, ...(token ? { token } : {}), ...(via ? { via } : {}), ...(detail ? { detail } : {}) });
  }

  private later(item: Claimed, reason: string, delaySeconds: number, extra: { unverified?: boolean; overBudget?: boolean; retryAt?: string } = {}): void {
    this.verdicts.set(item.tokenHash, { kind: "later", reason, delaySeconds, ...extra });
  }

  /** Queued for the user's rate-limit reset (Fastly's own figure), never a blind retry. */
  private rateLimited(item: Claimed, reset: number | null): void {
    const nowSec = Math.floor(this.deps.now().getTime() / 1000);
    const delay = reset && reset > nowSec ? Math.min(MAX_QUEUE_DELAY, reset - nowSec + 1) : this.deps.backoff(item.attempts);
    const retryAt = new Date((nowSec + delay) * 1000).toISOString();
    this.later(item, `Fastly's hourly rate limit for this token's user is spent: retrying at ${retryAt}`, delay, { retryAt });
  }

  /** A retryable upstream failure waits (backoff; none before a fresh report's first retry); others fail. */
  private failedOrLater(item: Claimed, err: unknown, token?: TokenSummary): void {
    if (isHttp(err, 429)) this.rateLimited(item, (err as FastlyApiError).rateLimit.reset);
    else if (err instanceof FastlyApiError && err.retryable) {
      this.later(item, failureText(err, "retry"), item.attempts === 0 ? 0 : this.deps.backoff(item.attempts));
    } else this.done(item, "failed", "failed", token, failureText(err, "revocation"));
  }
}

/** Fastly's words for a key it does not know (with 401, or with 403 under the other reading of the reference). */
const UNKNOWN_KEY_MSG = "Provided credentials are missing or invalid";

function unknownKey(err: unknown): boolean {
  return isHttp(err, 403) && (err as FastlyApiError).msg === UNKNOWN_KEY_MSG;
}

function isHttp(err: unknown, status: number): boolean {
  return err instanceof FastlyApiError && err.kind === "http" && err.status === status;
}

