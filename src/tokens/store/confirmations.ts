import * as z from "zod/mini";
import type { Sql } from "./sql";

const PendingSchema = z.object({
  tokenIds: z.array(z.string()).check(z.minLength(1)),
  principal: z.string(),
});
export type PendingConfirmation = z.infer<typeof PendingSchema> & { /** epoch seconds */ expiresAt: number };

/**
 * Chat confirmations (D1 table `confirmations`): the token ids a confirmation button stands for and who asked.
 * Neither is a secret. A button is single use: `consume` is one atomic update, so of two concurrent clicks, in any
 * location, exactly one wins.
 */
export class ConfirmationStore {
  constructor(private readonly sql: Sql) {}

  async save(nonce: string, pending: PendingConfirmation): Promise<void> {
    await this.sql.run(
      "INSERT INTO confirmations (nonce, payload, expires_ms) VALUES (?, ?, ?)",
      nonce,
      JSON.stringify({ tokenIds: pending.tokenIds, principal: pending.principal }),
      pending.expiresAt * 1000,
    );
  }

  /** The pending confirmation, used or not (`used` says which); null when unknown or unreadable. */
  async load(nonce: string): Promise<(PendingConfirmation & { used: boolean }) | null> {
    const row = await this.sql.first<{ payload: string; expires_ms: number; used_ms: number | null }>(
      "SELECT payload, expires_ms, used_ms FROM confirmations WHERE nonce = ?",
      nonce,
    );
    if (!row) return null;
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch {
      return null;
    }
    const parsed = PendingSchema.safeParse(payload);
    if (!parsed.success) return null;
    return { ...parsed.data, expiresAt: Math.floor(row.expires_ms / 1000), used: row.used_ms !== null };
  }

  /** Marks the button used. False when it was already used or has expired: the click must be refused. */
  async consume(nonce: string, nowMs: number): Promise<boolean> {
    const row = await this.sql.first<{ nonce: string }>(
      "UPDATE confirmations SET used_ms = ?1 WHERE nonce = ?2 AND used_ms IS NULL AND expires_ms >= ?1 RETURNING nonce",
      nowMs,
      nonce,
    );
    return row !== null;
  }

  /** Retention: confirmations a day past their expiry. */
  async purge(nowMs: number): Promise<number> {
    return (await this.sql.run("DELETE FROM confirmations WHERE expires_ms < ?", nowMs - 86_400_000)).changes ?? 0;
  }
}
