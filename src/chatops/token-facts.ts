import type { TokenResponse } from "../fastly/schemas";

/**
 * The token's scope words. `scope` is a space-delimited list ("global:read global"); `scopes` is the
 * undocumented array form some responses carry instead. Both are read so either shape works.
 */
export function tokenScopes(token: TokenResponse): string[] {
  const words = new Set<string>();
  for (const w of (token.scope ?? "").split(/\s+/)) if (w) words.add(w);
  for (const s of token.scopes ?? []) for (const w of s.split(/\s+/)) if (w) words.add(w);
  return [...words];
}

export function hasScope(token: TokenResponse, scope: string): boolean {
  return tokenScopes(token).includes(scope);
}

/** "global" exactly: "global:read" is read-only and not the broad scope the warnings are about. */
export function isGlobal(token: TokenResponse): boolean {
  return hasScope(token, "global");
}

/** Service ids the token is limited to; empty means every service on the account. */
export function tokenServices(token: TokenResponse): string[] {
  const services = new Set(token.services ?? []);
  if (token.service_id) services.add(token.service_id);
  return [...services];
}
