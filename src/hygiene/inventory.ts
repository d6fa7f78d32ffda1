import { FastlyApiError } from "../fastly";
import type { TokenResponse } from "../fastly/schemas";
import type { Actor } from "../tokens/actor";
import { failureText } from "../tokens/failure";
import type { TokenService } from "../tokens/token-service";

export interface Inventory {
  tokens: TokenResponse[];
  /** The Worker's own token: never revoked by policy, and marked on the dashboard. */
  ownTokenId: string | null;
  customerId: string | null;
  /**
   * "customer": every token of the account (the Worker's token belongs to a superuser);
   * "user": only the Worker's user's own tokens, because Fastly refused the customer list.
   */
  coverage: "customer" | "user";
}

/**
 * The tokens the schedule and the dashboard look at: the customer of the Worker's own token. Listing a customer's
 * tokens needs a superuser's token; with any other, Fastly answers 403 and we fall back to the tokens of the
 * Worker's own user, saying so, rather than showing nothing.
 */
export async function loadInventory(service: TokenService, actor: Actor): Promise<Inventory> {
  const own = (await service.getTokenCurrent(actor)).value;
  const customerId = own.customer_id ?? null;
  if (customerId) {
    try {
      const tokens = (await service.listTokensCustomer(actor, customerId)).value;
      return { tokens, ownTokenId: own.id ?? null, customerId, coverage: "customer" };
    } catch (err) {
      if (!(err instanceof FastlyApiError && err.status === 403)) throw err;
    }
  }
  const tokens = (await service.listTokensUser(actor)).value;
  return { tokens, ownTokenId: own.id ?? null, customerId, coverage: "user" };
}

/** A one-line reason for a failure, safe to show or send (the "inventory" column of src/tokens/failure.ts). */
export function failureReason(err: unknown): string {
  return failureText(err, "inventory");
}
