import { concatBytes, utf8 } from "../crypto/bytes";
import { sha256Hex } from "../crypto/hash";
import type { ClaimKind, DeliveryClaims } from "../tokens/store/claims";
import { RequestRefused } from "./errors";

/**
 * How long an unfinished claim holds: longer than any invocation runs. If the invocation dies before it can release
 * its claim, the sender's retry after this is processed (rather than refused for the whole dedupe window).
 */
const PROCESSING_LEASE_MS = 5 * 60_000;

/** How long a sender is asked to wait before retrying a delivery another invocation is still processing. */
export const IN_PROGRESS_RETRY_AFTER_S = 30;

/**
 * 409 for a copy of a delivery another invocation is still processing. Not a 2xx: if that processing fails, its
 * claim is released, and only a sender that was told to retry brings the report back; a 2xx would lose it.
 */
export const inProgress = () =>
  new RequestRefused(409, { msg: "Conflict", code: "in_progress", detail: `this delivery is being processed; retry in ${IN_PROGRESS_RETRY_AFTER_S} s` });

/**
 * Claims a delivery (named by a hash of what its sender signed) before processing it, so concurrent and replayed
 * copies cause one effect; releases the claim if processing fails, so the sender's retry is handled. The claim is a
 * short lease while processing and is remembered for `ttlMs` once done. Returns null for a duplicate of a delivery
 * already processed; throws `inProgress()` for a copy of one still being processed (or released meanwhile).
 */
export async function once<T>(claims: DeliveryClaims, kind: ClaimKind, key: string, ttlMs: number, work: () => Promise<T>): Promise<T | null> {
  if (!(await claims.claim(kind, key, Math.min(ttlMs, PROCESSING_LEASE_MS), Date.now()))) {
    if ((await claims.stateOf(kind, key, Date.now())) === "done") return null;
    throw inProgress();
  }
  let result: T;
  try {
    result = await work();
  } catch (err) {
    await claims.release(kind, key);
    throw err;
  }
  await claims.done(kind, key, Date.now() + ttlMs);
  return result;
}

/**
 * How long a chat request is remembered: past the ±5-minute window its signed timestamp is accepted in, so a copy is
 * refused for as long as its signature would verify.
 */
export const CHAT_REPLAY_MS = 10 * 60_000;

/**
 * Claims a verified chat request by the SHA-256 of its signed bytes, in one atomic insert-if-absent: true for the
 * first copy, false for every other (concurrent or replayed). Chat platforms never retry a request, so the claim is
 * kept whatever the handling does; and it is one query, so the acknowledgement stays inside Slack's and Discord's 3 s.
 */
export async function claimSigned(claims: DeliveryClaims, kind: ClaimKind, signed: (string | Uint8Array)[]): Promise<boolean> {
  const bytes = concatBytes(...signed.map((part) => (typeof part === "string" ? utf8(part) : part)));
  return claims.claim(kind, await sha256Hex(bytes), CHAT_REPLAY_MS, Date.now());
}
