import type { Handler } from "hono";
import { isSuperuserOf, requireCaller, requireReadScope, scopeWords, visibleToken } from "./auth";
import { fastlyErrors } from "./errors";
import type { EmulatorEnv } from "./hono-env";
import type { TokenRecord } from "./records";
import type { EmulatorState } from "./state";
import { tokenView, userView } from "./views";

type EmulatorHandler = Handler<EmulatorEnv>;

/** Ascending `created_at` (as recorded for `GET /tokens`); revoked tokens are gone, expired ones stay. */
function listed(state: EmulatorState, keep: (token: TokenRecord) => boolean) {
  return [...state.tokens.values()]
    .filter((token) => token.revoked_at === null && keep(token))
    .sort((a, b) => a.created_at - b.created_at)
    .map(tokenView);
}

export function getTokenSelf(state: EmulatorState): EmulatorHandler {
  return async (c) => {
    const caller = await requireCaller(c, state);
    // The reference leaves open whether a purge-only or global:read token may read itself: a switch decides.
    if (state.config.limitedTokenSelfStatus === 403 && !scopeWords(caller.token).has("global")) {
      throw fastlyErrors.forbidden("A token without the global scope may not read its own metadata");
    }
    return c.json(tokenView(caller.token));
  };
}

export function listTokensUser(state: EmulatorState): EmulatorHandler {
  return async (c) => {
    const caller = await requireCaller(c, state);
    requireReadScope(caller);
    return c.json(listed(state, (token) => token.user_id === caller.user.id));
  };
}

export function getToken(state: EmulatorState): EmulatorHandler {
  return async (c) => {
    const caller = await requireCaller(c, state);
    requireReadScope(caller);
    return c.json(tokenView(visibleToken(state, caller, c.req.param("token_id") ?? "")));
  };
}

export function listTokensCustomer(state: EmulatorState): EmulatorHandler {
  return async (c) => {
    const caller = await requireCaller(c, state);
    requireReadScope(caller);
    const customerId = c.req.param("customer_id") ?? "";
    // Another account's id is refused like a missing role, so customer ids cannot be probed.
    if (!isSuperuserOf(caller.user, customerId)) {
      throw fastlyErrors.forbidden("Only a superuser of this customer may list its tokens");
    }
    return c.json(listed(state, (token) => token.customer_id === customerId));
  };
}

export function getCurrentUser(state: EmulatorState): EmulatorHandler {
  return async (c) => {
    const caller = await requireCaller(c, state);
    return c.json(userView(caller.user));
  };
}

/**
 * `GET /user/{user_id}`: any user of the caller's own account, for a token that may read account information
 * (`global` or `global:read`). Another account's, or an unknown, id is "not found", so ids cannot be probed across
 * accounts (the same rule as tokens by id).
 */
export function getUser(state: EmulatorState): EmulatorHandler {
  return async (c) => {
    const caller = await requireCaller(c, state);
    requireReadScope(caller);
    const user = state.users.get(c.req.param("user_id") ?? "");
    if (!user || user.customer_id !== caller.user.customer_id) throw fastlyErrors.userLookup();
    return c.json(userView(user));
  };
}
