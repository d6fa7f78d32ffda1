const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * True for an ISO 8601 date-time with an explicit offset (`2026-01-02T03:04:05Z`, `…+00:00`), whose fields are
 * in range. `Date.parse` alone is not enough: it quietly turns 2026-02-30 into March 2nd.
 *
 * @example
 * ```ts
 * isIsoDateTime("2016-07-28T19:24:50+00:00"); // true
 * isIsoDateTime("2026-02-30T00:00:00Z");      // false
 * ```
 */
export function isIsoDateTime(value: string): boolean {
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[7] !== "Z" && (Number(m[8]) > 23 || Number(m[9]) > 59)) return false;
  return !Number.isNaN(Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2")));
}

/**
 * A Date as Fastly writes timestamps: UTC, second precision, `Z` (`2026-01-02T03:04:05Z`).
 *
 * @example
 * ```ts
 * toFastlyDateTime(new Date("2026-01-02T03:04:05.678Z")); // "2026-01-02T03:04:05Z"
 * ```
 */
export function toFastlyDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
