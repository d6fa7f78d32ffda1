import { describe, expect, it } from "vitest";
import {
  describeExpiry,
  describeLastUse,
  formatDate,
  relativeTime,
  tokenWarnings,
} from "../../src/chatops/time";
import { daysFromNow, expiredPurge, freshMultiScope, globalForever, hoursFromNow, NOW, purgeNeverUsed, readExpiring } from "./fixtures";

describe("relativeTime", () => {
  it("says never for a missing timestamp and unknown for garbage", () => {
    expect(relativeTime(null, NOW)).toBe("never");
    expect(relativeTime(undefined, NOW)).toBe("never");
    expect(relativeTime("", NOW)).toBe("never");
    expect(relativeTime("not a date", NOW)).toBe("unknown");
  });

  it("says just now within a minute either way", () => {
    expect(relativeTime(NOW.toISOString(), NOW)).toBe("just now");
    expect(relativeTime(new Date(NOW.getTime() - 59_000).toISOString(), NOW)).toBe("just now");
    expect(relativeTime(new Date(NOW.getTime() + 59_000).toISOString(), NOW)).toBe("just now");
  });

  it("counts minutes, hours, days and years in both directions", () => {
    expect(relativeTime(new Date(NOW.getTime() - 5 * 60_000).toISOString(), NOW)).toBe("5 minutes ago");
    expect(relativeTime(new Date(NOW.getTime() + 60_000).toISOString(), NOW)).toBe("in 1 minute");
    expect(relativeTime(hoursFromNow(-2), NOW)).toBe("2 hours ago");
    expect(relativeTime(hoursFromNow(23), NOW)).toBe("in 23 hours");
    expect(relativeTime(daysFromNow(3), NOW)).toBe("in 3 days");
    expect(relativeTime(daysFromNow(-1), NOW)).toBe("1 day ago");
    expect(relativeTime(daysFromNow(-92), NOW)).toBe("92 days ago");
    expect(relativeTime(daysFromNow(-729), NOW)).toBe("729 days ago");
    expect(relativeTime(daysFromNow(-1100), NOW)).toBe("3 years ago");
  });

  it("truncates partial units rather than rounding up", () => {
    expect(relativeTime(hoursFromNow(3 * 24 + 20), NOW)).toBe("in 3 days");
  });
});

describe("describeExpiry and describeLastUse", () => {
  it("phrases expiry in the future, in the past and never", () => {
    expect(describeExpiry(readExpiring, NOW)).toBe("expires in 3 days");
    expect(describeExpiry(expiredPurge, NOW)).toBe("expired 2 days ago");
    expect(describeExpiry(globalForever, NOW)).toBe("never expires");
  });

  it("phrases last use and never-used tokens", () => {
    expect(describeLastUse(globalForever, NOW)).toBe("last used 92 days ago");
    expect(describeLastUse(readExpiring, NOW)).toBe("last used 2 hours ago");
    expect(describeLastUse(purgeNeverUsed, NOW)).toBe("never used");
  });

  it("formats dates to the minute in UTC", () => {
    expect(formatDate("2021-01-14T11:36:43Z")).toBe("2021-01-14 11:36 UTC");
    expect(formatDate("2021-01-14T12:36:43+01:00")).toBe("2021-01-14 11:36 UTC");
    expect(formatDate(null)).toBe("never");
  });
});

describe("tokenWarnings", () => {
  it("warns about a global token without expiry on all services that has gone stale", () => {
    expect(tokenWarnings(globalForever, NOW)).toEqual([
      "Global scope and no expiry: this token works until someone revokes it.",
      "Global scope on all services: it is not limited to specific services.",
      "Not used for 92 days.",
    ]);
  });

  it("does not call a global token limited to services unrestricted", () => {
    const limited = { ...globalForever, services: ["0Us63sb8R1BpWQBIhluncu"], last_used_at: hoursFromNow(-1) };
    expect(tokenWarnings(limited, NOW)).toEqual(["Global scope and no expiry: this token works until someone revokes it."]);
  });

  it("reads the legacy service_id as a service restriction", () => {
    const legacy = { ...globalForever, services: undefined, service_id: "0Us63sb8R1BpWQBIhluncu", last_used_at: null, created_at: null };
    expect(tokenWarnings(legacy, NOW)).toEqual(["Global scope and no expiry: this token works until someone revokes it."]);
  });

  it("treats a global token's scope inside a multi-scope string as global", () => {
    const multi = { ...freshMultiScope, expires_at: null, services: [] };
    expect(tokenWarnings(multi, NOW)).toEqual([
      "Global scope and no expiry: this token works until someone revokes it.",
      "Global scope on all services: it is not limited to specific services.",
    ]);
  });

  it("does not treat global:read as global", () => {
    expect(tokenWarnings({ ...readExpiring, expires_at: null, services: [] }, NOW)).toEqual([]);
  });

  it("warns about expired and soon-expiring tokens, but not one expiring in 8 days", () => {
    expect(tokenWarnings(expiredPurge, NOW)).toEqual(["Expired 2 days ago."]);
    expect(tokenWarnings(readExpiring, NOW)).toEqual(["Expires in 3 days."]);
    expect(tokenWarnings({ ...readExpiring, expires_at: daysFromNow(7) }, NOW)).toEqual(["Expires in 7 days."]);
    expect(tokenWarnings({ ...readExpiring, expires_at: daysFromNow(8) }, NOW)).toEqual([]);
  });

  it("warns about a never-used token only once it is more than 90 days old", () => {
    expect(tokenWarnings(purgeNeverUsed, NOW)).toEqual(["Never used since it was created 200 days ago."]);
    expect(tokenWarnings(freshMultiScope, NOW)).toEqual([]);
    expect(tokenWarnings({ ...purgeNeverUsed, created_at: daysFromNow(-90) }, NOW)).toEqual([]);
  });
});
