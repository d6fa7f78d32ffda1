import * as z from "zod/mini";
import { ConfigError } from "../../config";
import type { Env } from "../../env";
import { firstIssue, intSetting, jsonTextSetting, secretSetting, urlSetting, wordsSetting } from "../../hygiene/setting-types";

/** The dashboard's settings. Documented in docs/hygiene.md. */
export interface DashboardSettings {
  /** Signs API-key sessions and CSRF tokens; DASHBOARD_SESSION_SECRET, else SEAL_SECRET. Absent: API-key sign-in and revoking are off. */
  sessionSecret?: string;
  sessionTtlSeconds: number;
  /** Cloudflare Access, when both the team domain and at least one application AUD tag are set. */
  access?: {
    issuer: string;
    audiences: string[];
    /** A pinned key set (JSON), used instead of fetching `jwksUrl`. */
    jwksJson?: string;
    jwksUrl: string;
    /** Access users who may revoke (lowercase emails; "*" = every Access user). Everyone else may only read. */
    revokeEmails: string[];
  };
  auditEntries: number;
}

const SettingsSchema = z.object({
  DASHBOARD_SESSION_SECRET: secretSetting(32),
  SEAL_SECRET: secretSetting(16),
  DASHBOARD_SESSION_TTL_MINUTES: intSetting(60, 5, 24 * 60),
  DASHBOARD_AUDIT_ENTRIES: intSetting(20, 5, 100),
  ACCESS_TEAM_DOMAIN: urlSetting,
  ACCESS_AUD: wordsSetting,
  ACCESS_JWKS_URL: urlSetting,
  ACCESS_JWKS: jsonTextSetting((v) => Array.isArray((v as { keys?: unknown } | null)?.keys), 'a JSON key set: {"keys": [...]}'),
  ACCESS_REVOKE_EMAILS: z.pipe(wordsSetting, z.transform((w) => w.map((e) => e.toLowerCase()))),
});

const cache = new WeakMap<object, DashboardSettings>();

export function loadDashboardSettings(env: Env): DashboardSettings {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = SettingsSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(firstIssue(parsed.error));
  const e = parsed.data;
  const accessWanted = Boolean(e.ACCESS_TEAM_DOMAIN) || e.ACCESS_AUD.length > 0;
  if (accessWanted && (!e.ACCESS_TEAM_DOMAIN || e.ACCESS_AUD.length === 0)) {
    throw new ConfigError("Setting ACCESS_AUD is invalid: Cloudflare Access needs both ACCESS_TEAM_DOMAIN and ACCESS_AUD");
  }
  const issuer = e.ACCESS_TEAM_DOMAIN ? new URL(e.ACCESS_TEAM_DOMAIN).origin : undefined;
  const settings: DashboardSettings = {
    sessionSecret: e.DASHBOARD_SESSION_SECRET ?? e.SEAL_SECRET,
    sessionTtlSeconds: e.DASHBOARD_SESSION_TTL_MINUTES * 60,
    access: issuer
      ? {
          issuer,
          audiences: e.ACCESS_AUD,
          jwksJson: e.ACCESS_JWKS,
          jwksUrl: e.ACCESS_JWKS_URL ?? `${issuer}/cdn-cgi/access/certs`,
          revokeEmails: e.ACCESS_REVOKE_EMAILS,
        }
      : undefined,
    auditEntries: e.DASHBOARD_AUDIT_ENTRIES,
  };
  cache.set(env, settings);
  return settings;
}
