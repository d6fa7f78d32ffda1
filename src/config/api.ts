import * as z from "zod/mini";
import { TOKEN_SCOPES } from "../fastly/schemas";
import { bool, type EnvShape, int, json, secret, urlOr, words } from "./fields";

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

const settings = {
  FASTLY_API_TOKEN: secret(),
  FASTLY_API_BASE_URL: urlOr("https://api.fastly.com"),
  API_KEYS: json(z.array(ApiKeySchema), [] as ApiKey[], "a JSON array", (keys) => keys),
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
} satisfies EnvShape;

/** The Fastly-compatible API and the core's own knobs (core: a bad one fails every route). */
export const apiSection = z.pipe(
  z.object(settings),
  z.transform((e) => ({
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
      allowedScopes: e.CREATE_ALLOWED_SCOPES as string[],
      requireServices: e.CREATE_REQUIRE_SERVICES,
    },
  })),
);
export type ApiConfig = z.output<typeof apiSection>;
