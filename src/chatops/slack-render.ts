import type { Block, ChatMessage } from "./message";
import { unlink } from "./safe-text";
import { splitLines, truncate } from "./split-text";

export { toMattermostMessage } from "./mattermost-render";

/** Block Kit limits this module keeps to (Slack rejects the whole message when one is exceeded). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  buttonsPerActions: 25,
  contextText: 3000,
} as const;

export interface SlackMessage {
  response_type: "ephemeral" | "in_channel";
  text: string;
  blocks: unknown[];
}

/**
 * Block Kit: header → header; text, code and warning → mrkdwn sections (split to stay within 3000
 * characters; code split between lines, each piece fenced again); fields → sections of at most 10
 * fields; actions → buttons (action_id = button id, value = button value); context → context.
 * &, < and > are escaped everywhere, so a token named "<!channel>" cannot ping anyone and
 * "<https://evil.example|Re-authenticate>" is no link; bare "scheme://" and "www." are broken (safe-text unlink).
 * Throws a RangeError when a button value exceeds Slack's 2000 characters: cutting a signed value
 * would only fail later, less clearly.
 */
export function toSlackMessage(msg: ChatMessage): SlackMessage {
  const blocks = capBlocks(msg.blocks.flatMap(toBlocks));
  return { response_type: msg.visibility, text: truncate(mrkdwn(msg.text), SLACK_LIMITS.sectionText), blocks };
}

function toBlocks(block: Block): Record<string, unknown>[] {
  switch (block.type) {
    case "header":
      return [{ type: "header", text: { type: "plain_text", text: truncate(unlink(block.text), SLACK_LIMITS.headerText), emoji: true } }];
    case "text":
      return sections(mrkdwn(block.text));
    case "warning":
      return sections(`:warning: ${mrkdwn(block.text)}`);
    case "code":
      // The fences take 8 characters of every section.
      return splitLines(mrkdwn(block.text).replace(/`/g, "'"), SLACK_LIMITS.sectionText - 8).map((piece) => section("```\n" + piece + "\n```"));
    case "fields": {
      const out: Record<string, unknown>[] = [];
      for (let i = 0; i < block.fields.length; i += SLACK_LIMITS.fieldsPerSection) {
        const fields = block.fields.slice(i, i + SLACK_LIMITS.fieldsPerSection).map((f) => ({
          type: "mrkdwn",
          text: truncate(`*${mrkdwn(f.label)}*\n${mrkdwn(f.value)}`, SLACK_LIMITS.fieldText),
        }));
        out.push({ type: "section", fields });
      }
      return out;
    }
    case "actions": {
      const out: Record<string, unknown>[] = [];
      for (let i = 0; i < block.buttons.length; i += SLACK_LIMITS.buttonsPerActions) {
        const elements = block.buttons.slice(i, i + SLACK_LIMITS.buttonsPerActions).map((b) => {
          if (b.value.length > SLACK_LIMITS.buttonValue) {
            throw new RangeError(`Slack button "${b.id}" has a ${b.value.length}-character value; the limit is ${SLACK_LIMITS.buttonValue}.`);
          }
          return {
            type: "button",
            text: { type: "plain_text", text: truncate(b.label, SLACK_LIMITS.buttonText), emoji: true },
            action_id: truncate(b.id, SLACK_LIMITS.actionId),
            value: b.value,
            ...(b.style ? { style: b.style } : {}),
          };
        });
        out.push({ type: "actions", elements });
      }
      return out;
    }
    case "context":
      return [{ type: "context", elements: [{ type: "mrkdwn", text: truncate(mrkdwn(block.text), SLACK_LIMITS.contextText) }] }];
  }
}

function sections(text: string): Record<string, unknown>[] {
  return splitLines(text, SLACK_LIMITS.sectionText).map(section);
}

function section(text: string): Record<string, unknown> {
  return { type: "section", text: { type: "mrkdwn", text } };
}

/** Over 50 blocks, the tail is dropped for a note, but the buttons are kept: without them nothing can be confirmed. */
function capBlocks(blocks: Record<string, unknown>[]): Record<string, unknown>[] {
  if (blocks.length <= SLACK_LIMITS.blocks) return blocks;
  const actions = blocks.filter((b) => b.type === "actions");
  const rest = blocks.filter((b) => b.type !== "actions").slice(0, SLACK_LIMITS.blocks - actions.length - 1);
  const note = { type: "context", elements: [{ type: "mrkdwn", text: "…shortened to fit Slack's 50-block limit." }] };
  return [...rest, note, ...actions];
}

/**
 * Slack's three control characters escaped: links (<url|text>), mentions (<!channel>, <@U…>) and dates all start
 * with "<", and Slack has no other escape. Everything else in mrkdwn is shown as typed.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Model text as mrkdwn: escaped, and no bare link (text from Fastly is already unlinked; this covers the rest). */
function mrkdwn(text: string): string {
  return escapeMrkdwn(unlink(text));
}
