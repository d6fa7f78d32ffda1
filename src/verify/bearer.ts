import { timingSafeEqual, utf8 } from "../crypto/bytes";
import { failure, VERIFIED, type VerifyResult } from "./result";

// A pre-shared token in `Authorization`. GitLab's Token Revocation API client sends the token as the whole header
// value, with no scheme (ee Security::TokenRevocationService: `'Authorization' => revocation_api_token`); people
// and most tools write `Bearer <token>` (RFC 6750; the scheme is case-insensitive, RFC 9110 §11.1). Both mean the
// same token. Anything else with whitespace in it (another scheme, two words, a doubled space) is malformed rather
// than a wrong token, so a misconfigured sender is told what is wrong. Surrounding whitespace never reaches us:
// HTTP strips it from header values.
const BEARER = /^bearer ([^\s]+)$/i;
const BARE = /^[^\s]+$/;

/** The token a header carries, or why it carries none. */
function presented(header: string | null): { token: string } | { reason: "missing" | "malformed" } {
  if (header === null || header === "") return { reason: "missing" };
  const bearer = BEARER.exec(header);
  if (bearer) return { token: bearer[1]! };
  if (!BARE.test(header) || header.toLowerCase() === "bearer") return { reason: "malformed" };
  return { token: header };
}

/**
 * Accepts when `Authorization` carries one of `secrets` (several = rotation). Both sides are hashed before the
 * comparison, so neither the time taken nor an early length mismatch says anything about a secret, and every
 * secret is compared whatever matched before it.
 */
export async function verifyPresharedToken(args: { header: string | null; secrets: string[] }): Promise<VerifyResult> {
  if (args.secrets.length === 0) throw new TypeError("no pre-shared token configured");
  const found = presented(args.header);
  if ("reason" in found) return failure(found.reason);
  const digest = await sha256(found.token);
  let matched = false;
  for (const secret of args.secrets) matched = timingSafeEqual(digest, await sha256(secret)) || matched;
  return matched ? VERIFIED : failure("mismatch");
}

async function sha256(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(value)));
}
