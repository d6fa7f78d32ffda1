import { z } from "zod";
import { TOKEN_SCOPES } from "./fastly/schemas";
import type { Env } from "./env";
import type { ChatPolicy } from "./chatops/authorize";

const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { message: 'expected "true" or "false"' })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === "true" || v === "1" || v === "yes"));

const int = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `expected an integer from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const words = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(/[\s,]+/).filter(Boolean) : []));

export const API_KEY_SCOPES = ["read", "revoke", "create"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A Worker-issued API key as configured: the key itself is never stored, only its SHA-256. */
const ApiKeySchema = z.object({
  name: z.string().min(1).max(64),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lowercase hex characters"),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
  customer_id: z.string().min(1).optional(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

const apiKeys = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v?.trim()) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a JSON array" });
      return z.NEVER;
    }
    const result = z.array(ApiKeySchema).safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      ctx.addIssue({ code: "custom", message: `${issue?.path.join(".")}: ${issue?.message}` });
      return z.NEVER;
    }
    return result.data;
  });

const allowList = z
  .object({
    users: z.array(z.string()).optional(),
    teams: z.array(z.string()).optional(),
    channels: z.array(z.string()).optional(),
    guilds: z.array(z.string()).optional(),
    roles: z.array(z.string()).optional(),
  })
  .strict();
const platformPolicy = z.object({ read: allowList.default({}), revoke: allowList.default({}) }).strict();
const emptyPolicy: Record<"slack" | "discord" | "mattermost", ChatPolicy> = {
  slack: { read: {}, revoke: {} },
  discord: { read: {}, revoke: {} },
  mattermost: { read: {}, revoke: {} },
};

/** JSON: {"slack": {"read": {...}, "revoke": {...}}, "discord": {...}, "mattermost": {...}}; absent = deny all. */
const chatPolicy = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v?.trim()) return emptyPolicy;
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a JSON object" });
      return z.NEVER;
    }
    const result = z
      .object({ slack: platformPolicy.optional(), discord: platformPolicy.optional(), mattermost: platformPolicy.optional() })
      .strict()
      .safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      ctx.addIssue({ code: "custom", message: `${issue?.path.join(".")}: ${issue?.message}` });
      return z.NEVER;
    }
    return { ...emptyPolicy, ...result.data } as Record<"slack" | "discord" | "mattermost", ChatPolicy>;
  });

const ConfigSchema = z.object({
  FASTLY_API_TOKEN: z.string().min(1).optional(),
  FASTLY_API_BASE_URL: z.url().default("https://api.fastly.com"),
  API_KEYS: apiKeys,
  ALLOW_PASSTHROUGH: bool(true),
  DRY_RUN: bool(false),
  CACHE_TTL_SECONDS: int(300, 60, 86_400),
  TOMBSTONE_TTL_SECONDS: int(30 * 86_400, 60),
  AUDIT_RETENTION_DAYS: int(90, 1, 3650),
  MAX_BODY_BYTES: int(64 * 1024, 1024, 25 * 1024 * 1024),
  UPSTREAM_TIMEOUT_MS: int(10_000, 100, 60_000),
  CREATE_MAX_LIFETIME_DAYS: int(0, 0, 3650),
  CREATE_ALLOWED_SCOPES: words.pipe(z.array(z.enum(TOKEN_SCOPES))),
  CREATE_REQUIRE_SERVICES: bool(false),
  SEAL_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  SUBREQUEST_BUDGET: int(50, 10, 1000),
  LEAK_MAX_ATTEMPTS: int(6, 1, 100),
  NOTIFY_SLACK_WEBHOOK_URL: z.url().optional(),
  NOTIFY_WEBHOOK_URL: z.url().optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(1).optional(),
  GITHUB_WEBHOOK_SECRET: z.string().min(1).optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_API_BASE_URL: z.url().default("https://api.github.com"),
  GITHUB_SECRET_TYPES: words.transform((w) => (w.length ? w : ["fastly_api_token"])),
  GITHUB_PARTNER_KEYS_URL: z.url().default("https://api.github.com/meta/public_keys/secret_scanning"),
  GITLAB_PARTNER_KEYS_URL: z.url().optional(),
  PARTNER_TOKEN_TYPES: words.transform((w) => (w.length ? w : ["fastly_api_token"])),
  SCANNER_WEBHOOK_SECRETS: words,
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_RESPONSE_URL_PREFIX: z.url().default("https://hooks.slack.com/"),
  DISCORD_PUBLIC_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters").optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{1,25}$/, "must be a numeric id").optional(),
  DISCORD_API_BASE_URL: z.url().default("https://discord.com/api/v10"),
  MATTERMOST_TOKEN: z.string().min(1).optional(),
  MATTERMOST_RESPONSE_URL_PREFIX: z.url().optional(),
  CHAT_POLICY: chatPolicy,
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
  leak: { sealSecret?: string; subrequestBudget: number; maxAttempts: number };
  notify: { slackWebhookUrl?: string; webhookUrl?: string; webhookSecret?: string };
  github: {
    webhookSecret?: string;
    token?: string;
    apiBaseUrl: string;
    secretTypes: string[];
    partnerKeysUrl: string;
  };
  gitlab: { partnerKeysUrl?: string };
  partnerTokenTypes: string[];
  scannerSecrets: string[];
  slack: { signingSecret?: string; responseUrlPrefix: string };
  discord: { publicKey?: string; applicationId?: string; apiBaseUrl: string };
  mattermost: { token?: string; responseUrlPrefix?: string };
  chatPolicy: Record<"slack" | "discord" | "mattermost", ChatPolicy>;
}

/** A setting that is missing or malformed; the message names it and never echoes its value. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
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
    leak: { sealSecret: e.SEAL_SECRET, subrequestBudget: e.SUBREQUEST_BUDGET, maxAttempts: e.LEAK_MAX_ATTEMPTS },
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
    gitlab: { partnerKeysUrl: e.GITLAB_PARTNER_KEYS_URL },
    partnerTokenTypes: e.PARTNER_TOKEN_TYPES,
    scannerSecrets: e.SCANNER_WEBHOOK_SECRETS,
    slack: { signingSecret: e.SLACK_SIGNING_SECRET, responseUrlPrefix: e.SLACK_RESPONSE_URL_PREFIX },
    discord: { publicKey: e.DISCORD_PUBLIC_KEY, applicationId: e.DISCORD_APPLICATION_ID, apiBaseUrl: e.DISCORD_API_BASE_URL },
    mattermost: { token: e.MATTERMOST_TOKEN, responseUrlPrefix: e.MATTERMOST_RESPONSE_URL_PREFIX },
    chatPolicy: e.CHAT_POLICY,
  };
  cache.set(env, config);
  return config;
}
