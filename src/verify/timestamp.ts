// Replay-window helpers for the schemes that sign a timestamp (Slack, Discord, Standard Webhooks).

/** Parses a decimal epoch-seconds header value; null for anything else (signs, decimals, exponents, spaces). */
export function parseEpochSeconds(value: string): number | null {
  if (!/^\d{1,12}$/.test(value)) return null;
  return Number(value);
}

/** Default clock, in epoch seconds (not milliseconds: every scheme here signs seconds). */
export function nowSeconds(): number {
  return Date.now() / 1000;
}

/** True when `timestamp` is more than `toleranceSec` away from `now`, in either direction. */
export function outsideWindow(timestamp: number, now: number, toleranceSec: number): boolean {
  return Math.abs(now - timestamp) > toleranceSec;
}
