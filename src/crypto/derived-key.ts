import { utf8 } from "./bytes";
import { sha256Hex } from "./hash";

export type DerivedKeyUse = { algorithm: SubtleCryptoImportKeyAlgorithm; usages: string[] };

export const AES_GCM_KEY: DerivedKeyUse = { algorithm: { name: "AES-GCM", length: 256 }, usages: ["encrypt", "decrypt"] };
export const HMAC_SIGN_KEY: DerivedKeyUse = { algorithm: { name: "HMAC", hash: "SHA-256", length: 256 }, usages: ["sign"] };

// Per isolate, keyed by SHA-256 of the secret and the label (never by the secret itself): deriving is the slow part.
const cache = new Map<string, Promise<CryptoKey>>();

// The digest of the secret last asked about: sealing a thousand queued tokens asks a thousand times for one secret
// (already in the isolate's env), and hashing it each time was most of a large report's CPU.
let lastSecret: { secret: string; id: Promise<string> } | undefined;

function secretId(secret: string): Promise<string> {
  if (lastSecret?.secret !== secret) lastSecret = { secret, id: sha256Hex(secret) };
  return lastSecret.id;
}

/**
 * A key derived from a Worker secret with HKDF-SHA-256 (empty salt) under `info`, so one secret can serve several
 * purposes (sealing, chat confirmations, dashboard sessions) without any two sharing a key.
 */
export async function derivedKey(secret: string, info: string, use: DerivedKeyUse): Promise<CryptoKey> {
  const id = `${await secretId(secret)}:${info}`;
  let key = cache.get(id);
  if (!key) {
    key = crypto.subtle
      .importKey("raw", utf8(secret), "HKDF", false, ["deriveKey"])
      .then((material) =>
        crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8(info) }, material, use.algorithm, false, use.usages),
      );
    cache.set(id, key);
    key.catch(() => cache.delete(id));
  }
  return key;
}
