import { describe, expect, it } from "vitest";
import { renderTokenList } from "../../../src/chatops/render/token-list";
import { allTokens, globalForever, NOW, readExpiring } from "../fixtures";
import { blocksOf, codeBlocks, readTable } from "../table-helpers";

const all = (value: unknown) => JSON.stringify(value);

describe("renderTokenList", () => {
  it("renders an aligned table with relative times and flags", () => {
    const msg = renderTokenList(allTokens, { target: "customer" }, NOW);
    const table = readTable(codeBlocks(msg)[0]!);
    expect(table.header).toEqual(["NAME", "ID", "SCOPE", "SERVICES", "LAST USED", "EXPIRES", "FLAGS"]);
    expect(table.rows).toEqual([
      ["ci-deploy", "2j1hEyxXOEqYaSipeZHaW4", "global", "all", "92 days ago", "never", "no-expiry,all-services,stale"],
      ["dashboard-reader", "5NSGsvF9ybBxXAdEQhcYPz", "global:read", "1", "2 hours ago", "in 3 days", "expiring"],
      ["new-automation", "3krg2uUGZzb2W9Euo4moOY", "global:read global", "2", "never", "in 60 days", ""],
      ["old-purge", "5Yo3XXnrQpjc20u0ybrf2g", "purge_all", "1", "10 days ago", "expired 2 days ago", "expired"],
      ["purger", "71ZA6hv2FO6tGEQIE203Xj", "purge_select purge_all", "1", "never", "in 30 days", "stale"],
    ]);
    expect(blocksOf(msg, "header")[0]!.text).toBe("Tokens of the customer account");
    expect(blocksOf(msg, "context")[0]!.text).toBe("5 of 5 tokens");
    expect(msg.visibility).toBe("ephemeral");
  });

  it("starts every column at the same offset in every line, even with accented names", () => {
    const accented = { ...readExpiring, name: "café-crème-ßtoken" };
    const text = codeBlocks(renderTokenList([accented, globalForever], { target: "mine" }, NOW))[0]!;
    const offsets = text.split("\n").map((line) => [...line].findIndex((_, i, chars) => i > 0 && chars[i - 1] === " " && chars[i - 2] === " " && chars[i] !== " "));
    expect(new Set(offsets).size).toBe(1);
    expect(readTable(text).rows[0]![0]).toBe("café-crème-ßtoken");
  });

  it("warns about global tokens without expiry", () => {
    const msg = renderTokenList(allTokens, { target: "mine" }, NOW);
    expect(blocksOf(msg, "warning")[0]!.text).toBe(
      "1 global token has no expiry: `ci-deploy`. Prefer tokens that expire, limited to the services they need.",
    );
  });

  it("applies the filters and says which ones", () => {
    const msg = renderTokenList(allTokens, { target: "mine", expiringDays: 7, scope: "global:read" }, NOW);
    expect(readTable(codeBlocks(msg)[0]!).rows.map((r) => r[0])).toEqual(["dashboard-reader"]);
    expect(blocksOf(msg, "context")[0]!.text).toBe("1 of 5 tokens · expiring within 7 days · scope `global:read`");
    expect(blocksOf(msg, "header")[0]!.text).toBe("Tokens of this Worker's Fastly user");
    expect(blocksOf(msg, "warning")).toEqual([]);
  });

  it("says so when nothing matches", () => {
    const msg = renderTokenList(allTokens, { target: "mine", staleDays: 3000 }, NOW);
    expect(codeBlocks(msg)).toEqual([]);
    expect(blocksOf(msg, "text")[0]!.text).toBe("No tokens match these filters.");
    expect(blocksOf(renderTokenList([], { target: "mine" }, NOW), "text")[0]!.text).toBe("No tokens.");
  });

  it("shows at most 100 rows and asks for a filter", () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ ...readExpiring, id: `tok${String(i).padStart(19, "0")}`, name: `t${String(i).padStart(3, "0")}` }));
    const msg = renderTokenList(many, { target: "customer" }, NOW);
    expect(readTable(codeBlocks(msg)[0]!).rows).toHaveLength(100);
    expect(all(msg)).toContain("Showing 100 of 150.");
  });

  it("keeps backticks and line breaks in names from breaking the table", () => {
    const nasty = { ...readExpiring, name: "a```b\nc" };
    const text = codeBlocks(renderTokenList([nasty], { target: "mine" }, NOW))[0]!;
    expect(text).not.toContain("`");
    expect(text.split("\n")).toHaveLength(3);
    expect(readTable(text).rows[0]![0]).toBe("a'''b c");
  });
});
