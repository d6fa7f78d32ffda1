/**
 * The emulator's notion of "now". Tests freeze or move it (POST /__emulator/clock) to make tokens expire,
 * sudo windows lapse and rate-limit windows roll over without waiting.
 */
export class Clock {
  #frozenAt: number | null = null;
  #offsetMs = 0;

  constructor(private readonly source: () => number = Date.now) {}

  now(): number {
    return this.#frozenAt ?? this.source() + this.#offsetMs;
  }

  get frozen(): boolean {
    return this.#frozenAt !== null;
  }

  /** Freeze at `ms`, or with `null` go back to real time. */
  set(ms: number | null): void {
    this.#frozenAt = ms;
    this.#offsetMs = 0;
  }

  /** Move time forward (or back, with a negative number); a frozen clock stays frozen. */
  advance(seconds: number): void {
    if (this.#frozenAt !== null) this.#frozenAt += seconds * 1000;
    else this.#offsetMs += seconds * 1000;
  }
}

/** Fastly's wire format for token timestamps: second precision, `Z`. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export function isoSecondsOrNull(ms: number | null): string | null {
  return ms === null ? null : isoSeconds(ms);
}

/** The format `POST /sudo` answers with in the recordings: `2021-01-14T11:52:45+00:00`. */
export function isoWithOffset(ms: number): string {
  return isoSeconds(ms).replace("Z", "+00:00");
}
