import { base64ToBytes, bytesToBase64, concatBytes, timingSafeEqual, utf8 } from "../crypto/bytes";
import { hmacSha256 } from "./hmac-key";
import { failure, VERIFIED, type VerifyResult } from "./result";
import { nowSeconds, outsideWindow, parseEpochSeconds } from "./timestamp";

// Standard Webhooks v1 (standardwebhooks.com): HMAC-SHA-256 over `${webhook-id}.${webhook-timestamp}.${body}`,
// keyed with the base64-decoded bytes of a `whsec_` secret (the reference library also accepts the
// secret without its prefix). `webhook-signature` is a space-delimited list of `<version>,<base64>`;
// during rotation it carries several, and one matching `v1` entry is enough. Other versions (v1a is
// Ed25519) are ignored. The reference library's window is ±300 s.
const SECRET_PREFIX = "whsec_";
const MAC_BYTES = 32;
export const STANDARD_WEBHOOKS_TOLERANCE_SEC = 300;

/**
 * Accepts when any `v1` signature matches under any of `secrets` (several secrets = rotation).
 * A secret that is not valid base64 is a configuration error and rejects the promise; the error never
 * contains the secret.
 */
export async function verifyStandardWebhook(args: {
  secrets: string[];
  rawBody: Uint8Array;
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  now?: number;
  toleranceSec?: number;
}): Promise<VerifyResult> {
  const keys = args.secrets.map(decodeSecret);
  if (keys.length === 0) throw new TypeError("no Standard Webhooks secret configured");
  if (!args.id || !args.timestamp || !args.signature?.trim()) return failure("missing");
  // The spec forbids "." in ids: with one, `id.ts.body` could be re-split into a different id and body
  // that carry the same signature.
  if (args.id.includes(".")) return failure("malformed");
  const ts = parseEpochSeconds(args.timestamp);
  if (ts === null) return failure("malformed");
  const candidates = parseV1Signatures(args.signature);
  if (candidates.length === 0) return failure("malformed");
  if (outsideWindow(ts, args.now ?? nowSeconds(), args.toleranceSec ?? STANDARD_WEBHOOKS_TOLERANCE_SEC)) {
    return failure("stale");
  }
  const content = signedContent(args.id, args.timestamp, args.rawBody);
  for (const key of keys) {
    const expected = await hmacSha256(key, content);
    // Compare against every candidate rather than stopping early, so timing does not reveal which matched.
    let matched = false;
    for (const candidate of candidates) matched = timingSafeEqual(expected, candidate) || matched;
    if (matched) return VERIFIED;
  }
  return failure("mismatch");
}

/** Signs like a Standard Webhooks sender; also used for our OUTBOUND notifications. Returns "v1,<base64>". */
export async function signStandardWebhook(secret: string, id: string, timestamp: number, rawBody: Uint8Array): Promise<string> {
  const mac = await hmacSha256(decodeSecret(secret), signedContent(id, String(Math.floor(timestamp)), rawBody));
  return `v1,${bytesToBase64(mac)}`;
}

function decodeSecret(secret: string): Uint8Array {
  const body = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const bytes = base64ToBytes(body);
  if (!bytes || bytes.byteLength === 0) throw new TypeError("Standard Webhooks secret is not base64 (expected whsec_<base64>)");
  return bytes;
}

function signedContent(id: string, timestamp: string, rawBody: Uint8Array): Uint8Array {
  return concatBytes(utf8(`${id}.${timestamp}.`), rawBody);
}

/** The well-formed v1 MACs in the header; malformed entries and other versions are skipped. */
function parseV1Signatures(header: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const entry of header.split(" ")) {
    const comma = entry.indexOf(",");
    if (comma < 0 || entry.slice(0, comma) !== "v1") continue;
    const mac = base64ToBytes(entry.slice(comma + 1));
    if (mac && mac.byteLength === MAC_BYTES) out.push(mac);
  }
  return out;
}
