import { redactPastedTokens } from "./command";

/**
 * A value from Fastly or a chat payload (token names, ids, reasons) made safe to drop into a message:
 * one line, no backticks (they would end a code span or fence), no control characters, at most `max`
 * characters. Pasted-token-shaped words are redacted as a last line of defence: this layer is never
 * handed a secret, but free-text fields such as failure reasons come from other code.
 */
export function plainText(value: string | null | undefined, max = 80): string {
  const flat = redactPastedTokens(String(value ?? ""))
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ")
    .replace(/`/g, "'")
    .trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : flat;
}

/** A value as an inline code span; "—" when empty. */
export function codeSpan(value: string | null | undefined, max = 80): string {
  const text = plainText(value, max);
  return text ? `\`${text}\`` : "—";
}
