import { hexToBytes, utf8 } from "../crypto/bytes";
import { toHex } from "../crypto/hash";
import { hmacSha256, hmacSha256Verify } from "./hmac-key";
import { failure, VERIFIED, type VerifyResult } from "./result";

// GitHub repository/organization webhooks: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA-256 over the
// raw body keyed with the secret's UTF-8 bytes. There is no timestamp, so replay protection is the
// caller's job (dedupe on X-GitHub-Delivery).
const PREFIX = "sha256=";
const MAC_BYTES = 32;

export async function verifyGitHubWebhook(args: {
  secret: string;
  rawBody: Uint8Array;
  signatureHeader: string | null;
}): Promise<VerifyResult> {
  const header = args.signatureHeader;
  if (!header) return failure("missing");
  // The prefix is matched exactly: GitHub always sends it lowercase, and the legacy `sha1=` header
  // must never be accepted in its place.
  if (!header.startsWith(PREFIX)) return failure("malformed");
  const mac = hexToBytes(header.slice(PREFIX.length));
  if (!mac || mac.byteLength !== MAC_BYTES) return failure("malformed");
  const ok = await hmacSha256Verify(utf8(args.secret), mac, args.rawBody);
  return ok ? VERIFIED : failure("mismatch");
}

/** Produces the header value GitHub would send; used by tests and the demo sender. */
export async function signGitHubWebhook(secret: string, rawBody: Uint8Array): Promise<string> {
  return PREFIX + toHex(await hmacSha256(utf8(secret), rawBody));
}
