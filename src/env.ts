import type { RevocationJob } from "./tokens/revocation-job";

/**
 * Bindings and settings the Worker reads. Secrets (marked) are set with `wrangler secret put`;
 * every other setting is a plain var in wrangler.toml. `src/config.ts` validates all of them once per isolate.
 */
export interface Env {
  TOKENS_KV: KVNamespace;
  REVOCATIONS?: Queue<RevocationJob>;

  /** Secret: the Worker's own Fastly token, used for API-key callers, chatops and the schedule. */
  FASTLY_API_TOKEN?: string;
  FASTLY_API_BASE_URL?: string;
  /** Secret: JSON array of Worker-issued API keys, stored as SHA-256 hashes. See README "API keys". */
  API_KEYS?: string;
  ALLOW_PASSTHROUGH?: string;
  DRY_RUN?: string;
  CACHE_TTL_SECONDS?: string;
  TOMBSTONE_TTL_SECONDS?: string;
  AUDIT_RETENTION_DAYS?: string;
  MAX_BODY_BYTES?: string;
  CREATE_MAX_LIFETIME_DAYS?: string;
  CREATE_ALLOWED_SCOPES?: string;
  CREATE_REQUIRE_SERVICES?: string;
  UPSTREAM_TIMEOUT_MS?: string;
  /** Secret: the pre-shared token(s) GitLab sends to `/v1` (Token Revocation API); comma-separated while rotating. */
  GITLAB_REVOCATION_TOKEN?: string;
  /** Revocation requests a minute GitLab may send, per isolate (default 60). */
  GITLAB_REVOCATION_RATE_LIMIT?: string;
  [key: string]: unknown;
}
