import { TOKEN_SCOPES } from "../fastly/schemas";

/** A parsed chat command. The HTTP surfaces (Slack, Discord, Mattermost) all produce one of these. */
export type Command =
  /** `unknown` holds the word that was not a command, so help can say why it is showing. */
  | { kind: "help"; topic?: string; unknown?: string }
  | { kind: "whoami" }
  | { kind: "list"; target: "mine" | "customer"; expiringDays?: number; staleDays?: number; scope?: string }
  | { kind: "show"; tokenId: string }
  | { kind: "revoke"; tokenIds: string[]; bulk: boolean }
  | { kind: "audit"; limit: number };

/**
 * `pastedTokens` are raw secrets found in the text. They exist only so the route can hand them to the
 * leak workflow; nothing else may print, log or store them. `error` never contains one.
 */
export type ParseResult =
  | { ok: true; command: Command; pastedTokens: string[] }
  | { ok: false; error: string; pastedTokens: string[] };

export type Action = "read" | "revoke";

export const COMMAND_NAMES = ["help", "whoami", "list", "show", "revoke", "bulk-revoke", "audit"] as const;

export const AUDIT_DEFAULT_LIMIT = 10;
export const AUDIT_MAX_LIMIT = 50;
/**
 * Why 10: the confirmation shows every token in full (one Slack section and one Discord embed each), and
 * Discord allows 10 embeds per message. Larger clean-ups belong to the API surface.
 */
export const BULK_REVOKE_MAX_IDS = 10;
/** Ten years: any window longer than that is a typo, not a question. */
export const MAX_DAYS = 3650;

/**
 * Fastly token ids are 22 base62 characters in every observed sample; Fastly only promises "alphanumeric",
 * so 16 to 31 letters and digits are accepted. A 32-character word is indistinguishable from an access
 * token and is always treated as a pasted secret (see findPastedTokens), never as an id.
 */
export const TOKEN_ID = /^[A-Za-z0-9]{16,31}$/;

/**
 * A Fastly access token is 32 characters of the URL-safe base64 alphabet with no prefix. The look-arounds
 * make it a whole word, so a longer run (a SHA-256 hex digest, a URL path) is not mistaken for one.
 */
const PASTED_TOKEN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])/g;

const REDACTED = "[redacted token]";

/** Every distinct 32-character token-shaped word in `text`, in order of first appearance. */
export function findPastedTokens(text: string): string[] {
  return [...new Set(text.match(PASTED_TOKEN) ?? [])];
}

/** `text` with every token-shaped word replaced by "[redacted token]". */
export function redactPastedTokens(text: string): string {
  return text.replace(PASTED_TOKEN, REDACTED);
}

export function actionOf(command: Command): Action {
  return command.kind === "revoke" ? "revoke" : "read";
}

/**
 * Parses the text after the slash command ("list mine --expiring 7"). Subcommands are case-insensitive;
 * flags take their value as the next word or after "=" (`--stale=90`). Text holding a pasted token is
 * never run as a command: the route must send the token to the leak workflow and answer with the leak
 * notice, whatever the rest of the text asked for.
 */
export function parseCommand(text: string): ParseResult {
  const pastedTokens = findPastedTokens(text);
  if (pastedTokens.length > 0) {
    return {
      ok: false,
      pastedTokens,
      error:
        "Your message contains what looks like a Fastly API token, so the command was not run. " +
        "Never paste token values in chat: refer to tokens by their id.",
    };
  }
  const result = parseWords(words(text));
  return "error" in result ? { ok: false, error: result.error, pastedTokens } : { ok: true, command: result, pastedTokens };
}

type Parsed = Command | { error: string };

function words(text: string): string[] {
  // Chat clients wrap pasted ids in backticks or quotes, and Slack turns "--" into an em dash on some keyboards.
  return text
    .replace(/[\u2013\u2014]/g, "--")
    .split(/\s+/)
    .map((w) => w.replace(/^[`'"\u2018\u2019\u201c\u201d]+|[`'"\u2018\u2019\u201c\u201d]+$/g, ""))
    .filter((w) => w.length > 0);
}

function parseWords(all: string[]): Parsed {
  const [first, ...args] = all;
  if (first === undefined) return { kind: "help" };
  const name = first.toLowerCase();
  switch (name) {
    case "help":
    case "--help":
    case "-h":
      return parseHelp(args);
    case "whoami":
      return args.length === 0 ? { kind: "whoami" } : { error: "`whoami` takes no arguments." };
    case "list":
      return parseList(args);
    case "show":
      return parseShow(args);
    case "revoke":
      return parseRevoke(args, false);
    case "bulk-revoke":
      return parseRevoke(args, true);
    case "audit":
      return parseAudit(args);
    default:
      return { kind: "help", unknown: clip(first) };
  }
}

function parseHelp(args: string[]): Parsed {
  const topic = args[0]?.toLowerCase();
  if (topic === undefined) return { kind: "help" };
  if ((COMMAND_NAMES as readonly string[]).includes(topic)) return { kind: "help", topic };
  return { kind: "help", unknown: clip(args[0]!) };
}

const LIST_FLAGS = ["--expiring", "--stale", "--scope"] as const;
type ListFlag = (typeof LIST_FLAGS)[number];

function parseList(args: string[]): Parsed {
  let target: "mine" | "customer" | undefined;
  const seen = new Set<ListFlag>();
  const command: Extract<Command, { kind: "list" }> = { kind: "list", target: "mine" };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("-")) {
      const word = arg.toLowerCase();
      if (word !== "mine" && word !== "customer") {
        return { error: `\`list\` shows \`mine\` or \`customer\` tokens, not ${quote(arg)}.` };
      }
      if (target !== undefined) return { error: "`list` takes one of `mine` or `customer`, not both." };
      target = word;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = (eq === -1 ? arg : arg.slice(0, eq)).toLowerCase();
    if (!isListFlag(flag)) {
      return { error: `Unknown option ${quote(arg)} for \`list\`. Options: ${LIST_FLAGS.map((f) => `\`${f}\``).join(", ")}.` };
    }
    if (seen.has(flag)) return { error: `\`${flag}\` is given twice.` };
    seen.add(flag);
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      // A following flag is not a value ("--stale --scope global"), but a negative number is one.
      if (next !== undefined && !/^--?[A-Za-z]/.test(next)) {
        value = next;
        i++;
      }
    }
    if (flag === "--scope") {
      const scope = parseScope(value);
      if (typeof scope !== "string") return scope;
      command.scope = scope;
    } else {
      const days = parseDays(flag, value);
      if (typeof days !== "number") return days;
      if (flag === "--expiring") command.expiringDays = days;
      else command.staleDays = days;
    }
  }
  command.target = target ?? "mine";
  return command;
}

function isListFlag(flag: string): flag is ListFlag {
  return (LIST_FLAGS as readonly string[]).includes(flag);
}

function parseDays(flag: string, value: string | undefined): number | { error: string } {
  const example = flag === "--expiring" ? 7 : 90;
  if (value === undefined || value === "") {
    return { error: `\`${flag}\` needs a number of days, e.g. \`${flag} ${example}\`.` };
  }
  if (!/^-?\d+$/.test(value)) {
    return { error: `\`${flag}\` needs a whole number of days, e.g. \`${flag} ${example}\`; ${quote(value)} is not one.` };
  }
  const days = Number(value);
  if (days < 1) return { error: `\`${flag}\` needs at least 1 day (got ${quote(value)}).` };
  if (days > MAX_DAYS) return { error: `\`${flag}\` allows at most ${MAX_DAYS} days (got ${quote(value)}).` };
  return days;
}

function parseScope(value: string | undefined): string | { error: string } {
  const scopes = TOKEN_SCOPES.map((s) => `\`${s}\``).join(", ");
  if (value === undefined || value === "") return { error: `\`--scope\` needs a scope: one of ${scopes}.` };
  const scope = value.toLowerCase();
  if (!(TOKEN_SCOPES as readonly string[]).includes(scope)) {
    return { error: `Unknown scope ${quote(value)}. Scopes: ${scopes}.` };
  }
  return scope;
}

function parseShow(args: string[]): Parsed {
  if (args.length === 0) return { error: "`show` needs a token id, e.g. `show 2j1hEyxXOEqYaSipeZHaW4`." };
  if (args.length > 1) return { error: "`show` takes one token id." };
  const id = checkId(args[0]!);
  return typeof id === "string" ? { kind: "show", tokenId: id } : id;
}

function parseRevoke(args: string[], bulk: boolean): Parsed {
  const name = bulk ? "bulk-revoke" : "revoke";
  // "a,b,c" is accepted for bulk-revoke because people paste id lists from spreadsheets.
  const ids = bulk ? args.flatMap((a) => a.split(",")).filter((a) => a.length > 0) : args;
  if (ids.length === 0) {
    return {
      error: bulk
        ? "`bulk-revoke` needs token ids, e.g. `bulk-revoke 2j1hEyxXOEqYaSipeZHaW4 5NSGsvF9ybBxXAdEQhcYPz`."
        : "`revoke` needs a token id, e.g. `revoke 2j1hEyxXOEqYaSipeZHaW4`.",
    };
  }
  if (!bulk && ids.length > 1) return { error: "`revoke` takes one token id; use `bulk-revoke` for several." };
  const tokenIds: string[] = [];
  for (const raw of ids) {
    const id = checkId(raw);
    if (typeof id !== "string") return id;
    if (!tokenIds.includes(id)) tokenIds.push(id);
  }
  if (tokenIds.length > BULK_REVOKE_MAX_IDS) {
    return { error: `\`${name}\` takes at most ${BULK_REVOKE_MAX_IDS} token ids at a time (got ${tokenIds.length}).` };
  }
  return { kind: "revoke", tokenIds, bulk };
}

function parseAudit(args: string[]): Parsed {
  if (args.length === 0) return { kind: "audit", limit: AUDIT_DEFAULT_LIMIT };
  if (args.length > 1) return { error: "`audit` takes at most one number, e.g. `audit 20`." };
  const value = args[0]!;
  if (!/^-?\d+$/.test(value)) return { error: `\`audit\` takes a number of entries, e.g. \`audit 20\`; ${quote(value)} is not one.` };
  const limit = Number(value);
  if (limit < 1 || limit > AUDIT_MAX_LIMIT) {
    return { error: `\`audit\` shows 1 to ${AUDIT_MAX_LIMIT} entries (got ${quote(value)}).` };
  }
  return { kind: "audit", limit };
}

function checkId(raw: string): string | { error: string } {
  if (TOKEN_ID.test(raw)) return raw;
  return {
    error:
      `${quote(raw)} is not a token id. Fastly token ids are 22 letters and digits, ` +
      "like `2j1hEyxXOEqYaSipeZHaW4` (ids of 16 to 31 letters and digits are accepted).",
  };
}

/** User input fit to echo back: short, and without backticks or control characters that would break formatting. */
function clip(input: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const chars = [...input.replace(/[`\u0000-\u001f\u007f]/g, "")];
  return chars.length > 40 ? `${chars.slice(0, 39).join("")}…` : chars.join("");
}

function quote(input: string): string {
  return `\`${clip(input)}\``;
}
