/// <reference path="../worker-configuration.d.ts" />
import type { RevocationJob } from "./tokens/revocation-job";

/**
 * The bindings the Worker uses, as `wrangler types` generates them from wrangler.toml (`npm run types` writes
 * worker-configuration.d.ts, checked in; `npm test` fails when it is stale). Picking a name that wrangler.toml
 * lacks fails the build. Only bindings are picked: a `[vars]` entry someone adds to wrangler.toml is generated as a
 * literal type, which would clash with the optional string settings declared below.
 */
type Bindings = Pick<Cloudflare.Env, "TOKENS_KV" | "DB" | "REVOCATIONS" | "OWNER_EMAIL" | "ASSETS">;

/**
 * Bindings and settings the Worker reads. `wrangler types` runs without .dev.vars, so the generated file is the
 * same on every machine and names no secret: the settings are declared here instead, all optional, since a
 * surface whose settings are absent is disabled. Secrets (marked) are set with `wrangler secret put`; everything
 * else may be a `[vars]` entry. No index signature: src/config/ reads every setting by its name here (a misspelt
 * name fails the build, and so does a setting declared here that no section reads), and parses them once per
 * isolate, one section per file.
 */
export interface Env extends Omit<Bindings, "REVOCATIONS" | "OWNER_EMAIL" | "ASSETS"> {
  /** The generated binding carries `unknown` messages; the Worker sends only revocation jobs. */
  REVOCATIONS: Queue<RevocationJob>;
  /** Cloudflare Email Service (`[[send_email]]`): owner notices for leaked tokens. Optional: absent = no e-mail. */
  OWNER_EMAIL?: Bindings["OWNER_EMAIL"];
  /** Workers static assets (`[assets]`, folder public/): /openapi.json and the dashboard stylesheet. */
  ASSETS?: Bindings["ASSETS"];

  // Fastly and the compatible API (src/config/api.ts).
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
  UPSTREAM_TIMEOUT_MS?: string;
  CREATE_MAX_LIFETIME_DAYS?: string;
  CREATE_ALLOWED_SCOPES?: string;
  CREATE_REQUIRE_SERVICES?: string;

  // Leak intake and notifications (src/config/leaks.ts, src/config/notify.ts).
  /** Secret: seals tokens in queue messages; also signs chat confirmations and, by default, dashboard sessions. */
  SEAL_SECRET?: string;
  SUBREQUEST_BUDGET?: string;
  LEAK_MAX_ATTEMPTS?: string;
  LEAK_BULK_MAX?: string;
  /** Secret: a Slack incoming-webhook URL lets anyone who has it post to the channel. */
  NOTIFY_SLACK_WEBHOOK_URL?: string;
  NOTIFY_WEBHOOK_URL?: string;
  /** Secret */
  NOTIFY_WEBHOOK_SECRET?: string;
  /** Secret */
  GITHUB_WEBHOOK_SECRET?: string;
  /** Secret */
  GITHUB_TOKEN?: string;
  GITHUB_API_BASE_URL?: string;
  GITHUB_SECRET_TYPES?: string;
  GITHUB_PARTNER_KEYS_URL?: string;
  GITLAB_PARTNER_KEYS_URL?: string;
  PARTNER_TOKEN_TYPES?: string;
  /** Secret */
  SCANNER_WEBHOOK_SECRETS?: string;

  // Telling a leaked token's owner (src/config/owner.ts). Every channel is off by default.
  /** "true": the owner's login and name in the security-channel notice and the signed webhook payload. */
  OWNER_IN_NOTIFICATIONS?: string;
  /** "true": e-mail the owner through OWNER_EMAIL (needs OWNER_EMAIL_FROM). */
  OWNER_EMAIL_ENABLED?: string;
  /** The sender address; its domain must be onboarded to Cloudflare Email Service. */
  OWNER_EMAIL_FROM?: string;
  /** "true": DM the owner on Slack (users.lookupByEmail, then chat.postMessage; needs OWNER_SLACK_BOT_TOKEN). */
  OWNER_SLACK_ENABLED?: string;
  /** Secret: a Slack bot token (xoxb-…) with the users:read.email and chat:write scopes. */
  OWNER_SLACK_BOT_TOKEN?: string;
  SLACK_API_BASE_URL?: string;
  /** Whom the owner should contact, in words ("security@example.com or #security"). */
  OWNER_NOTICE_CONTACT?: string;

  // Chatops (src/config/chat.ts).
  /** Secret */
  SLACK_SIGNING_SECRET?: string;
  SLACK_RESPONSE_URL_PREFIX?: string;
  /** Secret by convention (a public key, kept with the others). */
  DISCORD_PUBLIC_KEY?: string;
  DISCORD_APPLICATION_ID?: string;
  DISCORD_API_BASE_URL?: string;
  /** Secret */
  MATTERMOST_TOKEN?: string;
  MATTERMOST_RESPONSE_URL_PREFIX?: string;
  CHAT_POLICY?: string;

  // The schedule (src/config/hygiene.ts).
  HYGIENE_ENABLED?: string;
  DIGEST_ALWAYS?: string;
  DIGEST_EXPIRING_DAYS?: string;
  DIGEST_UNUSED_DAYS?: string;
  DIGEST_CLASSES?: string;
  DIGEST_MAX_ITEMS?: string;
  /** Secret: a webhook URL. */
  DIGEST_SLACK_WEBHOOK_URL?: string;
  /** Secret: a webhook URL. */
  DIGEST_DISCORD_WEBHOOK_URL?: string;
  DIGEST_WEBHOOK_URL?: string;
  /** Secret */
  DIGEST_WEBHOOK_SECRET?: string;
  STALE_POLICY?: string;
  STALE_AFTER_DAYS?: string;
  STALE_MAX_REVOCATIONS?: string;
  STALE_EXEMPT_TOKEN_IDS?: string;

  // The dashboard (src/config/dashboard.ts).
  /** Secret: signs sessions and CSRF tokens (else SEAL_SECRET). */
  DASHBOARD_SESSION_SECRET?: string;
  DASHBOARD_SESSION_TTL_MINUTES?: string;
  DASHBOARD_AUDIT_ENTRIES?: string;
  ACCESS_TEAM_DOMAIN?: string;
  ACCESS_AUD?: string;
  ACCESS_JWKS_URL?: string;
  ACCESS_JWKS?: string;
  ACCESS_REVOKE_EMAILS?: string;

  // GitLab's Token Revocation API (src/config/leaks.ts).
  /** Secret: the pre-shared token(s) GitLab sends to `/v1` (Token Revocation API); comma-separated while rotating. */
  GITLAB_REVOCATION_TOKEN?: string;
  /** Revocation requests a minute GitLab may send, per isolate (default 60). */
  GITLAB_REVOCATION_RATE_LIMIT?: string;
}
