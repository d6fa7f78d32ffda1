import type { TokenResponse } from "../../fastly/schemas";
import { filterTokens, type TokenFilter } from "../../tokens/token-facts";
import type { Block, ChatMessage } from "../message";
import { codeSpan, plainText } from "../safe-text";
import { formatTable } from "../table";
import { assessToken, describeExpiry, EXPIRY_WARNING_DAYS, relativeTime, STALE_WARNING_DAYS } from "../time";
import { tokenScopes, tokenServices } from "../../tokens/token-facts";

/** Beyond this the list asks for a filter: chat is for a look, the API for an inventory. */
export const LIST_MAX_ROWS = 100;

/** Filters (see filterTokens) and tabulates; `filter.target` only chooses the title. */
export function renderTokenList(tokens: TokenResponse[], filter: TokenFilter, now: Date): ChatMessage {
  const matched = filterTokens(tokens, filter, now).sort(byName);
  const title = filter.target === "customer" ? "Tokens of the customer account" : "Tokens of this Worker's Fastly user";
  const criteria = describeFilter(filter);
  const count = `${matched.length} of ${tokens.length} token${tokens.length === 1 ? "" : "s"}`;
  const blocks: Block[] = [
    { type: "header", text: title },
    { type: "context", text: [count, ...criteria].join(" · ") },
  ];
  if (matched.length === 0) {
    blocks.push({ type: "text", text: criteria.length > 0 ? "No tokens match these filters." : "No tokens." });
    return { text: `${title}: no tokens match.`, visibility: "ephemeral", blocks };
  }
  const shown = matched.slice(0, LIST_MAX_ROWS);
  const rows = shown.map((t) => [
    plainText(t.name, 24) || "(unnamed)",
    t.id ?? "",
    tokenScopes(t).join(" "),
    tokenServices(t).length === 0 ? "all" : String(tokenServices(t).length),
    t.last_used_at ? relativeTime(t.last_used_at, now) : "never",
    describeExpiry(t, now).replace(/^expires /, "").replace(/^never expires$/, "never"),
    [...new Set(assessToken(t, now).map((w) => w.code))].join(","),
  ]);
  blocks.push({
    type: "code",
    text: formatTable(["NAME", "ID", "SCOPE", "SERVICES", "LAST USED", "EXPIRES", "FLAGS"], rows),
  });
  if (matched.length > shown.length) {
    blocks.push({
      type: "context",
      text: `Showing ${shown.length} of ${matched.length}. Narrow the list with \`--expiring\`, \`--stale\` or \`--scope\`.`,
    });
  }
  const forever = matched.filter((t) => assessToken(t, now).some((w) => w.code === "no-expiry"));
  if (forever.length > 0) {
    const names = forever.slice(0, 10).map((t) => codeSpan(t.name || t.id, 40));
    const more = forever.length > names.length ? ` and ${forever.length - names.length} more` : "";
    blocks.push({
      type: "warning",
      text: `${forever.length} global token${forever.length === 1 ? " has" : "s have"} no expiry: ${names.join(", ")}${more}. Prefer tokens that expire, limited to the services they need.`,
    });
  }
  if (rows.some((r) => r[6])) {
    blocks.push({
      type: "context",
      text: `FLAGS: no-expiry = global scope without expiry; all-services = global on every service; expired; expiring = within ${EXPIRY_WARNING_DAYS} days; stale = unused for over ${STALE_WARNING_DAYS} days.`,
    });
  }
  return { text: `${title}: ${count}.`, visibility: "ephemeral", blocks };
}

function describeFilter(filter: TokenFilter): string[] {
  const parts: string[] = [];
  if (filter.expiringDays !== undefined) parts.push(`expiring within ${filter.expiringDays} days`);
  if (filter.staleDays !== undefined) parts.push(`unused for ${filter.staleDays}+ days`);
  if (filter.scope !== undefined) parts.push(`scope ${codeSpan(filter.scope, 20)}`);
  return parts;
}

function byName(a: TokenResponse, b: TokenResponse): number {
  const an = (a.name ?? "").toLowerCase();
  const bn = (b.name ?? "").toLowerCase();
  return an < bn ? -1 : an > bn ? 1 : (a.id ?? "").localeCompare(b.id ?? "");
}
