import type { LedgerRow, LedgerState } from "./ledger";
import type { Sql } from "./sql";

/** How many ledger rows (leaked values) are in one state from one source. */
export interface StateCount {
  state: LedgerState;
  source: string;
  n: number;
}

/** One revoked leak's time to revoke. */
export interface RevokeTime {
  source: string;
  ms: number;
}

/** Which rows a query covers: reported since `sinceMs` (all time without it), of one customer (any without it). */
export interface FigureScope {
  sinceMs?: number;
  customerId?: string;
}

const SOURCE = "COALESCE(source, 'unknown')";
/** `?1` = since (or null), `?2` = customer (or null). */
const SCOPE = "(?1 IS NULL OR reported_ms >= ?1) AND (?2 IS NULL OR customer_id = ?2)";

/**
 * Read-only queries over the revocation ledger (D1 table `ledger`) and the dead-letter entries of the audit trail:
 * the figures a security team reports. Each method is one query; the ledger holds one row per leaked value, so
 * these read at most that many rows (migrations/0002 indexes them by report time and by state and source).
 */
export class LeakFigures {
  constructor(private readonly sql: Sql) {}

  /** Rows per state and source. */
  async states(scope: FigureScope = {}): Promise<StateCount[]> {
    return this.sql.all<StateCount>(
      `SELECT state, ${SOURCE} AS source, COUNT(*) AS n FROM ledger WHERE ${SCOPE} GROUP BY 1, 2 ORDER BY 1, 2`,
      scope.sinceMs ?? null,
      scope.customerId ?? null,
    );
  }

  /** Rows per source that were proven credentials: revoked, or read by their own `GET /tokens/self` (a token id). */
  async live(scope: FigureScope = {}): Promise<{ source: string; n: number }[]> {
    return this.sql.all(
      `SELECT ${SOURCE} AS source, COUNT(*) AS n FROM ledger WHERE ${SCOPE} AND (state = 'revoked' OR token_id IS NOT NULL) GROUP BY 1 ORDER BY 1`,
      scope.sinceMs ?? null,
      scope.customerId ?? null,
    );
  }

  /** Time to revoke of every revoked row, ascending. */
  async revokeTimes(scope: FigureScope = {}): Promise<RevokeTime[]> {
    return this.sql.all<RevokeTime>(
      `SELECT ${SOURCE} AS source, MAX(0, revoked_ms - first_seen_ms) AS ms FROM ledger
       WHERE ${SCOPE} AND state = 'revoked' AND revoked_ms IS NOT NULL ORDER BY ms`,
      scope.sinceMs ?? null,
      scope.customerId ?? null,
    );
  }

  /**
   * The leaks a person should look at first: unverified, then failed, queued and in progress, then the revoked ones
   * slowest first (the not-live ones last).
   */
  async attention(scope: FigureScope, nowMs: number, limit: number): Promise<LedgerRow[]> {
    return this.sql.all<LedgerRow>(
      `SELECT * FROM ledger WHERE ${SCOPE}
       ORDER BY CASE state WHEN 'unverified' THEN 0 WHEN 'failed' THEN 1 WHEN 'queued' THEN 2 WHEN 'claimed' THEN 3 WHEN 'revoked' THEN 4 ELSE 5 END,
                COALESCE(revoked_ms, ?3) - first_seen_ms DESC
       LIMIT ?4`,
      scope.sinceMs ?? null,
      scope.customerId ?? null,
      nowMs,
      limit,
    );
  }

  /** Entries the dead-letter consumer wrote: tokens (and GitHub alerts) that were still not revoked after every retry. */
  async deadLetters(scope: FigureScope = {}): Promise<number> {
    const row = await this.sql.first<{ n: number }>(
      `SELECT COUNT(*) AS n FROM audit_log WHERE surface = 'queue' AND principal = 'queue:revocations-dlq'
       AND (?1 IS NULL OR at_ms >= ?1) AND (?2 IS NULL OR customer_id = ?2)`,
      scope.sinceMs ?? null,
      scope.customerId ?? null,
    );
    return row?.n ?? 0;
  }
}
