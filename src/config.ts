// zod/mini keeps the Worker bundle small: same validation, functional API.
import * as z from "zod/mini";
import { TOKEN_SCOPES } from "./fastly/schemas";
import type { Env } from "./env";
import type { ChatPolicy } from "./chatops/authorize";

const bool = (fallback: boolean) =>
  z.pipe(
    z.optional(z.enum(["true", "false", "1", "0", "yes", "no"], { message: 'expected "true" or "false"' })),
    z.transform((v) => (v === undefined ? fallback : v === "true" || v === "1" || v === "yes")),
  );

const int = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        // Never the value: a secret pasted into the wrong setting would be echoed to the log (and once, the caller).
        ctx.issues.push({ code: "custom", message: `expected an integer from ${min} to ${max}`, input: "" });
        return z.NEVER;
      }
      return n;
    }),
  );

const words = z.pipe(
  z.optional(z.string()),
  z.transform((v) => (v ? v.split(/[\s,]+/).filter(Boolean) : [])),
);
const wordsOr = (fallback: string[]) => z.pipe(words, z.transform((w) => (w.length ? w : fallback)));
/** Pre-shared tokens, comma- or space-separated so a new one can be added before the old one is removed. */
const tokenList = (min: number) => z.pipe(words, z.array(z.string().check(z.minLength(min, `each token must be at least ${min} characters`))));

/**
 * What a Worker API key may do. `admin` is separate from `revoke` on purpose: with `?force=true` it may revoke the
 * Worker's own FASTLY_API_TOKEN (which takes every surface down) and, on the dashboard, sign everyone out.
 */
export const API_KEY_SCOPES = ["read", "revoke", "create", "admin"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A Worker-issued API key as configured: the key itself is never stored, only its SHA-256. */
const ApiKeySchema = z.object({
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lowercase hex characters")),
  scopes: z.array(z.enum(API_KEY_SCOPES)).check(z.minLength(1)),
  customer_id: z.optional(z.string().check(z.minLength(1))),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** A setting holding JSON: parsed, then validated by `schema`; the first issue names its path, never the value. */
function jsonSetting<S extends z.ZodMiniType, T>(schema: S, whenEmpty: T, expected: string, finish: (v: z.infer<S>) => T) {
  return z.pipe(
    z.optional(z.string()),
    z.transform((v, ctx): T => {
      if (!v?.trim()) return whenEmpty;
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        ctx.issues.push({ code: "custom", message: `must be ${expected}`, input: "" });
        return z.NEVER;
      }
      const result = schema.safeParse(parsed);
      if (!result.success) {
        const issue = result.error.issues[0];
        // zod quotes an unrecognised key, which is part of the value; the schema's own paths and messages are not.
        const problem = issue?.code === "unrecognized_keys" ? "has a field that is not allowed" : issue?.message;
        ctx.issues.push({ code: "custom", message: `${issue?.path.join(".")}: ${problem}`, input: "" });
        return z.NEVER;
      }
      return finish(result.data);
    }),
  );
}

const apiKeys = jsonSetting(z.array(ApiKeySchema), [] as ApiKey[], "a JSON array", (keys) => keys);

const ids = z.optional(z.array(z.string()));
const allowList = z.strictObject({ users: ids, teams: ids, channels: ids, guilds: ids, roles: ids });
const platformPolicy = z.strictObject({ read: z._default(allowList, {}), revoke: z._default(allowList, {}) });
type ChatPolicies = Record<"slack" | "discord" | "mattermost", ChatPolicy>;
const emptyPolicy: ChatPolicies = {
  slack: { read: {}, revoke: {} },
  discord: { read: {}, revoke: {} },
  mattermost: { read: {}, revoke: {} },
};

/** JSON: {"slack": {"read": {...}, "revoke": {...}}, "discord": {...}, "mattermost": {...}}; absent = deny all. */
const chatPolicy = jsonSetting(
  z.strictObject({ slack: z.optional(platformPolicy), discord: z.optional(platformPolicy), mattermost: z.optional(platformPolicy) }),
  emptyPolicy,
  "a JSON object",
  (policy) => ({ ...emptyPolicy, ...policy }) as ChatPolicies,
);

const secret = z.optional(z.string().check(z.minLength(1)));
const url = z.optional(z.url());
const urlOr = (fallback: string) => z._default(z.url(), fallback);

const ConfigSchema = z.object({
  FASTLY_API_TOKEN: secret,
  FASTLY_API_BASE_URL: urlOr("https://api.fastly.com"),
  API_KEYS: apiKeys,
  ALLOW_PASSTHROUGH: bool(true),
  DRY_RUN: bool(false),
  CACHE_TTL_SECONDS: int(300, 60, 86_400),
  TOMBSTONE_TTL_SECONDS: int(30 * 86_400, 60),
  AUDIT_RETENTION_DAYS: int(90, 1, 3650),
  MAX_BODY_BYTES: int(64 * 1024, 1024, 25 * 1024 * 1024),
  UPSTREAM_TIMEOUT_MS: int(10_000, 100, 60_000),
  CREATE_MAX_LIFETIME_DAYS: int(0, 0, 3650),
  CREATE_ALLOWED_SCOPES: z.pipe(words, z.array(z.enum(TOKEN_SCOPES))),
  CREATE_REQUIRE_SERVICES: bool(false),
  SEAL_SECRET: z.optional(z.string().check(z.minLength(16, "must be at least 16 characters"))),
  SUBREQUEST_BUDGET: int(50, 10, 1000),
  LEAK_MAX_ATTEMPTS: int(6, 1, 100),
  // Fastly documents no maximum for a bulk revocation; 100 ids keep the body small. Lower it if Fastly refuses.
  LEAK_BULK_MAX: int(100, 1, 1000),
  NOTIFY_SLACK_WEBHOOK_URL: url,
  NOTIFY_WEBHOOK_URL: url,
  NOTIFY_WEBHOOK_SECRET: secret,
  GITHUB_WEBHOOK_SECRET: secret,
  GITHUB_TOKEN: secret,
  GITHUB_API_BASE_URL: urlOr("https://api.github.com"),
  GITHUB_SECRET_TYPES: wordsOr(["fastly_api_token"]),
  GITHUB_PARTNER_KEYS_URL: urlOr("https://api.github.com/meta/public_keys/secret_scanning"),
  GITLAB_PARTNER_KEYS_URL: url,
  GITLAB_REVOCATION_TOKEN: tokenList(16),
  GITLAB_REVOCATION_RATE_LIMIT: int(60, 1, 10_000),
  PARTNER_TOKEN_TYPES: wordsOr(["fastly_api_token"]),
  SCANNER_WEBHOOK_SECRETS: words,
  SLACK_SIGNING_SECRET: secret,
  SLACK_RESPONSE_URL_PREFIX: urlOr("https://hooks.slack.com/"),
  DISCORD_PUBLIC_KEY: z.optional(z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters"))),
  DISCORD_APPLICATION_ID: z.optional(z.string().check(z.regex(/^\d{1,25}$/, "must be a numeric id"))),
  DISCORD_API_BASE_URL: urlOr("https://discord.com/api/v10"),
  MATTERMOST_TOKEN: secret,
  MATTERMOST_RESPONSE_URL_PREFIX: url,
  CHAT_POLICY: chatPolicy,
  // Owner notices: every channel off by default.
  OWNER_IN_NOTIFICATIONS: bool(false),
  OWNER_EMAIL_ENABLED: bool(false),
  OWNER_EMAIL_FROM: z.optional(z.email("must be an e-mail address")),
  OWNER_SLACK_ENABLED: bool(false),
  OWNER_SLACK_BOT_TOKEN: z.optional(z.string().check(z.regex(/^xox[bp]-[A-Za-z0-9-]+$/, "must be a Slack bot token (xoxb-…)"))),
  SLACK_API_BASE_URL: urlOr("https://slack.com/api"),
  OWNER_NOTICE_CONTACT: z._default(z.string().check(z.minLength(1), z.maxLength(200, "must be at most 200 characters")), "your security team"),
});

export interface Config {
  fastly: { token?: string; baseUrl: string; timeoutMs: number };
  apiKeys: ApiKey[];
  allowPassthrough: boolean;
  dryRun: boolean;
  cacheTtl: number;
  tombstoneTtl: number;
  auditRetentionSeconds: number;
  maxBodyBytes: number;
  createPolicy: { maxLifetimeDays: number; allowedScopes: string[]; requireServices: boolean };
  leak: { sealSecret?: string; subrequestBudget: number; maxAttempts: number; bulkMax: number };
  notify: { slackWebhookUrl?: string; webhookUrl?: string; webhookSecret?: string };
  github: {
    webhookSecret?: string;
    token?: string;
    apiBaseUrl: string;
    secretTypes: string[];
    partnerKeysUrl: string;
  };
  /** `revocationTokens`: accepted bearer tokens for `/v1` (empty = disabled); `revocationRateLimit`: per minute, per isolate. */
  gitlab: { partnerKeysUrl?: string; revocationTokens: string[]; revocationRateLimit: number };
  partnerTokenTypes: string[];
  scannerSecrets: string[];
  slack: { signingSecret?: string; responseUrlPrefix: string };
  discord: { publicKey?: string; applicationId?: string; apiBaseUrl: string };
  mattermost: { token?: string; responseUrlPrefix?: string };
  chatPolicy: ChatPolicies;
  /**
   * Telling a leaked token's owner. A channel that is switched on but lacks a setting stays on with `missing` set:
   * the owner-notice step then says in the audit which setting is missing instead of silently sending nothing.
   */
  owner: OwnerNoticeConfig;
}

export interface OwnerNoticeConfig {
  /** The owner's login and name in the security-channel notice and the signed webhook. */
  inNotifications: boolean;
  email: { enabled: boolean; from?: string; missing?: string };
  slack: { enabled: boolean; botToken?: string; apiBaseUrl: string; missing?: string };
  /** Whom to contact, in words; shown in every owner notice. */
  contact: string;
}

/**
 * A setting that is missing or malformed. The message ("Setting NAME is invalid: what was expected") is for the
 * log and the operator; it names the setting and never echoes its value. Callers learn `setting` at most.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The setting's name, read from the message every producer writes as "Setting NAME is invalid: …". */
  readonly setting: string = /^Setting ([A-Za-z0-9_]+)\b/.exec(this.message)?.[1] ?? "unknown";
}

const cache = new WeakMap<object, Config>();

/** Parses `env` once per isolate (cached per env object) into a typed {@link Config}. */
export function loadConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Setting ${String(issue?.path[0] ?? "?")} is invalid: ${issue?.message}`);
  }
  const e = parsed.data;
  const config: Config = {
    fastly: { token: e.FASTLY_API_TOKEN, baseUrl: e.FASTLY_API_BASE_URL, timeoutMs: e.UPSTREAM_TIMEOUT_MS },
    apiKeys: e.API_KEYS,
    allowPassthrough: e.ALLOW_PASSTHROUGH,
    dryRun: e.DRY_RUN,
    cacheTtl: e.CACHE_TTL_SECONDS,
    tombstoneTtl: e.TOMBSTONE_TTL_SECONDS,
    auditRetentionSeconds: e.AUDIT_RETENTION_DAYS * 86_400,
    maxBodyBytes: e.MAX_BODY_BYTES,
    createPolicy: {
      maxLifetimeDays: e.CREATE_MAX_LIFETIME_DAYS,
      allowedScopes: e.CREATE_ALLOWED_SCOPES,
      requireServices: e.CREATE_REQUIRE_SERVICES,
    },
    leak: { sealSecret: e.SEAL_SECRET, subrequestBudget: e.SUBREQUEST_BUDGET, maxAttempts: e.LEAK_MAX_ATTEMPTS, bulkMax: e.LEAK_BULK_MAX },
    notify: {
      slackWebhookUrl: e.NOTIFY_SLACK_WEBHOOK_URL,
      webhookUrl: e.NOTIFY_WEBHOOK_URL,
      webhookSecret: e.NOTIFY_WEBHOOK_SECRET,
    },
    github: {
      webhookSecret: e.GITHUB_WEBHOOK_SECRET,
      token: e.GITHUB_TOKEN,
      apiBaseUrl: e.GITHUB_API_BASE_URL,
      secretTypes: e.GITHUB_SECRET_TYPES,
      partnerKeysUrl: e.GITHUB_PARTNER_KEYS_URL,
    },
    gitlab: {
      partnerKeysUrl: e.GITLAB_PARTNER_KEYS_URL,
      revocationTokens: e.GITLAB_REVOCATION_TOKEN,
      revocationRateLimit: e.GITLAB_REVOCATION_RATE_LIMIT,
    },
    partnerTokenTypes: e.PARTNER_TOKEN_TYPES,
    scannerSecrets: e.SCANNER_WEBHOOK_SECRETS,
    slack: { signingSecret: e.SLACK_SIGNING_SECRET, responseUrlPrefix: e.SLACK_RESPONSE_URL_PREFIX },
    discord: { publicKey: e.DISCORD_PUBLIC_KEY, applicationId: e.DISCORD_APPLICATION_ID, apiBaseUrl: e.DISCORD_API_BASE_URL },
    mattermost: { token: e.MATTERMOST_TOKEN, responseUrlPrefix: e.MATTERMOST_RESPONSE_URL_PREFIX },
    chatPolicy: e.CHAT_POLICY,
    owner: {
      inNotifications: e.OWNER_IN_NOTIFICATIONS,
      email: { enabled: e.OWNER_EMAIL_ENABLED, from: e.OWNER_EMAIL_FROM, ...(e.OWNER_EMAIL_ENABLED && !e.OWNER_EMAIL_FROM ? { missing: "OWNER_EMAIL_FROM" } : {}) },
      slack: {
        enabled: e.OWNER_SLACK_ENABLED,
        botToken: e.OWNER_SLACK_BOT_TOKEN,
        apiBaseUrl: e.SLACK_API_BASE_URL.replace(/\/+$/, ""),
        ...(e.OWNER_SLACK_ENABLED && !e.OWNER_SLACK_BOT_TOKEN ? { missing: "OWNER_SLACK_BOT_TOKEN" } : {}),
      },
      contact: e.OWNER_NOTICE_CONTACT,
    },
  };
  cache.set(env, config);
  return config;
}
