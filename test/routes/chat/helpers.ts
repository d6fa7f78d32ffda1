import { utf8 } from "../../../src/crypto/bytes";
import { toHex } from "../../../src/crypto/hash";
import type { Env } from "../../../src/env";
import { signSlackRequest } from "../../../src/verify/slack";
import { dumpD1, dumpKv, emulatorUrl, type Sink, type Tenant, testEnv } from "../../helpers";

// The chat tests' names for the one request helper (test/helpers/request.ts) and the one sink (test/helpers/sink.ts).
export { callWorker as callChat, newSink, type Sink, startWorker as startChat } from "../../helpers";

// ---- settings ------------------------------------------------------------------------------------------

export const SLACK_SECRET = "slack-signing-secret-for-chat-route-tests";
export const MATTERMOST_TOKEN = "mattermost-command-token-for-tests";
export const SEAL_SECRET = "seal-secret-for-chat-route-tests-0123";
export const DISCORD_APP_ID = "123456789012345678";

export const ALICE = { slack: "U0ALICE", discord: "100000000000000001", mattermost: "alicemmuserid" } as const;
export const BOB = { slack: "U0BOB", discord: "100000000000000002", mattermost: "bobmmuserid" } as const;

type Policy = Record<"slack" | "discord" | "mattermost", { read: { users: string[] }; revoke: { users: string[] } }>;

/** Alice may read and revoke on every platform; Bob may only read. */
export function defaultPolicy(): Policy {
  return {
    slack: { read: { users: [BOB.slack] }, revoke: { users: [ALICE.slack] } },
    discord: { read: { users: [BOB.discord] }, revoke: { users: [ALICE.discord] } },
    mattermost: { read: { users: [BOB.mattermost] }, revoke: { users: [ALICE.mattermost] } },
  };
}

export interface DiscordKeys {
  publicKeyHex: string;
  privateKey: CryptoKey;
}

/** A fresh Ed25519 key pair, the way Discord's own library tests do it. */
export async function discordKeys(): Promise<DiscordKeys> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  return { publicKeyHex: toHex(raw), privateKey: pair.privateKey };
}

/** An Env for the tenant with every chat surface configured; the sink stands in for Slack and Discord. */
export async function chatEnv(
  tenant: Tenant,
  opts: { sink: Sink; keys?: DiscordKeys; policy?: unknown; overrides?: Record<string, unknown> },
): Promise<Env> {
  return testEnv(tenant, {
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_RESPONSE_URL_PREFIX: `${emulatorUrl()}/__sinks/`,
    MATTERMOST_TOKEN,
    SEAL_SECRET,
    DISCORD_APPLICATION_ID: DISCORD_APP_ID,
    DISCORD_API_BASE_URL: opts.sink.url,
    ...(opts.keys ? { DISCORD_PUBLIC_KEY: opts.keys.publicKeyHex } : {}),
    CHAT_POLICY: JSON.stringify(opts.policy ?? defaultPolicy()),
    ...opts.overrides,
  });
}

// ---- Slack ---------------------------------------------------------------------------------------------

/**
 * Every real command and click carries ids unique to that one user action (Slack's trigger_id, Discord's
 * interaction id, Mattermost's trigger_id), so two actions are never byte-identical: the Worker refuses an identical
 * copy of a signed request as a replay (src/routes/replay.ts). The helpers mint a fresh one per request the same way.
 */
export function uniqueId(digits = 18): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(digits)), (b) => String(b % 10)).join("").replace(/^0/, "9");
}

export function nowSeconds(): string {
  return String(Math.floor(Date.now() / 1000));
}

/** Signs `body` the way Slack does and returns the request init. */
export async function slackInit(body: string, opts: { timestamp?: string; secret?: string } = {}): Promise<RequestInit> {
  const timestamp = opts.timestamp ?? nowSeconds();
  const signature = await signSlackRequest(opts.secret ?? SLACK_SECRET, timestamp, utf8(body));
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Slack-Request-Timestamp": timestamp,
      "X-Slack-Signature": signature,
    },
    body,
  };
}

/** A slash-command form body as Slack sends it. */
export function slackCommandBody(sink: Sink, text: string, fields: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: "legacy-verification-token",
    team_id: "T0ACME",
    team_domain: "acme",
    channel_id: "C0OPS",
    channel_name: "ops",
    user_id: ALICE.slack,
    user_name: "alice",
    command: "/fastly-tokens",
    text,
    response_url: sink.at("/commands/T0ACME/1/abc"),
    trigger_id: `${uniqueId(12)}.${uniqueId(11)}.${crypto.randomUUID().replaceAll("-", "")}`,
    ...fields,
  }).toString();
}

/** A block_actions body for a click on `actionId` carrying `value`. */
export function slackClickBody(sink: Sink, actionId: string, value: string, user: string = ALICE.slack): string {
  const payload = {
    type: "block_actions",
    trigger_id: `${uniqueId(12)}.${uniqueId(11)}.${crypto.randomUUID().replaceAll("-", "")}`,
    user: { id: user, username: "someone", team_id: "T0ACME" },
    team: { id: "T0ACME", domain: "acme" },
    channel: { id: "C0OPS", name: "ops" },
    container: { type: "message", is_ephemeral: true },
    response_url: sink.at("/actions/T0ACME/2/def"),
    actions: [{ type: "button", action_id: actionId, block_id: "b", value, action_ts: "1" }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The buttons of a Slack message from the sink. */
export function slackButtons(message: Record<string, unknown>): { action_id: string; value: string }[] {
  const blocks = (message.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[];
  return blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements ?? []);
}

// ---- Discord -------------------------------------------------------------------------------------------

export async function discordInit(keys: DiscordKeys, body: string, timestamp = nowSeconds()): Promise<RequestInit> {
  const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", keys.privateKey, utf8(timestamp + body)));
  return {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Signature-Ed25519": toHex(signature), "X-Signature-Timestamp": timestamp },
    body,
  };
}

export const DISCORD_TOKEN = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmludGVyYWN0aW9uLXRva2Vu";

/** A slash-command interaction from a guild member. */
export function discordCommandBody(text: string, opts: { userId?: string; roles?: string[]; guildId?: string } = {}): string {
  return JSON.stringify({
    id: uniqueId(),
    application_id: DISCORD_APP_ID,
    type: 2,
    token: DISCORD_TOKEN,
    version: 1,
    guild_id: opts.guildId ?? "700000000000000001",
    channel_id: "800000000000000001",
    member: { user: { id: opts.userId ?? ALICE.discord, username: "alice" }, roles: opts.roles ?? [] },
    data: { id: "1", name: "fastly-tokens", type: 1, ...(text ? { options: [{ name: "command", type: 3, value: text }] } : {}) },
  });
}

export function discordClickBody(customId: string, opts: { userId?: string } = {}): string {
  return JSON.stringify({
    id: uniqueId(),
    application_id: DISCORD_APP_ID,
    type: 3,
    token: `${DISCORD_TOKEN}-click`,
    version: 1,
    guild_id: "700000000000000001",
    channel_id: "800000000000000001",
    member: { user: { id: opts.userId ?? ALICE.discord, username: "alice" }, roles: [] },
    message: { id: "1", flags: 64 },
    data: { custom_id: customId, component_type: 2 },
  });
}

export function discordCustomIds(message: Record<string, unknown>): string[] {
  const rows = (message.components ?? []) as { components: { custom_id: string }[] }[];
  return rows.flatMap((r) => r.components.map((b) => b.custom_id));
}

// ---- Mattermost ----------------------------------------------------------------------------------------

export function mattermostInit(fields: Record<string, string>, opts: { header?: string | null } = {}): RequestInit {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" };
  const header = opts.header === undefined ? `Token ${MATTERMOST_TOKEN}` : opts.header;
  if (header !== null) headers.Authorization = header;
  const body = new URLSearchParams({
    channel_id: "mmchannel",
    channel_name: "ops",
    command: "/fastly-tokens",
    response_url: "https://mattermost.example/hooks/commands/x",
    team_domain: "acme",
    team_id: "mmteam",
    token: MATTERMOST_TOKEN,
    trigger_id: uniqueId(26),
    user_id: ALICE.mattermost,
    user_name: "alice",
    ...fields,
  }).toString();
  return { method: "POST", headers, body };
}

export function mattermostClickInit(action: string, value: string, userId: string = ALICE.mattermost, channelId = "mmchannel"): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      user_id: userId,
      user_name: "alice",
      channel_id: channelId,
      team_id: "mmteam",
      post_id: "post1",
      type: "",
      context: { action, value },
    }),
  };
}

// ---- evidence ------------------------------------------------------------------------------------------

/** Every byte the test can see that the Worker produced: responses, sink deliveries, KV and D1. */
export async function everythingVisible(env: Env, sink: Sink, responses: string[]): Promise<string> {
  const kv = await dumpKv(env);
  const sinkRecords = await sink.received();
  return [...responses, JSON.stringify(sinkRecords), JSON.stringify(kv), JSON.stringify(await dumpD1(env))].join("\n");
}

