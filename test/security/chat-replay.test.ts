import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { demo, dumpD1, dumpKv, newTenant, type Tenant } from "../helpers";
import {
  callChat,
  chatEnv,
  discordClickBody,
  discordCommandBody,
  discordCustomIds,
  discordInit,
  discordKeys,
  mattermostInit,
  newSink,
  type Sink,
  slackButtons,
  slackClickBody,
  slackCommandBody,
  slackInit,
} from "../routes/chat/helpers";

// Issue 12, item 4: a signed chat request verifies for its whole 5-minute window, so an identical copy (captured, or
// sent twice) must cause nothing beyond what the first one did. Each verified request is claimed in D1 by the SHA-256
// of its signed bytes before it is handled; a copy gets 401 `chat_replayed`.

const keys = await discordKeys();
const replayed = { msg: "Invalid request", detail: "this request was already received", code: "chat_replayed" };

async function setup(): Promise<{ t: Tenant; sink: Sink; env: Env }> {
  const t = await newTenant();
  const sink = newSink();
  return { t, sink, env: await chatEnv(t, { sink, keys }) };
}

/** What a copy could have changed, after the first request's effects. */
async function effects(t: Tenant, env: Env, sink: Sink) {
  const d1 = await dumpD1(env);
  return {
    upstream: (await t.calls()).length,
    messages: (await sink.received()).length,
    kv: await dumpKv(env),
    confirmations: d1.confirmations,
    audit: d1.audit_log,
    revoked: (await t.tokens()).filter((x) => x.revoked).map((x) => x.id),
  };
}

/** Sends `init` once, then `copies` identical copies, and checks the copies were refused and changed nothing. */
async function expectOneEffect(env: Env, t: Tenant, sink: Sink, path: string, init: RequestInit, copies = 3) {
  const first = await callChat(env, path, init);
  expect(first.status).toBe(200);
  const after = await effects(t, env, sink);
  for (let i = 0; i < copies; i++) {
    const copy = await callChat(env, path, init);
    expect(copy.status).toBe(401);
    expect(await copy.json()).toEqual(replayed);
  }
  expect(await effects(t, env, sink)).toEqual(after);
  return first;
}

describe("a replayed chat request causes nothing the first copy did not", () => {
  it("Slack: a copied slash command is refused with 401 and asks Fastly nothing, posts nothing, stores nothing", async () => {
    const { t, sink, env } = await setup();
    await expectOneEffect(env, t, sink, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami")));
    expect((await t.calls()).map((c) => c.path)).toEqual(["/tokens/self"]);
    expect(await sink.received()).toHaveLength(1);
  });

  it("Slack: five concurrent copies of a revoke command make one confirmation", async () => {
    const { t, sink, env } = await setup();
    const init = await slackInit(slackCommandBody(sink, `revoke ${demo.tokens.userGlobal.id}`));
    const answers = await Promise.all(Array.from({ length: 5 }, () => callChat(env, "/slack/commands", init)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401]);
    expect((await dumpD1(env)).confirmations).toHaveLength(1);
    expect(await sink.received()).toHaveLength(1);
    expect((await t.tokens()).find((x) => x.id === demo.tokens.userGlobal.id)?.revoked).toBe(false);
  });

  it("Slack: a copied button click is refused as a replay, before its confirmation is even looked at", async () => {
    const { t, sink, env } = await setup();
    await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, `revoke ${demo.tokens.userGlobal.id}`)));
    const [confirm] = slackButtons((await sink.bodies()).at(-1)!);
    const click = await slackInit(slackClickBody(sink, confirm!.action_id, confirm!.value));
    await expectOneEffect(env, t, sink, "/slack/interactions", click);
    expect((await t.tokens()).find((x) => x.id === demo.tokens.userGlobal.id)?.revoked).toBe(true);
  });

  it("Discord: a copied command interaction is refused with 401 and edits nothing", async () => {
    const { t, sink, env } = await setup();
    const first = await expectOneEffect(env, t, sink, "/discord/interactions", await discordInit(keys, discordCommandBody("whoami")));
    expect(await first.json()).toMatchObject({ type: 5 });
    expect((await t.calls()).map((c) => c.path)).toEqual(["/tokens/self"]);
    expect(await sink.received()).toHaveLength(1);
  });

  it("Discord: a copied button press is refused with 401 after the first revoked the token", async () => {
    const { t, sink, env } = await setup();
    await callChat(env, "/discord/interactions", await discordInit(keys, discordCommandBody(`revoke ${demo.tokens.userGlobal.id}`)));
    const [confirm] = discordCustomIds((await sink.bodies()).at(-1)!);
    await expectOneEffect(env, t, sink, "/discord/interactions", await discordInit(keys, discordClickBody(confirm!)));
    expect((await t.tokens()).find((x) => x.id === demo.tokens.userGlobal.id)?.revoked).toBe(true);
  });

  it("Mattermost: an identical command (same token and body) is refused with 401; a new command still works", async () => {
    const { t, sink, env } = await setup();
    const init = mattermostInit({ text: "whoami" });
    await expectOneEffect(env, t, sink, "/mattermost/command", init);
    expect((await t.calls()).map((c) => c.path)).toEqual(["/tokens/self"]);
    const fresh = await callChat(env, "/mattermost/command", mattermostInit({ text: "whoami" }));
    expect(fresh.status).toBe(200);
  });

  it("keeps no secret in the claims: rows are named by hashes of the signed bytes", async () => {
    const { sink, env } = await setup();
    const body = slackCommandBody(sink, "help");
    await callChat(env, "/slack/commands", await slackInit(body));
    await callChat(env, "/mattermost/command", mattermostInit({ text: "help" }));
    const claims = (await dumpD1(env)).claims!;
    expect(claims.map((r) => String(r.key).replace(/[0-9a-f]{64}$/, "<sha256>")).sort()).toEqual(["mattermost:<sha256>", "slack:<sha256>"]);
  });
});
