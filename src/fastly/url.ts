import { FastlyArgumentError } from "./errors";

/**
 * Where the client talks to unless told otherwise.
 *
 * @example
 * ```ts
 * new FastlyClient({ baseUrl: env.FASTLY_API_URL ?? DEFAULT_BASE_URL });
 * ```
 */
export const DEFAULT_BASE_URL = "https://api.fastly.com";

/**
 * Normalises a base URL to `origin + path prefix` with no trailing slash, so `joinPath` can append API paths
 * without dropping a prefix such as `/_t/abc`. Query and fragment are refused: they would end up in the middle
 * of every URL.
 *
 * @example
 * ```ts
 * normaliseBaseUrl("http://127.0.0.1:9/_t/abc/"); // "http://127.0.0.1:9/_t/abc"
 * ```
 */
export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new FastlyArgumentError("baseUrl", "baseUrl must be an absolute http(s) URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new FastlyArgumentError("baseUrl", "baseUrl must use http or https");
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new FastlyArgumentError("baseUrl", "baseUrl must not contain credentials, a query or a fragment");
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/**
 * Appends an API path (starting with `/`) to a normalised base URL.
 *
 * @example
 * ```ts
 * joinPath("http://127.0.0.1:9/_t/abc", "/tokens/self"); // "http://127.0.0.1:9/_t/abc/tokens/self"
 * ```
 */
export function joinPath(base: string, path: string): string {
  return `${base}${path}`;
}

/**
 * One path segment, percent-encoded (ids are opaque; encoding keeps a stray `?` or `%` from changing the URL).
 *
 * @example
 * ```ts
 * `/tokens/${segment(tokenId)}`;
 * ```
 */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
