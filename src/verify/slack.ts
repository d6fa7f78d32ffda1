import { concatBytes, hexToBytes, utf8 } from "../crypto/bytes";
import { toHex } from "../crypto/hash";
import { hmacSha256, hmacSha256Verify } from "./hmac-key";
import { failure, VERIFIED, type VerifyResult } from "./result";
import { nowSeconds, outsideWindow, parseEpochSeconds } from "./timestamp";

// Slack request signing, v0: HMAC-SHA-256 keyed with the signing secret's UTF-8 bytes (it is not
// hex-decoded) over "v0:" + X-Slack-Request-Timestamp + ":" + raw body; header `v0=<hex>`.
// Slack's SDKs reject requests more than five minutes from now, in either direction.
const PREFIX = "v0=";
const MAC_BYTES = 32;
export const SLACK_TOLERANCE_SEC = 300;

export async function verifySlackRequest(args: {
  signingSecret: string;
  rawBody: Uint8Array;
  timestamp: string | null;
  signature: string | null;
  now?: number;
  toleranceSec?: number;
}): Promise<VerifyResult> {
  if (!args.timestamp || !args.signature) return failure("missing");
  const ts = parseEpochSeconds(args.timestamp);
  if (ts === null) return failure("malformed");
  if (!args.signature.startsWith(PREFIX)) return failure("malformed");
  const mac = hexToBytes(args.signature.slice(PREFIX.length));
  if (!mac || mac.byteLength !== MAC_BYTES) return failure("malformed");
  if (outsideWindow(ts, args.now ?? nowSeconds(), args.toleranceSec ?? SLACK_TOLERANCE_SEC)) return failure("stale");
  // The timestamp is signed exactly as received (header text), never re-formatted from the number.
  const ok = await hmacSha256Verify(utf8(args.signingSecret), mac, baseString(args.timestamp, args.rawBody));
  return ok ? VERIFIED : failure("mismatch");
}

/** Produces the X-Slack-Signature value Slack would send; used by tests and the demo sender. */
export async function signSlackRequest(signingSecret: string, timestamp: string, rawBody: Uint8Array): Promise<string> {
  return PREFIX + toHex(await hmacSha256(utf8(signingSecret), baseString(timestamp, rawBody)));
}

function baseString(timestamp: string, rawBody: Uint8Array): Uint8Array {
  return concatBytes(utf8(`v0:${timestamp}:`), rawBody);
}
