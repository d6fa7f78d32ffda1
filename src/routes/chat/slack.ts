import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../../app-env";
import { authorize, type ChatPrincipal } from "../../chatops/authorize";
import { actionOf, parseCommand } from "../../chatops/command";
import type { ChatMessage } from "../../chatops/message";
import { CANCEL_BUTTON_ID, CONFIRM_BUTTON_ID, DEFAULT_COMMAND_NAME, renderCancelled, renderDenied, renderError, renderHelp } from "../../chatops/render";
import { toSlackMessage } from "../../chatops/slack-render";
import { notConfigured } from "../../tokens/errors";
import { verifySlackRequest } from "../../verify/slack";
import { claimSigned } from "../replay";
import { inBackground } from "./background";
import { checkClick, consumeClick } from "./confirm-click";
import { confirmBinding } from "./confirm-value";
import { allowedResponseUrl, ResponseUrl } from "./deliver";
import { handlePastedTokens } from "./leak";
import {
  confirmedMessage,
  expiredMessage,
  leakAckMessage,
  responseUrlRefusedMessage,
  revokeNeedsSecretMessage,
  workingMessage,
} from "./messages";
import { badRequest, unauthorized } from "./reject";
import { answerCommand, type ChatContext, executeRevoke } from "./run-command";

/**
 * Slack: `POST /commands` (slash command) and `POST /interactions` (buttons). Both verify the v0 signature over
 * the raw body before anything else. A command is acknowledged at once with no KV or fetch before the answer;
 * the work runs in waitUntil and its result goes to the request's response_url.
 */
export const slack = new Hono<AppEnv>();

const decoder = new TextDecoder();

/** Verifies and returns the form, or answers an ssl_check; throws 401 for anything unverified or replayed. */
async function verifiedForm(c: Context<AppEnv>): Promise<URLSearchParams | "ssl_check"> {
  const secret = c.var.config.slack.signingSecret;
  if (!secret) throw notConfigured("Slack", "SLACK_SIGNING_SECRET");
  const raw = new Uint8Array(await c.req.arrayBuffer());
  const signature = c.req.header("X-Slack-Signature") ?? null;
  const timestamp = c.req.header("X-Slack-Request-Timestamp") ?? null;
  const form = new URLSearchParams(decoder.decode(raw));
  if (signature === null && timestamp === null && isSslCheck(form)) return "ssl_check";
  const verified = await verifySlackRequest({ signingSecret: secret, rawBody: raw, timestamp, signature });
  if (!verified.ok) throw unauthorized(verified.reason);
  // A copy of a signed request verifies for the whole 5-minute window: the first one wins, the rest are refused.
  if (!(await claimSigned(c.var.services.claims, "slack", [`v0:${timestamp}:`, raw]))) throw unauthorized("replayed");
  return form.get("ssl_check") === "1" ? "ssl_check" : form;
}

/**
 * Slack's unsigned URL check is `ssl_check=1&token=…` and nothing else. Only that exact shape skips the
 * signature (bolt-js #1397, #2899): one ssl_check whose value is exactly "1", at most one token, no other field.
 */
function isSslCheck(form: URLSearchParams): boolean {
  const checks = form.getAll("ssl_check");
  if (checks.length !== 1 || checks[0] !== "1") return false;
  if (form.getAll("token").length > 1) return false;
  return [...form.keys()].every((k) => k === "ssl_check" || k === "token");
}

function reply(c: Context<AppEnv>, msg: ChatMessage): Response {
  return c.json(toSlackMessage(msg));
}

function context(c: Context<AppEnv>, principal: ChatPrincipal, commandName: string): ChatContext {
  return {
    platform: "slack",
    principal,
    config: c.var.config,
    service: c.var.service,
    confirmations: c.var.services.confirmations,
    now: new Date(),
    commandName,
  };
}

slack.post("/commands", async (c) => {
  const form = await verifiedForm(c);
  if (form === "ssl_check") return c.body(null, 200);
  const config = c.var.config;
  const userId = form.get("user_id");
  if (!userId) throw badRequest("user_id is required");
  const principal: ChatPrincipal = {
    platform: "slack",
    userId,
    userName: form.get("user_name") ?? undefined,
    teamId: form.get("team_id") ?? undefined,
    channelId: form.get("channel_id") ?? undefined,
  };
  const commandName = form.get("command") || DEFAULT_COMMAND_NAME;
  const responseUrl = allowedResponseUrl(form.get("response_url"), config.slack.responseUrlPrefix);
  const parsed = parseCommand(form.get("text") ?? "");

  // Up to the acknowledgement: the one replay claim (D1), no KV, no fetch (Slack's 3-second deadline, cold starts).
  if (parsed.pastedTokens.length > 0) {
    const tokens = parsed.pastedTokens;
    inBackground(c, "slack_leak", async () => {
      const notices = await handlePastedTokens(c.var.services, principal, tokens, new Date());
      if (!responseUrl) return;
      const out = new ResponseUrl(responseUrl, "slack");
      for (const notice of notices) await out.post(toSlackMessage(notice));
    });
    return reply(c, leakAckMessage());
  }
  if (!parsed.ok) return reply(c, renderError(parsed.error));
  const command = parsed.command;
  if (command.kind === "help") return reply(c, renderHelp(commandName, command));
  const verdict = authorize(principal, actionOf(command), config.chatPolicy.slack);
  if (!verdict.allowed) return reply(c, renderDenied(verdict.reason));
  if (command.kind === "revoke" && !config.leak.sealSecret) return reply(c, revokeNeedsSecretMessage());
  if (!responseUrl) return reply(c, responseUrlRefusedMessage());

  const ctx = context(c, principal, commandName);
  inBackground(c, "slack_command", async () => {
    await new ResponseUrl(responseUrl, "slack").post(toSlackMessage(await answerCommand(ctx, command)));
  });
  return reply(c, workingMessage());
});

const BlockActions = z.looseObject({
  type: z.string(),
  user: z.looseObject({ id: z.string().check(z.minLength(1)), username: z.optional(z.string()), team_id: z.optional(z.string()) }),
  team: z.nullish(z.looseObject({ id: z.string() })),
  channel: z.nullish(z.looseObject({ id: z.string() })),
  response_url: z.optional(z.string()),
  actions: z.optional(z.array(z.looseObject({ action_id: z.string(), value: z.optional(z.string()) }))),
});

slack.post("/interactions", async (c) => {
  const form = await verifiedForm(c);
  if (form === "ssl_check") return c.body(null, 200);
  const config = c.var.config;
  let json: unknown;
  try {
    json = JSON.parse(form.get("payload") ?? "");
  } catch {
    throw badRequest("payload is not JSON");
  }
  const parsed = BlockActions.safeParse(json);
  if (!parsed.success) throw badRequest("payload is not a Slack interaction");
  const payload = parsed.data;
  const action = payload.actions?.[0];
  // Other interactions (shortcuts, other apps' buttons) are acknowledged and ignored.
  if (payload.type !== "block_actions" || !action || ![CONFIRM_BUTTON_ID, CANCEL_BUTTON_ID].includes(action.action_id)) {
    return c.body(null, 200);
  }
  const principal: ChatPrincipal = {
    platform: "slack",
    userId: payload.user.id,
    userName: payload.user.username,
    teamId: payload.team?.id ?? payload.user.team_id,
    channelId: payload.channel?.id,
  };
  const responseUrl = allowedResponseUrl(payload.response_url, config.slack.responseUrlPrefix);
  if (!responseUrl) throw badRequest("response_url is missing or not allowed");
  const out = new ResponseUrl(responseUrl, "slack");
  const respond = (msg: ChatMessage, replaceOriginal: boolean) =>
    inBackground(c, "slack_click", async () => {
      await out.post({ ...toSlackMessage(msg), replace_original: replaceOriginal });
    });

  // Clicks are verified like commands and authorized again: the allow-list may have changed since.
  const verdict = authorize(principal, "revoke", config.chatPolicy.slack);
  if (!verdict.allowed) {
    respond(renderDenied(verdict.reason), false);
    return c.body(null, 200);
  }
  const secret = config.leak.sealSecret;
  if (!secret) {
    respond(revokeNeedsSecretMessage(), false);
    return c.body(null, 200);
  }
  const nowSeconds = Math.floor(Date.now() / 1000);
  const check = await checkClick({ secret, store: c.var.services.confirmations, value: action.value ?? "", principal: confirmBinding(principal), nowSeconds });
  if (!check.ok) {
    if (check.reason !== "expired") throw unauthorized(check.reason);
    respond(expiredMessage(), true);
    return c.body(null, 200);
  }
  if (!(await consumeClick(c.var.services.confirmations, check.nonce, nowSeconds))) throw unauthorized("used");
  if (action.action_id === CANCEL_BUTTON_ID) {
    respond(renderCancelled(), true);
    return c.body(null, 200);
  }
  const ctx = context(c, principal, DEFAULT_COMMAND_NAME);
  inBackground(c, "slack_revoke", async () => {
    const result = await executeRevoke(ctx, check.tokenIds);
    if (result.visibility === "in_channel") {
      // An ephemeral message cannot become public: close it, then announce in the channel.
      await out.post({ ...toSlackMessage(confirmedMessage()), replace_original: true });
      await out.post({ ...toSlackMessage(result), replace_original: false });
    } else {
      await out.post({ ...toSlackMessage(result), replace_original: true });
    }
  });
  return c.body(null, 200);
});
