import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../../app-env";
import type { ChatPrincipal } from "../../chatops/authorize";
import { isConfirmationButton } from "../../chatops/button-ids";
import { toMattermostMessage } from "../../chatops/mattermost-render";
import type { ChatMessage } from "../../chatops/message";
import { DEFAULT_COMMAND_NAME } from "../../chatops/render/help";
import { renderError } from "../../chatops/render/notices";
import { timingSafeEqual, utf8 } from "../../crypto/bytes";
import { notConfigured } from "../../tokens/errors";
import { claimSigned } from "../replay";
import { type ClickAdapter, type CommandAdapter, chatDeps } from "./adapter";
import { runClick } from "./click-flow";
import { runCommand } from "./command-flow";
import { badRequest, unauthorized } from "./reject";

/**
 * Mattermost: `POST /command` (Slack-compatible slash command, authenticated by its token) and `POST /actions`
 * (interactive buttons). Mattermost waits up to 30 s for an answer, so the work is done inline and the reply is
 * the HTTP response: no response_url is ever called.
 *
 * Mattermost signs nothing it sends to `/actions`; the button's context carries the signed confirmation value,
 * which is what authenticates a click (issued to this user, for these ids, unexpired, single use).
 */
export const mattermost = new Hono<AppEnv>();

const decoder = new TextDecoder();

/** SHA-256 both sides first, so the comparison is constant time whatever the lengths. */
async function sameSecret(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(presented), digest(expected)]);
  return timingSafeEqual(a, b);
}

async function digest(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(value)));
}

function configuredToken(c: Context<AppEnv>): string {
  const token = c.var.config.mattermost.token;
  if (!token) throw notConfigured("Mattermost", "MATTERMOST_TOKEN");
  return token;
}

mattermost.post("/command", async (c) => {
  const expected = configuredToken(c);
  const raw = new Uint8Array(await c.req.arrayBuffer());
  const form = new URLSearchParams(decoder.decode(raw));
  // Mattermost sends the token both ways; when the header is there it is the one that counts.
  const header = c.req.header("Authorization");
  const presented = header === undefined ? form.get("token") : /^Token (\S+)$/.exec(header)?.[1];
  if (!presented || !(await sameSecret(presented, expected))) throw unauthorized("token");
  // Mattermost signs nothing: the token and the body (which carries a per-command trigger_id) are the best name a
  // command has, so an identical copy within the window is refused. Whoever holds the token can forge new ones.
  if (!(await claimSigned(c.var.services.claims, "mattermost", [presented, "\n", raw]))) throw unauthorized("replayed");

  const userId = form.get("user_id");
  if (!userId) throw badRequest("user_id is required");
  const principal: ChatPrincipal = {
    platform: "mattermost",
    userId,
    userName: form.get("user_name") ?? undefined,
    teamId: form.get("team_id") ?? undefined,
    channelId: form.get("channel_id") ?? undefined,
  };
  const actionUrl = new URL("actions", c.req.url).href;
  return runCommand(commandAdapter(c, actionUrl), chatDeps(c), {
    principal,
    commandName: form.get("command") || DEFAULT_COMMAND_NAME,
    text: form.get("text") ?? "",
  });
});

/** Everything is answered inline, as the HTTP response; buttons call back to `actionUrl`. */
function commandAdapter(c: Context<AppEnv>, actionUrl: string): CommandAdapter {
  const reply = (msg: ChatMessage) => c.json(toMattermostMessage(msg, { actionUrl }));
  return {
    platform: "mattermost",
    acknowledgesFirst: false,
    reply,
    answerWith: async (answer) => reply(await answer()),
    reportLeak: async (notices) => reply(mergeNotices(await notices())),
  };
}

/** One reply holds every notice (Mattermost answers a command with one message). */
function mergeNotices(notices: ChatMessage[]): ChatMessage {
  const [first, ...rest] = notices;
  if (!first) return renderError("Nothing to report.");
  return { ...first, blocks: [...first.blocks, ...rest.flatMap((n) => n.blocks)] };
}

const Action = z.looseObject({
  user_id: z.string().check(z.minLength(1)),
  user_name: z.optional(z.string()),
  team_id: z.optional(z.string()),
  channel_id: z.optional(z.string()),
  context: z.looseObject({ action: z.string(), value: z.string() }),
});

/** Mattermost's answer to a button: `update` replaces the post (buttons gone), `ephemeral_text` tells the clicker. */
function update(c: Context<AppEnv>, msg: ChatMessage): Response {
  return c.json({ update: { message: toMattermostMessage(msg).text, props: { attachments: [] } } });
}

mattermost.post("/actions", async (c) => {
  configuredToken(c);
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(new Uint8Array(await c.req.arrayBuffer())));
  } catch {
    throw badRequest("body is not JSON");
  }
  const parsed = Action.safeParse(json);
  if (!parsed.success) throw badRequest("body is not a Mattermost action");
  const body = parsed.data;
  const buttonId = body.context.action;
  if (!isConfirmationButton(buttonId)) throw badRequest("unknown action");
  const principal: ChatPrincipal = {
    platform: "mattermost",
    userId: body.user_id,
    userName: body.user_name,
    teamId: body.team_id,
    channelId: body.channel_id,
  };
  return runClick(clickAdapter(c), chatDeps(c), { principal, button: buttonId, value: body.context.value });
});

/** A refusal is `ephemeral_text` for the clicker; everything else updates the post, inline. */
function clickAdapter(c: Context<AppEnv>): ClickAdapter {
  return {
    platform: "mattermost",
    tell: (msg) => c.json({ ephemeral_text: toMattermostMessage(msg).text }),
    replace: (msg) => update(c, msg),
    revoke: async (run) => update(c, await run()),
  };
}
