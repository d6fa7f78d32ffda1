/**
 * What replaces a secret in every error field.
 *
 * @example
 * ```ts
 * if (err.body?.includes(REDACTED)) console.log("Fastly echoed a secret; it was removed");
 * ```
 */
export const REDACTED = "[REDACTED]";

/**
 * The spellings under which a secret can come back in a response: verbatim, percent-encoded, form-encoded
 * (an echoed form body) and JSON-escaped.
 *
 * @example
 * ```ts
 * secretVariants("p@ss word"); // ["p@ss word", "p%40ss%20word", "p%40ss+word"]
 * ```
 */
export function secretVariants(secret: string): string[] {
  const variants = new Set<string>([
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
  ]);
  return [...variants].filter((v) => v.length > 0);
}

/**
 * Replaces every spelling of every secret in `text` with `[REDACTED]`. Longest first, so a secret that contains
 * another is removed whole.
 *
 * @example
 * ```ts
 * redact('bad key "abc123"', ["abc123"]); // 'bad key "[REDACTED]"'
 * ```
 */
export function redact(text: string, secrets: readonly string[]): string {
  const needles = [...new Set(secrets.filter((s) => s.length > 0).flatMap(secretVariants))].sort(
    (a, b) => b.length - a.length,
  );
  let out = text;
  for (const needle of needles) out = out.split(needle).join(REDACTED);
  return out;
}

const JSON_ACCESS_TOKEN = /"access_token"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
const FORM_ACCESS_TOKEN = /(?:^|[?&\s])access_token=([^&\s"']+)/g;

/**
 * Finds `access_token` values in a response text (JSON or form-encoded), so they can be redacted even when the
 * body is malformed and only its raw text ends up in an error.
 *
 * @example
 * ```ts
 * findAccessTokens('{"id":"x","access_token":"QoU3neoxQQ6IPL8g7eRkkCjyWcwdNI7J"}'); // ["QoU3neox…"]
 * ```
 */
export function findAccessTokens(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(JSON_ACCESS_TOKEN)) {
    const raw = m[1] ?? "";
    found.push(raw);
    try {
      found.push(JSON.parse(`"${raw}"`) as string);
    } catch {
      // The raw spelling is already listed; an undecodable escape needs nothing more.
    }
  }
  for (const m of text.matchAll(FORM_ACCESS_TOKEN)) {
    const raw = m[1] ?? "";
    found.push(raw);
    try {
      found.push(decodeURIComponent(raw.replaceAll("+", " ")));
    } catch {
      // Same as above: keep the raw spelling only.
    }
  }
  return found.filter((t) => t.length > 0);
}
