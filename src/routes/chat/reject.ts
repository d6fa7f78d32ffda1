import { TokenServiceError } from "../../tokens/errors";
import type { VerifyFailure } from "../../verify/result";
import { RequestRefused } from "../errors";
import type { ClickRefusal } from "./confirm-click";

const CLICK_REFUSALS: readonly string[] = ["expired", "unknown", "used", "replayed"];

/**
 * A request that failed verification: 401 for the sender. Which signature or token check failed is logged, not
 * sent; a refused confirmation click (expired, unknown, used) or a replayed request says so in `code`, which its
 * sender may know.
 */
export function unauthorized(reason: VerifyFailure | ClickRefusal | "token" | "replayed"): TokenServiceError | RequestRefused {
  const detail = {
    missing: "signature headers are missing",
    malformed: "signature or payload is malformed",
    mismatch: "signature does not match",
    stale: "timestamp is outside the 5-minute window",
    unknown_key: "signing key is unknown",
    expired: "confirmation has expired",
    unknown: "confirmation is unknown",
    used: "confirmation was already used",
    token: "command token does not match",
    replayed: "this request was already received",
  }[reason];
  if (!CLICK_REFUSALS.includes(reason)) return new RequestRefused(401, "Invalid request", "invalid_signature", detail);
  return new TokenServiceError(401, `chat_${reason}`, "Invalid request", detail);
}

export function badRequest(detail: string): TokenServiceError {
  return new TokenServiceError(400, "invalid_payload", "Bad request", detail);
}
