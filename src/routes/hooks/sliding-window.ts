/**
 * At most `limit` events in any `windowMs`, in memory: a log of the accepted events' times, never longer than
 * `limit`. Per isolate by construction; see the README ("GitLab Token Revocation API") for why that is enough.
 */
export class SlidingWindow {
  private readonly times: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Records an event at `now` (ms) when the window has room; otherwise says how many seconds until it will. */
  take(now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    while (this.times.length > 0 && this.times[0]! <= now - this.windowMs) this.times.shift();
    if (this.times.length < this.limit) {
      this.times.push(now);
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((this.times[0]! + this.windowMs - now) / 1000)) };
  }
}
