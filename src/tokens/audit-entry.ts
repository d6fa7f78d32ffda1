/** Where an action came from. */
export type Surface = "api" | "leak" | "slack" | "discord" | "mattermost" | "schedule" | "dashboard" | "queue";

/** What happened. `dry_run` changed nothing; `queued` means a revocation is waiting in the retry queue. */
export type AuditResult =
  | "ok"
  | "dry_run"
  | "denied"
  | "error"
  | "not_live"
  | "already_revoked"
  | "queued"
  | "failed"
  | "unverified";

/**
 * One audit record. Never holds a secret: tokens are named by id/name, or by the SHA-256 of their value
 * (`tokenHash`) when the id is not known yet (a leak report for a token that is not live).
 */
export interface AuditEntry {
  id: string;
  at: string; // ISO 8601
  surface: Surface;
  principal: string; // who acted: "apikey:<name>", "token:<sha256 prefix>", "slack:T123/U456", ...
  operation: string; // "revokeToken", "bulkRevokeTokens", "createToken", "leakRevoke", ...
  result: AuditResult;
  tokenId?: string | null;
  tokenName?: string | null;
  ownerId?: string | null;
  customerId?: string | null;
  tokenHash?: string | null;
  detail?: string;
}

/** The token fields of an audit entry: ids and names only, whatever shape the token came in. */
export function tokenFields(token: { id?: string; name?: string | null; user_id?: string; customer_id?: string } | null | undefined) {
  return {
    tokenId: token?.id ?? null,
    tokenName: token?.name ?? null,
    ownerId: token?.user_id ?? null,
    customerId: token?.customer_id ?? null,
  };
}
