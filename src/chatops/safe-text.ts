import { redactPastedTokens } from "./command";

// Characters that reorder or hide text (bidi overrides and isolates, zero-width characters, the BOM): a token
// name must read on screen the way it is spelled, and an attacker's own zero-width space must not survive to
// pair with ours.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** U+200B: invisible, and enough to stop every chat client's link detector. */
export const ZERO_WIDTH_SPACE = "\u200b";

/**
 * A value from Fastly or a chat payload (token names, user agents, ids, reasons) made safe to drop into a
 * message: one line, no backticks (they would end a code span or fence), no control or invisible characters, at
 * most `max` characters, and no bare link (see `unlink`). Markup characters stay as typed: each platform's
 * renderer escapes them (slack-render, markdown-render). Pasted-token-shaped words are redacted as a last line
 * of defence: this layer is never handed a secret, but free-text fields such as failure reasons come from other
 * code.
 */
export function plainText(value: string | null | undefined, max = 80): string {
  const flat = redactPastedTokens(String(value ?? "").replace(INVISIBLE, ""))
    .replace(CONTROL, " ")
    .replace(/`/g, "'")
    .trim();
  const chars = [...flat];
  return unlink(chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : flat);
}

/** A value as an inline code span; "—" when empty. */
export function codeSpan(value: string | null | undefined, max = 80): string {
  const text = plainText(value, max);
  return text ? `\`${text}\`` : "—";
}

/**
 * Stops chat clients from turning text into a link (and then a preview that fetches a remote page or image):
 * "scheme://" and "www." get a zero-width space, so "https://evil.example" still reads as typed but is not
 * clickable. Bare domain names may still be linked by Slack, which then shows where the link goes.
 */
export function unlink(text: string): string {
  return text.replace(/:\/\//g, `:${ZERO_WIDTH_SPACE}//`).replace(/\b(www)\./gi, `$1${ZERO_WIDTH_SPACE}.`);
}
