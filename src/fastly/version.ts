/**
 * Version of this client, used in the default `User-Agent`.
 * Kept as a constant rather than read from package.json so the library has no JSON import and bundles anywhere.
 *
 * @example
 * ```ts
 * import { CLIENT_VERSION } from "./version";
 * console.log(`fastly-token-webhooks/${CLIENT_VERSION}`);
 * ```
 */
export const CLIENT_VERSION = "0.1.0";

/**
 * The `User-Agent` the client sends unless told otherwise.
 *
 * @example
 * ```ts
 * new FastlyClient({ userAgent: `${DEFAULT_USER_AGENT} my-script` });
 * ```
 */
export const DEFAULT_USER_AGENT = `fastly-token-webhooks/${CLIENT_VERSION}`;
