import { concatBytes, hexToBytes, utf8 } from "../crypto/bytes";
import { importEd25519PublicKey, verifyEd25519 } from "./ed25519";
import { failure, VERIFIED, type VerifyResult } from "./result";
import { nowSeconds, outsideWindow, parseEpochSeconds } from "./timestamp";

// Discord interactions: Ed25519 over the UTF-8 bytes of X-Signature-Timestamp + raw body (no
// separator), signature in X-Signature-Ed25519 as 128 hex chars, key = the application's public key.
//
// Discord documents no replay window. We apply one anyway (default ±300 s, the same as Slack and
// Standard Webhooks) because a captured interaction would otherwise verify forever; the interaction
// token inside it expires after 15 minutes, so 5 minutes never rejects a request Discord could still
// expect an answer to.
export const DISCORD_TOLERANCE_SEC = 300;

/**
 * Discord probes endpoints with bad signatures and removes those that accept them, so every doubt
 * is a rejection: a Web Crypto throw is a mismatch. A public key that is not 32 bytes of hex is a
 * configuration error and rejects the promise instead (validate it when parsing config).
 */
export async function verifyDiscordRequest(args: {
  publicKeyHex: string;
  rawBody: Uint8Array;
  timestamp: string | null;
  signature: string | null;
  now?: number;
  toleranceSec?: number;
}): Promise<VerifyResult> {
  const key = await importEd25519PublicKey(args.publicKeyHex);
  if (!args.timestamp || !args.signature) return failure("missing");
  const ts = parseEpochSeconds(args.timestamp);
  if (ts === null) return failure("malformed");
  const sig = hexToBytes(args.signature);
  if (sig?.byteLength !== 64) return failure("malformed");
  if (outsideWindow(ts, args.now ?? nowSeconds(), args.toleranceSec ?? DISCORD_TOLERANCE_SEC)) return failure("stale");
  const ok = await verifyEd25519(key, sig, concatBytes(utf8(args.timestamp), args.rawBody));
  return ok ? VERIFIED : failure("mismatch");
}
