/**
 * Fetch-native client for Fastly's API-token operations. Standalone: import this module alone in Workers,
 * Node, Deno or a browser.
 *
 * @example
 * ```ts
 * import { FastlyClient, FastlyApiError } from "./fastly";
 * const fastly = new FastlyClient({ apiKey: "…" });
 * const tokens = await fastly.listTokensUser();
 * ```
 * @module
 */
export { type BulkRevokeParams, type CreateTokenParams, FastlyClient, type SudoParams } from "./client";
export { FastlyApiError, type FastlyApiErrorInit, FastlyArgumentError, type FastlyErrorKind } from "./errors";
export type { FastlyClientOptions, RateLimit, RequestOptions } from "./options";
export { REDACTED } from "./redact";
export {
  type SudoResponse,
  SudoResponseSchema,
  TOKEN_SCOPES,
  type TokenCreatedResponse,
  TokenCreatedResponseSchema,
  TokenListSchema,
  type TokenResponse,
  TokenResponseSchema,
  type TokenScope,
  type UserResponse,
  UserResponseSchema,
} from "./schemas";
export { CLIENT_VERSION, DEFAULT_USER_AGENT } from "./version";
export { DEFAULT_BASE_URL } from "./url";
