import { describe, expect, it } from "vitest";
import { parseCommand } from "../../../src/chatops/command";
import { renderHelp } from "../../../src/chatops/render/help";
import { blocksOf } from "../table-helpers";

const all = (value: unknown) => JSON.stringify(value);

describe("renderHelp", () => {
  it("lists every command under the slash command's name", () => {
    const msg = renderHelp("/tokens");
    const text = all(msg);
    for (const usage of ["help [command]", "whoami", "list [mine|customer] [--expiring DAYS] [--stale DAYS] [--scope SCOPE]", "show <token-id>", "revoke <token-id>", "bulk-revoke <token-id> <token-id>...", "audit [N]"]) {
      expect(text).toContain(`/tokens ${usage}`);
    }
    expect(msg.visibility).toBe("ephemeral");
    expect(blocksOf(msg, "warning")).toEqual([]);
  });

  it("defaults to /fastly-tokens", () => {
    expect(all(renderHelp())).toContain("`/fastly-tokens whoami`");
  });

  it("says which word was not a command", () => {
    const parsed = parseCommand("frobnicate");
    if (!parsed.ok || parsed.command.kind !== "help") throw new Error("expected help");
    const msg = renderHelp(undefined, parsed.command);
    expect(blocksOf(msg, "warning")[0]!.text).toBe("`frobnicate` is not a command. Here is what I can do:");
  });

  it("explains one command in detail", () => {
    const msg = renderHelp("/fastly-tokens", { topic: "list" });
    expect(blocksOf(msg, "header")[0]!.text).toBe("/fastly-tokens list");
    expect(all(msg)).toContain("--stale DAYS");
    expect(all(msg)).toContain("never-used tokens count once they are that old");
    expect(all(msg)).not.toContain("bulk-revoke <token-id>");
  });
});
