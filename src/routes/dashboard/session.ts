import { base64UrlDecode, base64UrlEncode, timingSafeEqual, utf8 } from "../../crypto/bytes";
import { derivedKey, HMAC_SIGN_KEY } from "../../crypto/derived-key";

// An API-key session is carried in its cookie, signed so it cannot be forged or altered:
//
//   v1.<base64url key name>.<expiry, epoch seconds base 36>.<session id, 16 random bytes base64url>.<mac>
//
// The MAC (HMAC-SHA-256, base64url) also covers the SHA-256 of the API key as configured now, without carrying
// it: rotating a key (same name, new value) or removing it ends its sessions. The key itself is never stored.
// The session id is also recorded server-side (SessionStore, D1), which is what lets logout and an admin's
// "sign out everywhere" end a session before its cookie expires: a signed cookie whose record has ended is refused.
// CSRF tokens are a second MAC over the session id (or, for Cloudflare Access users, over their identity), so a
// page can only be submitted by someone who could read it. The HMAC key is derived from the configured secret
// with HKDF under its own label, so it never equals the sealing or chat-confirmation keys.
const INFO = "fastly-token-webhooks/dashboard-session/v1";
const VERSION = "v1";
const SID_BYTES = 16;
const CSRF_BYTES = 16;
const COOKIE_VALUE = /^v1\.([A-Za-z0-9_-]{1,400})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

/** `__Host-`: the browser only accepts it Secure, host-only and for Path=/, so no subdomain can plant one. */
export const SESSION_COOKIE = "__Host-ftw_dashboard";

export interface Session {
  keyName: string;
  sessionId: string;
  /** Epoch seconds. */
  expiresAt: number;
}

function sessionKey(secret: string): Promise<CryptoKey> {
  return derivedKey(secret, INFO, HMAC_SIGN_KEY);
}

async function mac(secret: string, data: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await sessionKey(secret), utf8(data)));
}

/** A signed cookie value, and the session id it carries (to record server-side). */
export interface IssuedSession extends Session {
  value: string;
}

/** A new signed session for the API key named `keyName` whose configured SHA-256 is `keySha256`. */
export async function issueSession(secret: string, keyName: string, keySha256: string, ttlSeconds: number, now: Date): Promise<IssuedSession> {
  const name = base64UrlEncode(utf8(keyName));
  const expiresAt = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const expiry = expiresAt.toString(36);
  const sid = base64UrlEncode(crypto.getRandomValues(new Uint8Array(SID_BYTES)));
  const tag = await mac(secret, [VERSION, name, expiry, sid, keySha256].join("\n"));
  return { value: [VERSION, name, expiry, sid, base64UrlEncode(tag)].join("."), keyName, sessionId: sid, expiresAt };
}

/**
 * The session in a cookie value, or null when it is malformed, expired, forged, or names a key that no longer
 * exists or has changed. `findKeySha256` looks the named key up in the current configuration.
 */
export async function readSession(
  secret: string,
  value: string | undefined,
  findKeySha256: (name: string) => string | null,
  now: Date,
): Promise<Session | null> {
  const m = value ? COOKIE_VALUE.exec(value) : null;
  if (!m) return null;
  const [, name, expiry, sid, tag] = m as unknown as [string, string, string, string, string];
  const nameBytes = base64UrlDecode(name);
  const tagBytes = base64UrlDecode(tag);
  if (!nameBytes || !tagBytes) return null;
  const keyName = new TextDecoder().decode(nameBytes);
  // An unknown name is checked against a dummy digest so the answer takes the same path either way.
  const keySha256 = findKeySha256(keyName);
  const expected = await mac(secret, [VERSION, name, expiry, sid, keySha256 ?? "-"].join("\n"));
  if (!timingSafeEqual(expected, tagBytes) || keySha256 === null) return null;
  const expiresAt = Number.parseInt(expiry, 36);
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= Math.floor(now.getTime() / 1000)) return null;
  return { keyName, sessionId: sid, expiresAt };
}

/** The CSRF token for forms shown to `subject` ("session:<id>" or "access:<sub>"). */
export async function csrfToken(secret: string, subject: string): Promise<string> {
  return base64UrlEncode((await mac(secret, `csrf\n${subject}`)).slice(0, CSRF_BYTES));
}

export async function checkCsrf(secret: string, subject: string, presented: string | undefined | null): Promise<boolean> {
  const bytes = presented ? base64UrlDecode(presented) : null;
  if (!bytes || bytes.byteLength !== CSRF_BYTES) return false;
  const expected = (await mac(secret, `csrf\n${subject}`)).slice(0, CSRF_BYTES);
  return timingSafeEqual(expected, bytes);
}
