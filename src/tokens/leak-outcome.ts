import type { TokenResponse } from "../fastly/schemas";

export type LeakStatus = "revoked" | "already_revoked" | "not_live" | "queued" | "dry_run" | "failed";

/** Where a leak was found. Strings only, never the token. */
export interface LeakContext {
  source: "github_alert" | "github_partner" | "gitlab_partner" | "gitlab_revocation_api" | "standard_webhooks" | "chat" | "demo";
  url?: string;
  repository?: string;
  alertUrl?: string;
  deliveryId?: string;
  reporter?: string;
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
  /** How the token was revoked: as itself (`self`) or by id with the Worker's token (`worker`). */
  via?: "self" | "worker";
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
