import type { VerifyFailure } from "../../verify/result";
import { RequestRefused } from "../errors";
import type { ClickRefusal } from "./confirm-click";

const CLICK_REFUSALS: readonly string[] = ["expired", "unknown", "used", "replayed"];

const DETAIL = {
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
} as const;

/**
 * A request that failed verification: 401 for the sender. Which signature or token check failed is logged, not
 * sent; a refused confirmation click (expired, unknown, used) or a replayed request says so in `code` and `detail`,
 * which its sender may know.
 */
export function unauthorized(reason: VerifyFailure | ClickRefusal | "token" | "replayed"): RequestRefused {
  const detail = DETAIL[reason];
  if (!CLICK_REFUSALS.includes(reason)) return new RequestRefused(401, { msg: "Invalid request", code: "invalid_signature", reason: detail });
  return new RequestRefused(401, { msg: "Invalid request", code: `chat_${reason}`, detail });
}

export function badRequest(detail: string): RequestRefused {
  return new RequestRefused(400, { msg: "Bad request", code: "invalid_payload", detail });
}
