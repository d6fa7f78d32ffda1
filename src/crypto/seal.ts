import { base64UrlDecode, base64UrlEncode, utf8 } from "./bytes";
import { AES_GCM_KEY, derivedKey } from "./derived-key";

// Queue messages carry leaked tokens on their way to revocation. Sealing them with AES-256-GCM means a
// message that leaks (dashboard, DLQ dump, log of a failed batch) never exposes a token in clear.
//
// Format: "v1.<base64url iv>.<base64url ciphertext+tag>", 12-byte random IV. The AES key is derived
// with HKDF-SHA-256 from a Worker secret (salt: empty, info: INFO) so the same secret can be reused
// elsewhere without the keys colliding; the version string is bound in as GCM additional data so a
// future format cannot be confused with this one.
const VERSION = "v1";
const INFO = "fastly-token-webhooks/seal/v1";
const AAD = utf8(`fastly-token-webhooks/seal/${VERSION}`);
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Every unseal failure (format, wrong key, tamper) looks the same to the caller, and never quotes input. */
export class SealError extends Error {
  override name = "SealError";
}

function sealKey(secret: string): Promise<CryptoKey> {
  if (!secret) return Promise.reject(new SealError("sealing secret is empty"));
  return derivedKey(secret, INFO, AES_GCM_KEY);
}

export async function seal(secret: string, plaintext: string): Promise<string> {
  const key = await sealKey(secret);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: AAD }, key, utf8(plaintext));
  return `${VERSION}.${base64UrlEncode(iv)}.${base64UrlEncode(new Uint8Array(ciphertext))}`;
}

export async function unseal(secret: string, sealed: string): Promise<string> {
  const parts = sealed.split(".");
  if (parts.length !== 3 || parts[0] !== VERSION) throw new SealError("sealed message has an unknown format");
  const iv = base64UrlDecode(parts[1] as string);
  const ciphertext = base64UrlDecode(parts[2] as string);
  if (!iv || iv.byteLength !== IV_BYTES || !ciphertext || ciphertext.byteLength < TAG_BYTES) {
    throw new SealError("sealed message has an unknown format");
  }
  const key = await sealKey(secret);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: AAD }, key, ciphertext);
  } catch {
    throw new SealError("sealed message failed authentication (wrong key or tampered)");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(plaintext);
  } catch {
    throw new SealError("sealed message is not UTF-8");
  }
}
