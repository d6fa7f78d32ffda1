import { beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../../src/tokens/audit-entry";
import type { Env } from "../../../src/env";
import { auditOf, demo, dumpKv, newTenant } from "../../helpers";
import {
  callChat,
  chatEnv,
  DISCORD_APP_ID,
  DISCORD_TOKEN,
  type DiscordKeys,
  discordClickBody,
  discordCommandBody,
  discordCustomIds,
  discordInit,
  discordKeys,
  everythingVisible,
  MATTERMOST_TOKEN,
  mattermostClickInit,
  mattermostInit,
  newSink,
  SEAL_SECRET,
  SLACK_SECRET,
  slackButtons,
  slackClickBody,
  slackCommandBody,
  slackInit,
} from "./helpers";

let keys: DiscordKeys;
beforeAll(async () => {
  keys = await discordKeys();
});

// Nobody is on any allow-list: a leak is handled whoever reports it.
const NOBODY = {};
const leaked = demo.tokens.twoFactorUserGlobal;

async function leakAudit(env: Env): Promise<AuditEntry[]> {
  return (await auditOf(env).list(50)).entries.filter((e) => e.operation === "leakRevoke");
}

describe("a Fastly token pasted into a command", () => {
  it("is revoked through the leak workflow from Slack, and never appears in any answer, delivery or KV", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, policy: NOBODY });
    const r = await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, `show ${leaked.access_token} please`)));
    const ack = await r.text();
    expect(JSON.parse(ack)).toMatchObject({ response_type: "ephemeral", text: expect.stringContaining("looks like a Fastly API token") });
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);

    const [notice, ...more] = await sink.bodies();
    expect(more).toEqual([]);
    expect(notice).toMatchObject({ response_type: "ephemeral", text: expect.stringContaining("status: revoked") });
    expect(JSON.stringify(notice)).toContain("Rotate");
    expect(await leakAudit(env)).toEqual([
      expect.objectContaining({ surface: "slack", principal: "slack:T0ACME/U0ALICE", result: "ok", tokenId: leaked.id }),
    ]);

    const visible = await everythingVisible(env, sink, [ack]);
    expect(visible).not.toContain(leaked.access_token);
  });

  it("is revoked from Discord, the notice replacing the deferred reply", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, keys, policy: NOBODY });
    const r = await callChat(env, "/discord/interactions", await discordInit(keys, discordCommandBody(`revoke ${leaked.access_token}`)));
    const ack = await r.text();
    expect(JSON.parse(ack)).toEqual({ type: 5, data: { flags: 64 } });
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    const [edit] = await sink.received();
    expect(edit).toMatchObject({ method: "PATCH", path: `/webhooks/${DISCORD_APP_ID}/${DISCORD_TOKEN}/messages/@original` });
    expect(edit!.body).toContain("You pasted a Fastly API token");
    expect(await everythingVisible(env, sink, [ack])).not.toContain(leaked.access_token);
  });

  it("is revoked from Mattermost, answered inline", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, policy: NOBODY });
    const r = await callChat(env, "/mattermost/command", mattermostInit({ text: leaked.access_token }));
    const reply = await r.text();
    expect(JSON.parse(reply)).toMatchObject({ response_type: "ephemeral", text: expect.stringContaining("has been **revoked**") });
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    expect(await everythingVisible(env, sink, [reply])).not.toContain(leaked.access_token);
  });

  it("that is no longer live is reported as such, and a second paste is answered from the tombstone", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, policy: NOBODY });
    const dead = demo.tokens.userRevoked.access_token;
    await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, dead)));
    await t.clearCalls();
    await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, dead)));
    expect(await t.calls()).toEqual([]);
    const notices = await sink.bodies();
    expect(notices.map((n) => String(n.text))).toEqual([expect.stringContaining("status: not live"), expect.stringContaining("status: not live")]);
    expect(JSON.stringify(notices)).not.toContain(dead);
  });
});

describe("secrets in chat payloads", () => {
  it("never show a signing secret, command token, seal secret or the Worker's token anywhere after full flows", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, keys });
    const responses: string[] = [];
    const keep = async (r: Response) => {
      responses.push(await r.text());
      return responses.at(-1)!;
    };

    // Slack: read, list, confirm and revoke.
    await keep(await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami"))));
    await keep(await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "list customer"))));
    await keep(await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, `revoke ${demo.tokens.userGlobal.id}`))));
    const confirm = slackButtons((await sink.bodies()).at(-1)!)[0]!;
    await keep(await callChat(env, "/slack/interactions", await slackInit(slackClickBody(sink, confirm.action_id, confirm.value))));
    await keep(await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "audit 20"))));
    // Discord: the same.
    await keep(await callChat(env, "/discord/interactions", await discordInit(keys, discordCommandBody(`revoke ${demo.tokens.userNeverUsed.id}`))));
    const [customId] = discordCustomIds((await sink.bodies()).at(-1)!);
    await keep(await callChat(env, "/discord/interactions", await discordInit(keys, discordClickBody(customId!))));
    // Mattermost: the same.
    const mm = JSON.parse(
      await keep(await callChat(env, "/mattermost/command", mattermostInit({ text: `revoke ${demo.tokens.engineerPurgeAll.id}` }))),
    ) as { attachments: { actions: { integration: { context: { action: string; value: string } } }[] }[] };
    const ctx = mm.attachments[0]!.actions[0]!.integration.context;
    await keep(await callChat(env, "/mattermost/actions", mattermostClickInit(ctx.action, ctx.value)));
    // Failures too.
    await keep(await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami"), { secret: "wrong" })));
    await keep(await callChat(env, "/mattermost/command", mattermostInit({ text: "whoami" }, { header: "Token wrong" })));

    for (const id of [demo.tokens.userGlobal.id, demo.tokens.userNeverUsed.id, demo.tokens.engineerPurgeAll.id]) {
      expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(true);
    }
    const visible = await everythingVisible(env, sink, responses);
    for (const secret of [SLACK_SECRET, MATTERMOST_TOKEN, SEAL_SECRET, demo.tokens.superuserGlobal.access_token]) {
      expect(visible).not.toContain(secret);
    }
    // The Discord interaction token is a credential too: it belongs in the webhook path and nowhere else.
    const elsewhere = [...responses, JSON.stringify(await sink.bodies()), JSON.stringify(await dumpKv(env))].join("\n");
    expect(elsewhere).not.toContain(DISCORD_TOKEN);
  });
});
