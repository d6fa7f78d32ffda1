import type { TokenResponse } from "../../src/fastly/schemas";

/** Every chatops test reads the clock from here. */
export const NOW = new Date("2024-06-01T12:00:00Z");

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const daysFromNow = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
export const hoursFromNow = (hours: number) => new Date(NOW.getTime() + hours * HOUR).toISOString();

/** Made-up access tokens in Fastly's format: 32 characters of [A-Za-z0-9_-]. */
export const SECRET_PLAIN = "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
export const SECRET_DASHED = "aB-cD_eF1gH2iJ3kL4mN5oP6qR7sT8uV";

const base = { user_id: "1tSCjJnpQYBBCAsIfI6pX0", customer_id: "51MumwLiSJyFTWhtbByYgR" };

/** Global, all services, no expiry, last used 92 days ago: every hygiene warning but expiry. */
export const globalForever: TokenResponse = {
  ...base,
  id: "2j1hEyxXOEqYaSipeZHaW4",
  name: "ci-deploy",
  scope: "global",
  services: [],
  service_id: null,
  created_at: daysFromNow(-400),
  last_used_at: daysFromNow(-92),
  expires_at: null,
  ip: "192.0.2.10",
  user_agent: "FastlyGo/2.1.0",
};

/** Read-only, one service, expires in 3 days, used 2 hours ago. */
export const readExpiring: TokenResponse = {
  ...base,
  id: "5NSGsvF9ybBxXAdEQhcYPz",
  name: "dashboard-reader",
  scope: "global:read",
  services: ["0Us63sb8R1BpWQBIhluncu"],
  service_id: "0Us63sb8R1BpWQBIhluncu",
  created_at: daysFromNow(-30),
  last_used_at: hoursFromNow(-2),
  expires_at: daysFromNow(3),
};

/** Two purge scopes, never used, created 200 days ago, expires in 30 days. */
export const purgeNeverUsed: TokenResponse = {
  ...base,
  id: "71ZA6hv2FO6tGEQIE203Xj",
  name: "purger",
  scope: "purge_select purge_all",
  services: ["7frORaFZvHgC6eRAJdA7kf"],
  created_at: daysFromNow(-200),
  last_used_at: null,
  expires_at: daysFromNow(30),
};

/** Multi-scope "global:read global", two services, created yesterday, never used, expires in 60 days. */
export const freshMultiScope: TokenResponse = {
  ...base,
  id: "3krg2uUGZzb2W9Euo4moOY",
  name: "new-automation",
  scope: "global:read global",
  services: ["0Us63sb8R1BpWQBIhluncu", "7frORaFZvHgC6eRAJdA7kf"],
  created_at: daysFromNow(-1),
  last_used_at: null,
  expires_at: daysFromNow(60),
};

/** Expired two days ago, last used ten days ago. */
export const expiredPurge: TokenResponse = {
  ...base,
  id: "5Yo3XXnrQpjc20u0ybrf2g",
  name: "old-purge",
  scope: "purge_all",
  services: ["7frORaFZvHgC6eRAJdA7kf"],
  created_at: daysFromNow(-100),
  last_used_at: daysFromNow(-10),
  expires_at: daysFromNow(-2),
};

export const allTokens = [globalForever, readExpiring, purgeNeverUsed, freshMultiScope, expiredPurge];
