import { afterEach, describe, expect, it, vi } from "vitest";
import { utf8 } from "../../../src/crypto/bytes";
import { signSlackRequest } from "../../../src/verify/slack";
import { d1IsEmpty, demo, dumpKv, newTenant, type Tenant } from "../../helpers";
import type { Env } from "../../../src/env";
import {
  ALICE,
  callChat,
  chatEnv,
  newSink,
  type Sink,
  SLACK_SECRET,
  slackCommandBody,
  slackInit,
  startChat,
} from "./helpers";

// Slack's documented example (python-slack-sdk's test; webhooks.md §4).
const VECTOR = {
  secret: "8f742231b10e8888abcd99yyyzzz85a5",
  timestamp: "1531420618",
  body: "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
  signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
} as const;

function vectorInit(body: string = VECTOR.body, signature: string = VECTOR.signature): RequestInit {
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      "X-Slack-Request-Timestamp": VECTOR.timestamp,
      "X-Slack-Signature": signature,
    },
    body,
  };
}

/** `accepted`: the request was verified, so its replay claim (a hash, nothing else) is the one row it may leave. */
async function expectNoSideEffects(t: Tenant, env: Env, sink: Sink, accepted = false): Promise<void> {
  expect(await t.calls()).toEqual([]);
  expect(await sink.received()).toEqual([]);
  expect(await dumpKv(env)).toEqual([]);
  expect(await d1IsEmpty(env, accepted ? ["claims"] : [])).toBe(true);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Slack slash commands: Slack's published request", () => {
  it("answers the documented example with the help, inline, when the clock is at its timestamp", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Number(VECTOR.timestamp) * 1000 + 30_000);
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, overrides: { SLACK_SIGNING_SECRET: VECTOR.secret } });
    const r = await callChat(env, "/slack/commands", vectorInit());
    expect(r.status).toBe(200);
    expect(r.headers.get("Content-Type")).toMatch(/^application\/json/);
    const body = (await r.json()) as { response_type: string; text: string; blocks: unknown[] };
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("Fastly token commands");
    expect(JSON.stringify(body.blocks)).toContain("/webhook-collect whoami");
    await expectNoSideEffects(t, env, sink, true);
  });

  it("rejects the documented example with bytes appended to the body, with no side effect", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Number(VECTOR.timestamp) * 1000);
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, overrides: { SLACK_SIGNING_SECRET: VECTOR.secret } });
    const r = await callChat(env, "/slack/commands", vectorInit(`${VECTOR.body}------`));
    expect(r.status).toBe(401);
    expect(await r.json()).toEqual({ msg: "Invalid request", code: "invalid_signature" });
    await expectNoSideEffects(t, env, sink);
  });

  it("rejects the documented example today as stale, because its timestamp is from 2018", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, overrides: { SLACK_SIGNING_SECRET: VECTOR.secret } });
    const r = await callChat(env, "/slack/commands", vectorInit());
    expect(r.status).toBe(401);
    // Stale and mismatched look the same to the sender; the log says which.
    expect(await r.json()).toEqual({ msg: "Invalid request", code: "invalid_signature" });
    await expectNoSideEffects(t, env, sink);
  });
});

describe("Slack slash commands: forged, tampered and replayed requests", () => {
  // Each of these, if accepted, would call Fastly and post to the sink: `whoami` by an allowed user.
  const cases: [string, (body: string) => Promise<RequestInit>][] = [
    ["signed with another secret", (body) => slackInit(body, { secret: "not-the-signing-secret" })],
    [
      "with the body changed after signing",
      async (body) => ({ ...(await slackInit(body)), body: body.replace("whoami", "audit") }),
    ],
    [
      "with a signature that is not hex",
      async (body) => {
        const init = await slackInit(body);
        return { ...init, headers: { ...(init.headers as Record<string, string>), "X-Slack-Signature": "v0=zz" } };
      },
    ],
    [
      "without the signature header",
      async (body) => {
        const init = await slackInit(body);
        const { "X-Slack-Signature": _s, ...headers } = init.headers as Record<string, string>;
        return { ...init, headers };
      },
    ],
    [
      "without the timestamp header",
      async (body) => {
        const init = await slackInit(body);
        const { "X-Slack-Request-Timestamp": _t, ...headers } = init.headers as Record<string, string>;
        return { ...init, headers };
      },
    ],
    ["replayed six minutes later", (body) => slackInit(body, { timestamp: String(Math.floor(Date.now() / 1000) - 360) })],
    ["dated six minutes ahead", (body) => slackInit(body, { timestamp: String(Math.floor(Date.now() / 1000) + 360) })],
    [
      "re-sent with a fresh timestamp but the old signature",
      async (body) => {
        const old = String(Math.floor(Date.now() / 1000) - 360);
        const signature = await signSlackRequest(SLACK_SECRET, old, utf8(body));
        const init = await slackInit(body);
        return { ...init, headers: { ...(init.headers as Record<string, string>), "X-Slack-Signature": signature } };
      },
    ],
  ];

  it.each(cases)("refuses a command %s with 401 and no side effect", async (_name, build) => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const r = await callChat(env, "/slack/commands", await build(slackCommandBody(sink, "whoami")));
    expect(r.status).toBe(401);
    expect(await r.text()).not.toContain(SLACK_SECRET);
    await expectNoSideEffects(t, env, sink);
  });

  it("answers 503 with the setting's name when no signing secret is configured", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, overrides: { SLACK_SIGNING_SECRET: undefined } });
    const r = await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami")));
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ detail: "set SLACK_SIGNING_SECRET to enable it" });
    await expectNoSideEffects(t, env, sink);
  });
});

describe("Slack ssl_check", () => {
  const unsigned = (body: string): RequestInit => ({
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });

  it("answers Slack's unsigned ssl_check=1 with an empty 200 and does nothing else", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    for (const path of ["/slack/commands", "/slack/interactions"]) {
      const r = await callChat(env, path, unsigned("ssl_check=1&token=legacy-verification-token"));
      expect(r.status).toBe(200);
      expect(await r.text()).toBe("");
    }
    await expectNoSideEffects(t, env, sink);
  });

  it.each([
    ["ssl_check=true&token=x"],
    ["ssl_check=1%20&token=x"],
    ["ssl_check=01"],
    ["ssl_check=1&ssl_check=1"],
    ["ssl_check=1&token=a&token=b"],
    ["ssl_check=1&text=whoami&user_id=U0ALICE"],
    ["token=x&ssl_check=1&command=%2Ffastly-tokens"],
    ["ssl_check="],
    [""],
  ])("refuses the unsigned body %j with 401", async (body) => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const r = await callChat(env, "/slack/commands", unsigned(body));
    expect(r.status).toBe(401);
    await expectNoSideEffects(t, env, sink);
  });

  it("does not skip the signature for an ssl_check that carries a timestamp header", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const init = unsigned("ssl_check=1&token=x");
    const r = await callChat(env, "/slack/commands", {
      ...init,
      headers: { ...(init.headers as Record<string, string>), "X-Slack-Request-Timestamp": String(Math.floor(Date.now() / 1000)) },
    });
    expect(r.status).toBe(401);
  });
});

describe("Slack slash commands: answers", () => {
  it("acknowledges at once with an ephemeral 'working' message and posts the answer to response_url", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const r = await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami")));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ response_type: "ephemeral", text: "Working on it…" });
    const [delivery, ...more] = await sink.received();
    expect(more).toEqual([]);
    expect(delivery).toMatchObject({ method: "POST", path: "/commands/T0ACME/1/abc", contentType: "application/json" });
    const message = JSON.parse(delivery!.body) as { response_type: string; text: string; blocks: { type: string }[] };
    expect(message.response_type).toBe("ephemeral");
    expect(message.text).toContain(demo.tokens.superuserGlobal.id);
    expect(message.blocks[0]).toMatchObject({ type: "header" });
  });

  it("sends the acknowledgement before Fastly has answered (the upstream call is still delayed)", async () => {
    const t = await newTenant();
    await t.addFault({ method: "GET", path: "/tokens/self", delayMs: 1500 });
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const { response, settled } = await startChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami")));
    // The Response exists while the background work is still waiting on the emulator.
    expect(await response.json()).toMatchObject({ text: "Working on it…" });
    expect(await sink.received()).toEqual([]);
    // The emulator logs a call when it answers it: nothing has been answered yet.
    expect(await t.calls()).toEqual([]);
    await settled();
    const calls = await t.calls();
    expect(calls.map((call) => `${call.method} ${call.path}`)).toContain("GET /tokens/self");
    const [delivery] = await sink.bodies();
    expect(delivery?.text).toContain(demo.tokens.superuserGlobal.id);
  });

  it("answers an unknown subcommand with the help, inline, without any call", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const r = await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "frobnicate everything")));
    const body = (await r.json()) as { text: string; blocks: unknown[] };
    expect(body.text).toContain("Fastly token commands");
    expect(JSON.stringify(body.blocks)).toContain("`frobnicate` is not a command");
    expect(await t.calls()).toEqual([]);
    expect(await sink.received()).toEqual([]);
  });

  it("answers a malformed token id with a specific message, inline, without any call", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const r = await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "show abc$def")));
    const body = (await r.json()) as { text: string };
    expect(body.text).toContain("`abc$def` is not a token id");
    expect(await t.calls()).toEqual([]);
    expect(await sink.received()).toEqual([]);
  });

  it("lists the customer's stale tokens as a table", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "list customer --stale 90")));
    const [message] = await sink.bodies();
    const text = JSON.stringify(message);
    expect(text).toContain("Tokens of the customer account");
    expect(text).toContain(demo.tokens.userLongUnused.id);
    expect(text).not.toContain(demo.tokens.superuserGlobal.id);
    expect(text).toContain("unused for 90+ days");
  });

  it("shows one token, and says so specifically when it does not exist", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, `show ${demo.tokens.engineerReadOnly.id}`)));
    await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "show AAAAAAAAAAAAAAAAAAAAAA")));
    const [found, missing] = await sink.bodies();
    expect(JSON.stringify(found)).toContain("grafana dashboards");
    expect(missing?.text).toContain("Could not run `show`: not found");
  });

  it("refuses to run a command whose response_url is outside SLACK_RESPONSE_URL_PREFIX", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    for (const url of ["https://evil.example/__sinks/x", "http://169.254.169.254/latest/meta-data", `${sink.url}/../../__emulator/reset`]) {
      const body = slackCommandBody(sink, "whoami", { response_url: url });
      const r = await callChat(env, "/slack/commands", await slackInit(body));
      expect(r.status).toBe(200);
      expect(((await r.json()) as { text: string }).text).toContain("response_url is not one this Worker may post to");
    }
    expect(await t.calls()).toEqual([]);
    expect(await sink.received()).toEqual([]);
  });

  it("records nothing in KV for read commands except the core's cache, and never a secret", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "list mine")));
    const kv = JSON.stringify(await dumpKv(env));
    for (const secret of [SLACK_SECRET, demo.tokens.superuserGlobal.access_token]) expect(kv).not.toContain(secret);
    expect(kv).not.toContain(ALICE.slack);
  });
});

describe("Slack slash commands: failures on the way", () => {
  it("says which setting is missing when the Worker has no Fastly token", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, overrides: { FASTLY_API_TOKEN: undefined } });
    await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami")));
    const [message] = await sink.bodies();
    expect(message?.text).toContain("FASTLY_API_TOKEN");
    expect(await t.calls()).toEqual([]);
  });

  it("reports a failing Fastly by status, without its response body", async () => {
    const t = await newTenant();
    const raw = "<html>upstream stack trace: db=fastly-internal-7</html>";
    await t.addFault({ method: "GET", path: "/tokens/self", status: 500, body: raw, headers: { "content-type": "text/html" }, count: 10 });
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami")));
    const [delivery] = await sink.received();
    expect(JSON.parse(delivery!.body)).toMatchObject({ text: expect.stringContaining("Fastly failed (HTTP 500)") });
    expect(delivery!.body).not.toContain("stack trace");
  });
});
