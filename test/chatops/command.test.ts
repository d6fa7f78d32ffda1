import { describe, expect, it } from "vitest";
import {
  actionOf,
  type Command,
  findPastedTokens,
  type ParseResult,
  parseCommand,
  redactPastedTokens,
} from "../../src/chatops/command";
import { SECRET_DASHED, SECRET_PLAIN } from "./fixtures";

const ID = "2j1hEyxXOEqYaSipeZHaW4";
const ID2 = "5NSGsvF9ybBxXAdEQhcYPz";

function command(text: string): Command {
  const r = parseCommand(text);
  if (!r.ok) throw new Error(`expected "${text}" to parse, got: ${r.error}`);
  expect(r.pastedTokens).toEqual([]);
  return r.command;
}

function error(text: string): string {
  const r = parseCommand(text);
  if (r.ok) throw new Error(`expected "${text}" to fail, got ${JSON.stringify(r.command)}`);
  return r.error;
}

describe("parseCommand: commands", () => {
  it("treats empty text as help", () => {
    expect(command("")).toEqual({ kind: "help" });
    expect(command("   ")).toEqual({ kind: "help" });
  });

  it("parses help with and without a topic", () => {
    expect(command("help")).toEqual({ kind: "help" });
    expect(command("help list")).toEqual({ kind: "help", topic: "list" });
    expect(command("HELP Bulk-Revoke")).toEqual({ kind: "help", topic: "bulk-revoke" });
    expect(command("--help")).toEqual({ kind: "help" });
  });

  it("answers an unknown subcommand with help that names the unknown word", () => {
    expect(command("frobnicate now")).toEqual({ kind: "help", unknown: "frobnicate" });
    expect(command("help frobnicate")).toEqual({ kind: "help", unknown: "frobnicate" });
  });

  it("parses whoami and rejects arguments to it", () => {
    expect(command("whoami")).toEqual({ kind: "whoami" });
    expect(command("WhoAmI")).toEqual({ kind: "whoami" });
    expect(error("whoami please")).toBe("`whoami` takes no arguments.");
  });

  it("parses list with its default target and every flag", () => {
    expect(command("list")).toEqual({ kind: "list", target: "mine" });
    expect(command("list mine")).toEqual({ kind: "list", target: "mine" });
    expect(command("list customer")).toEqual({ kind: "list", target: "customer" });
    expect(command("list customer --expiring 7 --stale 90 --scope global")).toEqual({
      kind: "list",
      target: "customer",
      expiringDays: 7,
      staleDays: 90,
      scope: "global",
    });
    expect(command("list --stale=30 --scope=global:read customer")).toEqual({
      kind: "list",
      target: "customer",
      staleDays: 30,
      scope: "global:read",
    });
  });

  it("accepts an em dash where a chat client replaced the double hyphen", () => {
    expect(command("list \u2014expiring 7")).toEqual({ kind: "list", target: "mine", expiringDays: 7 });
  });

  it("parses show with one id, also inside backticks", () => {
    expect(command(`show ${ID}`)).toEqual({ kind: "show", tokenId: ID });
    expect(command(`show \`${ID}\``)).toEqual({ kind: "show", tokenId: ID });
  });

  it("parses revoke as a single, non-bulk revocation", () => {
    expect(command(`revoke ${ID}`)).toEqual({ kind: "revoke", tokenIds: [ID], bulk: false });
  });

  it("parses bulk-revoke with ids separated by spaces or commas, dropping duplicates", () => {
    expect(command(`bulk-revoke ${ID} ${ID2}`)).toEqual({ kind: "revoke", tokenIds: [ID, ID2], bulk: true });
    expect(command(`bulk-revoke ${ID},${ID2},${ID}`)).toEqual({ kind: "revoke", tokenIds: [ID, ID2], bulk: true });
  });

  it("parses audit with a default of 10 and a maximum of 50", () => {
    expect(command("audit")).toEqual({ kind: "audit", limit: 10 });
    expect(command("audit 25")).toEqual({ kind: "audit", limit: 25 });
    expect(command("audit 50")).toEqual({ kind: "audit", limit: 50 });
  });
});

describe("parseCommand: bad input gets a specific message", () => {
  it("rejects negative, zero, fractional and missing day counts", () => {
    expect(error("list --expiring -3")).toBe("`--expiring` needs at least 1 day (got `-3`).");
    expect(error("list --stale 0")).toBe("`--stale` needs at least 1 day (got `0`).");
    expect(error("list --stale 1.5")).toBe("`--stale` needs a whole number of days, e.g. `--stale 90`; `1.5` is not one.");
    expect(error("list --expiring soon")).toBe(
      "`--expiring` needs a whole number of days, e.g. `--expiring 7`; `soon` is not one.",
    );
    expect(error("list --expiring")).toBe("`--expiring` needs a number of days, e.g. `--expiring 7`.");
    expect(error("list --expiring --stale 5")).toBe("`--expiring` needs a number of days, e.g. `--expiring 7`.");
    expect(error("list --stale 99999")).toBe("`--stale` allows at most 3650 days (got `99999`).");
  });

  it("rejects unknown flags, repeated flags and unknown scopes", () => {
    expect(error("list --since 3")).toBe("Unknown option `--since` for `list`. Options: `--expiring`, `--stale`, `--scope`.");
    expect(error("list --stale 3 --stale 4")).toBe("`--stale` is given twice.");
    expect(error("list --scope admin")).toBe(
      "Unknown scope `admin`. Scopes: `global`, `purge_select`, `purge_all`, `global:read`.",
    );
    expect(error("list --scope")).toContain("`--scope` needs a scope");
  });

  it("rejects an unknown or repeated list target", () => {
    expect(error("list everyone")).toBe("`list` shows `mine` or `customer` tokens, not `everyone`.");
    expect(error("list mine customer")).toBe("`list` takes one of `mine` or `customer`, not both.");
  });

  it("rejects a missing, malformed or extra token id", () => {
    expect(error("show")).toBe("`show` needs a token id, e.g. `show 2j1hEyxXOEqYaSipeZHaW4`.");
    expect(error(`show ${ID} ${ID2}`)).toBe("`show` takes one token id.");
    expect(error("show abc")).toBe(
      "`abc` is not a token id. Fastly token ids are 22 letters and digits, like `2j1hEyxXOEqYaSipeZHaW4` (ids of 16 to 31 letters and digits are accepted).",
    );
    expect(error("revoke 2j1hEyxX-OEqYaSipeZHaW4")).toContain("`2j1hEyxX-OEqYaSipeZHaW4` is not a token id.");
    expect(error("revoke")).toBe("`revoke` needs a token id, e.g. `revoke 2j1hEyxXOEqYaSipeZHaW4`.");
    expect(error(`revoke ${ID} ${ID2}`)).toBe("`revoke` takes one token id; use `bulk-revoke` for several.");
    expect(error("bulk-revoke")).toContain("`bulk-revoke` needs token ids");
  });

  it("accepts ids of 16 and 31 alphanumerics but not 15", () => {
    expect(command(`show ${"a".repeat(16)}`)).toEqual({ kind: "show", tokenId: "a".repeat(16) });
    expect(command(`show ${"a".repeat(31)}`)).toEqual({ kind: "show", tokenId: "a".repeat(31) });
    expect(error(`show ${"a".repeat(15)}`)).toContain("is not a token id");
  });

  it("rejects more than 10 ids for bulk-revoke", () => {
    const ids = Array.from({ length: 11 }, (_, i) => `${ID.slice(0, 20)}${String(i).padStart(2, "0")}`);
    expect(error(`bulk-revoke ${ids.join(" ")}`)).toBe("`bulk-revoke` takes at most 10 token ids at a time (got 11).");
    expect(command(`bulk-revoke ${ids.slice(0, 10).join(" ")}`)).toMatchObject({ kind: "revoke", bulk: true });
  });

  it("rejects audit counts that are not 1 to 50", () => {
    expect(error("audit 0")).toBe("`audit` shows 1 to 50 entries (got `0`).");
    expect(error("audit 51")).toBe("`audit` shows 1 to 50 entries (got `51`).");
    expect(error("audit -2")).toBe("`audit` shows 1 to 50 entries (got `-2`).");
    expect(error("audit lots")).toBe("`audit` takes a number of entries, e.g. `audit 20`; `lots` is not one.");
    expect(error("audit 5 6")).toBe("`audit` takes at most one number, e.g. `audit 20`.");
  });

  it("keeps echoed input short and free of backticks", () => {
    const long = `x${"y".repeat(100)}`;
    const message = error(`list --scope ${long}`);
    expect(message).not.toContain(long);
    expect(message).toContain("…");
    expect(error("list --scope a`b")).toBe("Unknown scope `ab`. Scopes: `global`, `purge_select`, `purge_all`, `global:read`.");
  });
});

describe("pasted tokens", () => {
  it("finds 32-character tokens, including ones with - and _", () => {
    expect(findPastedTokens(`my token is ${SECRET_PLAIN}, and ${SECRET_DASHED}!`)).toEqual([SECRET_PLAIN, SECRET_DASHED]);
    expect(findPastedTokens(`key=${SECRET_DASHED}`)).toEqual([SECRET_DASHED]);
    expect(findPastedTokens(`\`${SECRET_PLAIN}\` ${SECRET_PLAIN}`)).toEqual([SECRET_PLAIN]);
  });

  it("does not take a 22-character id, a longer word or a hex digest for a token", () => {
    expect(findPastedTokens(`show ${ID}`)).toEqual([]);
    expect(findPastedTokens(`${SECRET_PLAIN}x`)).toEqual([]);
    expect(findPastedTokens("a".repeat(64))).toEqual([]);
    expect(findPastedTokens(`${"b".repeat(31)}`)).toEqual([]);
  });

  it("redacts every token and leaves the rest of the text", () => {
    expect(redactPastedTokens(`revoke ${SECRET_DASHED} and ${SECRET_PLAIN} now`)).toBe(
      "revoke [redacted token] and [redacted token] now",
    );
  });

  it("never runs a command that holds a token, and never echoes the token in the error", () => {
    const inputs = [
      `revoke ${SECRET_PLAIN}`,
      `show ${SECRET_DASHED}`,
      `whoami ${SECRET_PLAIN}`,
      `list --scope ${SECRET_DASHED}`,
      `frobnicate token=${SECRET_DASHED}`,
      SECRET_PLAIN,
    ];
    for (const text of inputs) {
      const r: ParseResult = parseCommand(text);
      expect(r.ok, text).toBe(false);
      expect(r.pastedTokens.length, text).toBe(1);
      expect(JSON.stringify(r).split(r.pastedTokens[0]!).length - 1, text).toBe(1); // only in pastedTokens
      if (!r.ok) {
        expect(r.error).not.toContain(SECRET_PLAIN);
        expect(r.error).not.toContain(SECRET_DASHED);
        expect(r.error).toContain("looks like a Fastly API token");
      }
    }
  });

  it("treats a 32-character alphanumeric id-like word as a token, never as an id", () => {
    const r = parseCommand(`show ${SECRET_PLAIN}`);
    expect(r).toMatchObject({ ok: false, pastedTokens: [SECRET_PLAIN] });
  });
});

describe("actionOf", () => {
  it("maps revocations to revoke and everything else to read", () => {
    expect(actionOf({ kind: "revoke", tokenIds: [ID], bulk: false })).toBe("revoke");
    expect(actionOf({ kind: "revoke", tokenIds: [ID, ID2], bulk: true })).toBe("revoke");
    for (const c of [
      { kind: "help" },
      { kind: "whoami" },
      { kind: "list", target: "customer" },
      { kind: "show", tokenId: ID },
      { kind: "audit", limit: 10 },
    ] as Command[]) {
      expect(actionOf(c)).toBe("read");
    }
  });
});
