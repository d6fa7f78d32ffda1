import type { AuditEntry, AuditResult, Surface } from "../audit-entry";
import type { Sql } from "./sql";
import { log } from "../../log";

// Long details are cut: an entry says what happened, it is not a log.
const MAX_DETAIL = 300;
const MAX_PAGE = 1000;

export interface AuditPage {
  entries: AuditEntry[];
  cursor: string | null;
}

/** What `GET /audit` and the dashboard filter by. All optional; `since`/`until` are epoch ms. */
export interface AuditFilter {
  tokenId?: string;
  ownerId?: string;
  customerId?: string;
  result?: AuditResult;
  surface?: Surface;
  operation?: string;
  since?: number;
  until?: number;
}

type NewEntry = Omit<AuditEntry, "id" | "at">;

interface Row {
  id: string;
  at_ms: number;
  surface: Surface;
  principal: string;
  operation: string;
  result: AuditResult;
  token_id: string | null;
  token_name: string | null;
  owner_id: string | null;
  customer_id: string | null;
  token_hash: string | null;
  detail: string | null;
}

const FILTER_COLUMNS = {
  tokenId: "token_id",
  ownerId: "owner_id",
  customerId: "customer_id",
  result: "result",
  surface: "surface",
  operation: "operation",
} as const;

/**
 * The append-only audit trail in D1 (table `audit_log`). Callers never pass secrets: tokens are named by id, name or
 * the SHA-256 of their value. A failed write is logged and swallowed: the action it records already happened, and
 * a lost audit row must not turn its success into an error.
 */
export class AuditLog {
  constructor(
    private readonly sql: Sql,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async append(entry: NewEntry): Promise<AuditEntry> {
    const [full] = await this.appendMany([entry]);
    return full!;
  }

  /** Many entries in one query (the leak workflow settles a whole report at once). */
  async appendMany(entries: NewEntry[]): Promise<AuditEntry[]> {
    if (entries.length === 0) return [];
    const at = this.now();
    const full = entries.map((entry) => complete(entry, at));
    try {
      await this.sql.run(
        `INSERT INTO audit_log (id, at_ms, surface, principal, operation, result, token_id, token_name, owner_id, customer_id, token_hash, detail)
         SELECT value ->> '$.id', value ->> '$.at_ms', value ->> '$.surface', value ->> '$.principal', value ->> '$.operation',
                value ->> '$.result', value ->> '$.token_id', value ->> '$.token_name', value ->> '$.owner_id',
                value ->> '$.customer_id', value ->> '$.token_hash', value ->> '$.detail'
         FROM json_each(?)`,
        JSON.stringify(full.map(toRow)),
      );
    } catch (err) {
      log.error("audit_write_failed", { entries: full.length, operation: full[0]!.operation, error: (err as Error).name });
    }
    return full;
  }

  /** Newest first, filtered in the query, so every page is full. `cursor` comes from the previous page. */
  async list(limit = 50, cursor?: string | null, filter: AuditFilter = {}): Promise<AuditPage> {
    const size = Math.min(Math.max(Math.trunc(limit), 1), MAX_PAGE);
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [field, column] of Object.entries(FILTER_COLUMNS) as [keyof typeof FILTER_COLUMNS, string][]) {
      const value = filter[field];
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    const clause = (sql: string, ...values: unknown[]) => {
      where.push(sql);
      params.push(...values);
    };
    if (filter.since !== undefined) clause("at_ms >= ?", filter.since);
    if (filter.until !== undefined) clause("at_ms < ?", filter.until);
    const after = decodeCursor(cursor);
    if (after) clause("(at_ms < ? OR (at_ms = ? AND id < ?))", after.atMs, after.atMs, after.id);
    const rows = await this.sql.all<Row>(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY at_ms DESC, id DESC LIMIT ?`,
      ...params,
      size + 1,
    );
    const page = rows.slice(0, size);
    const last = page.at(-1);
    return { entries: page.map(fromRow), cursor: rows.length > size && last ? encodeCursor(last) : null };
  }

  /** Retention: deletes entries older than `olderThanMs`. Returns how many went. */
  async purge(olderThanMs: number): Promise<number> {
    return (await this.sql.run("DELETE FROM audit_log WHERE at_ms < ?", olderThanMs)).changes ?? 0;
  }
}

function complete(entry: NewEntry, at: Date): AuditEntry {
  const random = [...crypto.getRandomValues(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const full: AuditEntry = { id: `${String(at.getTime()).padStart(13, "0")}-${random}`, at: at.toISOString(), ...entry };
  if (entry.detail !== undefined) full.detail = entry.detail.slice(0, MAX_DETAIL);
  else delete full.detail;
  return full;
}

function toRow(e: AuditEntry): Row {
  return {
    id: e.id,
    at_ms: Date.parse(e.at),
    surface: e.surface,
    principal: e.principal,
    operation: e.operation,
    result: e.result,
    token_id: e.tokenId ?? null,
    token_name: e.tokenName ?? null,
    owner_id: e.ownerId ?? null,
    customer_id: e.customerId ?? null,
    token_hash: e.tokenHash ?? null,
    detail: e.detail ?? null,
  };
}

function fromRow(r: Row): AuditEntry {
  const entry: AuditEntry = {
    id: r.id,
    at: new Date(r.at_ms).toISOString(),
    surface: r.surface,
    principal: r.principal,
    operation: r.operation,
    result: r.result,
    tokenId: r.token_id,
    tokenName: r.token_name,
    ownerId: r.owner_id,
    customerId: r.customer_id,
  };
  if (r.token_hash) entry.tokenHash = r.token_hash;
  if (r.detail !== null) entry.detail = r.detail;
  return entry;
}

function encodeCursor(row: Row): string {
  return btoa(`${row.at_ms}:${row.id}`);
}

/** Whether `cursor` is one `list` gave out (a caller's malformed cursor is refused, not read as "first page"). */
export function isAuditCursor(cursor: string): boolean {
  return decodeCursor(cursor) !== null;
}

function decodeCursor(cursor: string | null | undefined): { atMs: number; id: string } | null {
  if (!cursor) return null;
  try {
    const [ms, id] = atob(cursor).split(/:(.*)/s);
    const atMs = Number(ms);
    return Number.isSafeInteger(atMs) && id ? { atMs, id } : null;
  } catch {
    return null;
  }
}
