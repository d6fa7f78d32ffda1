import { describe, expect, it } from "vitest";
import { buildReport, classifyToken, FINDING_CLASSES } from "../../src/hygiene/classify";
import { daysFromNow, NOW, token } from "./fixtures";

const thresholds = { expiringDays: 7, unusedDays: 90 };

describe("classifyToken", () => {
  it("finds nothing wrong with a limited, recently used token that expires in months", () => {
    expect(classifyToken(token(), NOW, thresholds)).toEqual([]);
  });

  it("calls a token expiring exactly at the edge of the window expiring, and one a second later not", () => {
    const edge = new Date(NOW.getTime() + 7 * 86_400_000).toISOString();
    const past = new Date(NOW.getTime() + 7 * 86_400_000 + 1000).toISOString();
    expect(classifyToken(token({ expires_at: edge }), NOW, thresholds)).toEqual(["expiring"]);
    expect(classifyToken(token({ expires_at: past }), NOW, thresholds)).toEqual([]);
  });

  it("calls a token whose expiry is now or past expired, never expiring", () => {
    expect(classifyToken(token({ expires_at: NOW.toISOString() }), NOW, thresholds)).toEqual(["expired"]);
    expect(classifyToken(token({ expires_at: daysFromNow(-10) }), NOW, thresholds)).toEqual(["expired"]);
  });

  it("calls a token unused once its last use is the threshold or more days ago", () => {
    expect(classifyToken(token({ last_used_at: daysFromNow(-90) }), NOW, thresholds)).toEqual(["unused"]);
    expect(classifyToken(token({ last_used_at: daysFromNow(-89) }), NOW, thresholds)).toEqual([]);
    expect(classifyToken(token({ last_used_at: daysFromNow(-30) }), NOW, { ...thresholds, unusedDays: 30 })).toEqual(["unused"]);
  });

  it("calls a token with no last use never used, whatever its age, and not unused", () => {
    expect(classifyToken(token({ last_used_at: null, created_at: daysFromNow(-2) }), NOW, thresholds)).toEqual(["never_used"]);
    expect(classifyToken(token({ last_used_at: null, created_at: daysFromNow(-400) }), NOW, thresholds)).toEqual(["never_used"]);
  });

  it("flags global scope without a service restriction, but not global:read or a global token limited to services", () => {
    expect(classifyToken(token({ scope: "global", services: [] }), NOW, thresholds)).toEqual(["global_all_services"]);
    expect(classifyToken(token({ scope: "global:read", services: [] }), NOW, thresholds)).toEqual([]);
    expect(classifyToken(token({ scope: "global", services: ["svc1"] }), NOW, thresholds)).toEqual([]);
    expect(classifyToken(token({ scope: "global:read global", services: [], service_id: null }), NOW, thresholds)).toEqual([
      "global_all_services",
    ]);
  });

  it("flags a token without expiry, and puts a token into every class it belongs to, in urgency order", () => {
    const legacy = token({ scope: "global", services: [], expires_at: null, last_used_at: daysFromNow(-120) });
    expect(classifyToken(legacy, NOW, thresholds)).toEqual(["unused", "global_all_services", "no_expiry"]);
  });

  it("draws no conclusion from dates it cannot read", () => {
    expect(classifyToken(token({ expires_at: "soon", last_used_at: "yesterday" }), NOW, thresholds)).toEqual([]);
  });
});

describe("buildReport", () => {
  const tokens = [
    token({ id: "neverUsedOld0000000001", name: "never old", last_used_at: null, created_at: daysFromNow(-50) }),
    token({ id: "expiringLater000000001", name: "expiring later", expires_at: daysFromNow(6) }),
    token({ id: "tidyToken0000000000001", name: "tidy" }),
    token({ id: "expiredRecent000000001", name: "expired recently", expires_at: daysFromNow(-1) }),
    token({ id: "expiringSoon0000000001", name: "expiring soon", expires_at: daysFromNow(1) }),
    token({ id: "expiredLongAgo00000001", name: "expired long ago", expires_at: daysFromNow(-30) }),
    token({ id: "unused0000000000000001", name: "unused", last_used_at: daysFromNow(-200) }),
    token({ id: "globalForever000000001", name: "global forever", scope: "global", services: [], expires_at: null }),
  ];

  it("counts every class and lists tokens with findings most urgent first", () => {
    const report = buildReport(tokens, NOW, thresholds);
    expect(report.totalTokens).toBe(8);
    expect(report.counts).toEqual({ expiring: 2, expired: 2, unused: 1, never_used: 1, global_all_services: 1, no_expiry: 1 });
    expect(report.items.map((i) => i.token.name)).toEqual([
      "expiring soon",
      "expiring later",
      "expired recently",
      "expired long ago",
      "unused",
      "never old",
      "global forever",
    ]);
    expect(report.generatedAt).toBe(NOW.toISOString());
  });

  it("reports only the classes asked for, and leaves out tokens that only fall into others", () => {
    const report = buildReport(tokens, NOW, { ...thresholds, classes: ["expired", "no_expiry"] });
    expect(report.classes).toEqual(["expired", "no_expiry"]);
    expect(report.items.map((i) => i.token.name)).toEqual(["expired recently", "expired long ago", "global forever"]);
    expect(report.items[2]!.findings).toEqual(["no_expiry"]);
  });

  it("has no items when nothing is wrong", () => {
    const report = buildReport([token()], NOW, thresholds);
    expect(report.items).toEqual([]);
    expect(Object.values(report.counts).every((n) => n === 0)).toBe(true);
    expect(report.classes).toEqual([...FINDING_CLASSES]);
  });
});
