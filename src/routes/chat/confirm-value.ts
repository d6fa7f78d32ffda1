import { type ChatPrincipal, describePrincipal } from "../../chatops/authorize";
import { base64UrlDecode, base64UrlEncode, timingSafeEqual, utf8 } from "../../crypto/bytes";
import { derivedKey, HMAC_SIGN_KEY } from "../../crypto/derived-key";

// A confirmation button carries a value that proves three things when it comes back: this Worker issued it,
// for this requesting user and these token ids, and it has not expired. Format:
//
//   <nonce>.<expiry>.<mac>      e.g. "Qm3x0Yc2hT9sKp1LwZ8vAg.sz0k3c.4tG…" (47 characters)
//
// nonce: 12 random bytes, base64url (16 chars), the single-use handle; expiry: epoch seconds in base 36;
// mac: HMAC-SHA-256 truncated to 16 bytes, base64url (22 chars), over the version, principal, nonce, expiry
// and ids. The ids are not in the value (ten ids would not fit Discord's 100-character custom_id): they wait in
// KV under the nonce, and the MAC binds them, so neither the value nor the stored record can be swapped.
// The HMAC key is derived from SEAL_SECRET with HKDF under its own info label, so it never equals the sealing key.
const INFO = "fastly-token-webhooks/chat-confirm/v1";
const VERSION = "v1";
const NONCE_BYTES = 12;
const MAC_BYTES = 16;
const VALUE = /^([A-Za-z0-9_-]{16})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

/** How long a confirmation can be clicked. Slack's response_url lasts 30 minutes, Discord's token 15. */
export const CONFIRM_TTL_SECONDS = 600;
/** Discord's custom_id is `${button id}:${value}` and at most 100 characters; the longest id is 14. */
export const CONFIRM_VALUE_MAX_LENGTH = 85;

export interface ConfirmValue {
  nonce: string;
  /** Epoch seconds. */
  expiresAt: number;
  mac: Uint8Array;
}

function confirmKey(secret: string): Promise<CryptoKey> {
  return derivedKey(secret, INFO, HMAC_SIGN_KEY);
}

async function mac(secret: string, principal: string, nonce: string, expiresAt: number, tokenIds: string[]): Promise<Uint8Array> {
  // Newlines cannot occur in any part (principals and ids are [A-Za-z0-9:/_.-]), so the fields cannot run together.
  const data = [VERSION, principal, nonce, String(expiresAt), tokenIds.join(",")].join("\n");
  const full = new Uint8Array(await crypto.subtle.sign("HMAC", await confirmKey(secret), utf8(data)));
  return full.slice(0, MAC_BYTES);
}

/**
 * What a confirmation is bound to: who asked, and for Mattermost, whose button clicks arrive unsigned, also the
 * channel, so a click cannot claim another channel to pass that channel's allow-list.
 */
export function confirmBinding(p: ChatPrincipal): string {
  const who = describePrincipal(p);
  return p.platform === "mattermost" ? `${who}#${p.channelId ?? ""}` : who;
}

/** A fresh signed value for `principal` confirming `tokenIds`, valid for {@link CONFIRM_TTL_SECONDS}. */
export async function signConfirmValue(
  secret: string,
  args: { principal: string; tokenIds: string[]; nowSeconds: number },
): Promise<{ value: string; nonce: string; expiresAt: number }> {
  const nonce = base64UrlEncode(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
  const expiresAt = Math.floor(args.nowSeconds) + CONFIRM_TTL_SECONDS;
  const tag = await mac(secret, args.principal, nonce, expiresAt, args.tokenIds);
  return { value: `${nonce}.${expiresAt.toString(36)}.${base64UrlEncode(tag)}`, nonce, expiresAt };
}

/** The parts of a value, or null when it is not shaped like one (nothing is trusted yet). */
export function parseConfirmValue(value: string): ConfirmValue | null {
  const m = VALUE.exec(value);
  if (!m) return null;
  const expiresAt = Number.parseInt(m[2]!, 36);
  const tag = base64UrlDecode(m[3]!);
  if (!Number.isSafeInteger(expiresAt) || tag?.byteLength !== MAC_BYTES) return null;
  // 22 characters hold 132 bits for 128: refuse the non-canonical spellings, so one value has one form.
  if (base64UrlEncode(tag) !== m[3] || expiresAt.toString(36) !== m[2]) return null;
  return { nonce: m[1]!, expiresAt, mac: tag };
}

/** True when `value` was issued by this Worker for exactly this principal and these ids. Constant time. */
export async function verifyConfirmMac(secret: string, value: ConfirmValue, principal: string, tokenIds: string[]): Promise<boolean> {
  return timingSafeEqual(await mac(secret, principal, value.nonce, value.expiresAt, tokenIds), value.mac);
}
