import { describe, expect, it } from "vitest";
import { assessToken } from "../../src/chatops/time";
import { classifyToken } from "../../src/hygiene/classify";
import { selectStale } from "../../src/hygiene/stale-policy";
import {
  expiresWithin,
  filterTokens,
  idleFor,
  isExpired,
  isGlobalOnAllServices,
  isStale,
  mayBeStale,
  neverExpires,
  neverUsed,
  parseTime,
} from "../../src/tokens/token-facts";
import { daysFromNow, NOW, token } from "../hygiene/fixtures";

const DAY = 86_400_000;

// Moved from test/hygiene/stale-policy.test.ts with isStale itself; assertions unchanged.
describe("isStale", () => {
  it("is stale when last used the threshold or more days ago", () => {
    expect(isStale(token({ last_used_at: daysFromNow(-90) }), NOW, 90)).toBe(true);
    expect(isStale(token({ last_used_at: daysFromNow(-89) }), NOW, 90)).toBe(false);
  });

  it("counts a never-used token only once it is that old, and never when its age is unknown", () => {
    expect(isStale(token({ last_used_at: null, created_at: daysFromNow(-91) }), NOW, 90)).toBe(true);
    expect(isStale(token({ last_used_at: null, created_at: daysFromNow(-10) }), NOW, 90)).toBe(false);
    expect(isStale(token({ last_used_at: null, created_at: null }), NOW, 90)).toBe(false);
    expect(isStale(token({ last_used_at: "garbage" }), NOW, 90)).toBe(false);
  });
});

describe("idleFor", () => {
  it("measures idleness from the last use, or from creation when the token was never used", () => {
    expect(idleFor(token({ last_used_at: daysFromNow(-3), created_at: daysFromNow(-300) }), NOW)).toBe(3 * DAY);
    expect(idleFor(token({ last_used_at: null, created_at: daysFromNow(-40) }), NOW)).toBe(40 * DAY);
    expect(idleFor(token({ last_used_at: "", created_at: daysFromNow(-40) }), NOW)).toBe(40 * DAY);
  });

  it("does not know how long a token has been idle when the date it would use is missing or unreadable", () => {
    expect(idleFor(token({ last_used_at: "yesterday", created_at: daysFromNow(-300) }), NOW)).toBeUndefined();
    expect(idleFor(token({ last_used_at: null, created_at: null }), NOW)).toBeUndefined();
    expect(idleFor(token({ last_used_at: null, created_at: "long ago" }), NOW)).toBeUndefined();
  });
});

describe("mayBeStale", () => {
  it("agrees with isStale whenever the dates can be read", () => {
    for (const t of [
      token({ last_used_at: daysFromNow(-90) }),
      token({ last_used_at: daysFromNow(-89) }),
      token({ last_used_at: null, created_at: daysFromNow(-91) }),
      token({ last_used_at: null, created_at: daysFromNow(-10) }),
    ]) {
      expect(mayBeStale(t, NOW, 90)).toBe(isStale(t, NOW, 90));
    }
  });

  it("keeps a token whose idleness is unknown, which isStale never calls stale", () => {
    for (const t of [token({ last_used_at: "garbage" }), token({ last_used_at: null, created_at: null })]) {
      expect(mayBeStale(t, NOW, 90)).toBe(true);
      expect(isStale(t, NOW, 90)).toBe(false);
    }
  });
});

describe("expiry facts", () => {
  it("calls an expiry now or past expired, and one ahead within the window expiring", () => {
    expect(isExpired(token({ expires_at: NOW.toISOString() }), NOW)).toBe(true);
    expect(expiresWithin(token({ expires_at: NOW.toISOString() }), NOW, 7)).toBe(false);
    expect(expiresWithin(token({ expires_at: daysFromNow(7) }), NOW, 7)).toBe(true);
    expect(expiresWithin(token({ expires_at: daysFromNow(8) }), NOW, 7)).toBe(false);
    expect(isExpired(token({ expires_at: daysFromNow(8) }), NOW)).toBe(false);
  });

  it("draws no expiry conclusion from an unreadable date, and calls only a missing one never expiring", () => {
    const unreadable = token({ expires_at: "soon" });
    expect([isExpired(unreadable, NOW), expiresWithin(unreadable, NOW, 3650), neverExpires(unreadable)]).toEqual([false, false, false]);
    expect(neverExpires(token({ expires_at: null }))).toBe(true);
  });
});

describe("scope and use facts", () => {
  it("calls global scope without a service restriction the broadest, and a missing last use never used", () => {
    expect(isGlobalOnAllServices(token({ scope: "global", services: [], service_id: null }))).toBe(true);
    expect(isGlobalOnAllServices(token({ scope: "global", services: [], service_id: "svc1" }))).toBe(false);
    expect(isGlobalOnAllServices(token({ scope: "global:read", services: [] }))).toBe(false);
    expect(neverUsed(token({ last_used_at: null }))).toBe(true);
    expect(neverUsed(token({ last_used_at: "garbage" }))).toBe(false);
  });

  it("reads no time from a missing or unparseable timestamp", () => {
    expect([parseTime(null), parseTime(undefined), parseTime(""), parseTime("not a date")]).toEqual([undefined, undefined, undefined, undefined]);
    expect(parseTime("2026-03-01T08:00:00Z")).toBe(NOW.getTime());
  });
});

describe("one answer per surface for a token of unknown idleness", () => {
  const unknown = [token({ id: "unreadableLastUse00001", last_used_at: "garbage" }), token({ id: "neverUsedNoCreated0001", last_used_at: null, created_at: null })];
  const policy = { afterDays: 90, maxRevocations: 10, exemptTokenIds: [] as string[] };

  it("is never revoked by the stale-token policy, never warned about as stale, and never classed unused", () => {
    expect(selectStale(unknown, NOW, policy, null).candidates).toEqual([]);
    for (const t of unknown) {
      expect(assessToken(t, NOW).map((w) => w.code)).not.toContain("stale");
      expect(classifyToken(t, NOW, { expiringDays: 7, unusedDays: 90 })).not.toContain("unused");
    }
  });

  it("is still shown by the list filter for stale tokens, so nobody misses it", () => {
    expect(filterTokens(unknown, { target: "customer", staleDays: 90 }, NOW)).toEqual(unknown);
  });
});
