import type { VerifyFailure } from "../../verify/result";
import { invalidSignature, RequestRefused } from "../errors";
import type { ClickRefusal } from "./confirm-click";

/** What a sender may learn: these refusals are about its own click or request, not about a signature. */
const DETAIL: Record<Exclude<ClickRefusal, VerifyFailure> | "replayed", string> = {
  expired: "confirmation has expired",
  unknown: "confirmation is unknown",
  used: "confirmation was already used",
  replayed: "this request was already received",
};

const senderMayKnow = (reason: string): reason is keyof typeof DETAIL => reason in DETAIL;

/**
 * A request that failed verification: 401 for the sender. Which signature or token check failed is logged, not
 * sent; a refused confirmation click (expired, unknown, used) or a replayed request says so in `code` and `detail`,
 * which its sender may know.
 */
export function unauthorized(reason: VerifyFailure | ClickRefusal | "token" | "replayed"): RequestRefused {
  if (senderMayKnow(reason)) return new RequestRefused(401, { msg: "Invalid request", code: `chat_${reason}`, detail: DETAIL[reason] });
  if (reason === "token") return invalidSignature("Invalid request", "mismatch", "command token does not match");
  // A chat platform's signature also covers what the payload must carry (Discord's timestamp, Slack's form).
  return invalidSignature("Invalid request", reason, reason === "malformed" ? "signature or payload is malformed" : undefined);
}

export function badRequest(detail: string): RequestRefused {
  return new RequestRefused(400, { msg: "Bad request", code: "invalid_payload", detail });
}
