import { blockToMarkdown, cutMarkdown, defuseMentions, escapeMarkdown, fence, inlineMarkdown } from "./markdown-render";
import type { Block, Button, ChatMessage } from "./message";
import { truncate } from "./split-text";

/** Discord limits this module keeps to (Discord rejects the whole response when one is exceeded). */
export const DISCORD_LIMITS = {
  content: 2000,
  customId: 100,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
  embeds: 10,
  fieldsPerEmbed: 25,
  fieldName: 256,
  fieldValue: 1024,
  embedTotal: 6000,
} as const;

export const DISCORD_EPHEMERAL = 64;

export interface DiscordMessage {
  content: string;
  embeds?: unknown[];
  components?: unknown[];
  flags?: number;
  allowed_mentions: { parse: string[] };
}

const BUTTON_STYLE = { primary: 1, secondary: 2, danger: 4 } as const;
const INLINE_MAX = 60;
const TRUNCATED = "\n…(shortened to fit Discord's 2000-character limit)";

/**
 * The `data` of an interaction response: markdown content (at most 2000 characters, cut between blocks
 * or table lines with a note, code fences kept closed), fields as embeds (inline fields, one embed per
 * fields block, at most 10), buttons as action rows of type-2 buttons (danger → style 4, primary → 1,
 * otherwise 2) with custom_id `${id}:${value}`. Flags 64 when ephemeral. Text from Fastly is inert (see
 * markdown-render): no masked link, image, heading, spoiler or mention survives, and `allowed_mentions` is empty
 * as well, so a token named "@everyone" or "<@id>" pings nobody.
 * Throws a RangeError when a custom_id would exceed 100 characters: a cut signed value cannot be verified.
 */
export function toDiscordMessage(msg: ChatMessage): DiscordMessage {
  const embeds: { fields: { name: string; value: string; inline: boolean }[] }[] = [];
  let embedChars = 0;
  const parts: string[] = [];
  for (const block of msg.blocks) {
    if (block.type === "actions") continue;
    if (block.type === "fields") {
      const embed = toEmbed(block);
      const size = embed.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
      if (embeds.length < DISCORD_LIMITS.embeds && embedChars + size <= DISCORD_LIMITS.embedTotal) {
        embeds.push(embed);
        embedChars += size;
        continue;
      }
    }
    // Defused before fitting, so the zero-width spaces count against the 2000 characters.
    parts.push(defuseMentions(blockToMarkdown(block)));
  }
  const out: DiscordMessage = { content: fitContent(parts), allowed_mentions: { parse: [] } };
  if (embeds.length > 0) out.embeds = embeds;
  const buttons = msg.blocks.flatMap((b) => (b.type === "actions" ? b.buttons : []));
  if (buttons.length > 0) out.components = toRows(buttons);
  if (msg.visibility === "ephemeral") out.flags = DISCORD_EPHEMERAL;
  return out;
}

function toEmbed(block: Extract<Block, { type: "fields" }>) {
  const fields = block.fields.slice(0, DISCORD_LIMITS.fieldsPerEmbed).map((f) => ({
    name: cutMarkdown(defuseMentions(escapeMarkdown(f.label)), DISCORD_LIMITS.fieldName) || "—",
    value: cutMarkdown(defuseMentions(inlineMarkdown(f.value)), DISCORD_LIMITS.fieldValue) || "—",
    // Sentences squeezed into a third of the embed's width read badly; short values sit side by side.
    inline: f.value.length <= INLINE_MAX,
  }));
  return { fields };
}

function toRows(buttons: Button[]): unknown[] {
  const rows: unknown[] = [];
  const max = DISCORD_LIMITS.buttonsPerRow * DISCORD_LIMITS.rows;
  const kept = buttons.slice(0, max);
  for (let i = 0; i < kept.length; i += DISCORD_LIMITS.buttonsPerRow) {
    const components = kept.slice(i, i + DISCORD_LIMITS.buttonsPerRow).map((b) => {
      const customId = `${b.id}:${b.value}`;
      if (customId.length > DISCORD_LIMITS.customId) {
        throw new RangeError(
          `Discord custom_id for button "${b.id}" would be ${customId.length} characters; the limit is ${DISCORD_LIMITS.customId}.`,
        );
      }
      return {
        type: 2,
        style: BUTTON_STYLE[b.style ?? "secondary"],
        label: truncate(b.label, DISCORD_LIMITS.buttonLabel),
        custom_id: customId,
      };
    });
    rows.push({ type: 1, components });
  }
  return rows;
}

/** Whole blocks while they fit; then as many lines of a table as fit, fenced; then the note. */
function fitContent(parts: string[]): string {
  const all = parts.join("\n\n");
  if (all.length <= DISCORD_LIMITS.content) return all;
  const budget = DISCORD_LIMITS.content - TRUNCATED.length;
  let out = "";
  for (const part of parts) {
    const sep = out === "" ? "" : "\n\n";
    if (out.length + sep.length + part.length <= budget) {
      out += sep + part;
      continue;
    }
    const room = budget - out.length - sep.length;
    if (part.startsWith("```\n") && part.endsWith("\n```")) {
      const lines = part.slice(4, -4).split("\n");
      const fit: string[] = [];
      for (const line of lines) {
        if (fence([...fit, line].join("\n")).length > room) break;
        fit.push(line);
      }
      if (fit.length > 0) out += sep + fence(fit.join("\n"));
    } else if (room > 20) {
      out += sep + cutMarkdown(part, room);
    }
    break;
  }
  return out + TRUNCATED;
}
