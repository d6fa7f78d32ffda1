/**
 * A platform-neutral chat message. Renderers in this folder build it; slack-render, discord-render and
 * mattermost-render translate it. Text uses light markdown only: *bold* and `code`.
 */
export type Block =
  | { type: "header"; text: string }
  | { type: "text"; text: string }
  /** Monospace, pre-aligned text (tables). Rendered inside a fenced code block. */
  | { type: "code"; text: string }
  | { type: "fields"; fields: { label: string; value: string }[] }
  | { type: "warning"; text: string }
  | { type: "actions"; buttons: Button[] }
  | { type: "context"; text: string };

/** `id` names the action (Slack action_id, first half of Discord's custom_id); `value` is opaque to this layer. */
export interface Button {
  id: string;
  label: string;
  style?: "primary" | "danger";
  value: string;
}

export interface ChatMessage {
  /** Plain fallback for notifications and clients that cannot show blocks. */
  text: string;
  blocks: Block[];
  visibility: "ephemeral" | "in_channel";
}
