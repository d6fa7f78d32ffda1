import { hexToBytes } from "../crypto/bytes";

// Ed25519 public keys, per isolate, keyed by the key's hex (a public value, so no hashing needed).
const cache = new Map<string, Promise<CryptoKey>>();
const MAX_ENTRIES = 16;

/** Imports a raw 32-byte Ed25519 public key given as hex. Throws on anything else (a configuration error). */
export function importEd25519PublicKey(publicKeyHex: string): Promise<CryptoKey> {
  const normalized = publicKeyHex.toLowerCase();
  let key = cache.get(normalized);
  if (!key) {
    const raw = hexToBytes(normalized);
    if (raw?.byteLength !== 32) return Promise.reject(new TypeError("Ed25519 public key must be 32 bytes of hex"));
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    key = crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
    cache.set(normalized, key);
    key.catch(() => cache.delete(normalized));
  }
  return key;
}

/**
 * Verifies an Ed25519 signature. Any throw from Web Crypto counts as "does not verify": workerd may
 * throw on a short or otherwise odd signature where the spec says to return false (workerd #4554).
 */
export async function verifyEd25519(key: CryptoKey, signature: Uint8Array, message: Uint8Array): Promise<boolean> {
  if (signature.byteLength !== 64) return false;
  try {
    return await crypto.subtle.verify("Ed25519", key, signature, message);
  } catch {
    return false;
  }
}
