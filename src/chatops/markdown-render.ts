import type { Block } from "./message";

/**
 * Markdown for the platforms that speak CommonMark-ish markdown (Mattermost, Discord): the model's
 * Slack-style *bold* becomes **bold**, code blocks become ``` fences. Returns one string per block so a
 * caller can cut between blocks. Actions have no markdown form and give "" (the caller renders them).
 */
export function blockToMarkdown(block: Block): string {
  switch (block.type) {
    case "header":
      return `**${block.text}**`;
    case "text":
      return boldToMarkdown(block.text);
    case "code":
      return fence(block.text);
    case "fields":
      return block.fields.map((f) => `**${f.label}:** ${boldToMarkdown(f.value)}`).join("\n");
    case "warning":
      return `⚠️ ${boldToMarkdown(block.text)}`;
    case "context":
      return boldToMarkdown(block.text);
    case "actions":
      return "";
  }
}

export function fence(text: string): string {
  return "```\n" + text + "\n```";
}

/** *bold* → **bold**, leaving `code spans` alone. */
export function boldToMarkdown(text: string): string {
  return text
    .split(/(`[^`\n]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/\*([^*\n]+)\*/g, "**$1**")))
    .join("");
}
