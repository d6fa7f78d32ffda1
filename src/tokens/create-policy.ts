import type { CreateTokenParams } from "../fastly";
import { TokenServiceError } from "./errors";

export interface CreatePolicy {
  maxLifetimeDays: number; // 0 = no limit
  allowedScopes: string[]; // empty = any scope Fastly accepts
  requireServices: boolean;
}

const violation = (code: string, detail: string) =>
  new TokenServiceError(400, `policy.${code}`, "Token policy violation", detail);

/** Throws a specific {@link TokenServiceError} for the first rule `params` break. */
export function checkCreatePolicy(params: CreateTokenParams, policy: CreatePolicy, now: Date): void {
  const scopes = (Array.isArray(params.scope) ? params.scope : (params.scope ?? "global").split(/\s+/)).filter(Boolean);
  if (policy.allowedScopes.length > 0) {
    const denied = scopes.filter((s) => !policy.allowedScopes.includes(s));
    if (denied.length > 0) {
      throw violation("scope", `scope ${denied.join(" ")} is not allowed; allowed: ${policy.allowedScopes.join(" ")}`);
    }
  }
  if (policy.requireServices && !(params.services && params.services.length > 0)) {
    throw violation("services", "tokens must be limited to at least one service (services[])");
  }
  if (policy.maxLifetimeDays > 0) {
    if (!params.expires_at) {
      throw violation("lifetime", `expires_at is required: tokens may live at most ${policy.maxLifetimeDays} days`);
    }
    const expires = new Date(params.expires_at);
    const limit = now.getTime() + policy.maxLifetimeDays * 86_400_000;
    if (expires.getTime() > limit) {
      throw violation("lifetime", `expires_at is more than ${policy.maxLifetimeDays} days away`);
    }
  }
}
