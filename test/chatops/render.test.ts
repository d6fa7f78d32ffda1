import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/chatops/command";
import { toDiscordMessage } from "../../src/chatops/discord-render";
import { toMattermostMessage } from "../../src/chatops/mattermost-render";
import type { TokenResponse } from "../../src/fastly/schemas";
import { CANCEL_BUTTON_ID, CONFIRM_BUTTON_ID } from "../../src/chatops/button-ids";
import { renderAudit } from "../../src/chatops/render/audit";
import { renderHelp } from "../../src/chatops/render/help";
import { renderLeakNotice } from "../../src/chatops/render/leak";
import { renderDenied, renderError } from "../../src/chatops/render/notices";
import { renderCancelled, renderRevokeConfirmation } from "../../src/chatops/render/revoke-confirmation";
import { renderRevokeResult } from "../../src/chatops/render/revoke-result";
import { renderTokenDetail } from "../../src/chatops/render/token-detail";
import { renderTokenList } from "../../src/chatops/render/token-list";
import { renderWhoami } from "../../src/chatops/render/whoami";
import { toSlackMessage } from "../../src/chatops/slack-render";
import type { AuditEntry } from "../../src/tokens/audit-entry";
import {
  allTokens,
  daysFromNow,
  expiredPurge,
  freshMultiScope,
  globalForever,
  hoursFromNow,
  NOW,
  purgeNeverUsed,
  readExpiring,
  SECRET_DASHED,
  SECRET_PLAIN,
} from "./fixtures";
import { blocksOf, codeBlocks, fieldMap, readTable } from "./table-helpers";

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

describe("renderWhoami and renderTokenDetail", () => {
  it("shows the Worker's token with its warnings", () => {
    const msg = renderWhoami(globalForever, NOW);
    const fields = fieldMap(blocksOf(msg, "fields")[0]!);
    expect(fields).toMatchObject({
      Name: "ci-deploy",
      ID: "`2j1hEyxXOEqYaSipeZHaW4`",
      Owner: "`1tSCjJnpQYBBCAsIfI6pX0`",
      Scope: "`global`",
      Services: "all services",
      Created: "400 days ago (2023-04-28 12:00 UTC)",
      "Last used": "92 days ago (2024-03-01 12:00 UTC)",
      Expiry: "never expires",
      Customer: "`51MumwLiSJyFTWhtbByYgR`",
    });
    expect(blocksOf(msg, "warning").map((b) => b.text)).toContain(
      "Global scope and no expiry: this token works until someone revokes it.",
    );
    expect(msg.visibility).toBe("ephemeral");
    expect(msg.text).toBe(
      "This Worker uses the token ci-deploy (2j1hEyxXOEqYaSipeZHaW4): global, never expires.",
    );
  });

  it("shows one token in full, with where it was last used from", () => {
    const msg = renderTokenDetail(globalForever, NOW);
    expect(blocksOf(msg, "header")[0]!.text).toBe("Token ci-deploy");
    expect(fieldMap(blocksOf(msg, "fields")[0]!)["Last used from"]).toBe("`192.0.2.10` FastlyGo/2.1.0");
    expect(msg.text).toBe("Token ci-deploy (2j1hEyxXOEqYaSipeZHaW4): global, last used 92 days ago, never expires.");
  });

  it("describes relative expiry and never-used tokens", () => {
    expect(fieldMap(blocksOf(renderTokenDetail(readExpiring, NOW), "fields")[0]!)).toMatchObject({
      Expiry: "expires in 3 days (2024-06-04 12:00 UTC)",
      "Last used": "2 hours ago (2024-06-01 10:00 UTC)",
      Services: "`0Us63sb8R1BpWQBIhluncu`",
    });
    expect(fieldMap(blocksOf(renderTokenDetail(purgeNeverUsed, NOW), "fields")[0]!)).toMatchObject({
      "Last used": "never used",
      Scope: "`purge_select` `purge_all`",
    });
    expect(blocksOf(renderTokenDetail(freshMultiScope, NOW), "warning")).toEqual([]);
  });

  it("lists at most five services and counts the rest", () => {
    const many = { ...readExpiring, service_id: null, services: Array.from({ length: 8 }, (_, i) => `svc${i}`) };
    expect(fieldMap(blocksOf(renderTokenDetail(many, NOW), "fields")[0]!).Services).toBe(
      "`svc0` `svc1` `svc2` `svc3` `svc4` and 3 more",
    );
  });

  it("copes with a token that has almost no fields", () => {
    const msg = renderTokenDetail({}, NOW);
    expect(fieldMap(blocksOf(msg, "fields")[0]!)).toMatchObject({ Name: "(unnamed)", ID: "—", Scope: "—", Created: "unknown" });
  });
});

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

describe("renderRevokeConfirmation", () => {
  it("shows name, owner, scope, services, created, last used and expiry for every token", () => {
    const msg = renderRevokeConfirmation([globalForever, readExpiring], "signed.value", NOW);
    const fields = blocksOf(msg, "fields").map(fieldMap);
    expect(fields).toHaveLength(2);
    for (const f of fields) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(["Name", "ID", "Owner", "Scope", "Services", "Created", "Last used", "Expiry"]));
    }
    expect(fields[0]).toMatchObject({ Name: "ci-deploy", Owner: "`1tSCjJnpQYBBCAsIfI6pX0`", Expiry: "never expires" });
    expect(fields[0]!.Warnings).toContain("Global scope and no expiry");
    expect(fields[1]).toMatchObject({ Name: "dashboard-reader", Expiry: "expires in 3 days (2024-06-04 12:00 UTC)" });
    expect(blocksOf(msg, "header")[0]!.text).toBe("Revoke these 2 tokens?");
    expect(msg.visibility).toBe("ephemeral");
  });

  it("offers a danger confirm button and a cancel button carrying the route's value", () => {
    const msg = renderRevokeConfirmation([globalForever], "signed.value", NOW);
    expect(blocksOf(msg, "actions")[0]!.buttons).toEqual([
      { id: CONFIRM_BUTTON_ID, label: "Revoke token", style: "danger", value: "signed.value" },
      { id: CANCEL_BUTTON_ID, label: "Cancel", value: "signed.value" },
    ]);
    expect(blocksOf(msg, "header")[0]!.text).toBe("Revoke this token?");
    expect(blocksOf(msg, "context").at(-1)!.text).toBe("Nothing has been revoked yet.");
  });

  it("offers no buttons when there is nothing to revoke", () => {
    expect(blocksOf(renderRevokeConfirmation([], "v", NOW), "actions")).toEqual([]);
  });
});

describe("renderRevokeResult", () => {
  it("announces revocations in the channel, with the actor", () => {
    const msg = renderRevokeResult({ revoked: [globalForever], failed: [], dryRun: false, actor: "slack:T1/U2" }, NOW);
    expect(msg.visibility).toBe("in_channel");
    expect(blocksOf(msg, "header")[0]!.text).toBe("Revoked 1 token");
    expect(blocksOf(msg, "text")[0]!.text).toBe(
      "• `ci-deploy` (`2j1hEyxXOEqYaSipeZHaW4`), owner `1tSCjJnpQYBBCAsIfI6pX0`, scope `global`",
    );
    expect(blocksOf(msg, "context")[0]!.text).toBe("By `slack:T1/U2` at 2024-06-01 12:00 UTC");
  });

  it("lists failures next to successes", () => {
    const msg = renderRevokeResult(
      { revoked: [globalForever], failed: [{ tokenId: "5NSGsvF9ybBxXAdEQhcYPz", reason: "Token lookup failed." }], dryRun: false, actor: "a" },
      NOW,
    );
    expect(blocksOf(msg, "warning")[0]!.text).toBe("Not revoked:\n• `5NSGsvF9ybBxXAdEQhcYPz`: Token lookup failed.");
    expect(msg.text).toBe("Revoked 1 token: ci-deploy (2j1hEyxXOEqYaSipeZHaW4). 1 failed.");
  });

  it("keeps a dry run and a complete failure to the caller", () => {
    const dry = renderRevokeResult({ revoked: [globalForever], failed: [], dryRun: true, actor: "a" }, NOW);
    expect(dry.visibility).toBe("ephemeral");
    expect(blocksOf(dry, "header")[0]!.text).toBe("Dry run: nothing was revoked");
    const failed = renderRevokeResult({ revoked: [], failed: [{ tokenId: "x", reason: "403" }], dryRun: false, actor: "a" }, NOW);
    expect(failed.visibility).toBe("ephemeral");
    expect(blocksOf(failed, "header")[0]!.text).toBe("Revocation failed");
  });
});

describe("renderAudit", () => {
  const entries: AuditEntry[] = [
    { id: "1", at: daysFromNow(-3), surface: "api", principal: "apikey:ci", operation: "createToken", result: "ok", tokenId: "2j1hEyxXOEqYaSipeZHaW4" },
    { id: "2", at: hoursFromNow(-1), surface: "slack", principal: "slack:T1/U2", operation: "revokeToken", result: "ok", tokenName: "ci-deploy" },
    { id: "3", at: daysFromNow(-1), surface: "leak", principal: "github", operation: "leakRevoke", result: "not_live", tokenHash: "ab".repeat(32), detail: "secret scanning alert 7" },
  ];

  it("tabulates entries newest first, naming tokens by name, id or hash prefix", () => {
    const msg = renderAudit(entries, NOW);
    const table = readTable(codeBlocks(msg)[0]!);
    expect(table.header).toEqual(["WHEN", "BY", "SURFACE", "OPERATION", "RESULT", "TOKEN", "DETAIL"]);
    expect(table.rows).toEqual([
      ["1 hour ago", "slack:T1/U2", "slack", "revokeToken", "ok", "ci-deploy", ""],
      ["1 day ago", "github", "leak", "leakRevoke", "not_live", "sha256:abababababab", "secret scanning alert 7"],
      ["3 days ago", "apikey:ci", "api", "createToken", "ok", "2j1hEyxXOEqYaSipeZHaW4", ""],
    ]);
    expect(blocksOf(msg, "header")[0]!.text).toBe("Audit log: last 3 entries");
  });

  it("says so when there are no entries", () => {
    expect(renderAudit([], NOW).text).toBe("No audit entries yet.");
  });
});

describe("short answers", () => {
  it("renders denials, errors and cancellations to the caller only", () => {
    const denied = renderDenied("Your user is not on the revoke allow-list.");
    expect(blocksOf(denied, "warning")[0]!.text).toBe("Not allowed. Your user is not on the revoke allow-list.");
    expect(renderError("`show` takes one token id.").blocks[0]).toEqual({ type: "warning", text: "`show` takes one token id." });
    expect(renderCancelled().text).toBe("Cancelled: nothing was revoked.");
    for (const m of [denied, renderError("x"), renderCancelled()]) expect(m.visibility).toBe("ephemeral");
  });
});

describe("secrets never appear in rendered output", () => {
  const secrets = [SECRET_PLAIN, SECRET_DASHED];

  it("renders the parse error for a pasted token without the token, on every platform", () => {
    for (const secret of secrets) {
      const parsed = parseCommand(`revoke ${secret}`);
      expect(parsed.ok).toBe(false);
      if (parsed.ok) continue;
      const msg = renderError(parsed.error);
      for (const out of [msg, toSlackMessage(msg), toDiscordMessage(msg), toMattermostMessage(msg)]) {
        expect(all(out)).not.toContain(secret);
      }
      const notice = renderLeakNotice({ status: "revoked", token: globalForever }, NOW);
      for (const out of [toSlackMessage(notice), toDiscordMessage(notice), toMattermostMessage(notice)]) {
        expect(all(out)).not.toContain(secret);
        expect(all(out)).toContain("2j1hEyxXOEqYaSipeZHaW4");
      }
    }
  });

  it("redacts a token that reaches an error, denial or failure reason anyway", () => {
    for (const secret of secrets) {
      expect(all(renderError(`bad token ${secret}`))).not.toContain(secret);
      expect(all(renderDenied(`no ${secret}`))).not.toContain(secret);
      const result = renderRevokeResult({ revoked: [], failed: [{ tokenId: "x", reason: `key ${secret} refused` }], dryRun: false, actor: "a" }, NOW);
      expect(all(result)).not.toContain(secret);
      expect(all(result)).toContain("[redacted token]");
    }
  });

  it("explains a leak for every outcome without the token, with how to report leaks", () => {
    const token: TokenResponse & { access_token: string } = { ...globalForever, access_token: SECRET_PLAIN };
    for (const status of ["revoked", "already_revoked", "not_live", "queued", "dry_run"] as const) {
      const msg = renderLeakNotice({ status, token }, NOW);
      expect(all(msg)).not.toContain(SECRET_PLAIN);
      expect(msg.visibility).toBe("ephemeral");
      expect(all(msg)).toContain("Rotate");
      expect(all(msg)).toContain("leak webhook");
      expect(all(msg)).toContain("never by value");
    }
    expect(all(renderLeakNotice({ status: "revoked", token }, NOW))).toContain("has been *revoked*");
    expect(all(renderLeakNotice({ status: "queued" }, NOW))).toContain("*queued*");
    expect(all(renderLeakNotice({ status: "dry_run" }, NOW))).toContain("Revoke it yourself now");
    expect(fieldMap(blocksOf(renderLeakNotice({ status: "revoked", token }, NOW), "fields")[0]!).Name).toBe("ci-deploy");
  });

  it("never renders a token's access_token field", () => {
    const created = { ...readExpiring, access_token: SECRET_DASHED } as TokenResponse;
    for (const msg of [
      renderWhoami(created, NOW),
      renderTokenDetail(created, NOW),
      renderTokenList([created], { target: "mine" }, NOW),
      renderRevokeConfirmation([created], "v", NOW),
      renderRevokeResult({ revoked: [created], failed: [], dryRun: false, actor: "a" }, NOW),
    ]) {
      expect(all(msg)).not.toContain(SECRET_DASHED);
    }
  });

  it("redacts a token-shaped token name as a last line of defence", () => {
    const named = { ...expiredPurge, name: SECRET_DASHED };
    expect(all(renderTokenList([named], { target: "mine" }, NOW))).not.toContain(SECRET_DASHED);
    expect(all(renderTokenDetail(named, NOW))).not.toContain(SECRET_DASHED);
  });
});
