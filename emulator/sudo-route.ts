import type { Handler } from "hono";
import { requireCaller, requireWriteScope } from "./auth";
import { isoWithOffset } from "./clock";
import { fastlyErrors } from "./errors";
import type { EmulatorEnv } from "./hono-env";
import { parseIsoDateTime } from "./iso-time";
import { sha256Hex } from "./random";
import { readFields } from "./request-body";
import type { EmulatorState } from "./state";

const DEFAULT_SUDO_MS = 5 * 60_000;

/**
 * `POST /sudo`: re-authenticates the token's user by password and opens a sudo window on the calling
 * token (shown as its `sudo_expires_at`), during which that token may `POST /tokens`.
 */
export function sudo(state: EmulatorState): Handler<EmulatorEnv> {
  return async (c) => {
    const caller = await requireCaller(c, state);
    requireWriteScope(caller);
    const fields = await readFields(c);
    const password = fields.get("password") ?? "";
    if (!password) throw fastlyErrors.badRequest("password is required");
    const username = fields.get("username");
    if (username && username.trim().toLowerCase() !== caller.user.login.toLowerCase()) {
      throw fastlyErrors.sudoDenied();
    }
    if ((await sha256Hex(password)) !== caller.user.passwordHash) throw fastlyErrors.sudoDenied();

    const now = state.now();
    const requested = fields.get("expiry_time");
    let expiry = now + DEFAULT_SUDO_MS;
    if (requested) {
      const parsed = parseIsoDateTime(requested);
      if (parsed === null || parsed <= now) throw fastlyErrors.badRequest("expiry_time must be a future ISO 8601 time");
      expiry = parsed;
    }
    expiry = Math.floor(expiry / 1000) * 1000;
    caller.token.sudo_expires_at = expiry;
    return c.json({ expiry_time: isoWithOffset(expiry) });
  };
}
