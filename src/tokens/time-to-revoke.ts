/** Time from a leak's first sighting to its revocation: formatting and the figures a security team reports. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "850 ms", "42 s", "4 min 12 s", "3 h 5 min", "2 d 4 h": two units at most, truncated, so a person reads it at a
 * glance. Negative spans (a clock ahead of another) read as "0 ms".
 */
export function formatElapsed(ms: number): string {
  const span = Math.max(0, Math.floor(ms));
  if (span < SECOND) return `${span} ms`;
  if (span < MINUTE) return `${Math.floor(span / SECOND)} s`;
  const two = (big: number, bigUnit: string, small: number, smallUnit: string) => (small > 0 ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`);
  if (span < HOUR) return two(Math.floor(span / MINUTE), "min", Math.floor((span % MINUTE) / SECOND), "s");
  if (span < DAY) return two(Math.floor(span / HOUR), "h", Math.floor((span % HOUR) / MINUTE), "min");
  return two(Math.floor(span / DAY), "d", Math.floor((span % DAY) / HOUR), "h");
}

/** Nearest-rank percentile (p in 0..100) of ascending `sorted`; null for an empty list. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** "2026-07-01 10:04 UTC" from epoch milliseconds. */
export function formatInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
