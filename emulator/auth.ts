import type { Context } from "hono";
import { fastlyErrors } from "./errors";
import type { EmulatorEnv } from "./hono-env";
import { sha256Hex } from "./random";
import type { TokenRecord, UserRecord } from "./records";
import type { EmulatorState } from "./state";

export interface Caller {
  token: TokenRecord;
  user: UserRecord;
}

export type EmulatorContext = Context<EmulatorEnv>;

/** GET and HEAD are reads: Fastly neither rate-limits them nor sends rate-limit headers on them. */
export function isWriteMethod(method: string): boolean {
  return method !== "GET" && method !== "HEAD";
}

/** The caller's address as Fastly would record it in `ip`. */
export function clientIp(headers: Headers): string {
  const connecting = headers.get("cf-connecting-ip")?.trim();
  if (connecting) return connecting;
  const firstHop = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return firstHop || "127.0.0.1";
}

export function isLive(token: TokenRecord, now: number): boolean {
  return token.revoked_at === null && (token.expires_at === null || token.expires_at > now);
}

export function userBucket(userId: string): string {
  return `user:${userId}`;
}

/**
 * Resolves `Fastly-Key` to a live token and records the use (time, ip, user agent) before any body is built,
 * so `GET /tokens/self` reports the very request that reads it, as in the recordings.
 */
export async function authenticate(c: EmulatorContext, state: EmulatorState): Promise<Caller> {
  const key = c.req.header("fastly-key");
  if (!key) throw fastlyErrors.credentials(401);
  const token = state.tokenByHash(await sha256Hex(key));
  if (!token) throw fastlyErrors.credentials(state.config.unknownKeyStatus);
  const now = state.now();
  const user = state.users.get(token.user_id);
  if (!isLive(token, now) || !user) throw fastlyErrors.credentials(401);
  token.last_used_at = Math.floor(now / 1000) * 1000;
  token.ip = clientIp(c.req.raw.headers);
  token.user_agent = c.req.header("user-agent") ?? null;
  const caller = { token, user };
  c.set("caller", caller);
  return caller;
}

/** Counts a write against `bucket`; refuses it with 429 once the hour's allowance is spent. */
export function chargeRate(c: EmulatorContext, state: EmulatorState, bucket: string): void {
  const info = state.rateLimiter.consume(bucket, state.now(), state.config.rateLimit);
  c.set("rate", info);
  if (info.limited) throw fastlyErrors.rateLimited();
}

/** Authenticates, then charges writes to the user's hourly allowance (shared by all of a user's tokens). */
export async function requireCaller(c: EmulatorContext, state: EmulatorState): Promise<Caller> {
  const caller = await authenticate(c, state);
  if (isWriteMethod(c.req.method)) chargeRate(c, state, userBucket(caller.user.id));
  return caller;
}

export function scopeWords(token: TokenRecord): Set<string> {
  return new Set(token.scope.split(" "));
}

const PURGE_ONLY = "A purge-only token may only read or revoke itself through /tokens/self";

/** Reading other tokens needs `global` or `global:read`. */
export function requireReadScope(caller: Caller): void {
  const words = scopeWords(caller.token);
  if (!words.has("global") && !words.has("global:read")) throw fastlyErrors.forbidden(PURGE_ONLY);
}

/** Writing (create, revoke by id, bulk revoke, sudo) needs `global`. */
export function requireWriteScope(caller: Caller): void {
  const words = scopeWords(caller.token);
  if (words.has("global")) return;
  if (words.has("global:read")) throw fastlyErrors.readOnly();
  throw fastlyErrors.forbidden(PURGE_ONLY);
}

export function isSuperuserOf(user: UserRecord, customerId: string): boolean {
  return user.role === "superuser" && user.customer_id === customerId;
}

/** Another user's token of the caller's own account, which only a superuser may read or revoke. */
export function isForeign(caller: Caller, token: TokenRecord): boolean {
  return token.user_id !== caller.user.id && !isSuperuserOf(caller.user, token.customer_id);
}

/**
 * A token the caller may see or revoke. Revoked, unknown and other customers' ids are all "not found",
 * so ids cannot be probed across accounts; another user's token in the same account is 403 for non-superusers
 * (or, with `foreignTokenStatus: 404`, "not found" as well).
 */
export function visibleToken(state: EmulatorState, caller: Caller, tokenId: string): TokenRecord {
  const token = state.tokens.get(tokenId);
  if (!token || token.revoked_at !== null || token.customer_id !== caller.user.customer_id) {
    throw fastlyErrors.tokenLookup();
  }
  if (isForeign(caller, token)) {
    if (state.config.foreignTokenStatus === 404) throw fastlyErrors.tokenLookup();
    throw fastlyErrors.forbidden("Users may only access their own tokens; superusers may access their account's");
  }
  return token;
}
