import { beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { discordTexts, liveMarkdown, liveMrkdwn, slackTexts } from "../chatops/inert";
import { type CallRecord, demo, newTenant, type Tenant, testEnv } from "../helpers";
import { runCron } from "../hygiene/support";
import {
  callChat,
  chatEnv,
  type DiscordKeys,
  discordCommandBody,
  discordInit,
  discordKeys,
  mattermostInit,
  newSink,
  type Sink,
  slackCommandBody,
  slackInit,
} from "../routes/chat/helpers";

// Issue 12, item 3. A token's name is chosen by whoever creates it, and Fastly records the user agent and address of
// whoever last used it: all three reach chat. None may become a link, an image, a heading or a mention.
const NAME = "[Re-authenticate here](https://evil.example/login) ![p](https://evil.example/p.png) <!channel>";
const USER_AGENT = "<https://evil.example/ua|Update your client> @everyone <@U0ADMIN> # Heading | a | ~town-square";
const IP = "[ip](https://evil.example/ip)";

interface Planted {
  id: string;
  access_token: string;
}

/** A token created with the hostile name and then used by a hostile client, as Fastly would record it. */
async function plantHostileToken(t: Tenant, fields: Record<string, string> = {}): Promise<Planted> {
  const bob = demo.users.acmeEngineer;
  const created = await fetch(`${t.baseUrl}/tokens`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: bob.login, password: bob.password, name: NAME, scope: "global", ...fields }).toString(),
  });
  expect(created.status).toBe(200);
  const token = (await created.json()) as Planted;
  const used = await fetch(`${t.baseUrl}/tokens/self`, {
    headers: { "Fastly-Key": token.access_token, "User-Agent": USER_AGENT, "X-Forwarded-For": IP },
  });
  expect(await used.json()).toMatchObject({ name: NAME, user_agent: USER_AGENT, ip: IP });
  await t.clearCalls();
  return token;
}

/** The commands every platform runs: each view that shows Fastly's strings, then a paste of the token itself. */
const commands = (planted: Planted) => [`show ${planted.id}`, "list customer", `revoke ${planted.id}`, `oops ${planted.access_token}`, "audit 5"];

/** What changed at Fastly: the calls that are not reads. */
const writes = (calls: CallRecord[]) => calls.filter((c) => c.method !== "GET").map((c) => `${c.method} ${c.path} ${c.status}`);

async function revokedIds(t: Tenant): Promise<string[]> {
  return (await t.tokens()).filter((x) => x.revoked).map((x) => x.id!).sort();
}

/** Pasting the token revokes it (that is the leak workflow); nothing else may change and one notice is sent. */
async function expectOnlyTheLeakRevoked(t: Tenant, planted: Planted, notify: Sink): Promise<void> {
  expect(writes(await t.calls())).toEqual(["DELETE /tokens/self 204"]);
  expect(await revokedIds(t)).toEqual([demo.tokens.userRevoked.id, planted.id].sort());
  const notices = await notify.bodies();
  expect(notices).toHaveLength(1);
  const text = String(notices[0]!.text);
  expect(text).toContain("Re-authenticate here");
  expect(liveMrkdwn(text), text).toEqual([]);
}

let keys: DiscordKeys;
beforeAll(async () => {
  keys = await discordKeys();
});

async function setup() {
  const t = await newTenant();
  const sink = newSink();
  const notify = newSink();
  const env: Env = await chatEnv(t, { sink, keys, overrides: { NOTIFY_SLACK_WEBHOOK_URL: notify.at("/notify") } });
  return { t, sink, notify, env, planted: await plantHostileToken(t) };
}

describe("a hostile token name, user agent and address in chat", () => {
  it("Mattermost renders them inert in show, list, the confirmation, the leak notice and audit, and nothing else happens", async () => {
    const { t, sink, notify, env, planted } = await setup();
    const replies: string[] = [];
    for (const text of commands(planted)) {
      const r = await callChat(env, "/mattermost/command", mattermostInit({ text }));
      expect(r.status).toBe(200);
      replies.push(((await r.json()) as { text: string }).text);
    }
    for (const reply of replies) expect(liveMarkdown(reply), reply).toEqual([]);
    const [show, list, confirmation, leak, audit] = replies;
    expect(show).toContain("Re-authenticate here");
    expect(show).toContain("Update your client");
    expect(list).toContain(planted.id);
    expect(confirmation).toContain("Revoke this token?");
    expect(leak).toContain("You pasted a Fastly API token");
    expect(audit).toContain("Re-authenticate");
    expect(await sink.received()).toEqual([]);
    await expectOnlyTheLeakRevoked(t, planted, notify);
  });

  it("Discord renders them inert in every message it sends, with mentions disabled, and nothing else happens", async () => {
    const { t, sink, notify, env, planted } = await setup();
    for (const text of commands(planted)) {
      const r = await callChat(env, "/discord/interactions", await discordInit(keys, discordCommandBody(text)));
      expect(r.status).toBe(200);
    }
    const messages = await sink.bodies();
    expect(messages).toHaveLength(5);
    for (const message of messages) {
      for (const text of discordTexts(message)) expect(liveMarkdown(text), text).toEqual([]);
      expect(message.allowed_mentions).toEqual({ parse: [] });
    }
    expect(JSON.stringify(messages[0])).toContain("Re-authenticate here");
    expect(JSON.stringify(messages[0])).toContain("Update your client");
    await expectOnlyTheLeakRevoked(t, planted, notify);
  });

  it("Slack renders them inert in every message it sends, and nothing else happens", async () => {
    const { t, sink, notify, env, planted } = await setup();
    const acks: Record<string, unknown>[] = [];
    for (const text of commands(planted)) {
      const r = await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, text)));
      expect(r.status).toBe(200);
      acks.push((await r.json()) as Record<string, unknown>);
    }
    const messages = await sink.bodies();
    expect(messages).toHaveLength(5);
    for (const message of [...acks, ...messages]) {
      for (const text of slackTexts(message)) expect(liveMrkdwn(text), text).toEqual([]);
    }
    expect(JSON.stringify(messages[0])).toContain("Re-authenticate here");
    expect(JSON.stringify(messages[0])).toContain("Update your client");
    await expectOnlyTheLeakRevoked(t, planted, notify);
  });
});

describe("a hostile token name in the hygiene digest", () => {
  it("is inert in the Slack and Discord digests, which are the only messages sent, and nothing is revoked", async () => {
    const t = await newTenant();
    // Expiring first of all tokens, so the digest names it in its own warning line as well as in the table.
    const planted = await plantHostileToken(t, { expires_at: new Date(Date.now() + 86_400_000).toISOString() });
    const slack = newSink();
    const discord = newSink();
    const env = await testEnv(t, { DIGEST_SLACK_WEBHOOK_URL: slack.at("/digest"), DIGEST_DISCORD_WEBHOOK_URL: discord.at("/digest") });

    const run = await runCron(env);

    expect(run.status).toBe("sent");
    const [slackDigest, ...moreSlack] = await slack.bodies();
    const [discordDigest, ...moreDiscord] = await discord.bodies();
    expect([moreSlack, moreDiscord]).toEqual([[], []]);
    expect(JSON.stringify(slackDigest)).toContain("[Re-authenticate here](https:");
    for (const text of slackTexts(slackDigest!)) expect(liveMrkdwn(text), text).toEqual([]);
    for (const text of discordTexts(discordDigest!)) expect(liveMarkdown(text), text).toEqual([]);
    expect(discordDigest!.allowed_mentions).toEqual({ parse: [] });
    expect(writes(await t.calls())).toEqual([]);
    expect(await revokedIds(t)).toEqual([demo.tokens.userRevoked.id]);
    expect((await t.tokens()).find((x) => x.id === planted.id)?.revoked).toBe(false);
  });
});
