import { describe, expect, it } from "vitest";
import { toDiscordMessage } from "../../src/chatops/discord-render";
import { cutMarkdown, inlineMarkdown } from "../../src/chatops/markdown-render";
import { toMattermostMessage } from "../../src/chatops/mattermost-render";
import type { ChatMessage } from "../../src/chatops/message";
import { renderAudit } from "../../src/chatops/render/audit";
import { renderLeakNotice } from "../../src/chatops/render/leak";
import { renderRevokeConfirmation } from "../../src/chatops/render/revoke-confirmation";
import { renderRevokeResult } from "../../src/chatops/render/revoke-result";
import { renderTokenDetail } from "../../src/chatops/render/token-detail";
import { renderTokenList } from "../../src/chatops/render/token-list";
import { renderWhoami } from "../../src/chatops/render/whoami";
import { plainText } from "../../src/chatops/safe-text";
import { toSlackMessage } from "../../src/chatops/slack-render";
import type { TokenResponse } from "../../src/fastly/schemas";
import { buildReport } from "../../src/hygiene/classify";
import { renderDigest, renderFailureDigest } from "../../src/hygiene/digest";
import type { PolicyOutcome } from "../../src/hygiene/stale-policy";
import type { AuditEntry } from "../../src/tokens/audit-entry";
import { daysFromNow, globalForever, NOW } from "./fixtures";
import { discordTexts, HOSTILE, liveMarkdown, liveMrkdwn, PHISHING_NAME, slackTexts } from "./inert";

/** A token whose every Fastly-controlled string is `text`. */
function hostileToken(text: string): TokenResponse {
  return {
    ...globalForever,
    name: text,
    user_id: text,
    customer_id: text,
    ip: text,
    user_agent: text,
    services: [text],
    service_id: text,
    expires_at: daysFromNow(3),
  };
}

function views(text: string): [string, ChatMessage][] {
  const token = hostileToken(text);
  const entry: AuditEntry = {
    id: "a1",
    at: daysFromNow(-1),
    principal: text,
    surface: "slack",
    operation: "revokeToken",
    result: "ok",
    tokenId: token.id,
    tokenName: text,
    ownerId: text,
    detail: text,
  };
  const report = buildReport([token], NOW, { expiringDays: 7, unusedDays: 90 });
  const policy: PolicyOutcome = {
    mode: "revoke",
    afterDays: 90,
    selection: { candidates: [token], deferred: [], protected: [{ token, reason: "exempt" }] },
    revoked: [token],
    failed: [{ token, reason: text }],
    dryRun: false,
  };
  const ctx = { now: NOW, inventory: { customerId: text, coverage: "customer" as const }, maxItems: 10 };
  return [
    ["show", renderTokenDetail(token, NOW)],
    ["whoami", renderWhoami(token, NOW)],
    ["list", renderTokenList([token], { target: "customer" }, NOW)],
    ["a revoke confirmation", renderRevokeConfirmation([token], "signed", NOW)],
    ["a revoke result", renderRevokeResult({ revoked: [token], failed: [{ tokenId: text, reason: text }], dryRun: false, actor: text }, NOW)],
    ["a leak notice", renderLeakNotice({ status: "revoked", token }, NOW)],
    ["audit", renderAudit([entry], NOW)],
    ["the hygiene digest", renderDigest(report, policy, ctx)],
    ["the failed digest", renderFailureDigest(text, NOW).message],
  ];
}

const cases = HOSTILE.flatMap((text) => views(text).map(([view, msg]) => [view, JSON.stringify(text), msg] as const));

describe("the checkers used below", () => {
  it("see every attack in the raw strings, so a clean result means something", () => {
    for (const text of HOSTILE.filter((h) => !h.startsWith("```"))) {
      expect([...liveMarkdown(text), ...liveMrkdwn(text)], text).not.toEqual([]);
    }
    expect(liveMarkdown(PHISHING_NAME)).toEqual(expect.arrayContaining(["link or image syntax", "bare link"]));
    expect(liveMrkdwn("<https://evil.example|x> <!channel>")).not.toEqual([]);
  });
});

describe("Fastly's strings in chat are inert on every platform", () => {
  it.each(cases)("Discord: %s with %s shows no link, image, heading, table, spoiler or mention", (_view, _text, msg) => {
    const out = toDiscordMessage(msg);
    for (const text of discordTexts(out)) expect(liveMarkdown(text), text).toEqual([]);
    expect(out.allowed_mentions).toEqual({ parse: [] });
  });

  it.each(cases)("Mattermost: %s with %s shows no link, image, heading, table, channel link or mention", (_view, _text, msg) => {
    const out = toMattermostMessage(msg, { actionUrl: "https://worker.example/mattermost/actions" });
    expect(liveMarkdown(out.text), out.text).toEqual([]);
  });

  it.each(cases)("Slack: %s with %s shows no link, mention or bare URL", (_view, _text, msg) => {
    for (const text of slackTexts(toSlackMessage(msg))) expect(liveMrkdwn(text), text).toEqual([]);
  });

  it("still shows the words of a hostile name, only without their effect", () => {
    const msg = renderTokenDetail(hostileToken(PHISHING_NAME), NOW);
    const discord = toDiscordMessage(msg);
    expect(discord.content).toContain("Re-authenticate here");
    expect(discord.content).toContain("\\[Re-authenticate here\\](https:\u200b//evil.example/login) !\\[p\\]");
    expect(toMattermostMessage(msg).text).toContain("**Token \\[Re-authenticate here\\]");
    expect(JSON.stringify(toSlackMessage(msg).blocks)).toContain("[Re-authenticate here](https:\u200b//evil.example/login)");
  });
});

describe("Discord's limits with escaping", () => {
  it("still holds content to 2000 and field values to 1024 characters when escapes and defused mentions add length", () => {
    const noisy = "@a|@b|@c|[x]".repeat(40);
    const many = Array.from({ length: 60 }, (_, i) => ({ ...hostileToken(noisy), id: `tok${String(i).padStart(19, "0")}` }));
    const list = toDiscordMessage(renderTokenList(many, { target: "customer" }, NOW));
    expect(list.content.length).toBeLessThanOrEqual(2000);
    expect(liveMarkdown(list.content)).toEqual([]);
    const field = toDiscordMessage({ text: "", visibility: "ephemeral", blocks: [{ type: "fields", fields: [{ label: "Name", value: noisy.repeat(3) }] }] });
    const value = (field.embeds as { fields: { value: string }[] }[])[0]!.fields[0]!.value;
    expect(value.length).toBeLessThanOrEqual(1024);
    expect(liveMarkdown(value)).toEqual([]);
  });
});

describe("the markdown helpers", () => {
  it("keep the model's code spans and bold, and escape everything else", () => {
    expect(inlineMarkdown("*Revoked* `a[b](c)` [x](y) #1 a|b ~c _d_ @e <f>")).toBe(
      "**Revoked** `a[b](c)` \\[x\\](y) \\#1 a\\|b \\~c \\_d\\_ \\@e \\<f\\>",
    );
    expect(inlineMarkdown("a ` lone backtick and * lone star")).toBe("a \\` lone backtick and \\* lone star");
  });

  it("never cut inside a code span, where the escaped-free content would come alive", () => {
    const md = inlineMarkdown("before `[x](https://evil.example/login) and more text` after");
    for (let max = 2; max < md.length; max++) {
      const cut = cutMarkdown(md, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(liveMarkdown(cut), cut).toEqual([]);
    }
  });

  it("never end a cut on a lone backslash, which would escape the ellipsis", () => {
    expect(cutMarkdown("ab\\[cd", 4)).toBe("ab…");
  });
});

describe("plainText", () => {
  it("drops bidi overrides and zero-width characters, so a name reads as it is spelled", () => {
    expect(plainText("\u202Egnp.exe\u200b\u2066x\u2069\ufeff")).toBe("gnp.exex");
  });

  it("breaks scheme and www links with a zero-width space", () => {
    expect(plainText("see https://evil.example and WWW.evil.example")).toBe("see https:\u200b//evil.example and WWW\u200b.evil.example");
  });
});
