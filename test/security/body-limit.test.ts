import { beforeAll, describe, expect, it } from "vitest";
import { utf8 } from "../../src/crypto/bytes";
import type { Env } from "../../src/env";
import { signGitHubWebhook } from "../../src/verify/github-webhook";
import { signStandardWebhook } from "../../src/verify/standard-webhooks";
import { API_KEY_VALUES, callWorker, type CapturedQueue, demo, dumpKv, newGitHub, newTenant, SCANNER_SECRET, type Tenant } from "../helpers";
import {
  chatEnv,
  type DiscordKeys,
  discordCommandBody,
  discordInit,
  discordKeys,
  MATTERMOST_TOKEN,
  mattermostClickInit,
  mattermostInit,
  newSink,
  type Sink,
  slackClickBody,
  slackCommandBody,
  slackInit,
} from "../routes/chat/helpers";

// Issue 12, item 9. MAX_BODY_BYTES holds for the bytes a request actually carries, on every route that takes a body,
// whether the body is chunked (no Content-Length) or declares a length smaller than it is.
const LIMIT = 1024;
const GITHUB_SECRET = "gh-hook-secret-for-body-limit-tests";
const PAD = "p".repeat(2 * LIMIT);

let keys: DiscordKeys;
beforeAll(async () => {
  keys = await discordKeys();
});

interface World {
  t: Tenant;
  env: Env;
  sink: Sink;
  github: Awaited<ReturnType<typeof newGitHub>>;
}

async function world(): Promise<World> {
  const t = await newTenant();
  const sink = newSink();
  const github = await newGitHub();
  const env = await chatEnv(t, {
    sink,
    keys,
    overrides: {
      MAX_BODY_BYTES: String(LIMIT),
      SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET,
      GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
      GITHUB_API_BASE_URL: github.baseUrl,
      GITHUB_PARTNER_KEYS_URL: `${github.baseUrl}/meta/public_keys/secret_scanning`,
      GITLAB_PARTNER_KEYS_URL: `${github.baseUrl}/meta/public_keys/secret_scanning`,
      NOTIFY_SLACK_WEBHOOK_URL: sink.at("/notify"),
      DASHBOARD_SESSION_SECRET: "dashboard-session-secret-for-body-limit-tests",
    },
  });
  return { t, env, sink, github };
}

const form = (fields: Record<string, string>) => new URLSearchParams({ ...fields, pad: PAD }).toString();
const json = (value: Record<string, unknown>) => JSON.stringify({ ...value, pad: PAD });
const leaked = demo.tokens.userGlobal.access_token;

async function standardWebhook(body: string): Promise<RequestInit> {
  const id = `msg_${crypto.randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const signature = await signStandardWebhook(SCANNER_SECRET, id, ts, utf8(body));
  return { method: "POST", headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature }, body };
}

/**
 * One request per route that reads a body, each one the Worker would act on (signed, authenticated) if it were
 * small enough: reaching Fastly, GitHub, a chat sink, KV or the queue would show it was processed.
 */
const ROUTES: [string, (w: World) => Promise<[path: string, init: RequestInit]>][] = [
  ["POST /tokens", async () => {
    const bob = demo.users.acmeEngineer;
    const body = form({ username: bob.login, password: bob.password, name: "oversized" });
    return ["/tokens", { method: "POST", headers: { "Fastly-Key": API_KEY_VALUES.admin, "Content-Type": "application/x-www-form-urlencoded" }, body }];
  }],
  ["DELETE /tokens", async () => {
    const body = json({ data: [{ id: demo.tokens.userNeverUsed.id, type: "token" }] });
    return ["/tokens", { method: "DELETE", headers: { "Fastly-Key": API_KEY_VALUES.admin, "Content-Type": "application/vnd.api+json; ext=bulk" }, body }];
  }],
  ["DELETE /tokens/{id}", async () => [`/tokens/${demo.tokens.userNeverUsed.id}`, { method: "DELETE", headers: { "Fastly-Key": API_KEY_VALUES.admin }, body: PAD }]],
  ["DELETE /tokens/self", async () => ["/tokens/self", { method: "DELETE", headers: { "Fastly-Key": demo.tokens.userGlobal.access_token }, body: PAD }]],
  ["POST /hooks/scanner", async () => ["/hooks/scanner", await standardWebhook(json({ tokens: [leaked] }))]],
  ["POST /hooks/github", async () => {
    const body = json({ action: "created", alert: { number: 1, secret_type: "fastly_api_token" }, repository: { full_name: "acme/app" } });
    const headers = { "X-GitHub-Event": "secret_scanning_alert", "X-GitHub-Delivery": crypto.randomUUID(), "X-Hub-Signature-256": await signGitHubWebhook(GITHUB_SECRET, utf8(body)) };
    return ["/hooks/github", { method: "POST", headers, body }];
  }],
  ...(["github", "gitlab"] as const).map(
    (p): (typeof ROUTES)[number] => [`POST /hooks/${p}-partner`, async () => {
      const prefix = p === "github" ? "Github" : "Gitlab";
      const body = JSON.stringify([{ token: leaked, type: "fastly_api_token", url: "https://example.com/x", pad: PAD }]);
      return [`/hooks/${p}-partner`, { method: "POST", headers: { [`${prefix}-Public-Key-Identifier`]: "k", [`${prefix}-Public-Key-Signature`]: "MEUCIQ==" }, body }];
    }],
  ),
  ["POST /slack/commands", async ({ sink }) => ["/slack/commands", await slackInit(`${slackCommandBody(sink, "whoami")}&pad=${PAD}`)]],
  ["POST /slack/interactions", async ({ sink }) => ["/slack/interactions", await slackInit(`${slackClickBody(sink, "revoke_cancel", "v")}&pad=${PAD}`)]],
  ["POST /discord/interactions", async () => {
    const body = JSON.stringify({ ...JSON.parse(discordCommandBody("whoami")), pad: PAD });
    return ["/discord/interactions", await discordInit(keys, body)];
  }],
  ["POST /mattermost/command", async () => ["/mattermost/command", mattermostInit({ text: "whoami", pad: PAD })]],
  ["POST /mattermost/actions", async () => {
    const init = mattermostClickInit("revoke_cancel", "v");
    return ["/mattermost/actions", { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Token ${MATTERMOST_TOKEN}` }, body: json(JSON.parse(String(init.body))) }];
  }],
  ["POST /dashboard/login", async () => ["/dashboard/login", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://worker.test" }, body: form({ api_key: API_KEY_VALUES.admin }) }]],
  ["POST /dashboard/logout", async () => ["/dashboard/logout", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://worker.test" }, body: form({ csrf: "x" }) }]],
  ["POST /dashboard/tokens/{id}/revoke", async () => [
    `/dashboard/tokens/${demo.tokens.userNeverUsed.id}/revoke`,
    { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://worker.test", "Fastly-Key": API_KEY_VALUES.admin }, body: form({ csrf: "x" }) },
  ]],
];

/** The body as a stream of small chunks: no Content-Length, the way a chunked upload arrives. */
function chunked(body: string): ReadableStream<Uint8Array> {
  const bytes = utf8(body);
  return new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 256) controller.enqueue(bytes.slice(i, i + 256));
      controller.close();
    },
  });
}

const MODES: [string, (init: RequestInit) => RequestInit][] = [
  ["chunked, without a Content-Length", (init) => ({ ...init, body: chunked(String(init.body)) })],
  ["declaring a Content-Length of 100", (init) => ({ ...init, headers: { ...(init.headers as Record<string, string>), "Content-Length": "100" } })],
  ["chunked and declaring a Content-Length of 100", (init) => ({ ...init, body: chunked(String(init.body)), headers: { ...(init.headers as Record<string, string>), "Content-Length": "100" } })],
];

const cases = ROUTES.flatMap(([route, build]) => MODES.map(([mode, shape]) => [route, mode, build, shape] as const));

async function expectNothingHappened(w: World, r: Response): Promise<void> {
  expect(r.headers.get("Set-Cookie")).toBeNull();
  expect(await w.t.calls()).toEqual([]);
  expect(await w.github.calls()).toEqual([]);
  expect(await w.sink.received()).toEqual([]);
  expect(await dumpKv(w.env)).toEqual([]);
  expect((w.env.REVOCATIONS as CapturedQueue).sent).toEqual([]);
}

describe("a body over MAX_BODY_BYTES", () => {
  it.each(cases)("%s %s is refused with 413 and nothing happens", async (_route, _mode, build, shape) => {
    const w = await world();
    const [path, init] = await build(w);
    expect(utf8(String(init.body)).length).toBeGreaterThan(LIMIT);

    const r = await callWorker(w.env, path, shape(init));

    expect(r.status).toBe(413);
    expect(await r.json()).toEqual({ msg: "Payload Too Large", detail: `body exceeds ${LIMIT} bytes` });
    await expectNothingHappened(w, r);
  });

  it("is refused before a byte is read when its declared length is over the limit", async () => {
    const w = await world();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(256));
      },
    });
    const r = await callWorker(w.env, "/hooks/scanner", { method: "POST", headers: { "Content-Length": String(LIMIT + 1) }, body });
    expect(r.status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1);
    await expectNothingHappened(w, r);
  });

  it("still lets a body at the limit through, chunked or not", async () => {
    const w = await world();
    const room = LIMIT - utf8(JSON.stringify({ tokens: [leaked], pad: "" })).length;
    const padded = JSON.stringify({ tokens: [leaked], pad: "p".repeat(room) });
    expect(utf8(padded).length).toBe(LIMIT);
    const init = await standardWebhook(padded);
    const r = await callWorker(w.env, "/hooks/scanner", { ...init, body: chunked(padded) });
    expect(r.status).toBe(200);
    expect((await w.t.tokens()).find((x) => x.id === demo.tokens.userGlobal.id)?.revoked).toBe(true);
  });
});
