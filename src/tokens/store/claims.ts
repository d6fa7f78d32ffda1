import type { Sql } from "./sql";

export type ClaimKind = "scanner" | "github" | "partner" | "gitlab" | "slack" | "discord" | "mattermost";

/**
 * Delivery and replay records (D1 table `claims`). A delivery is claimed *before* it is processed, by one atomic
 * insert-if-absent, so concurrent copies cause one effect; it is released if processing fails (so the sender's
 * retry is handled) and marked done otherwise. `key` is a hash of what the sender signed, never the unsigned
 * delivery id alone, so a replay with a fresh id is still the same delivery.
 */
export class DeliveryClaims {
  constructor(private readonly sql: Sql) {}

  /** True when this caller won the claim. An expired record (older than its window) can be claimed again. */
  async claim(kind: ClaimKind, key: string, ttlMs: number, nowMs: number): Promise<boolean> {
    const row = await this.sql.first<{ key: string }>(
      `INSERT INTO claims (key, kind, state, expires_ms) VALUES (?1, ?2, 'processing', ?3)
       ON CONFLICT (key) DO UPDATE SET state = 'processing', expires_ms = excluded.expires_ms WHERE claims.expires_ms < ?4
       RETURNING key`,
      `${kind}:${key}`,
      kind,
      nowMs + ttlMs,
      nowMs,
    );
    return row !== null;
  }

  /** The state of a claim someone holds: "processing", "done", or undefined once it is released or expired. */
  async stateOf(kind: ClaimKind, key: string, nowMs: number): Promise<"processing" | "done" | undefined> {
    const row = await this.sql.first<{ state: "processing" | "done" }>(
      "SELECT state FROM claims WHERE key = ? AND expires_ms >= ?",
      `${kind}:${key}`,
      nowMs,
    );
    return row?.state;
  }

  /** Processed: remembered until `expiresMs` (the dedupe window), so copies are refused until then. */
  async done(kind: ClaimKind, key: string, expiresMs?: number): Promise<void> {
    if (expiresMs === undefined) await this.sql.run("UPDATE claims SET state = 'done' WHERE key = ?", `${kind}:${key}`);
    else await this.sql.run("UPDATE claims SET state = 'done', expires_ms = ? WHERE key = ?", expiresMs, `${kind}:${key}`);
  }

  /** Processing failed: forget the claim so the sender's retry is processed. */
  async release(kind: ClaimKind, key: string): Promise<void> {
    await this.sql.run("DELETE FROM claims WHERE key = ? AND state = 'processing'", `${kind}:${key}`);
  }

  /** Retention: records past their window. */
  async purge(nowMs: number): Promise<number> {
    return (await this.sql.run("DELETE FROM claims WHERE expires_ms < ?", nowMs)).changes ?? 0;
  }
}
