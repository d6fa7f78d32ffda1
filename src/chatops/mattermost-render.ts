import { blockToMarkdown, defuseMentions } from "./markdown-render";
import type { Block, ChatMessage } from "./message";

export interface MattermostMessage {
  response_type: "ephemeral" | "in_channel";
  text: string;
  attachments?: unknown[];
}

/**
 * Mattermost's slash-command reply: markdown text (tables in ``` fences, fields as "**Label:** value"
 * lines). Buttons need an integration URL that Mattermost calls when one is pressed; with
 * `options.actionUrl` they become a legacy interactive attachment whose context carries
 * `{ action: button.id, value: button.value }`, without it the text says the step needs buttons.
 * Text from Fastly is inert (see markdown-render): links, images, headings, tables and ~channel links are
 * escaped, and mentions are defused ("@" gets a zero-width space), since token names are free text.
 */
export function toMattermostMessage(msg: ChatMessage, options: { actionUrl?: string } = {}): MattermostMessage {
  const actions = msg.blocks.filter((b): b is Extract<Block, { type: "actions" }> => b.type === "actions");
  const parts = msg.blocks.map(blockToMarkdown).filter((p) => p !== "");
  if (actions.length > 0 && !options.actionUrl) {
    parts.push("_This step needs buttons, which this Mattermost integration does not offer; use Slack or Discord._");
  }
  const out: MattermostMessage = { response_type: msg.visibility, text: defuseMentions(parts.join("\n\n")) };
  if (actions.length > 0 && options.actionUrl) {
    const url = options.actionUrl;
    out.attachments = [
      {
        fallback: defuseMentions(msg.text),
        actions: actions.flatMap((a) =>
          a.buttons.map((b) => ({
            // Mattermost drops clicks on action ids with "-" or "_"; keep letters and digits only.
            id: b.id.replace(/[^A-Za-z0-9]/g, ""),
            name: b.label,
            type: "button",
            style: b.style === "danger" ? "danger" : b.style === "primary" ? "primary" : "default",
            integration: { url, context: { action: b.id, value: b.value } },
          })),
        ),
      },
    ];
  }
  return out;
}
