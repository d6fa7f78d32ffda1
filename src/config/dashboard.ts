import * as z from "zod/mini";
import { type EnvShape, fail, int, reject, secret, text, url, words } from "./fields";

const keySet = z.pipe(
  text,
  z.transform((v, ctx): string | undefined => {
    if (v === undefined) return undefined;
    try {
      if (Array.isArray((JSON.parse(v) as { keys?: unknown } | null)?.keys)) return v;
    } catch {
      // reported below
    }
    return fail(ctx, 'expected a JSON key set: {"keys": [...]}');
  }),
);

const settings = {
  DASHBOARD_SESSION_SECRET: secret(32),
  DASHBOARD_SESSION_TTL_MINUTES: int(60, 5, 24 * 60),
  DASHBOARD_AUDIT_ENTRIES: int(20, 5, 100),
  ACCESS_TEAM_DOMAIN: url,
  ACCESS_AUD: words,
  ACCESS_JWKS_URL: url,
  ACCESS_JWKS: keySet,
  ACCESS_REVOKE_EMAILS: z.pipe(words, z.transform((w) => w.map((e) => e.toLowerCase()))),
} satisfies EnvShape;

/** The dashboard (optional: a bad setting here disables /dashboard only). Documented in docs/hygiene.md. */
export const dashboardSection = z.pipe(
  z.object(settings),
  z.transform((e, ctx) => {
    const accessWanted = Boolean(e.ACCESS_TEAM_DOMAIN) || e.ACCESS_AUD.length > 0;
    if (accessWanted && (!e.ACCESS_TEAM_DOMAIN || e.ACCESS_AUD.length === 0)) {
      return reject(ctx, "ACCESS_AUD", "Cloudflare Access needs both ACCESS_TEAM_DOMAIN and ACCESS_AUD");
    }
    const issuer = e.ACCESS_TEAM_DOMAIN ? new URL(e.ACCESS_TEAM_DOMAIN).origin : undefined;
    return {
      /** DASHBOARD_SESSION_SECRET; {@link withSealSecret} falls back to SEAL_SECRET. */
      sessionSecret: e.DASHBOARD_SESSION_SECRET,
      sessionTtlSeconds: e.DASHBOARD_SESSION_TTL_MINUTES * 60,
      /** Cloudflare Access, when both the team domain and at least one application AUD tag are set. */
      access: issuer
        ? {
            issuer,
            audiences: e.ACCESS_AUD,
            /** A pinned key set (JSON), used instead of fetching `jwksUrl`. */
            jwksJson: e.ACCESS_JWKS,
            jwksUrl: e.ACCESS_JWKS_URL ?? `${issuer}/cdn-cgi/access/certs`,
            /** Access users who may revoke (lowercase emails; "*" = every Access user). Everyone else may only read. */
            revokeEmails: e.ACCESS_REVOKE_EMAILS,
          }
        : undefined,
      auditEntries: e.DASHBOARD_AUDIT_ENTRIES,
    };
  }),
);
export type DashboardSettings = z.output<typeof dashboardSection>;

/**
 * Signs API-key sessions and CSRF tokens: DASHBOARD_SESSION_SECRET, else SEAL_SECRET (parsed once, by the leaks
 * section). Absent: API-key sign-in and revoking are off.
 */
export function withSealSecret(own: DashboardSettings, sealSecret: string | undefined): DashboardSettings {
  return { ...own, sessionSecret: own.sessionSecret ?? sealSecret };
}
