import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../src/chatops/message";
import { renderRevokeConfirmation } from "../../src/chatops/render/revoke-confirmation";
import { renderTokenList } from "../../src/chatops/render/token-list";
import { renderWhoami } from "../../src/chatops/render/whoami";
import { SLACK_LIMITS, toSlackMessage } from "../../src/chatops/slack-render";
import { globalForever, NOW, readExpiring } from "./fixtures";

type SlackBlock = {
  type: string;
  text?: { type: string; text: string };
  fields?: { type: string; text: string }[];
  elements?: Record<string, unknown>[];
};

const blocks = (msg: ChatMessage) => toSlackMessage(msg).blocks as SlackBlock[];

/** Every limit this module promises, checked on any message. */
function expectWithinLimits(msg: ChatMessage) {
  const out = blocks(msg);
  expect(out.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const b of out) {
    if (b.type === "section" && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    if (b.fields) {
      expect(b.fields.length).toBeLessThanOrEqual(10);
      for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    if (b.type === "header") expect(b.text!.text.length).toBeLessThanOrEqual(150);
  }
}

const message = (...b: ChatMessage["blocks"]): ChatMessage => ({ text: "fallback", visibility: "ephemeral", blocks: b });

describe("toSlackMessage", () => {
  it("maps every block type to Block Kit", () => {
    const out = toSlackMessage({
      text: "fallback",
      visibility: "in_channel",
      blocks: [
        { type: "header", text: "Title" },
        { type: "text", text: "*bold* and `code`" },
        { type: "code", text: "A  B\n-  -" },
        { type: "fields", fields: [{ label: "Name", value: "ci" }] },
        { type: "warning", text: "careful" },
        { type: "actions", buttons: [{ id: "revoke_confirm", label: "Revoke", style: "danger", value: "v1" }, { id: "revoke_cancel", label: "Cancel", value: "v1" }] },
        { type: "context", text: "small print" },
      ],
    });
    expect(out).toEqual({
      response_type: "in_channel",
      text: "fallback",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Title", emoji: true } },
        { type: "section", text: { type: "mrkdwn", text: "*bold* and `code`" } },
        { type: "section", text: { type: "mrkdwn", text: "```\nA  B\n-  -\n```" } },
        { type: "section", fields: [{ type: "mrkdwn", text: "*Name*\nci" }] },
        { type: "section", text: { type: "mrkdwn", text: ":warning: careful" } },
        {
          type: "actions",
          elements: [
            { type: "button", text: { type: "plain_text", text: "Revoke", emoji: true }, action_id: "revoke_confirm", value: "v1", style: "danger" },
            { type: "button", text: { type: "plain_text", text: "Cancel", emoji: true }, action_id: "revoke_cancel", value: "v1" },
          ],
        },
        { type: "context", elements: [{ type: "mrkdwn", text: "small print" }] },
      ],
    });
  });

  it("maps visibility to response_type", () => {
    expect(toSlackMessage(message()).response_type).toBe("ephemeral");
  });

  it("splits more than 10 fields into several sections", () => {
    const fields = Array.from({ length: 23 }, (_, i) => ({ label: `L${i}`, value: `v${i}` }));
    const out = blocks(message({ type: "fields", fields }));
    expect(out.map((b) => b.fields!.length)).toEqual([10, 10, 3]);
    expect(out.flatMap((b) => b.fields!.map((f) => f.text))).toEqual(fields.map((f) => `*${f.label}*\n${f.value}`));
  });

  it("splits long text at line breaks into sections of at most 3000 characters", () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${"x".repeat(40)}`);
    const out = blocks(message({ type: "text", text: lines.join("\n") }));
    expect(out.length).toBeGreaterThan(1);
    for (const b of out) expect(b.text!.text.length).toBeLessThanOrEqual(3000);
    expect(out.map((b) => b.text!.text).join("\n")).toBe(lines.join("\n"));
  });

  it("cuts a single line longer than 3000 characters", () => {
    const out = blocks(message({ type: "text", text: "y".repeat(7000) }));
    expect(out.map((b) => b.text!.text.length)).toEqual([3000, 3000, 1000]);
  });

  it("splits a long table between lines and fences every piece", () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ ...readExpiring, id: `tok${String(i).padStart(19, "0")}`, name: `token-number-${i}` }));
    const msg = renderTokenList(many, { target: "customer" }, NOW);
    const code = blocks(msg).filter((b) => b.text?.text.startsWith("```"));
    expect(code.length).toBeGreaterThan(1);
    for (const b of code) {
      expect(b.text!.text.length).toBeLessThanOrEqual(3000);
      expect(b.text!.text.endsWith("\n```")).toBe(true);
    }
    const rows = code.flatMap((b) => b.text!.text.slice(4, -4).split("\n"));
    expect(rows).toHaveLength(102); // header, rule, 100 rows: nothing lost between sections
    expectWithinLimits(msg);
  });

  it("keeps a ten-token confirmation within Slack's limits, buttons included", () => {
    const tokens = Array.from({ length: 10 }, (_, i) => ({ ...globalForever, id: `id${String(i).padStart(20, "0")}` }));
    const msg = renderRevokeConfirmation(tokens, "v", NOW);
    expectWithinLimits(msg);
    const out = blocks(msg);
    expect(out.filter((b) => b.fields)).toHaveLength(10);
    expect(out.some((b) => b.type === "actions")).toBe(true);
  });

  it("stays within limits for whoami", () => {
    expectWithinLimits(renderWhoami(globalForever, NOW));
  });

  it("drops the tail beyond 50 blocks but keeps the buttons", () => {
    const many: ChatMessage["blocks"] = Array.from({ length: 60 }, (_, i) => ({ type: "text", text: `t${i}` }));
    many.push({ type: "actions", buttons: [{ id: "ok", label: "OK", value: "1" }] });
    const out = blocks(message(...many));
    expect(out).toHaveLength(50);
    expect(out.at(-1)!.type).toBe("actions");
    expect(out.at(-2)).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "…shortened to fit Slack's 50-block limit." }] });
  });

  it("escapes &, < and > so token names cannot mention or link", () => {
    const evil = { ...readExpiring, name: "<!channel> & <@U123>" };
    const json = JSON.stringify(toSlackMessage(renderWhoami(evil, NOW)));
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<@U123>");
    expect(json).toContain("&lt;!channel&gt; &amp; &lt;@U123&gt;");
  });

  it("refuses a button value longer than Slack accepts rather than cutting it", () => {
    const msg = message({ type: "actions", buttons: [{ id: "x", label: "X", value: "v".repeat(2001) }] });
    expect(() => toSlackMessage(msg)).toThrow(RangeError);
  });
});
