import { isIsoDateTime } from "../../fastly/date-time";

// What Fastly is sent to accept: a date, or a date-time with optional seconds and fraction and an optional zone
// (`Z`, `±HH`, `±HHMM`, `±HH:MM`). The parts are rebuilt into the one strict form the Fastly client sends.
const LOOSE = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2})(:\d{2})?(\.\d+)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

function offsetOf(zone: string | undefined): string {
  if (zone === undefined || zone.toUpperCase() === "Z") return "Z"; // no zone is UTC, never the host's zone
  const digits = zone.slice(1).replace(":", "");
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2) || "00"}`;
}

/**
 * Parses an ISO 8601 date or date-time the way the Fastly-compatible surface accepts it ("2030-01-01",
 * "2030-01-01T10:20", "2030-01-01T10:20:53.5+0100"), or null. Out-of-range fields (2030-02-30) are null too.
 */
export function parseLooseDateTime(value: string): Date | null {
  const m = LOOSE.exec(value.trim());
  if (!m) return null;
  const [, date, hoursMinutes = "00:00", seconds = ":00", fraction = "", zone] = m;
  const strict = `${date}T${hoursMinutes}${seconds}${fraction.slice(0, 4)}${offsetOf(zone)}`;
  return isIsoDateTime(strict) ? new Date(strict) : null;
}
