import { plainText, ZERO_WIDTH_SPACE } from "./safe-text";

/**
 * A monospace table: every row starts each column at the same offset, columns two spaces apart, a
 * dashed rule under the header. Widths count code points, so accented names line up; wide glyphs
 * (emoji, CJK) may still drift because chat fonts draw them at double width.
 */
export function formatTable(headers: string[], rows: string[][], maxCell = 32): string {
  const cells = [headers, ...rows].map((row) => headers.map((_, i) => plainText(row[i] ?? "", maxCell)));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => width(row[i]!))));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell + " ".repeat(widths[i]! - width(cell)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const [head, ...body] = cells;
  return [line(head!), rule, ...body.map(line)].join("\n");
}

function width(s: string): number {
  // The zero-width spaces of plainText's unlink take no room on screen.
  return [...s.replaceAll(ZERO_WIDTH_SPACE, "")].length;
}
