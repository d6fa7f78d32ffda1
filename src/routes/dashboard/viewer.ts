import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../../app-env";
import { type AccessIdentity, ACCESS_FAILURE_TEXT, verifyAccessJwt } from "./access-jwt";
import { accessKey, JwksUnavailableError } from "./jwks";
import { readSession, SESSION_COOKIE } from "./session";
import type { DashboardSettings } from "../../config";

/** Who is looking at the dashboard, and what they may do. */
export interface Viewer {
  via: "access" | "apikey";
  /** As recorded in the audit log: "apikey:<name>" or "access:<email or service token>". */
  principal: string;
  canRevoke: boolean;
  /** API keys may be restricted to one customer. */
  customerId?: string;
  /** What the CSRF token is bound to; null when no secret is configured to make one (then nothing can be changed). */
  csrfSubject: string | null;
  /** API-key sessions: the id recorded server-side, which logout ends. */
  sessionId?: string;
  /** May sign every API-key session out (an API key with the `admin` scope). */
  admin: boolean;
}

export type ViewerResult =
  | { kind: "viewer"; viewer: Viewer }
  /** No credentials, or a session that ended: the login page. */
  | { kind: "anonymous"; notice?: string }
  /** Credentials that were checked and refused (403), or that could not be checked (503). */
  | { kind: "forbidden"; reason: string; status: 403 | 503 };

export const ACCESS_HEADER = "Cf-Access-Jwt-Assertion";

/**
 * Deny by default. A `Cf-Access-Jwt-Assertion` is checked when Cloudflare Access is configured (and, present but
 * invalid, is refused outright rather than falling back); otherwise the signed API-key session cookie.
 * Access users may read; revoking needs their email in ACCESS_REVOKE_EMAILS. API keys need the `read` scope to
 * look and the `revoke` scope to revoke, as on the API.
 */
export async function resolveViewer(c: Context<AppEnv>, settings: DashboardSettings, fetchFn?: typeof fetch): Promise<ViewerResult> {
  const now = new Date();
  const assertion = c.req.header(ACCESS_HEADER);
  if (settings.access && assertion) {
    const access = settings.access;
    let result: Awaited<ReturnType<typeof verifyAccessJwt>>;
    try {
      result = await verifyAccessJwt(assertion, {
        issuer: access.issuer,
        audiences: access.audiences,
        key: (kid) => accessKey({ json: access.jwksJson, url: access.jwksUrl, fetch: fetchFn }, kid),
        nowSec: Math.floor(now.getTime() / 1000),
      });
    } catch (err) {
      if (err instanceof JwksUnavailableError) return { kind: "forbidden", reason: `Your Access session could not be checked: ${err.message}.`, status: 503 };
      throw err;
    }
    if (!result.ok) return { kind: "forbidden", reason: `Cloudflare Access refused: ${ACCESS_FAILURE_TEXT[result.reason]}.`, status: 403 };
    return { kind: "viewer", viewer: accessViewer(result.identity, settings) };
  }

  const cookie = getCookie(c, SESSION_COOKIE);
  if (!cookie) return { kind: "anonymous" };
  if (!settings.sessionSecret) return { kind: "anonymous", notice: "API-key sign-in is not configured." };
  const apiKeys = c.var.config.apiKeys;
  const session = await readSession(settings.sessionSecret, cookie, (name) => apiKeys.find((k) => k.name === name)?.sha256 ?? null, now);
  const ended = { kind: "anonymous", notice: "Your session has ended. Sign in again." } as const;
  if (!session) return ended;
  // The signature proves the cookie was issued; only the server-side record says it has not been ended since.
  if (!(await c.var.services.sessions.isActive(session.sessionId, now.getTime()))) return ended;
  const key = apiKeys.find((k) => k.name === session.keyName)!;
  if (!key.scopes.includes("read")) return { kind: "forbidden", reason: `The API key "${key.name}" lacks the read scope.`, status: 403 };
  return {
    kind: "viewer",
    viewer: {
      via: "apikey",
      principal: `apikey:${key.name}`,
      canRevoke: key.scopes.includes("revoke"),
      customerId: key.customer_id,
      csrfSubject: `session:${session.sessionId}`,
      sessionId: session.sessionId,
      admin: key.scopes.includes("admin"),
    },
  };
}

function accessViewer(identity: AccessIdentity, settings: DashboardSettings): Viewer {
  const who = identity.email ?? (identity.commonName ? `service:${identity.commonName}` : `sub:${identity.sub}`);
  const revokers = settings.access?.revokeEmails ?? [];
  const mayRevoke = identity.email !== undefined && (revokers.includes("*") || revokers.includes(identity.email.toLowerCase()));
  const csrfSubject = settings.sessionSecret ? `access:${identity.sub}:${who}` : null;
  // Access sessions are Access's to end (its own logout); they are not recorded here.
  return { via: "access", principal: `access:${who}`, canRevoke: mayRevoke && csrfSubject !== null, csrfSubject, admin: false };
}
