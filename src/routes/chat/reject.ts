import { TokenServiceError } from "../../tokens/errors";
import type { VerifyFailure } from "../../verify/result";
import type { ClickRefusal } from "./confirm-click";

/** A request that failed verification: 401 for the sender, the reason only in the body's `code` (never request data). */
export function unauthorized(reason: VerifyFailure | ClickRefusal | "token" | "replayed"): TokenServiceError {
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
  return new TokenServiceError(401, `chat_${reason}`, "Invalid request", detail);
}

export function badRequest(detail: string): TokenServiceError {
  return new TokenServiceError(400, "invalid_payload", "Bad request", detail);
}
