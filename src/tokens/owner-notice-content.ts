import type { LeakContext, LeakOutcome, TokenSummary } from "./leak-outcome";
import { formatElapsed, formatInstant } from "./time-to-revoke";
import { escapeMrkdwn } from "../chatops/slack-render";

/** Who owns a leaked token, as Fastly's User resource names them (`login` is their e-mail address). */
export interface OwnerIdentity {
  id: string;
  login: string;
  name?: string | null;
  twoFactor?: boolean;
}

/** When a leak was first seen and revoked (epoch ms), from the ledger row the settlement left. */
export interface LeakTiming {
  firstSeenMs: number;
  revokedMs: number | null;
}

/** One leaked token of an owner, as the notice describes it. Never the token's value: the outcome has none. */
export interface NoticeItem {
  outcome: LeakOutcome;
  timing?: LeakTiming;
}

export interface NoticeOptions {
  /** The Fastly API the replacement command talks to (FASTLY_API_BASE_URL). */
  fastlyBaseUrl: string;
  /** Whom to contact, in words (OWNER_NOTICE_CONTACT). */
  contact: string;
}

/** The same notice for each channel: an e-mail (subject + plain text) and a Slack DM (mrkdwn). */
export interface RenderedNotice {
  subject: string;
  text: string;
  slackText: string;
}

const SOURCE_WORDS: Record<LeakContext["source"], string> = {
  github_alert: "GitHub secret scanning (an alert in the repository)",
  github_partner: "GitHub's secret scanning partner program",
  gitlab_partner: "GitLab secret detection",
  gitlab_revocation_api: "GitLab secret detection (token revocation API)",
  standard_webhooks: "a secret scanner",
  chat: "a chat message",
  demo: "the demo scanner",
};

const isRevoked = (o: LeakOutcome) => o.status === "revoked" || o.status === "already_revoked";

/** One line, no control characters, bounded: Fastly-controlled and report-controlled strings go through here. */
export function oneLine(value: string | null | undefined, max = 200): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const flat = String(value ?? "").replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A POSIX shell word: single-quoted, so a token name like `x'; rm -rf ~` stays a name. Control characters go. */
export function shellQuote(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const flat = value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, " ");
  return `'${flat.replace(/'/g, `'\\''`)}'`;
}

/**
 * A ready-to-run command that creates a token with the same name, scope, services and expiry, for the owner's own
 * account (`POST /tokens` with their login and password, as Fastly documents it). The password is read from the
 * terminal, never typed into the command line; a 2FA user gets the `Fastly-OTP` header to fill in.
 */
export function replacementCommand(token: TokenSummary, owner: OwnerIdentity, fastlyBaseUrl: string): string {
  const url = `${fastlyBaseUrl.replace(/\/+$/, "")}/tokens`;
  const field = (name: string, value: string) => `  --data-urlencode ${shellQuote(`${name}=${value}`)}`;
  const curl = [
    `curl -sS -X POST ${shellQuote(url)}`,
    ...(owner.twoFactor ? ["  -H 'Fastly-OTP: REPLACE_WITH_YOUR_2FA_CODE'"] : []),
    field("username", owner.login),
    '  --data-urlencode "password=$FASTLY_PASSWORD"',
    ...(token.name ? [field("name", token.name)] : []),
    ...(token.scope ? [field("scope", token.scope)] : []),
    ...(token.services ?? []).map((s) => field("services[]", s)),
    ...(token.expires_at ? [field("expires_at", token.expires_at)] : []),
  ];
  return `read -rsp ${shellQuote(`Fastly password for ${owner.login}: `)} FASTLY_PASSWORD; echo\n${curl.join(" \\\n")}`;
}

function where(context: LeakContext): string {
  const parts = [context.repository, context.url, context.alertUrl].filter(Boolean).map((p) => oneLine(p, 300));
  return parts.length ? parts.join(" · ") : "not given by the report";
}

function when(item: NoticeItem): string[] {
  const t = item.timing;
  if (!t) return [];
  const lines = [`First seen:   ${formatInstant(t.firstSeenMs)}`];
  if (t.revokedMs !== null && isRevoked(item.outcome)) {
    lines.push(`Revoked:      ${formatInstant(t.revokedMs)} (${formatElapsed(t.revokedMs - t.firstSeenMs)} after it was first seen)`);
  }
  return lines;
}

function expiry(iso: string | null | undefined): string {
  if (!iso) return "never";
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? formatInstant(ms) : oneLine(iso, 40);
}

function tokenTitle(token: TokenSummary | undefined): string {
  return token?.name ? `"${oneLine(token.name, 120)}" (id ${token.id ?? "unknown"})` : `(unnamed, id ${token?.id ?? "unknown"})`;
}

function describeItem(item: NoticeItem): string[] {
  const { outcome } = item;
  const t = outcome.token;
  const services = t?.services === undefined ? "unknown" : t.services.length ? t.services.join(", ") : "all services";
  return [
    `Token ${tokenTitle(t)}`,
    `  Scope:        ${t?.scope ?? "unknown"}`,
    `  Services:     ${services}`,
    `  Expires:      ${expiry(t?.expires_at)}`,
    `  Found at:     ${where(outcome.context)}`,
    `  Reported by:  ${SOURCE_WORDS[outcome.context.source] ?? "a leak report"}`,
    ...when(item).map((l) => `  ${l}`),
    `  Status:       ${isRevoked(outcome) ? "revoked: it no longer works" : "NOT revoked yet: revoke it now (see below)"}`,
  ];
}

/**
 * The owner notice: what leaked (name, id, scope, services, expiry), where (repository, file, alert), when it was
 * found and revoked with the time in between, how to make a replacement with the same name, scope, services and
 * expiry, and whom to contact. Outcomes carry ids, names and hashes only, so the secret cannot appear.
 */
export function renderOwnerNotice(owner: OwnerIdentity, items: NoticeItem[], opts: NoticeOptions): RenderedNotice {
  const revoked = items.filter((i) => isRevoked(i.outcome));
  const open = items.filter((i) => !isRevoked(i.outcome));
  const first = items[0]!.outcome.token;
  const subject =
    items.length === 1
      ? revoked.length
        ? `Your Fastly API token ${first?.name ? `"${oneLine(first.name, 80)}" ` : ""}leaked and was revoked`
        : `Your Fastly API token ${first?.name ? `"${oneLine(first.name, 80)}" ` : ""}leaked: revoke it now`
      : `${items.length} of your Fastly API tokens leaked${open.length ? `; ${open.length} still need revoking` : " and were revoked"}`;
  const greeting = `Hello ${oneLine(owner.name, 80) || owner.login},`;
  const intro =
    items.length === 1
      ? `A Fastly API token of yours (${owner.login}) was found where others can read it.`
      : `${items.length} Fastly API tokens of yours (${owner.login}) were found where others can read them.`;
  // Paragraphs and commands: the e-mail shows commands as they are, the Slack DM fences them.
  const parts: { code?: true; text: string }[] = [
    { text: greeting },
    { text: [intro, revoked.length ? "Revoked tokens no longer work: whatever used them has stopped working until it gets a new token." : ""].filter(Boolean).join("\n") },
    ...items.map((item) => ({ text: describeItem(item).join("\n") })),
  ];
  const replaceable = revoked.filter((i) => i.outcome.token);
  if (replaceable.length) {
    parts.push({
      text: "To make a replacement with the same name, scope, services and expiry, run this in a terminal (it asks for your Fastly password; the new token is in the answer's access_token):",
    });
    for (const i of replaceable) {
      if (replaceable.length > 1) parts.push({ text: `For ${tokenTitle(i.outcome.token)}:` });
      parts.push({ code: true, text: replacementCommand(i.outcome.token!, owner, opts.fastlyBaseUrl) });
    }
    parts.push({ text: "Keep the new token in a secret store, never in code, and remove the old one from where it leaked, history included." });
  }
  if (open.length) {
    parts.push({ text: "A token that is not revoked yet still works for whoever found it: revoke it now in the Fastly web interface (Account › API tokens)." });
  }
  parts.push({ text: `Questions? Contact ${oneLine(opts.contact)}.` }, { text: "This message never contains a token's secret value." });
  return { subject, text: parts.map((p) => p.text).join("\n\n"), slackText: toMrkdwn(subject, parts) };
}

/** Slack's three control characters escaped: a token or owner named "<!channel>" pings nobody. */

/** Slack mrkdwn: the headline bold, commands fenced; &, < and > escaped so a token name cannot ping anyone. */
function toMrkdwn(subject: string, parts: { code?: true; text: string }[]): string {
  // In prose a backtick would start a code span; in a fence only three in a row would end it.
  const prose = (s: string) => escapeMrkdwn(s).replace(/`/g, "'");
  const code = (s: string) => escapeMrkdwn(s).replace(/`{3,}/g, (run) => "'".repeat(run.length));
  const body = parts.map((p) => (p.code ? `\`\`\`\n${code(p.text)}\n\`\`\`` : prose(p.text)));
  return [`*${prose(subject).replace(/\*/g, "")}*`, ...body].join("\n\n");
}
