import { expect } from "vitest";
import type { Block, ChatMessage } from "../../src/chatops/message";

/**
 * Reads a rendered table back by the header's column offsets and checks the alignment on the way:
 * the rule's dash runs start at the same offsets, and every row has two spaces before each column.
 */
export function readTable(text: string): { header: string[]; rows: string[][] } {
  const [head, rule, ...body] = text.split("\n");
  const starts: number[] = [];
  for (const m of head!.matchAll(/\S+(?: \S+)*/g)) starts.push(m.index);
  const ruleStarts = [...rule!.matchAll(/-+/g)].map((m) => m.index);
  expect(ruleStarts).toEqual(starts);
  const cut = (line: string) =>
    starts.map((start, i) => {
      if (i > 0) expect(line.slice(start - 2, start).trim(), `gap before column ${i} in "${line}"`).toBe("");
      return line.slice(start, starts[i + 1] ?? line.length).trim();
    });
  return { header: cut(head!), rows: body.map(cut) };
}

export function codeBlocks(msg: ChatMessage): string[] {
  return msg.blocks.flatMap((b) => (b.type === "code" ? [b.text] : []));
}

export function blocksOf<T extends Block["type"]>(msg: ChatMessage, type: T): Extract<Block, { type: T }>[] {
  return msg.blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);
}

export function fieldMap(block: Extract<Block, { type: "fields" }>): Record<string, string> {
  return Object.fromEntries(block.fields.map((f) => [f.label, f.value]));
}
