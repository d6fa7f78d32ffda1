import { AUDIT_MAX_LIMIT, BULK_REVOKE_MAX_IDS, COMMAND_NAMES } from "../command";
import type { Block, ChatMessage } from "../message";
import { codeSpan, plainText } from "../safe-text";

/** The slash command's name when the platform's payload does not say it. */
export const DEFAULT_COMMAND_NAME = "/fastly-tokens";

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
