/**
 * What a chat client would make *active* in a message: links, images, previews, mentions, headings, quotes,
 * tables. Each checker returns the constructs it finds (empty = inert). They follow the parsers' rules: in
 * markdown, a backslash-escaped character and the inside of a code span or fence are literal; in Slack mrkdwn
 * every "<" starts a link or mention and there is no escape but the &lt; entity.
 */

/** Strings a Fastly token name, user agent or ip could hold, one attack each. */
export const HOSTILE = [
  "[Re-authenticate here](https://evil.example/login) ![p](https://evil.example/p.png)",
  "<https://evil.example/login|Re-authenticate here> <!channel> <!here> <@U0ADMIN>",
  "# Your token was revoked",
  "-# small print",
  "> quoted instructions",
  "| a | b |\n|---|---|\n| c | d |",
  "||hidden|| spoiler",
  "<@123456789012345678> <@&5> <#9> <t:1700000000:R> </cmd:1> <:emoji:1>",
  "@everyone @here @channel @all",
  "~town-square",
  "<https://evil.example>",
  "www.evil.example",
  "x@evil.example",
  "```\nfenced\n```",
  "`code` [a](https://e.example)",
  "\\[a](https://e.example)",
  "[a]: https://e.example\n[a]",
  "[a][b]",
  "<img src=x onerror=alert(1)>",
  "*[a](https://e.example)*",
  "\\`[a](https://e.example)\\`",
  "``[a](https://e.example)`",
  "**[x](https://e.example)**",
  "https://evil.example/login",
  "\u202Egnp.exe [x](https://evil.example)",
];

/** The example: a masked link and a remote image. */
export const PHISHING_NAME = HOSTILE[0]!;

const ESCAPABLE = /[!-/:-@[-`{-~]/;

/** The markdown with code (fences and spans) and escaped characters blanked out: what a parser would act on. */
function activeMarkdown(md: string): string {
  let inFence = false;
  const lines = md.split("\n").map((line) => {
    if (/^ {0,3}```/.test(line)) {
      inFence = !inFence;
      return "";
    }
    return inFence ? "" : line;
  });
  const text = lines.join("\n");
  let out = "";
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    if (ch === "\\" && i + 1 < text.length && ESCAPABLE.test(text[i + 1]!)) {
      out += "\u0000";
      i += 2;
      continue;
    }
    if (ch === "`") {
      const run = /^`+/.exec(text.slice(i))![0];
      const close = closingRun(text, i + run.length, run.length);
      if (close !== -1) {
        out += "\u0000";
        i = close + run.length;
        continue;
      }
      out += run;
      i += run.length;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function closingRun(text: string, from: number, length: number): number {
  const re = /`+/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[0].length === length) return m.index;
  return -1;
}

/** Discord and Mattermost markdown. */
export function liveMarkdown(md: string): string[] {
  const a = activeMarkdown(md);
  const found: string[] = [];
  if (/!?\[[^\]\n]*\]/.test(a)) found.push("link or image syntax");
  if (a.includes("<")) found.push("autolink, HTML or Discord mention");
  if (/(^|\n) {0,3}(#|-#|>)/.test(a)) found.push("heading or quote");
  if (a.includes("|")) found.push("table or spoiler");
  if (/(https?|ftp):\/\/|www\./i.test(a)) found.push("bare link");
  if (/[\w.+-]+@[\w-]+\.\w/.test(a)) found.push("e-mail link");
  if (/~[\w-]/.test(a)) found.push("channel link");
  // Mentions count inside code too: a mention is matched on the raw text by the servers that notify.
  if (/@(everyone|here|channel|all)\b/i.test(md)) found.push("mass mention");
  return found;
}

/** Slack mrkdwn (section, field and context text, and the fallback `text`). */
export function liveMrkdwn(text: string): string[] {
  const found: string[] = [];
  if (text.includes("<") || text.includes(">")) found.push("link, mention or date (<…>)");
  if (/&(?!amp;|lt;|gt;)/.test(text)) found.push("unescaped &");
  if (/(https?|ftp):\/\/|www\./i.test(text)) found.push("bare link");
  return found;
}

/**
 * Every mrkdwn text of a Slack message: the fallback `text` and the blocks' mrkdwn objects. (plain_text, in
 * headers and buttons, is shown as typed: Slack parses nothing in it.)
 */
export function slackTexts(message: { text?: unknown; blocks?: unknown }): string[] {
  const texts: string[] = typeof message.text === "string" ? [message.text] : [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "mrkdwn" && typeof o.text === "string") texts.push(o.text);
      for (const value of Object.values(o)) if (typeof value === "object") walk(value);
    }
  };
  walk(message.blocks);
  return texts;
}

/** Every markdown text a Discord message shows: content and embed field names and values. */
export function discordTexts(message: { content?: unknown; embeds?: unknown }): string[] {
  const embeds = (message.embeds ?? []) as { fields?: { name: string; value: string }[] }[];
  return [String(message.content ?? ""), ...embeds.flatMap((e) => (e.fields ?? []).flatMap((f) => [f.name, f.value]))];
}
