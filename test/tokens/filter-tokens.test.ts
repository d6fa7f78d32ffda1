import { describe, expect, it } from "vitest";
import { filterTokens } from "../../src/tokens/token-facts";
import {
  allTokens,
  daysFromNow,
  expiredPurge,
  freshMultiScope,
  globalForever,
  NOW,
  purgeNeverUsed,
  readExpiring,
} from "../chatops/fixtures";

const names = (tokens: { name?: string | null }[]) => tokens.map((t) => t.name);

describe("filterTokens", () => {
  it("keeps every token without filters, whatever the target", () => {
    expect(filterTokens(allTokens, { target: "mine" }, NOW)).toEqual(allTokens);
    expect(filterTokens(allTokens, { target: "customer" }, NOW)).toEqual(allTokens);
  });

  it("keeps tokens expiring within N days, not expired or expiry-less ones", () => {
    expect(names(filterTokens(allTokens, { target: "mine", expiringDays: 7 }, NOW))).toEqual([readExpiring.name]);
    expect(names(filterTokens(allTokens, { target: "mine", expiringDays: 30 }, NOW))).toEqual([
      readExpiring.name,
      purgeNeverUsed.name,
    ]);
    expect(filterTokens(allTokens, { target: "mine", expiringDays: 2 }, NOW)).toEqual([]);
  });

  it("counts a token expiring exactly N days from now as expiring within N days", () => {
    const edge = { ...readExpiring, expires_at: daysFromNow(5) };
    expect(filterTokens([edge], { target: "mine", expiringDays: 5 }, NOW)).toEqual([edge]);
    expect(filterTokens([edge], { target: "mine", expiringDays: 4 }, NOW)).toEqual([]);
  });

  it("keeps tokens unused for N days, including never-used ones at least N days old", () => {
    expect(names(filterTokens(allTokens, { target: "mine", staleDays: 90 }, NOW))).toEqual([
      globalForever.name,
      purgeNeverUsed.name,
    ]);
    expect(names(filterTokens(allTokens, { target: "mine", staleDays: 10 }, NOW))).toEqual([
      globalForever.name,
      purgeNeverUsed.name,
      expiredPurge.name,
    ]);
  });

  it("counts a never-used token of unknown age as stale and a day-old one as not", () => {
    const unknownAge = { ...purgeNeverUsed, created_at: null };
    expect(filterTokens([unknownAge, freshMultiScope], { target: "mine", staleDays: 1 }, NOW)).toEqual([
      unknownAge,
      freshMultiScope,
    ]);
    expect(filterTokens([freshMultiScope], { target: "mine", staleDays: 2 }, NOW)).toEqual([]);
  });

  it("matches a scope as a whole word within multi-scope strings", () => {
    expect(names(filterTokens(allTokens, { target: "mine", scope: "global" }, NOW))).toEqual([
      globalForever.name,
      freshMultiScope.name,
    ]);
    expect(names(filterTokens(allTokens, { target: "mine", scope: "global:read" }, NOW))).toEqual([
      readExpiring.name,
      freshMultiScope.name,
    ]);
    expect(names(filterTokens(allTokens, { target: "mine", scope: "purge_all" }, NOW))).toEqual([
      purgeNeverUsed.name,
      expiredPurge.name,
    ]);
  });

  it("reads the scopes array when the scope string is missing", () => {
    const arrayOnly = { ...readExpiring, scope: undefined, scopes: ["purge_select"] };
    expect(filterTokens([arrayOnly], { target: "mine", scope: "purge_select" }, NOW)).toEqual([arrayOnly]);
  });

  it("applies all filters together", () => {
    expect(
      names(filterTokens(allTokens, { target: "customer", staleDays: 90, expiringDays: 60, scope: "purge_select" }, NOW)),
    ).toEqual([purgeNeverUsed.name]);
    expect(filterTokens(allTokens, { target: "customer", staleDays: 90, scope: "global:read" }, NOW)).toEqual([]);
  });
});
