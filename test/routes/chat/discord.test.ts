import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { toHex } from "../../../src/crypto/hash";
import type { Env } from "../../../src/env";
import { d1IsEmpty, demo, dumpKv, newTenant, type Tenant } from "../../helpers";
import {
  ALICE,
  BOB,
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
  newSink,
  type Sink,
  startChat,
} from "./helpers";

// webhooks.md §5(b): a Discord-shaped PING signed with the RFC 8032 TEST 1 key (not published by Discord).
const VECTOR = {
  publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
  timestamp: "1700000000",
  body: '{"application_id":"123456789012345678","id":"123456789012345679","token":"test-token","type":1,"user":{"id":"1","username":"test"},"version":1}',
  signature:
    "d415a84a1b8ba8aa82a27ab7bc4757989f791c10a712b1b601556db511f5f71533182f139076249d9512218855253a57ef55cf1615caeaf4fce363d4a2686e00",
} as const;

let keys: DiscordKeys;
beforeAll(async () => {
  keys = await discordKeys();
});

afterEach(() => {
  vi.useRealTimers();
});

const ORIGINAL = `/webhooks/${DISCORD_APP_ID}/${DISCORD_TOKEN}/messages/@original`;

async function setup(policy?: unknown): Promise<{ t: Tenant; sink: Sink; env: Env }> {
  const t = await newTenant();
  const sink = newSink();
  return { t, sink, env: await chatEnv(t, { sink, keys, policy }) };
}

async function expectNoSideEffects(t: Tenant, env: Env, sink: Sink): Promise<void> {
  expect(await t.calls()).toEqual([]);
  expect(await sink.received()).toEqual([]);
  expect(await dumpKv(env)).toEqual([]);
  expect(await d1IsEmpty(env)).toBe(true);
}

function vectorInit(body: string = VECTOR.body): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Signature-Ed25519": VECTOR.signature, "X-Signature-Timestamp": VECTOR.timestamp },
    body,
  };
}

describe("Discord: the interactions endpoint's signature check", () => {
  it("answers the reference's signed PING with PONG when the clock is at its timestamp", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Number(VECTOR.timestamp) * 1000 + 10_000);
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, overrides: { DISCORD_PUBLIC_KEY: VECTOR.publicKey } });
    const r = await callChat(env, "/discord/interactions", vectorInit());
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await r.json()).toEqual({ type: 1 });
  });

  it("refuses the reference's PING with a space appended to the body", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Number(VECTOR.timestamp) * 1000);
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, overrides: { DISCORD_PUBLIC_KEY: VECTOR.publicKey } });
    const r = await callChat(env, "/discord/interactions", vectorInit(`${VECTOR.body} `));
    expect(r.status).toBe(401);
  });

  it("answers a PING signed with a freshly generated key", async () => {
    const { env } = await setup();
    const body = JSON.stringify({ id: "1", application_id: DISCORD_APP_ID, type: 1, token: "t", version: 1 });
    const r = await callChat(env, "/discord/interactions", await discordInit(keys, body));
    expect(await r.json()).toEqual({ type: 1 });
  });

  const now = () => String(Math.floor(Date.now() / 1000));
  const bad: [string, (body: string) => Promise<RequestInit>][] = [
    ["signed with another key", async (body) => discordInit(await discordKeys(), body)],
    [
      "with the body changed after signing",
      async (body) => ({ ...(await discordInit(keys, body)), body: body.replace("whoami", "audit") }),
    ],
    [
      "with one signature byte changed",
      async (body) => {
        const init = await discordInit(keys, body);
        const h = init.headers as Record<string, string>;
        const sig = h["X-Signature-Ed25519"]!;
        return { ...init, headers: { ...h, "X-Signature-Ed25519": (sig[0] === "0" ? "1" : "0") + sig.slice(1) } };
      },
    ],
    [
      "with a shortened signature",
      async (body) => {
        const init = await discordInit(keys, body);
        const h = init.headers as Record<string, string>;
        return { ...init, headers: { ...h, "X-Signature-Ed25519": h["X-Signature-Ed25519"]!.slice(0, 64) } };
      },
    ],
    [
      "with an all-zero signature",
      async (body) => {
        const init = await discordInit(keys, body);
        return { ...init, headers: { ...(init.headers as Record<string, string>), "X-Signature-Ed25519": toHex(new Uint8Array(64)) } };
      },
    ],
    [
      "without signature headers",
      async (body) => ({ method: "POST", headers: { "Content-Type": "application/json" }, body }),
    ],
    ["replayed six minutes later", (body) => discordInit(keys, body, String(Number(now()) - 360))],
    [
      "with the timestamp changed after signing",
      async (body) => {
        const init = await discordInit(keys, body);
        return { ...init, headers: { ...(init.headers as Record<string, string>), "X-Signature-Timestamp": String(Number(now()) - 1) } };
      },
    ],
  ];

  it.each(bad)("refuses a command %s with 401 and no side effect", async (_name, build) => {
    const { t, sink, env } = await setup();
    const r = await callChat(env, "/discord/interactions", await build(discordCommandBody("whoami")));
    expect(r.status).toBe(401);
    await expectNoSideEffects(t, env, sink);
  });

  it("refuses a PING with a bad signature too, since Discord probes with those", async () => {
    const { env } = await setup();
    const body = JSON.stringify({ id: "1", application_id: DISCORD_APP_ID, type: 1, token: "t", version: 1 });
    const r = await callChat(env, "/discord/interactions", await discordInit(await discordKeys(), body));
    expect(r.status).toBe(401);
  });
});

describe("Discord: commands", () => {
  it("defers with an ephemeral type 5, then edits @original with the answer", async () => {
    const { sink, env } = await setup();
    const r = await callChat(env, "/discord/interactions", await discordInit(keys, discordCommandBody("whoami")));
    expect(await r.json()).toEqual({ type: 5, data: { flags: 64 } });
    const [edit, ...more] = await sink.received();
    expect(more).toEqual([]);
    expect(edit).toMatchObject({ method: "PATCH", path: ORIGINAL, contentType: "application/json" });
    const body = JSON.parse(edit!.body) as { content: string; embeds: unknown[]; components: unknown[]; allowed_mentions: unknown };
    expect(body.content).toContain("The token this Worker uses");
    expect(JSON.stringify(body.embeds)).toContain(demo.tokens.superuserGlobal.id);
    expect(body.components).toEqual([]);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body).not.toHaveProperty("flags");
  });

  it("acknowledges before Fastly has answered", async () => {
    const { t, sink, env } = await setup();
    await t.addFault({ method: "GET", path: "/tokens/self", delayMs: 1500 });
    const { response, settled } = await startChat(env, "/discord/interactions", await discordInit(keys, discordCommandBody("whoami")));
    expect(await response.json()).toEqual({ type: 5, data: { flags: 64 } });
    expect(await t.calls()).toEqual([]);
    expect(await sink.received()).toEqual([]);
    await settled();
    expect((await sink.received()).map((r) => r.method)).toEqual(["PATCH"]);
  });

  it("answers help and input errors inline as ephemeral messages", async () => {
    const { t, sink, env } = await setup();
    const help = await callChat(env, "/discord/interactions", await discordInit(keys, discordCommandBody("")));
    expect(await help.json()).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining("Fastly token commands") } });
    const bad = await callChat(env, "/discord/interactions", await discordInit(keys, discordCommandBody("revoke not-an-id")));
    expect(await bad.json()).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining("`not-an-id` is not a token id") } });
    expect(await t.calls()).toEqual([]);
    expect(await sink.received()).toEqual([]);
  });

  it("accepts the command words as subcommand options too", async () => {
    const { sink, env } = await setup();
    const body = JSON.parse(discordCommandBody("")) as { data: Record<string, unknown> };
    body.data.options = [{ name: "list", type: 1, options: [{ name: "target", type: 3, value: "customer" }, { name: "scope", type: 3, value: "--scope=purge_all" }] }];
    await callChat(env, "/discord/interactions", await discordInit(keys, JSON.stringify(body)));
    const [edit] = await sink.bodies();
    expect(String(edit?.content)).toContain("Tokens of the customer account");
    expect(String(edit?.content)).toContain(demo.tokens.engineerPurgeAll.id);
    expect(String(edit?.content)).not.toContain(demo.tokens.userGlobal.id);
  });
});

describe("Discord: revocation with confirmation, end to end", () => {
  async function confirmation(env: Env, sink: Sink, text: string): Promise<string[]> {
    await callChat(env, "/discord/interactions", await discordInit(keys, discordCommandBody(text)));
    return discordCustomIds((await sink.bodies()).at(-1)!);
  }

  it("revokes after the button is pressed and announces it in a public follow-up", async () => {
    const { t, sink, env } = await setup();
    const id = demo.tokens.engineerGlobal.id;
    const customIds = await confirmation(env, sink, `revoke ${id}`);
    expect(customIds.map((c) => c.split(":")[0])).toEqual(["revoke_confirm", "revoke_cancel"]);
    for (const c of customIds) expect(c.length).toBeLessThanOrEqual(100);
    expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(false);

    const r = await callChat(env, "/discord/interactions", await discordInit(keys, discordClickBody(customIds[0]!)));
    expect(await r.json()).toEqual({ type: 6 });
    expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(true);

    const [, closed, announced, ...rest] = await sink.received();
    expect(rest).toEqual([]);
    const clickWebhook = `/webhooks/${DISCORD_APP_ID}/${DISCORD_TOKEN}-click`;
    expect(closed).toMatchObject({ method: "PATCH", path: `${clickWebhook}/messages/@original` });
    expect(JSON.parse(closed!.body)).toMatchObject({ content: expect.stringContaining("Confirmed"), components: [] });
    expect(announced).toMatchObject({ method: "POST", path: clickWebhook });
    const announcement = JSON.parse(announced!.body) as Record<string, unknown>;
    expect(announcement.content).toContain("Revoked 1 token");
    expect(announcement.content).toContain(`discord:700000000000000001/${ALICE.discord}`);
    expect(announcement).not.toHaveProperty("flags");
  });

  it("updates the message in place when cancelled, and revokes nothing", async () => {
    const { t, sink, env } = await setup();
    const id = demo.tokens.engineerGlobal.id;
    const [, cancel] = await confirmation(env, sink, `revoke ${id}`);
    const r = await callChat(env, "/discord/interactions", await discordInit(keys, discordClickBody(cancel!)));
    expect(await r.json()).toMatchObject({ type: 7, data: { content: "Cancelled: nothing was revoked.", components: [], embeds: [] } });
    expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(false);
  });

  it("refuses a tampered button, another user's click and a replayed click with 401", async () => {
    const policy = { discord: { read: {}, revoke: { users: [ALICE.discord, BOB.discord] } } };
    const { t, sink, env } = await setup(policy);
    const id = demo.tokens.engineerGlobal.id;
    const [confirm] = await confirmation(env, sink, `revoke ${id}`);
    const at = confirm!.length - 5;
    const tampered = confirm!.slice(0, at) + (confirm![at] === "A" ? "B" : "A") + confirm!.slice(at + 1);
    await t.clearCalls();
    const kvBefore = JSON.stringify(await dumpKv(env));
    for (const [customId, userId] of [
      [tampered, ALICE.discord],
      [confirm!, BOB.discord],
      ["revoke_confirm", ALICE.discord],
    ] as const) {
      const r = await callChat(env, "/discord/interactions", await discordInit(keys, discordClickBody(customId, { userId })));
      expect(r.status).toBe(401);
    }
    expect(JSON.stringify(await dumpKv(env))).toBe(kvBefore);
    expect(await t.calls()).toEqual([]);
    expect((await callChat(env, "/discord/interactions", await discordInit(keys, discordClickBody(confirm!)))).status).toBe(200);
    const replay = await callChat(env, "/discord/interactions", await discordInit(keys, discordClickBody(confirm!)));
    expect(replay.status).toBe(401);
  });

  it("checks the allow-list again when the button is pressed", async () => {
    const { t, sink, env } = await setup();
    const id = demo.tokens.engineerGlobal.id;
    const [confirm] = await confirmation(env, sink, `revoke ${id}`);
    // Same KV, new configuration: Alice was removed from the revoke list after asking.
    const revokedAccess: Env = { ...env, CHAT_POLICY: JSON.stringify({ discord: { read: { users: [ALICE.discord] }, revoke: {} } }) };
    const r = await callChat(revokedAccess, "/discord/interactions", await discordInit(keys, discordClickBody(confirm!)));
    expect(await r.json()).toMatchObject({ type: 4, data: { flags: 64, content: expect.stringContaining("Not allowed") } });
    expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(false);
    // Put back on the list, the same button still works: the refusal did not use it up.
    const ok = await callChat(env, "/discord/interactions", await discordInit(keys, discordClickBody(confirm!)));
    expect(await ok.json()).toEqual({ type: 6 });
    expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(true);
  });
});
