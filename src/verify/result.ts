/**
 * Why a request failed verification. Routes map every failure to the same 401 for the sender; the
 * reason is for logs and metrics only, and it never carries request data.
 *
 * - missing: a required header (or the configured key id) was absent or empty
 * - malformed: present but unparseable (bad hex/base64, wrong prefix, wrong length, non-integer timestamp)
 * - mismatch: well-formed but the signature does not verify against any configured key
 * - stale: the signed timestamp is outside the replay window (too old or too far in the future)
 * - unknown_key: the partner key id is not published, even after a re-fetch
 */
export type VerifyFailure = "missing" | "malformed" | "mismatch" | "stale" | "unknown_key";

export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

export const VERIFIED: VerifyResult = Object.freeze({ ok: true });

export function failure(reason: VerifyFailure): VerifyResult {
  return { ok: false, reason };
}
