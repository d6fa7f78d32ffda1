import type { TokenResponse } from "../../src/fastly/schemas";

/** A fixed "now" for classification tests: every date below is relative to it. */
export const NOW = new Date("2026-03-01T08:00:00Z");
const DAY = 86_400_000;

export const daysFromNow = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

/** A tidy token (limited scope, recent use, an expiry far ahead) with `overrides`. */
export function token(overrides: Partial<TokenResponse> = {}): TokenResponse {
  return {
    id: "tidyToken0000000000001",
    user_id: "ownerAAAAAAAAAAAAAAAA1",
    customer_id: "customerCCCCCCCCCCCCC1",
    name: "tidy",
    scope: "purge_select",
    services: ["svc1"],
    created_at: daysFromNow(-30),
    last_used_at: daysFromNow(-1),
    expires_at: daysFromNow(200),
    ...overrides,
  };
}
