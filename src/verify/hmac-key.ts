import { sha256Hex } from "../crypto/hash";

// Imported HMAC keys, per isolate. Importing is the slow part of a verification, and a Worker sees the
// same few configured secrets over and over. The map is keyed by SHA-256 of the key bytes so that the
// secret itself is never a map key (heap snapshots, debug dumps); the CryptoKeys are non-extractable.
const cache = new Map<string, Promise<CryptoKey>>();
// Secrets come from configuration, so the map stays tiny; the cap only guards against a caller that
// feeds per-request keys in by mistake.
const MAX_ENTRIES = 64;

/** An HMAC-SHA-256 key usable for both sign and verify. Throws on an empty key (a configuration error). */
export async function hmacSha256Key(keyBytes: Uint8Array): Promise<CryptoKey> {
  if (keyBytes.byteLength === 0) throw new TypeError("HMAC secret is empty");
  const id = await sha256Hex(keyBytes);
  let key = cache.get(id);
  if (!key) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    key = crypto.subtle.importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    cache.set(id, key);
    // A failed import must not poison the cache for the next request.
    key.catch(() => cache.delete(id));
  }
  return key;
}

export async function hmacSha256(keyBytes: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const key = await hmacSha256Key(keyBytes);
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

/** Web Crypto's HMAC verify compares the MAC itself, in constant time. */
export async function hmacSha256Verify(keyBytes: Uint8Array, mac: Uint8Array, data: Uint8Array): Promise<boolean> {
  const key = await hmacSha256Key(keyBytes);
  return crypto.subtle.verify("HMAC", key, mac, data);
}
