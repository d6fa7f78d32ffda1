import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../../app-env";
import type { ChatPrincipal } from "../../chatops/authorize";
import { isConfirmationButton } from "../../chatops/button-ids";
import { DISCORD_EPHEMERAL, type DiscordMessage, toDiscordMessage } from "../../chatops/discord-render";
import type { ChatMessage } from "../../chatops/message";
import { DEFAULT_COMMAND_NAME } from "../../chatops/render/help";
import { notConfigured } from "../../tokens/errors";
import { verifyDiscordRequest } from "../../verify/discord";
import { claimSigned } from "../replay";
import { type ClickAdapter, type CommandAdapter, chatDeps } from "./adapter";
import { inBackground } from "./background";
import { revokeDeliveries, runClick } from "./click-flow";
import { runCommand } from "./command-flow";
import { DiscordWebhook } from "./deliver";
import { badRequest, unauthorized } from "./reject";

/**
 * Discord: `POST /interactions`. Ed25519 over timestamp + raw body first (Discord probes with bad signatures and
 * drops endpoints that accept one). PING → PONG. A command that needs Fastly is deferred (type 5, ephemeral)
 * and finished with a PATCH of `@original`; a confirm click is a deferred update (type 6), then the same PATCH.
 */
export const discord = new Hono<AppEnv>();

/** Interaction types (discord-api-docs, receiving-and-responding). */
const PING = 1;
const APPLICATION_COMMAND = 2;
const MESSAGE_COMPONENT = 3;
/** Callback types. */
const PONG = 1;
const CHANNEL_MESSAGE = 4;
const DEFERRED_CHANNEL_MESSAGE = 5;
const DEFERRED_UPDATE_MESSAGE = 6;
const UPDATE_MESSAGE = 7;

const text = z.optional(z.string());
const DiscordUser = z.looseObject({ id: z.string().check(z.minLength(1)), username: text });
const Interaction = z.looseObject({
  type: z.int(),
  application_id: text,
  token: text,
  guild_id: text,
  channel_id: text,
  channel: z.optional(z.looseObject({ id: z.string() })),
  member: z.optional(z.looseObject({ user: DiscordUser, roles: z.optional(z.array(z.string())) })),
  user: z.optional(DiscordUser),
  data: z.optional(z.looseObject({ name: text, options: z.optional(z.array(z.unknown())), custom_id: text })),
});
type Interaction = z.infer<typeof Interaction>;

const decoder = new TextDecoder();

discord.post("/interactions", async (c) => {
  const { publicKey } = c.var.config.discord;
  if (!publicKey) throw notConfigured("Discord", "DISCORD_PUBLIC_KEY");
  const raw = new Uint8Array(await c.req.arrayBuffer());
  const timestamp = c.req.header("X-Signature-Timestamp") ?? null;
  const verified = await verifyDiscordRequest({
    publicKeyHex: publicKey,
    rawBody: raw,
    timestamp,
    signature: c.req.header("X-Signature-Ed25519") ?? null,
  });
  if (!verified.ok) throw unauthorized(verified.reason);
  // A copy of a signed interaction verifies for the whole 5-minute window: the first one wins, the rest are refused.
  if (!(await claimSigned(c.var.services.claims, "discord", [timestamp ?? "", raw]))) throw unauthorized("replayed");
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(raw));
  } catch {
    throw badRequest("body is not JSON");
  }
  const parsed = Interaction.safeParse(json);
  if (!parsed.success) throw badRequest("body is not a Discord interaction");
  const interaction = parsed.data;
  switch (interaction.type) {
    case PING:
      return c.json({ type: PONG });
    case APPLICATION_COMMAND:
      return command(c, interaction);
    case MESSAGE_COMPONENT:
      return component(c, interaction);
    default:
      throw badRequest(`interaction type ${interaction.type} is not handled`);
  }
});

function principalOf(i: Interaction): ChatPrincipal {
  const user = i.member?.user ?? i.user;
  if (!user) throw badRequest("the interaction names no user");
  return {
    platform: "discord",
    userId: user.id,
    userName: user.username,
    guildId: i.guild_id,
    channelId: i.channel_id ?? i.channel?.id,
    roleIds: i.member?.roles,
  };
}

function webhookOf(c: Context<AppEnv>, i: Interaction): DiscordWebhook {
  const { apiBaseUrl, applicationId } = c.var.config.discord;
  const appId = applicationId ?? i.application_id;
  if (!appId || !i.token) throw badRequest("application_id and token are required");
  return new DiscordWebhook(apiBaseUrl, appId, i.token, c.var.services.fetch);
}

function message(c: Context<AppEnv>, msg: ChatMessage): Response {
  return c.json({ type: CHANNEL_MESSAGE, data: toDiscordMessage(msg) });
}

/** The body of an edit: flags cannot change on edit, and empty arrays remove the old embeds and buttons. */
function editOf(msg: ChatMessage): Omit<DiscordMessage, "flags"> {
  const { flags: _flags, ...rest } = toDiscordMessage(msg);
  return { ...rest, embeds: rest.embeds ?? [], components: rest.components ?? [] };
}

/** The slash command's words: a free-text `command` option, or subcommand names and option values in order. */
function commandText(options: unknown[] | undefined): string {
  const words: string[] = [];
  const walk = (list: unknown[]) => {
    for (const option of list) {
      if (typeof option !== "object" || option === null) continue;
      const o = option as { name?: unknown; type?: unknown; value?: unknown; options?: unknown };
      if ((o.type === 1 || o.type === 2) && typeof o.name === "string") {
        words.push(o.name);
        if (Array.isArray(o.options)) walk(o.options);
      } else if (typeof o.value === "string" || typeof o.value === "number") {
        words.push(String(o.value));
      }
    }
  };
  walk(options ?? []);
  return words.join(" ");
}

function command(c: Context<AppEnv>, i: Interaction): Response | Promise<Response> {
  const principal = principalOf(i);
  return runCommand(commandAdapter(c, i), chatDeps(c), {
    principal,
    commandName: i.data?.name ? `/${i.data.name}` : DEFAULT_COMMAND_NAME,
    text: commandText(i.data?.options),
  });
}

/**
 * Answers are type-4 messages; what needs Fastly is deferred (type 5, ephemeral) and replaces the deferred reply
 * through the interaction webhook. The webhook is resolved before the acknowledgement, so a payload without one is
 * a 400, not a silent loss.
 */
function commandAdapter(c: Context<AppEnv>, i: Interaction): CommandAdapter {
  const deferred = () => c.json({ type: DEFERRED_CHANNEL_MESSAGE, data: { flags: DISCORD_EPHEMERAL } });
  return {
    platform: "discord",
    acknowledgesFirst: true,
    reply: (msg) => message(c, msg),
    reportLeak(notices) {
      const webhook = webhookOf(c, i);
      inBackground(c, "discord_leak", async () => {
        const [first, ...rest] = await notices();
        if (first) await webhook.editOriginal(editOf(first));
        for (const notice of rest) await webhook.followUp(toDiscordMessage(notice));
      });
      return deferred();
    },
    answerWith(answer) {
      const webhook = webhookOf(c, i);
      inBackground(c, "discord_command", async () => {
        await webhook.editOriginal(editOf(await answer()));
      });
      return deferred();
    },
  };
}

function component(c: Context<AppEnv>, i: Interaction): Response | Promise<Response> {
  const customId = i.data?.custom_id ?? "";
  const colon = customId.indexOf(":");
  const buttonId = colon === -1 ? customId : customId.slice(0, colon);
  // Buttons of other features are acknowledged and left alone.
  if (!isConfirmationButton(buttonId)) return c.json({ type: DEFERRED_UPDATE_MESSAGE });
  const principal = principalOf(i);
  return runClick(clickAdapter(c, i), chatDeps(c), { principal, button: buttonId, value: colon === -1 ? "" : customId.slice(colon + 1) });
}

/** Refusals are new ephemeral messages; expired and cancelled update the confirmation; a revocation is deferred. */
function clickAdapter(c: Context<AppEnv>, i: Interaction): ClickAdapter {
  return {
    platform: "discord",
    tell: (msg) => message(c, msg),
    replace: (msg) => c.json({ type: UPDATE_MESSAGE, data: editOf(msg) }),
    revoke(run) {
      const webhook = webhookOf(c, i);
      inBackground(c, "discord_revoke", async () => {
        // The confirmation is ephemeral and stays so: close it, then announce in a public follow-up.
        const { replace, announce } = revokeDeliveries(await run());
        await webhook.editOriginal(editOf(replace));
        if (announce) await webhook.followUp(toDiscordMessage(announce));
      });
      return c.json({ type: DEFERRED_UPDATE_MESSAGE });
    },
  };
}
