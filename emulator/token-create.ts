import type { Handler } from "hono";
import { chargeRate, clientIp, requireCaller, requireWriteScope, userBucket } from "./auth";
import { fastlyErrors } from "./errors";
import type { EmulatorEnv } from "./hono-env";
import { parseIsoDateTime } from "./iso-time";
import { randomAccessToken, randomId, sha256Hex } from "./random";
import type { TokenRecord, UserRecord } from "./records";
import { readFields } from "./request-body";
import type { EmulatorState } from "./state";
import { createdTokenView } from "./views";

const SCOPES = new Set(["global", "purge_select", "purge_all", "global:read"]);
const MAX_NAME_LENGTH = 255;

interface Credentials {
  username: string;
  password: string;
}

/**
 * username/password from form fields, else from HTTP Basic. An empty Basic header (`Basic Og==`, which
 * fastly-py and fastly-ruby always send) carries nothing and is ignored.
 */
function credentialsOf(fields: URLSearchParams, authorization: string | undefined): Credentials | null {
  const username = fields.get("username") ?? "";
  const password = fields.get("password") ?? "";
  if (username || password) return username && password ? { username, password } : null;
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!basic) return null;
  let decoded: string;
  try {
    decoded = atob(basic);
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const pass = colon < 0 ? "" : decoded.slice(colon + 1);
  return user && pass ? { username: user, password: pass } : null;
}

/** Password (and, for 2FA users, `Fastly-OTP`) login, the documented way to create a token without one. */
async function passwordLogin(
  state: EmulatorState,
  credentials: Credentials | null,
  otp: string | undefined,
): Promise<UserRecord> {
  if (!credentials) throw fastlyErrors.create("invalid_request", "username and password are required");
  const user = state.userByLogin(credentials.username);
  if (!user || (await sha256Hex(credentials.password)) !== user.passwordHash) {
    throw fastlyErrors.create("invalid_grant", "Invalid username or password");
  }
  if (user.locked) throw fastlyErrors.create("account_locked", "This account is locked");
  if (user.two_factor_auth_enabled && (!otp || (await sha256Hex(otp)) !== user.otpHash)) {
    throw fastlyErrors.create("2fa.verify", "A valid one-time password is required in the Fastly-OTP header");
  }
  return user;
}

function parseScope(raw: string | null): string {
  const words = (raw ?? "").split(/\s+/).filter(Boolean);
  if (words.length === 0) return "global";
  if (words.some((word) => !SCOPES.has(word))) {
    throw fastlyErrors.create("invalid_scope", "scope must be a space-delimited list of global, purge_select, purge_all, global:read");
  }
  return [...new Set(words)].join(" ");
}

function parseExpiry(raw: string | null, now: number): number | null {
  if (raw === null || raw.trim() === "") return null;
  const expires = parseIsoDateTime(raw);
  if (expires === null) throw fastlyErrors.badExpiresAt();
  const seconds = Math.floor(expires / 1000) * 1000;
  if (seconds <= now) throw fastlyErrors.create("invalid_request", "expires_at must be in the future");
  return seconds;
}

function parseServices(fields: URLSearchParams, state: EmulatorState, customerId: string): string[] {
  const ids = [...fields.getAll("services[]"), ...fields.getAll("services")];
  for (const id of ids) {
    if (state.services.get(id)?.customer_id !== customerId) {
      throw fastlyErrors.create("invalid_request", "services must be ids of services on this account");
    }
  }
  return [...new Set(ids)];
}

/** `POST /tokens`: with a Fastly-Key inside a sudo window, or with username/password (+ OTP for 2FA users). */
export function createToken(state: EmulatorState): Handler<EmulatorEnv> {
  return async (c) => {
    const fields = await readFields(c);
    let user: UserRecord;
    if (c.req.header("fastly-key")) {
      const caller = await requireCaller(c, state);
      requireWriteScope(caller);
      const sudoUntil = caller.token.sudo_expires_at;
      if (sudoUntil === null || sudoUntil <= state.now()) throw fastlyErrors.sudoRequired();
      user = caller.user;
    } else {
      const credentials = credentialsOf(fields, c.req.header("authorization"));
      const known = credentials ? state.userByLogin(credentials.username) : undefined;
      chargeRate(c, state, known ? userBucket(known.id) : `anon:${clientIp(c.req.raw.headers)}`);
      user = await passwordLogin(state, credentials, c.req.header("fastly-otp"));
    }

    const now = Math.floor(state.now() / 1000) * 1000;
    const scope = parseScope(fields.get("scope"));
    const expiresAt = parseExpiry(fields.get("expires_at"), now);
    const services = parseServices(fields, state, user.customer_id);
    const name = fields.get("name") ?? "";
    if (name.length > MAX_NAME_LENGTH) {
      throw fastlyErrors.create("invalid_request", `name must be at most ${MAX_NAME_LENGTH} characters`);
    }

    const accessToken = randomAccessToken();
    const token: TokenRecord = {
      id: randomId(),
      user_id: user.id,
      customer_id: user.customer_id,
      name,
      hash: await sha256Hex(accessToken),
      scope,
      services,
      created_at: now,
      updated_at: now,
      expires_at: expiresAt,
      last_used_at: null,
      ip: null,
      user_agent: null,
      sudo_expires_at: null,
      revoked_at: null,
    };
    state.addToken(token);
    return c.json(createdTokenView(token, accessToken));
  };
}
