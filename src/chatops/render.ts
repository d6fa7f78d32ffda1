import type { TokenResponse } from "../fastly/schemas";
import type { AuditEntry } from "../tokens/audit-entry";
import { AUDIT_MAX_LIMIT, BULK_REVOKE_MAX_IDS, COMMAND_NAMES, redactPastedTokens } from "./command";
import { filterTokens, type TokenFilter } from "../tokens/token-facts";
import type { Block, ChatMessage } from "./message";
import { codeSpan, plainText } from "./safe-text";
import { formatTable } from "./table";
import {
  assessToken,
  describeExpiry,
  describeLastUse,
  EXPIRY_WARNING_DAYS,
  formatDate,
  relativeTime,
  STALE_WARNING_DAYS,
  tokenWarnings,
} from "./time";
import { tokenScopes, tokenServices } from "../tokens/token-facts";

export const DEFAULT_COMMAND_NAME = "/fastly-tokens";
/** Button ids of the confirmation. No ":" in them: Discord's custom_id is `${id}:${value}`. */
export const CONFIRM_BUTTON_ID = "revoke_confirm";
export const CANCEL_BUTTON_ID = "revoke_cancel";
/** Beyond this the list asks for a filter: chat is for a look, the API for an inventory. */
export const LIST_MAX_ROWS = 100;

const HELP: Record<(typeof COMMAND_NAMES)[number], { usage: string; summary: string; detail: string[] }> = {
  help: {
    usage: "help [command]",
    summary: "These commands, or the details of one.",
    detail: ["Example: `help list`."],
  },
  whoami: {
    usage: "whoami",
    summary: "The token this Worker uses to call Fastly.",
    detail: ["Shows its name, owner, scope, services, age, last use and expiry, with warnings."],
  },
  list: {
    usage: "list [mine|customer] [--expiring DAYS] [--stale DAYS] [--scope SCOPE]",
    summary: "List tokens, with filters.",
    detail: [
      "`mine` (the default) lists the tokens of the Fastly user this Worker acts as; `customer` lists every token of the account.",
      "`--expiring DAYS`: tokens that expire within DAYS days.",
      "`--stale DAYS`: tokens not used for DAYS days or more (never-used tokens count once they are that old).",
      "`--scope SCOPE`: tokens holding SCOPE (`global`, `purge_select`, `purge_all` or `global:read`).",
      "Examples: `list customer --stale 90`, `list --expiring 7 --scope global`.",
    ],
  },
  show: {
    usage: "show <token-id>",
    summary: "Everything about one token.",
    detail: ["Token ids are 22 letters and digits, e.g. `show 2j1hEyxXOEqYaSipeZHaW4`."],
  },
  revoke: {
    usage: "revoke <token-id>",
    summary: "Revoke one token, after you confirm.",
    detail: [
      "You first see the token's name, owner, scope, services, age, last use and expiry, and nothing happens until you press *Revoke*.",
      "Example: `revoke 2j1hEyxXOEqYaSipeZHaW4`.",
    ],
  },
  "bulk-revoke": {
    usage: "bulk-revoke <token-id> <token-id>...",
    summary: `Revoke up to ${BULK_REVOKE_MAX_IDS} tokens at once, after you confirm.`,
    detail: [
      "Ids are separated by spaces or commas. Every token is shown in full before you confirm.",
      "Example: `bulk-revoke 2j1hEyxXOEqYaSipeZHaW4 5NSGsvF9ybBxXAdEQhcYPz`.",
    ],
  },
  audit: {
    usage: "audit [N]",
    summary: `The last N audit entries (default 10, at most ${AUDIT_MAX_LIMIT}).`,
    detail: ["Who did what to which token, from every surface: API, leak reports, chat and the schedule."],
  },
};

const NEVER_PASTE = "Never paste a token value in chat: it is treated as a leak and revoked.";

/**
 * The command overview, or the details of `options.topic`. `options.unknown` is the word that was not a
 * command; the help then starts by saying so. A parsed `help` command can be passed as `options` as is.
 */
export function renderHelp(
  commandName: string = DEFAULT_COMMAND_NAME,
  options: { topic?: string; unknown?: string } = {},
): ChatMessage {
  const cmd = plainText(commandName, 40) || DEFAULT_COMMAND_NAME;
  const topic = COMMAND_NAMES.find((c) => c === options.topic);
  if (topic) {
    const help = HELP[topic];
    return {
      text: `${cmd} ${help.usage}: ${help.summary}`,
      visibility: "ephemeral",
      blocks: [
        { type: "header", text: `${cmd} ${topic}` },
        { type: "text", text: `\`${cmd} ${help.usage}\`\n${help.summary}` },
        { type: "text", text: help.detail.join("\n") },
        { type: "context", text: NEVER_PASTE },
      ],
    };
  }
  const blocks: Block[] = [{ type: "header", text: "Fastly token commands" }];
  if (options.unknown !== undefined) {
    blocks.push({ type: "warning", text: `${codeSpan(options.unknown, 40)} is not a command. Here is what I can do:` });
  }
  blocks.push(
    { type: "text", text: COMMAND_NAMES.map((c) => `\`${cmd} ${HELP[c].usage}\`\n${HELP[c].summary}`).join("\n") },
    { type: "context", text: `Token ids are 22 letters and digits. ${NEVER_PASTE}` },
  );
  return { text: `Fastly token commands: ${COMMAND_NAMES.join(", ")}`, visibility: "ephemeral", blocks };
}

export function renderWhoami(token: TokenResponse, now: Date): ChatMessage {
  return {
    text: `This Worker uses the token ${tokenLabel(token)}: ${plainText(tokenScopes(token).join(" "), 60) || "no scope"}, ${describeExpiry(token, now)}.`,
    visibility: "ephemeral",
    blocks: [
      { type: "header", text: "The token this Worker uses" },
      { type: "fields", fields: [...tokenFields(token, now), { label: "Customer", value: codeSpan(token.customer_id) }] },
      ...warningBlocks(token, now),
      { type: "context", text: "Rotate it through the Worker's secrets, never by pasting it here." },
    ],
  };
}

export function renderTokenDetail(token: TokenResponse, now: Date): ChatMessage {
  const fields = [...tokenFields(token, now), { label: "Customer", value: codeSpan(token.customer_id) }];
  if (token.ip || token.user_agent) {
    const from = [token.ip ? codeSpan(token.ip, 45) : "", token.user_agent ? plainText(token.user_agent, 120) : ""];
    fields.push({ label: "Last used from", value: from.filter(Boolean).join(" ") });
  }
  return {
    text: `Token ${tokenLabel(token)}: ${plainText(tokenScopes(token).join(" "), 60) || "no scope"}, ${describeLastUse(token, now)}, ${describeExpiry(token, now)}.`,
    visibility: "ephemeral",
    blocks: [
      { type: "header", text: `Token ${plainText(token.name, 100) || "(unnamed)"}` },
      { type: "fields", fields },
      ...warningBlocks(token, now),
    ],
  };
}

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

/**
 * Shows every token in full (name, owner, scope, services, created, last used, expiry and warnings)
 * with a danger "confirm" and a "cancel" button, both carrying `confirmValue` untouched: the route signs
 * it and must keep it short enough for Discord (custom_id is `${id}:${value}`, at most 100 characters).
 */
export function renderRevokeConfirmation(tokens: TokenResponse[], confirmValue: string, now: Date): ChatMessage {
  if (tokens.length === 0) {
    return { text: "Nothing to revoke.", visibility: "ephemeral", blocks: [{ type: "text", text: "Nothing to revoke." }] };
  }
  const n = tokens.length;
  const blocks: Block[] = [
    { type: "header", text: n === 1 ? "Revoke this token?" : `Revoke these ${n} tokens?` },
    {
      type: "warning",
      text: `Revocation is immediate and cannot be undone: anything still using ${n === 1 ? "this token" : "these tokens"} will start failing.`,
    },
  ];
  for (const token of tokens) {
    const fields = tokenFields(token, now);
    const warnings = tokenWarnings(token, now);
    if (warnings.length > 0) fields.push({ label: "Warnings", value: warnings.join(" ") });
    blocks.push({ type: "fields", fields });
  }
  blocks.push(
    {
      type: "actions",
      buttons: [
        { id: CONFIRM_BUTTON_ID, label: n === 1 ? "Revoke token" : `Revoke ${n} tokens`, style: "danger", value: confirmValue },
        { id: CANCEL_BUTTON_ID, label: "Cancel", value: confirmValue },
      ],
    },
    { type: "context", text: "Nothing has been revoked yet." },
  );
  const names = tokens.map((t) => tokenLabel(t)).join(", ");
  return { text: `Confirm revoking ${n} token${n === 1 ? "" : "s"}: ${names}`, visibility: "ephemeral", blocks };
}

/** Posted in the channel when something was revoked, so the team sees it; otherwise only to the caller. */
export function renderRevokeResult(
  outcome: { revoked: TokenResponse[]; failed: { tokenId: string; reason: string }[]; dryRun: boolean; actor: string },
  now: Date,
): ChatMessage {
  const { revoked, failed, dryRun } = outcome;
  const actor = codeSpan(outcome.actor, 80);
  const lines = revoked.map(
    (t) => `• ${codeSpan(t.name || "(unnamed)", 60)} (${codeSpan(t.id)}), owner ${codeSpan(t.user_id)}, scope ${codeSpan(tokenScopes(t).join(" "))}`,
  );
  const blocks: Block[] = [];
  let text: string;
  if (dryRun) {
    text = `Dry run: nothing was revoked (${revoked.length} would have been).`;
    blocks.push({ type: "header", text: "Dry run: nothing was revoked" });
    if (lines.length > 0) blocks.push({ type: "text", text: `Would have revoked:\n${lines.join("\n")}` });
  } else if (revoked.length > 0) {
    text = `Revoked ${revoked.length} token${revoked.length === 1 ? "" : "s"}: ${revoked.map(tokenLabel).join(", ")}.`;
    blocks.push(
      { type: "header", text: `Revoked ${revoked.length} token${revoked.length === 1 ? "" : "s"}` },
      { type: "text", text: lines.join("\n") },
    );
  } else {
    text = failed.length > 0 ? "Nothing was revoked." : "Nothing to revoke.";
    blocks.push({ type: "header", text: failed.length > 0 ? "Revocation failed" : "Nothing to revoke" });
  }
  if (failed.length > 0) {
    const failures = failed.map((f) => `• ${codeSpan(f.tokenId, 40)}: ${plainText(f.reason, 200)}`);
    blocks.push({ type: "warning", text: `Not revoked:\n${failures.join("\n")}` });
    text += ` ${failed.length} failed.`;
  }
  blocks.push({ type: "context", text: `By ${actor} at ${formatDate(now.toISOString())}` });
  return { text, visibility: !dryRun && revoked.length > 0 ? "in_channel" : "ephemeral", blocks };
}

/** Newest first, whatever order the entries come in. */
export function renderAudit(entries: AuditEntry[], now: Date): ChatMessage {
  if (entries.length === 0) {
    return { text: "No audit entries yet.", visibility: "ephemeral", blocks: [{ type: "text", text: "No audit entries yet." }] };
  }
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const rows = sorted.map((e) => [
    relativeTime(e.at, now),
    e.principal,
    e.surface,
    e.operation,
    e.result,
    e.tokenName || e.tokenId || (e.tokenHash ? `sha256:${e.tokenHash.slice(0, 12)}` : ""),
    e.detail ?? "",
  ]);
  const n = entries.length;
  return {
    text: `Audit log: the last ${n} entr${n === 1 ? "y" : "ies"}.`,
    visibility: "ephemeral",
    blocks: [
      { type: "header", text: `Audit log: last ${n} entr${n === 1 ? "y" : "ies"}` },
      { type: "code", text: formatTable(["WHEN", "BY", "SURFACE", "OPERATION", "RESULT", "TOKEN", "DETAIL"], rows, 28) },
      { type: "context", text: `Times relative to ${formatDate(now.toISOString())}.` },
    ],
  };
}

export function renderDenied(reason: string): ChatMessage {
  const why = plainText(reason, 300);
  return {
    text: `Not allowed: ${why}`,
    visibility: "ephemeral",
    blocks: [
      { type: "warning", text: `Not allowed. ${why}` },
      { type: "context", text: "Ask whoever runs this Worker to add you to the allow-list for this action." },
    ],
  };
}

export function renderError(message: string): ChatMessage {
  // Messages come from the parser or the route; redaction here is a second guard, not the first.
  const safe = redactPastedTokens(message).slice(0, 1000);
  return {
    text: safe,
    visibility: "ephemeral",
    blocks: [
      { type: "warning", text: safe },
      { type: "context", text: "Type `help` for the list of commands." },
    ],
  };
}

type ChatLeakStatus = "revoked" | "already_revoked" | "not_live" | "queued" | "dry_run" | "unverified" | "in_progress";

const LEAK_STATUS: Record<ChatLeakStatus, string> = {
  revoked: "It was a live token, so it has been *revoked*. Whatever used it will now fail until it gets a new token.",
  already_revoked: "It had already been revoked, so nothing more was needed.",
  not_live: "Fastly does not accept it (revoked, expired or never valid), so there was nothing to revoke.",
  queued: "Fastly could not be reached just now, so its revocation is *queued* and will be retried until it succeeds.",
  dry_run: "This Worker runs in dry-run mode, so it was *not* revoked. Revoke it yourself now.",
  unverified: "Fastly accepted it but would not let it be revoked or read, so it may still be *live*. Revoke it yourself now; the Worker keeps retrying.",
  in_progress: "Another report of this token is being handled right now; its revocation is under way.",
};

/** Never includes the secret, only what Fastly says about the token it belonged to. */
export function renderLeakNotice(
  outcome: { status: ChatLeakStatus; token?: TokenResponse },
  now: Date,
): ChatMessage {
  const blocks: Block[] = [
    { type: "header", text: "You pasted a Fastly API token" },
    {
      type: "warning",
      text: "Your command contained what looks like a Fastly API token. A token posted in chat is leaked: chat history, search, bots and notifications keep copies. Your command was not run.",
    },
    { type: "text", text: LEAK_STATUS[outcome.status] },
  ];
  if (outcome.token) blocks.push({ type: "fields", fields: tokenFields(outcome.token, now) });
  blocks.push(
    {
      type: "text",
      text: [
        "*What to do now*",
        "1. Rotate: create a new token with the least scope and services it needs, and an expiry, and update whatever used the old one.",
        "2. Delete any other copy of it you posted (messages, threads, tickets).",
        "3. Report leaks through the leak webhook or your secret scanner, not in chat, and refer to tokens by id (`show <token-id>`), never by value.",
      ].join("\n"),
    },
    { type: "context", text: "The token's value was not stored or repeated; it is identified only by its SHA-256." },
  );
  const who = outcome.token ? ` (${tokenLabel(outcome.token)})` : "";
  return {
    text: `You pasted a Fastly API token${who}; status: ${outcome.status.replace("_", " ")}. Never paste tokens in chat.`,
    visibility: "ephemeral",
    blocks,
  };
}

export function renderCancelled(): ChatMessage {
  return {
    text: "Cancelled: nothing was revoked.",
    visibility: "ephemeral",
    blocks: [{ type: "text", text: "Cancelled: nothing was revoked." }],
  };
}

/** The fields a person needs to recognise a token before acting on it. */
function tokenFields(token: TokenResponse, now: Date): { label: string; value: string }[] {
  const services = tokenServices(token);
  const shownServices = services.slice(0, 5).map((s) => codeSpan(s, 40));
  if (services.length > shownServices.length) shownServices.push(`and ${services.length - shownServices.length} more`);
  return [
    { label: "Name", value: plainText(token.name, 100) || "(unnamed)" },
    { label: "ID", value: codeSpan(token.id) },
    { label: "Owner", value: codeSpan(token.user_id) },
    { label: "Scope", value: tokenScopes(token).map((s) => codeSpan(s)).join(" ") || "—" },
    { label: "Services", value: services.length === 0 ? "all services" : shownServices.join(" ") },
    { label: "Created", value: token.created_at ? `${relativeTime(token.created_at, now)} (${formatDate(token.created_at)})` : "unknown" },
    {
      label: "Last used",
      value: token.last_used_at ? `${relativeTime(token.last_used_at, now)} (${formatDate(token.last_used_at)})` : "never used",
    },
    { label: "Expiry", value: token.expires_at ? `${describeExpiry(token, now)} (${formatDate(token.expires_at)})` : "never expires" },
  ];
}

function warningBlocks(token: TokenResponse, now: Date): Block[] {
  return tokenWarnings(token, now).map((text) => ({ type: "warning", text }));
}

function tokenLabel(token: TokenResponse): string {
  const name = plainText(token.name, 60) || "(unnamed)";
  return token.id ? `${name} (${plainText(token.id, 40)})` : name;
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
