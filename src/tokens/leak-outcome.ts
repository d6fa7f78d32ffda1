import type { TokenResponse } from "../fastly/schemas";

/**
 * `unverified`: Fastly's answers proved neither "revoked" nor "not live" (a person must look; it is retried).
 * `in_progress`: another invocation holds this token's claim in the ledger and will settle it.
 */
export type LeakStatus = "revoked" | "already_revoked" | "not_live" | "queued" | "dry_run" | "failed" | "unverified" | "in_progress";

/** Where a leak was found. Strings only, never the token. */
export interface LeakContext {
  source: "github_alert" | "github_partner" | "gitlab_partner" | "gitlab_revocation_api" | "standard_webhooks" | "chat" | "demo";
  url?: string;
  repository?: string;
  alertUrl?: string;
  deliveryId?: string;
  reporter?: string;
  /** ISO 8601: when the leak was first seen (a GitHub alert's `created_at`, a finding's commit date), if known. */
  firstSeenAt?: string;
}

/** Token metadata safe to show anywhere: no access_token, no ip/user_agent. */
export interface TokenSummary {
  id?: string;
  name?: string | null;
  user_id?: string;
  customer_id?: string;
  scope?: string;
  services?: string[];
  expires_at?: string | null;
}

export interface LeakOutcome {
  status: LeakStatus;
  tokenHash: string;
  token?: TokenSummary;
  context: LeakContext;
  /** How the token was revoked: as itself (`self`), by id with the Worker's token (`worker`), or in bulk (`bulk`). */
  via?: "self" | "worker" | "bulk";
  /** ISO 8601: when a queued retry will run (a rate limit's reset). */
  retryAt?: string;
  attempts?: number;
  detail?: string;
}

export function summarize(t: TokenResponse): TokenSummary {
  return {
    id: t.id,
    name: t.name ?? null,
    user_id: t.user_id,
    customer_id: t.customer_id,
    scope: t.scope,
    services: t.services ?? [],
    expires_at: t.expires_at ?? null,
  };
}
