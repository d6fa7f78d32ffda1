import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../../app-env";
import type { ChatPrincipal } from "../../chatops/authorize";
import { isConfirmationButton } from "../../chatops/button-ids";
import type { ChatMessage } from "../../chatops/message";
import { DEFAULT_COMMAND_NAME } from "../../chatops/render/help";
import { leakAckMessage } from "../../chatops/render/leak";
import { responseUrlRefusedMessage, workingMessage } from "../../chatops/render/notices";
import { toSlackMessage } from "../../chatops/slack-render";
import { notConfigured } from "../../tokens/errors";
import { verifySlackRequest } from "../../verify/slack";
import { claimSigned } from "../replay";
import { type ClickAdapter, type CommandAdapter, chatDeps } from "./adapter";
import { inBackground } from "./background";
import { revokeDeliveries, runClick } from "./click-flow";
import { runCommand } from "./command-flow";
import { allowedResponseUrl, ResponseUrl } from "./deliver";
import { badRequest, unauthorized } from "./reject";

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

slack.post("/commands", async (c) => {
  const form = await verifiedForm(c);
  if (form === "ssl_check") return c.body(null, 200);
  const userId = form.get("user_id");
  if (!userId) throw badRequest("user_id is required");
  const principal: ChatPrincipal = {
    platform: "slack",
    userId,
    userName: form.get("user_name") ?? undefined,
    teamId: form.get("team_id") ?? undefined,
    channelId: form.get("channel_id") ?? undefined,
  };
  const responseUrl = allowedResponseUrl(form.get("response_url"), c.var.config.slack.responseUrlPrefix);
  return runCommand(commandAdapter(c, responseUrl), chatDeps(c), {
    principal,
    commandName: form.get("command") || DEFAULT_COMMAND_NAME,
    text: form.get("text") ?? "",
  });
});

/** Answers are the HTTP response; what needs Fastly follows through response_url after "Working on it…". */
function commandAdapter(c: Context<AppEnv>, responseUrl: string | null): CommandAdapter {
  const reply = (msg: ChatMessage) => c.json(toSlackMessage(msg));
  return {
    platform: "slack",
    acknowledgesFirst: true,
    reply,
    reportLeak(notices) {
      inBackground(c, "slack_leak", async () => {
        const list = await notices();
        if (!responseUrl) return;
        const out = new ResponseUrl(responseUrl, "slack", c.var.services.fetch);
        for (const notice of list) await out.post(toSlackMessage(notice));
      });
      return reply(leakAckMessage());
    },
    answerWith(answer) {
      if (!responseUrl) return reply(responseUrlRefusedMessage());
      inBackground(c, "slack_command", async () => {
        await new ResponseUrl(responseUrl, "slack", c.var.services.fetch).post(toSlackMessage(await answer()));
      });
      return reply(workingMessage());
    },
  };
}

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
  if (payload.type !== "block_actions" || !action || !isConfirmationButton(action.action_id)) {
    return c.body(null, 200);
  }
  const principal: ChatPrincipal = {
    platform: "slack",
    userId: payload.user.id,
    userName: payload.user.username,
    teamId: payload.team?.id ?? payload.user.team_id,
    channelId: payload.channel?.id,
  };
  const responseUrl = allowedResponseUrl(payload.response_url, c.var.config.slack.responseUrlPrefix);
  if (!responseUrl) throw badRequest("response_url is missing or not allowed");
  const out = new ResponseUrl(responseUrl, "slack", c.var.services.fetch);
  return runClick(clickAdapter(c, out), chatDeps(c), { principal, button: action.action_id, value: action.value ?? "" });
});

/** Every click is acknowledged with an empty 200; what the clicker sees goes through response_url. */
function clickAdapter(c: Context<AppEnv>, out: ResponseUrl): ClickAdapter {
  const respond = (msg: ChatMessage, replaceOriginal: boolean) => {
    inBackground(c, "slack_click", async () => {
      await out.post({ ...toSlackMessage(msg), replace_original: replaceOriginal });
    });
    return c.body(null, 200);
  };
  return {
    platform: "slack",
    tell: (msg) => respond(msg, false),
    replace: (msg) => respond(msg, true),
    revoke(run) {
      inBackground(c, "slack_revoke", async () => {
        // An ephemeral message cannot become public: close it, then announce in the channel.
        const { replace, announce } = revokeDeliveries(await run());
        await out.post({ ...toSlackMessage(replace), replace_original: true });
        if (announce) await out.post({ ...toSlackMessage(announce), replace_original: false });
      });
      return c.body(null, 200);
    },
  };
}
