import { afterEach, beforeEach, vi } from "vitest";

/**
 * Captures every console line of each test in the calling file (strings as they are, anything else as JSON), for
 * "no secret in a log line" assertions. Call once at the top level of a test file; the array is emptied per test.
 */
export function captureConsole(): string[] {
  const logged: string[] = [];
  beforeEach(() => {
    logged.length = 0;
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      });
    }
  });
  afterEach(() => vi.restoreAllMocks());
  return logged;
}
