import type { Block } from "./message";
import { unlink, ZERO_WIDTH_SPACE } from "./safe-text";

/**
 * Markdown for the platforms that speak CommonMark-ish markdown (Mattermost, Discord). The model's own markup
 * (*bold*, `code`) is translated; every other markdown character is escaped, so text from Fastly (a token
 * named "[Re-authenticate](https://evil.example) ![p](https://evil.example/p.png)", "# heading", "| table |",
 * "||spoiler||", "<@id>", "~town-square") shows as typed and does nothing. Code blocks become ``` fences.
 * Returns one string per block so a caller can cut between blocks. Actions have no markdown form and give ""
 * (the caller renders them).
 */
export function blockToMarkdown(block: Block): string {
  switch (block.type) {
    case "header":
      return `**${escapeMarkdown(block.text)}**`;
    case "text":
      return inlineMarkdown(block.text);
    case "code":
      return fence(block.text);
    case "fields":
      return block.fields.map((f) => `**${escapeMarkdown(f.label)}:** ${inlineMarkdown(f.value)}`).join("\n");
    case "warning":
      return `⚠️ ${inlineMarkdown(block.text)}`;
    case "context":
      return inlineMarkdown(block.text);
    case "actions":
      return "";
  }
}

/** A fenced code block. Backticks inside could close it early, so they become quotes (table cells have none). */
export function fence(text: string): string {
  return "```\n" + text.replace(/`/g, "'") + "\n```";
}

// Everything CommonMark, Discord or Mattermost gives a meaning to inline or at a line start: links and images
// ([ ] !), autolinks, HTML and Discord mentions/timestamps/emoji (< >), headings and Discord's "-#" (#),
// quotes (>), tables and spoilers (|), emphasis and strikethrough (* _ ~), Mattermost channel links (~), e-mail
// autolinks (@), code (`) and the escape character itself. A backslash before ASCII punctuation always means
// "this character".
const MARKDOWN_SPECIAL = /[\\`*_~[\]<>#|@]/g;

/** `text` with every markdown character escaped: shown as typed, whatever it holds. */
export function escapeMarkdown(text: string): string {
  return unlink(text).replace(MARKDOWN_SPECIAL, "\\$&");
}

// A code span of the model: one backtick, some text without backticks or line breaks, one backtick. plainText
// keeps backticks out of Fastly's strings, so every span here is the model's own.
const CODE_SPAN = /`([^`\n]+)`/;
const BOLD = /\*([^*\n]+)\*/;

/**
 * The model's light markup as markdown: `code` spans are kept (their content is shown literally by every
 * markdown renderer), *bold* becomes **bold**, and everything else is escaped. A lone backtick or asterisk
 * is escaped too, so nothing the model did not mean as markup can open a span.
 */
export function inlineMarkdown(text: string): string {
  return text
    .split(CODE_SPAN)
    .map((part, i) => (i % 2 === 1 ? `\`${unlink(part)}\`` : boldToMarkdown(part)))
    .join("");
}

/** *bold* → **bold**, everything else escaped (no code spans in `text`). */
export function boldToMarkdown(text: string): string {
  return text
    .split(BOLD)
    .map((part, i) => (i % 2 === 1 ? `**${escapeMarkdown(part)}**` : escapeMarkdown(part)))
    .join("");
}

/**
 * Mentions defused with a zero-width space after "@": @everyone, @here, @channel, @all and @user ping nobody,
 * wherever they are (Mattermost notifies on mentions; Discord additionally gets `allowed_mentions`).
 */
export function defuseMentions(text: string): string {
  return text.replace(/@(?=\w)/g, `@${ZERO_WIDTH_SPACE}`);
}

/**
 * `markdown` cut to at most `max` characters, ending in "…". A cut inside a code span would leave its
 * unescaped content outside any span, live; a cut after a lone backslash would escape the "…". Both are
 * avoided by cutting earlier.
 */
export function cutMarkdown(markdown: string, max: number): string {
  if (markdown.length <= max) return markdown;
  let cut = markdown.slice(0, Math.max(0, max - 1));
  let openTick = -1;
  let i = 0;
  for (; i < cut.length; i++) {
    const ch = cut[i];
    if (ch === "\\" && openTick === -1) i++;
    else if (ch === "`") openTick = openTick === -1 ? i : -1;
  }
  if (openTick !== -1) cut = cut.slice(0, openTick);
  else if (i > cut.length) cut = cut.slice(0, -1);
  return `${cut}…`;
}
