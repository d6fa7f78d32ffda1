import type { TokenResponse } from "../fastly/schemas";
import { expiresWithin, isExpired, isGlobalOnAllServices, isStale, neverExpires, neverUsed, parseTime } from "../tokens/token-facts";

/**
 * What the schedule and the dashboard look for, most urgent first: something is about to break (expiring),
 * has broken (expired), is probably forgotten (unused, never used), or is broader than it needs to be.
 */
export const FINDING_CLASSES = ["expiring", "expired", "unused", "never_used", "global_all_services", "no_expiry"] as const;
export type FindingClass = (typeof FINDING_CLASSES)[number];

export const FINDING_LABELS: Record<FindingClass, string> = {
  expiring: "Expiring soon",
  expired: "Expired",
  unused: "Unused",
  never_used: "Never used",
  global_all_services: "Global, all services",
  no_expiry: "No expiry",
};

export interface Thresholds {
  /** "expiring": the expiry is ahead and at most this many days away. */
  expiringDays: number;
  /** "unused": last used at least this many days ago. */
  unusedDays: number;
}

/** One sentence per class, for legends and digests. */
export function describeFinding(finding: FindingClass, t: Thresholds): string {
  switch (finding) {
    case "expiring":
      return `expires within ${t.expiringDays} day${t.expiringDays === 1 ? "" : "s"}`;
    case "expired":
      return "has expired (still listed by Fastly; revoke it to tidy up)";
    case "unused":
      return `not used for ${t.unusedDays} days or more`;
    case "never_used":
      return "has never been used";
    case "global_all_services":
      return "global scope, not limited to any service";
    case "no_expiry":
      return "never expires";
  }
}

/**
 * The classes a token falls into at `now`, in FINDING_CLASSES order. A timestamp that cannot be parsed proves
 * nothing, so it puts the token in no class (except that a missing `expires_at` is "no_expiry"): a finding must
 * be something a person can verify from the dates shown.
 */
export function classifyToken(token: TokenResponse, now: Date, t: Thresholds): FindingClass[] {
  const found: FindingClass[] = [];
  if (expiresWithin(token, now, t.expiringDays)) found.push("expiring");
  if (isExpired(token, now)) found.push("expired");
  // "unused" is the stale rule for tokens that were used; a never-used one is "never_used" instead, whatever its age.
  if (!neverUsed(token) && isStale(token, now, t.unusedDays)) found.push("unused");
  if (neverUsed(token)) found.push("never_used");
  if (isGlobalOnAllServices(token)) found.push("global_all_services");
  if (neverExpires(token)) found.push("no_expiry");
  return found;
}

export interface HygieneItem {
  token: TokenResponse;
  /** Only the classes the report was asked for. */
  findings: FindingClass[];
}

export interface HygieneReport {
  generatedAt: string;
  thresholds: Thresholds;
  classes: FindingClass[];
  totalTokens: number;
  counts: Record<FindingClass, number>;
  /** Tokens with at least one finding, most urgent first. */
  items: HygieneItem[];
}

/**
 * Classifies every token and orders those with findings by urgency: the most urgent class first, then within
 * it the token that needs attention soonest (expiring soonest, expired most recently, unused longest, oldest
 * never-used), then by name so the order is stable.
 */
export function buildReport(
  tokens: TokenResponse[],
  now: Date,
  options: Thresholds & { classes?: readonly FindingClass[] },
): HygieneReport {
  const classes = FINDING_CLASSES.filter((c) => (options.classes ?? FINDING_CLASSES).includes(c));
  const thresholds = { expiringDays: options.expiringDays, unusedDays: options.unusedDays };
  const counts = Object.fromEntries(FINDING_CLASSES.map((c) => [c, 0])) as Record<FindingClass, number>;
  const items: HygieneItem[] = [];
  for (const token of tokens) {
    const findings = classifyToken(token, now, thresholds).filter((f) => classes.includes(f));
    for (const f of findings) counts[f]++;
    if (findings.length > 0) items.push({ token, findings });
  }
  items.sort(byUrgency);
  return { generatedAt: now.toISOString(), thresholds, classes, totalTokens: tokens.length, counts, items };
}

/** Negative when `a` is more urgent. */
export function byUrgency(a: HygieneItem, b: HygieneItem): number {
  const rank = (i: HygieneItem) => FINDING_CLASSES.indexOf(i.findings[0]!);
  const diff = rank(a) - rank(b);
  if (diff !== 0) return diff;
  const key = urgencyKey(a.findings[0]!);
  const ka = key(a.token);
  const kb = key(b.token);
  if (ka !== kb) return ka - kb;
  return (a.token.name ?? "").localeCompare(b.token.name ?? "") || (a.token.id ?? "").localeCompare(b.token.id ?? "");
}

function urgencyKey(finding: FindingClass): (t: TokenResponse) => number {
  const time = (iso: string | null | undefined) => parseTime(iso) ?? 0;
  switch (finding) {
    case "expiring":
      return (t) => time(t.expires_at);
    case "expired":
      return (t) => -time(t.expires_at);
    case "unused":
      return (t) => time(t.last_used_at);
    case "never_used":
    case "global_all_services":
    case "no_expiry":
      return (t) => time(t.created_at);
  }
}
