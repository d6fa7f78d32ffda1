/**
 * Splits `text` into pieces of at most `max` characters, at line breaks where it can and mid-line only
 * for a single line longer than `max`. Joining the pieces with "\n" gives back the text, apart from the
 * line breaks a mid-line cut adds.
 */
export function splitLines(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const candidate = current === "" ? line : `${current}\n${line}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    if (current !== "") pieces.push(current);
    current = line;
    while (current.length > max) {
      pieces.push(current.slice(0, max));
      current = current.slice(max);
    }
  }
  if (current !== "" || pieces.length === 0) pieces.push(current);
  return pieces;
}

/** `text` cut to `max` characters, ending in "…" when cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
