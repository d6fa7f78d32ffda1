import { type Context, Hono } from "hono";
import { randomId } from "./random";
import seed from "./seed.json";

/** A workspace member as `users.lookupByEmail` returns one (the subset the Worker reads). */
export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  profile: { email: string; real_name: string };
}

/** What `chat.postMessage` received, and the DM channel it resolved a user id to. */
export interface SlackMessage {
  channel: string;
  /** The DM channel for a user id, else the channel as given. */
  resolvedChannel: string;
  text: string;
  blocks: unknown;
  ts: string;
}

export interface SlackCall {
  method: string;
  authorized: boolean;
  ok: boolean;
  error: string | null;
  status: number;
}

interface SlackFault {
  method: string;
  status?: number;
  error?: string;
  count: number;
}

interface Instance {
  botToken: string;
  users: Map<string, SlackUser>; // lowercase email → user
  messages: SlackMessage[];
  calls: SlackCall[];
  faults: SlackFault[];
}

const MAX_INSTANCES = 2000;
const TEAM = "T0DEMO0001";
/** The default instance's bot token, for `npm run dev` (scripts/demo.env). Never a real Slack token. */
export const DEMO_SLACK_BOT_TOKEN = "xoxb-demo-bot-token";

function newInstance(botToken: string): Instance {
  return { botToken, users: new Map(), messages: [], calls: [], faults: [] };
}

function slackUser(email: string, id?: string, name?: string): SlackUser {
  const realName = name ?? email.split("@")[0] ?? email;
  return { id: id ?? `U${randomId(10).toUpperCase()}`, team_id: TEAM, name: realName.toLowerCase().replace(/\W+/g, "."), real_name: realName, profile: { email, real_name: realName } };
}

/** The default instance knows the seed's Fastly users by login, so the demo can DM an owner. */
function seededInstance(): Instance {
  const instance = newInstance(DEMO_SLACK_BOT_TOKEN);
  for (const u of Object.values(seed.users)) {
    instance.users.set(u.login.toLowerCase(), slackUser(u.login, `U${u.id.slice(0, 10).toUpperCase()}`, u.name));
  }
  return instance;
}

/** Slack Web API arguments come as JSON or as a form; both are accepted, as Slack does. */
async function args(c: Context): Promise<Record<string, unknown>> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  const text = await c.req.text();
  if (type.startsWith("application/json")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  const form = Object.fromEntries(new URLSearchParams(text));
  return { ...Object.fromEntries(new URL(c.req.url).searchParams), ...form };
}

/**
 * The two Slack Web API methods the Worker calls to DM a leaked token's owner: `users.lookupByEmail` (needs the
 * `users:read.email` scope) and `chat.postMessage` (`chat:write`). Like Slack, every answer is HTTP 200 with
 * `ok: true|false` except injected HTTP faults (429 with `Retry-After`, 5xx). `/slack/api/...` is the default
 * instance (for `npm run dev`); `POST /__emulator/slack` creates an isolated one under `/__slack/<id>/api/...`.
 */
export function createSlackEmulator(): Hono {
  const instances = new Map<string, Instance>([["default", seededInstance()]]);
  const app = new Hono();

  app.post("/__emulator/slack", (c) => {
    const id = randomId(16);
    const botToken = `xoxb-${randomId(12)}-${randomId(24)}`;
    instances.set(id, newInstance(botToken));
    for (const oldest of instances.keys()) {
      if (instances.size <= MAX_INSTANCES) break;
      if (oldest !== "default") instances.delete(oldest);
    }
    return c.json({ id, baseUrl: `${new URL(c.req.url).origin}/__slack/${id}/api`, botToken }, 201);
  });

  const api = new Hono<{ Variables: { slack: Instance } }>();
  api.use("*", async (c, next) => {
    const slack = instances.get(c.req.param("id") ?? "default");
    if (!slack) return c.json({ ok: false, error: "unknown_emulator_instance" }, 404);
    c.set("slack", slack);
    return next();
  });

  api.post("/__control/users", async (c) => {
    const b = (await c.req.json()) as { email: string; id?: string; name?: string };
    const user = slackUser(b.email, b.id, b.name);
    c.var.slack.users.set(b.email.toLowerCase(), user);
    return c.json(user, 201);
  });
  api.get("/__control/messages", (c) => c.json(c.var.slack.messages));
  api.get("/__control/calls", (c) => c.json(c.var.slack.calls));
  api.post("/__control/faults", async (c) => {
    c.var.slack.faults.push((await c.req.json()) as SlackFault);
    return c.body(null, 204);
  });

  const method = (name: string, run: (slack: Instance, a: Record<string, unknown>) => Record<string, unknown>) =>
    api.on(["GET", "POST"], `/api/${name}`, async (c) => {
      const slack = c.var.slack;
      const auth = c.req.header("authorization") ?? "";
      const call: SlackCall = { method: name, authorized: auth === `Bearer ${slack.botToken}`, ok: false, error: null, status: 200 };
      slack.calls.push(call);
      const fault = slack.faults.find((f) => f.method === name && f.count > 0);
      if (fault) {
        fault.count--;
        call.status = fault.status ?? 200;
        call.error = fault.error ?? (call.status === 429 ? "ratelimited" : "internal_error");
        const headers = call.status === 429 ? { "Retry-After": "1" } : undefined;
        return c.json({ ok: false, error: call.error }, call.status as 200, headers);
      }
      const a = await args(c);
      const token = auth.startsWith("Bearer ") ? auth.slice(7) : typeof a.token === "string" ? a.token : "";
      const answer = !token ? { ok: false, error: "not_authed" } : token !== slack.botToken ? { ok: false, error: "invalid_auth" } : run(slack, a);
      call.ok = answer.ok === true;
      call.error = typeof answer.error === "string" ? answer.error : null;
      return c.json(answer);
    });

  method("users.lookupByEmail", (slack, a) => {
    const email = typeof a.email === "string" ? a.email : "";
    if (!email) return { ok: false, error: "invalid_arguments" };
    const user = slack.users.get(email.toLowerCase());
    return user ? { ok: true, user } : { ok: false, error: "users_not_found" };
  });

  method("chat.postMessage", (slack, a) => {
    const channel = typeof a.channel === "string" ? a.channel : "";
    const text = typeof a.text === "string" ? a.text : "";
    if (!channel) return { ok: false, error: "channel_not_found" };
    if (!text && !a.blocks) return { ok: false, error: "no_text" };
    const member = [...slack.users.values()].find((u) => u.id === channel);
    if (channel.startsWith("U") && !member) return { ok: false, error: "channel_not_found" };
    // Posting to a user id posts in the app's DM with that user.
    const resolvedChannel = member ? `D${member.id.slice(1)}` : channel;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(slack.messages.length + 1).padStart(6, "0")}`;
    slack.messages.push({ channel, resolvedChannel, text, blocks: a.blocks ?? null, ts });
    return { ok: true, channel: resolvedChannel, ts, message: { type: "message", text, ts } };
  });

  app.route("/__slack/:id", api);
  app.route("/slack", api);
  return app;
}
