import type { Handler } from "hono";
import { isForeign, requireCaller, requireWriteScope, visibleToken } from "./auth";
import { FastlyError, fastlyErrors } from "./errors";
import type { EmulatorEnv } from "./hono-env";
import type { TokenRecord } from "./records";
import { mediaType, parseJson } from "./request-body";
import type { EmulatorState } from "./state";

type EmulatorHandler = Handler<EmulatorEnv>;

function revoke(state: EmulatorState, token: TokenRecord): void {
  token.revoked_at = state.now();
}

export function revokeTokenSelf(state: EmulatorState): EmulatorHandler {
  return async (c) => {
    // Any live token may revoke itself, whatever its scope: giving up access needs no privilege.
    const caller = await requireCaller(c, state);
    revoke(state, caller.token);
    return c.body(null, 204);
  };
}

export function revokeToken(state: EmulatorState): EmulatorHandler {
  return async (c) => {
    const caller = await requireCaller(c, state);
    requireWriteScope(caller);
    revoke(state, visibleToken(state, caller, c.req.param("token_id") ?? ""));
    return c.body(null, 204);
  };
}

/** `application/vnd.api+json` (any parameters, e.g. `ext=bulk`), or `application/json` as fastly-rust sends. */
const BULK_TYPES = new Set(["application/vnd.api+json", "application/json"]);

function bulkIds(text: string): string[] {
  const body = parseJson(text) as { data?: unknown } | undefined;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw fastlyErrors.badRequest("The body must be a JSON:API document: {\"data\":[{\"id\":\"…\",\"type\":\"token\"}]}");
  }
  if (!Array.isArray(body.data) || body.data.length === 0) {
    throw fastlyErrors.badRequest("data must be a non-empty array of token resource identifiers");
  }
  return body.data.map((item: unknown, index: number) => {
    const entry = item as { id?: unknown; type?: unknown } | null;
    if (entry === null || typeof entry !== "object" || entry.type !== "token") {
      throw fastlyErrors.badRequest(`data[${index}].type must be "token"`);
    }
    if (typeof entry.id !== "string" || entry.id === "") {
      throw fastlyErrors.badRequest(`data[${index}].id must be a non-empty string`);
    }
    return entry.id;
  });
}

/**
 * All or nothing: any unknown id gives 404, any forbidden one 403 (or 404 with `foreignTokenStatus: 404`), and then
 * nothing is revoked. With `bulkMax` set, a longer list is refused (400) before any id is looked at.
 */
export function bulkRevokeTokens(state: EmulatorState): EmulatorHandler {
  return async (c) => {
    const caller = await requireCaller(c, state);
    requireWriteScope(caller);
    if (!BULK_TYPES.has(mediaType(c.req.header("content-type")))) {
      throw fastlyErrors.unsupportedMediaType("Content-Type must be application/vnd.api+json; ext=bulk");
    }
    const ids = bulkIds(await c.req.text());
    const max = state.config.bulkMax;
    if (max !== null && ids.length > max) throw fastlyErrors.badRequest(`data must list at most ${max} tokens`);
    const hideForeign = state.config.foreignTokenStatus === 404;
    const found = ids.map((id) => {
      const token = state.tokens.get(id);
      const seen = token && token.revoked_at === null && token.customer_id === caller.user.customer_id;
      return seen && !(hideForeign && isForeign(caller, token)) ? token : id;
    });
    const missing = found.filter((entry): entry is string => typeof entry === "string");
    const targets = found.filter((entry): entry is TokenRecord => typeof entry !== "string");
    if (missing.length > 0) throw new FastlyError(404, { msg: "Token lookup failed", detail: missing.join(", ") });
    const foreign = targets.filter((t) => isForeign(caller, t));
    if (foreign.length > 0) {
      throw fastlyErrors.forbidden(`Users may only revoke their own tokens: ${foreign.map((t) => t.id).join(", ")}`);
    }
    for (const token of targets) revoke(state, token);
    return c.body(null, 204);
  };
}
