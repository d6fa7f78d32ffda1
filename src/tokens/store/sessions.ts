import { sha256Hex } from "../../crypto/hash";
import type { Sql } from "./sql";

/**
 * Dashboard sessions (D1 table `sessions`). The cookie stays signed (it cannot be forged); this record is what lets
 * logout, and an admin's "sign out everywhere", end a session before its cookie expires. Rows are named by the
 * SHA-256 of the session id, so a leaked table row is not a cookie.
 */
export class SessionStore {
  constructor(private readonly sql: Sql) {}

  async start(sessionId: string, principal: string, nowMs: number, expiresMs: number): Promise<void> {
    await this.sql.run(
      "INSERT INTO sessions (id, principal, created_ms, expires_ms) VALUES (?, ?, ?, ?)",
      await sha256Hex(sessionId),
      principal,
      nowMs,
      expiresMs,
    );
  }

  /** True while the session exists, has not been ended and has not expired. */
  async isActive(sessionId: string, nowMs: number): Promise<boolean> {
    const row = await this.sql.first<{ id: string }>(
      "SELECT id FROM sessions WHERE id = ? AND ended_ms IS NULL AND expires_ms > ?",
      await sha256Hex(sessionId),
      nowMs,
    );
    return row !== null;
  }

  async end(sessionId: string, nowMs: number): Promise<void> {
    await this.sql.run("UPDATE sessions SET ended_ms = ? WHERE id = ? AND ended_ms IS NULL", nowMs, await sha256Hex(sessionId));
  }

  /** Ends every session of `principal`; returns how many were still open. */
  async endAll(principal: string, nowMs: number): Promise<number> {
    return (await this.sql.run("UPDATE sessions SET ended_ms = ? WHERE principal = ? AND ended_ms IS NULL", nowMs, principal)).changes ?? 0;
  }

  /** Ends every open session, whoever it belongs to ("sign out everywhere"); returns how many were open. */
  async endEvery(nowMs: number): Promise<number> {
    return (await this.sql.run("UPDATE sessions SET ended_ms = ? WHERE ended_ms IS NULL AND expires_ms > ?", nowMs, nowMs)).changes ?? 0;
  }

  async purge(nowMs: number): Promise<number> {
    return (await this.sql.run("DELETE FROM sessions WHERE expires_ms < ?", nowMs)).changes ?? 0;
  }
}
