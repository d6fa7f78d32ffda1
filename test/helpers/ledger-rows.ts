import type { Env } from "../../src/env";

/** A ledger row to plant in a test's D1 slice, for the figures' tests. Times are epoch ms. */
export interface PlantedLeak {
  hash: string;
  state: "claimed" | "revoked" | "not_live" | "failed" | "unverified" | "queued";
  source: string;
  firstSeenMs: number;
  reportedMs?: number;
  revokedMs?: number | null;
  tokenId?: string | null;
  tokenName?: string | null;
  ownerId?: string | null;
  customerId?: string | null;
  detail?: string | null;
}

/** Writes rows straight into the env's `ledger` table, as the leak workflow would have left them. */
export async function plantLeaks(env: Env, rows: PlantedLeak[]): Promise<void> {
  await env.DB.batch(
    rows.map((r) =>
      env.DB.prepare(
        `INSERT INTO ledger (token_hash, state, first_seen_ms, reported_ms, updated_ms, revoked_ms, attempts, source, token_id, token_name, owner_id, customer_id, detail)
         VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
      ).bind(
        r.hash.padStart(64, "0"),
        r.state,
        r.firstSeenMs,
        r.reportedMs ?? r.firstSeenMs,
        r.revokedMs ?? r.reportedMs ?? r.firstSeenMs,
        r.revokedMs ?? null,
        r.source,
        r.tokenId ?? null,
        r.tokenName ?? null,
        r.ownerId ?? null,
        r.customerId ?? null,
        r.detail ?? null,
      ),
    ),
  );
}
