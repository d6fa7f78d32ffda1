import type { Sql } from "./sql";

/** A leaked value's state. `claimed` is transient: one invocation is working on it. */
export type LedgerState = "claimed" | "revoked" | "not_live" | "failed" | "unverified" | "queued";

/** States that settle a value for good: a later report is answered from the ledger without asking Fastly. */
export const SETTLED: readonly LedgerState[] = ["revoked", "not_live"];

export interface LedgerRow {
  token_hash: string;
  state: LedgerState;
  claim_until_ms: number | null;
  first_seen_ms: number;
  reported_ms: number;
  updated_ms: number;
  revoked_ms: number | null;
  attempts: number;
  source: string | null;
  token_id: string | null;
  token_name: string | null;
  owner_id: string | null;
  customer_id: string | null;
  detail: string | null;
}

export interface ClaimRequest {
  tokenHash: string;
  /** When the leak was first seen (epoch ms): the report's own date where it has one, else receipt. */
  firstSeenMs: number;
  source: string;
}

/** When a settled value was first seen and revoked, as the settling query left it (for time to revoke). */
export interface SettledTimes {
  token_hash: string;
  first_seen_ms: number;
  reported_ms: number;
  revoked_ms: number | null;
}

export interface Settlement {
  tokenHash: string;
  state: Exclude<LedgerState, "claimed">;
  tokenId?: string | null;
  tokenName?: string | null;
  ownerId?: string | null;
  customerId?: string | null;
  detail?: string | null;
}

/**
 * The revocation ledger (D1 table `ledger`): one row per leaked value, named by its SHA-256.
 * `claim` is one atomic upsert for a whole report: a value is won by exactly one invocation, however many reports of
 * it arrive at once, unless it is settled (`revoked`, `not_live`) or another invocation's claim is still fresh.
 * A claim that was never settled (the invocation died) expires after `claimMs` and can be won again.
 */
export class RevocationLedger {
  constructor(
    private readonly sql: Sql,
    private readonly claimMs = 60_000,
  ) {}

  /** Claims what can be claimed; returns the hashes this caller won. One query. */
  async claim(requests: ClaimRequest[], nowMs: number): Promise<Set<string>> {
    if (requests.length === 0) return new Set();
    const rows = await this.sql.all<{ token_hash: string }>(
      `INSERT INTO ledger (token_hash, state, claim_until_ms, first_seen_ms, reported_ms, updated_ms, attempts, source)
       SELECT value ->> '$.h', 'claimed', ?1, value ->> '$.seen', ?2, ?2, 1, value ->> '$.source' FROM json_each(?3) WHERE true
       ON CONFLICT (token_hash) DO UPDATE SET
         state = 'claimed', claim_until_ms = excluded.claim_until_ms, updated_ms = excluded.updated_ms,
         attempts = ledger.attempts + 1, first_seen_ms = MIN(ledger.first_seen_ms, excluded.first_seen_ms)
       WHERE ledger.state IN ('failed', 'unverified', 'queued') OR (ledger.state = 'claimed' AND ledger.claim_until_ms < ?2)
       RETURNING token_hash`,
      nowMs + this.claimMs,
      nowMs,
      JSON.stringify(requests.map((r) => ({ h: r.tokenHash, seen: Math.min(r.firstSeenMs, nowMs), source: r.source }))),
    );
    return new Set(rows.map((r) => r.token_hash));
  }

  /** Rows for the given hashes (those not won by a claim, to answer from). One query. */
  async get(tokenHashes: string[]): Promise<Map<string, LedgerRow>> {
    if (tokenHashes.length === 0) return new Map();
    const rows = await this.sql.all<LedgerRow>(
      "SELECT * FROM ledger WHERE token_hash IN (SELECT value FROM json_each(?))",
      JSON.stringify(tokenHashes),
    );
    return new Map(rows.map((r) => [r.token_hash, r]));
  }

  /**
   * Records how claimed values ended. Only rows still claimed (or queued) are changed, so a late, slow invocation
   * never overwrites `revoked` with anything else. One query for the whole set; it answers with the first-seen and
   * revoked times of the rows it changed (time to revoke, without another query).
   */
  async settle(settlements: Settlement[], nowMs: number): Promise<SettledTimes[]> {
    if (settlements.length === 0) return [];
    return this.sql.all<SettledTimes>(
      `UPDATE ledger SET
         state = s.value ->> '$.state',
         claim_until_ms = NULL,
         updated_ms = ?1,
         revoked_ms = CASE WHEN s.value ->> '$.state' = 'revoked' THEN ?1 ELSE ledger.revoked_ms END,
         token_id = COALESCE(s.value ->> '$.tokenId', ledger.token_id),
         token_name = COALESCE(s.value ->> '$.tokenName', ledger.token_name),
         owner_id = COALESCE(s.value ->> '$.ownerId', ledger.owner_id),
         customer_id = COALESCE(s.value ->> '$.customerId', ledger.customer_id),
         detail = s.value ->> '$.detail'
       FROM json_each(?2) AS s
       WHERE ledger.token_hash = s.value ->> '$.tokenHash' AND ledger.state NOT IN ('revoked', 'not_live')
       RETURNING token_hash, first_seen_ms, reported_ms, revoked_ms`,
      nowMs,
      JSON.stringify(settlements),
    );
  }

  /** Leaks updated since `sinceMs`, newest first (the Leaks view, the digest, /metrics). */
  async since(sinceMs: number, limit = 1000): Promise<LedgerRow[]> {
    return this.sql.all<LedgerRow>("SELECT * FROM ledger WHERE updated_ms >= ? ORDER BY updated_ms DESC LIMIT ?", sinceMs, limit);
  }
}
