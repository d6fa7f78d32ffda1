import { base64UrlDecode, utf8 } from "../../crypto/bytes";

/** The claims of a Cloudflare Access application token that the dashboard uses. */
export interface AccessIdentity {
  sub: string;
  /** Users have an email; service tokens have a `common_name` (their client id) instead. */
  email?: string;
  commonName?: string;
}

export type AccessFailure =
  | "malformed"
  | "unsupported_alg"
  | "unknown_key"
  | "bad_signature"
  | "expired"
  | "not_yet_valid"
  | "wrong_issuer"
  | "wrong_audience";

export type AccessResult = { ok: true; identity: AccessIdentity } | { ok: false; reason: AccessFailure };

/** Clock skew tolerated on `exp` and `nbf`, in seconds. */
export const ACCESS_LEEWAY_SEC = 60;

const JWT = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

function json(part: string): Record<string, unknown> | null {
  const bytes = base64UrlDecode(part);
  if (!bytes) return null;
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Verifies a `Cf-Access-Jwt-Assertion`: RS256 only (the algorithm comes from us, never from the token's header),
 * the signature first, and only then the claims: `exp` (required), `nbf`, `iss` equal to the team domain, and
 * `aud` containing one of the application's AUD tags. Nothing from an unverified token is trusted or reported.
 */
export async function verifyAccessJwt(
  jwt: string,
  opts: { issuer: string; audiences: string[]; key: (kid: string) => Promise<CryptoKey | null>; nowSec: number },
): Promise<AccessResult> {
  const m = JWT.exec(jwt.trim());
  if (!m) return { ok: false, reason: "malformed" };
  const [, h, p, s] = m as unknown as [string, string, string, string];
  const header = json(h);
  const payload = json(p);
  const signature = base64UrlDecode(s);
  if (!header || !payload || !signature) return { ok: false, reason: "malformed" };
  if (header.alg !== "RS256") return { ok: false, reason: "unsupported_alg" };
  if (typeof header.kid !== "string") return { ok: false, reason: "unknown_key" };
  const key = await opts.key(header.kid);
  if (!key) return { ok: false, reason: "unknown_key" };
  const valid = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, utf8(`${h}.${p}`));
  if (!valid) return { ok: false, reason: "bad_signature" };

  if (typeof payload.exp !== "number" || payload.exp + ACCESS_LEEWAY_SEC <= opts.nowSec) return { ok: false, reason: "expired" };
  if (typeof payload.nbf === "number" && payload.nbf - ACCESS_LEEWAY_SEC > opts.nowSec) return { ok: false, reason: "not_yet_valid" };
  if (payload.iss !== opts.issuer) return { ok: false, reason: "wrong_issuer" };
  const aud = typeof payload.aud === "string" ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
  if (!aud.some((a) => typeof a === "string" && opts.audiences.includes(a))) return { ok: false, reason: "wrong_audience" };
  if (typeof payload.sub !== "string") return { ok: false, reason: "malformed" };
  return {
    ok: true,
    identity: {
      sub: payload.sub,
      email: typeof payload.email === "string" ? payload.email : undefined,
      commonName: typeof payload.common_name === "string" ? payload.common_name : undefined,
    },
  };
}

/** Why an Access token was refused, for the forbidden page. */
export const ACCESS_FAILURE_TEXT: Record<AccessFailure, string> = {
  malformed: "the Access token is not a well-formed JWT",
  unsupported_alg: "the Access token is not signed with RS256",
  unknown_key: "the Access token is signed with a key your Access team does not publish",
  bad_signature: "the Access token's signature does not verify",
  expired: "your Access session has expired; reload the page to sign in again",
  not_yet_valid: "the Access token is not valid yet (check the clock)",
  wrong_issuer: "the Access token was issued by another Access team",
  wrong_audience: "the Access token was issued for another application",
};
