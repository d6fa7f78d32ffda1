import type { ConfirmationStore } from "../../tokens/store/confirmations";
import { parseConfirmValue, verifyConfirmMac } from "./confirm-value";

/**
 * Why a click was refused. `expired` is a genuine old button as far as the value's own claim goes and gets a
 * friendly answer; every other reason is a forged, tampered or replayed request and gets a 401.
 */
export type ClickRefusal = "malformed" | "expired" | "unknown" | "mismatch" | "used";

export type ClickCheck = { ok: true; tokenIds: string[]; nonce: string; expiresAt: number } | { ok: false; reason: ClickRefusal };

/**
 * Checks a confirmation button's value for the principal who clicked it. Reads the store but never writes it:
 * the caller consumes the nonce (atomically, see {@link consumeClick}) only after every other check has passed.
 */
export async function checkClick(args: {
  secret: string;
  store: ConfirmationStore;
  value: string;
  principal: string;
  nowSeconds: number;
}): Promise<ClickCheck> {
  const value = parseConfirmValue(args.value);
  if (!value) return { ok: false, reason: "malformed" };
  if (value.expiresAt < args.nowSeconds) return { ok: false, reason: "expired" };
  const pending = await args.store.load(value.nonce);
  if (!pending) return { ok: false, reason: "unknown" };
  // The MAC is computed over the clicking principal: a button issued to someone else never verifies.
  if (!(await verifyConfirmMac(args.secret, value, args.principal, pending.tokenIds))) return { ok: false, reason: "mismatch" };
  if (pending.used) return { ok: false, reason: "used" };
  return { ok: true, tokenIds: pending.tokenIds, nonce: value.nonce, expiresAt: value.expiresAt };
}

/** Uses the button up. False when a concurrent click (anywhere) got there first: refuse this one as a replay. */
export async function consumeClick(store: ConfirmationStore, nonce: string, nowSeconds: number): Promise<boolean> {
  return store.consume(nonce, nowSeconds * 1000);
}
