import { describe, expect, it } from "vitest";
import { DISCORD_LIMITS, toDiscordMessage } from "../../src/chatops/discord-render";
import type { ChatMessage } from "../../src/chatops/message";
import { CONFIRM_BUTTON_ID } from "../../src/chatops/button-ids";
import { renderRevokeConfirmation } from "../../src/chatops/render/revoke-confirmation";
import { renderRevokeResult } from "../../src/chatops/render/revoke-result";
import { renderTokenList } from "../../src/chatops/render/token-list";
import { renderWhoami } from "../../src/chatops/render/whoami";
import { globalForever, NOW, readExpiring } from "./fixtures";

type Row = { type: number; components: { type: number; style: number; label: string; custom_id: string }[] };
type Embed = { fields: { name: string; value: string; inline: boolean }[] };

const message = (...b: ChatMessage["blocks"]): ChatMessage => ({ text: "fallback", visibility: "in_channel", blocks: b });

describe("toDiscordMessage", () => {
  it("sets flag 64 on ephemeral messages only", () => {
    expect(toDiscordMessage(renderWhoami(globalForever, NOW)).flags).toBe(64);
    const channel = toDiscordMessage(renderRevokeResult({ revoked: [globalForever], failed: [], dryRun: false, actor: "a" }, NOW));
    expect(channel.flags).toBeUndefined();
  });

  it("turns buttons into an action row of type-2 buttons with styles and custom_id", () => {
    const out = toDiscordMessage(
      message({
        type: "actions",
        buttons: [
          { id: "revoke_confirm", label: "Revoke", style: "danger", value: "abc" },
          { id: "go", label: "Go", style: "primary", value: "1" },
          { id: "revoke_cancel", label: "Cancel", value: "abc" },
        ],
      }),
    );
    expect(out.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 4, label: "Revoke", custom_id: "revoke_confirm:abc" },
          { type: 2, style: 1, label: "Go", custom_id: "go:1" },
          { type: 2, style: 2, label: "Cancel", custom_id: "revoke_cancel:abc" },
        ],
      },
    ]);
  });

  it("puts at most five buttons in a row", () => {
    const buttons = Array.from({ length: 7 }, (_, i) => ({ id: `b${i}`, label: `B${i}`, value: "v" }));
    const rows = toDiscordMessage(message({ type: "actions", buttons })).components as Row[];
    expect(rows.map((r) => r.components.length)).toEqual([5, 2]);
  });

  it("accepts a custom_id of exactly 100 characters and refuses a longer one", () => {
    const value = "v".repeat(100 - CONFIRM_BUTTON_ID.length - 1);
    const ok = toDiscordMessage(renderRevokeConfirmation([globalForever], value, NOW));
    const ids = (ok.components as Row[]).flatMap((r) => r.components.map((c) => c.custom_id));
    expect(ids[0]).toHaveLength(DISCORD_LIMITS.customId);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);
    expect(() => toDiscordMessage(renderRevokeConfirmation([globalForever], `${value}v`, NOW))).toThrow(RangeError);
  });

  it("shows each token of a confirmation as an embed, ten at most", () => {
    const tokens = Array.from({ length: 10 }, (_, i) => ({ ...globalForever, id: `id${String(i).padStart(20, "0")}` }));
    const out = toDiscordMessage(renderRevokeConfirmation(tokens, "v", NOW));
    const embeds = out.embeds as Embed[];
    expect(embeds).toHaveLength(10);
    const names = embeds[0]!.fields.map((f) => f.name);
    expect(names).toEqual(["Name", "ID", "Owner", "Scope", "Services", "Created", "Last used", "Expiry", "Warnings"]);
    expect(embeds[0]!.fields.find((f) => f.name === "Warnings")!.inline).toBe(false);
    expect(embeds[0]!.fields.find((f) => f.name === "Name")!.inline).toBe(true);
    expect(out.content.length).toBeLessThanOrEqual(2000);
    const total = embeds.flatMap((e) => e.fields).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  });

  it("moves fields beyond ten embeds into the content", () => {
    const blocks: ChatMessage["blocks"] = Array.from({ length: 11 }, (_, i) => ({ type: "fields", fields: [{ label: "N", value: `v${i}` }] }));
    const out = toDiscordMessage(message(...blocks));
    expect(out.embeds).toHaveLength(10);
    expect(out.content).toBe("**N:** v10");
  });

  it("writes markdown content with **bold** and fenced tables", () => {
    const out = toDiscordMessage(
      message({ type: "header", text: "Title" }, { type: "text", text: "*bold* `*not bold*`" }, { type: "code", text: "A  B" }, { type: "warning", text: "careful" }),
    );
    expect(out.content).toBe("**Title**\n\n**bold** `*not bold*`\n\n```\nA  B\n```\n\n⚠️ careful");
  });

  it("cuts content to 2000 characters between table lines, keeps the fence closed and says so", () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...readExpiring, id: `tok${String(i).padStart(19, "0")}`, name: `token-number-${i}` }));
    const out = toDiscordMessage(renderTokenList(many, { target: "customer" }, NOW));
    expect(out.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(out.content.split("```").length - 1).toBe(2);
    expect(out.content).toContain("NAME");
    expect(out.content.endsWith("…(shortened to fit Discord's 2000-character limit)")).toBe(true);
    const tableLines = out.content.split("```")[1]!.trim().split("\n");
    expect(tableLines.length).toBeGreaterThan(3);
    for (const line of tableLines.slice(2)) expect(line).toMatch(/^token-number-\d+ +tok\d{19} {2}/);
  });

  it("cuts one long text block when nothing else fits", () => {
    const out = toDiscordMessage(message({ type: "text", text: "z".repeat(5000) }));
    expect(out.content.length).toBeLessThanOrEqual(2000);
    expect(out.content).toContain("…(shortened");
  });

  it("allows no mentions, so a token named @everyone pings nobody", () => {
    const out = toDiscordMessage(renderWhoami({ ...readExpiring, name: "@everyone" }, NOW));
    expect(out.allowed_mentions).toEqual({ parse: [] });
  });
});
