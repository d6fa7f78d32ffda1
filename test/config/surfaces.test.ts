import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { API_KEY_VALUES, callWorker, captureConsole, demo, newTenant, postScannerReport, SCANNER_SECRET } from "../helpers";
import { runCron } from "../hygiene/support";
import { chatEnv, newSink, slackCommandBody, slackInit } from "../routes/chat/helpers";

// Issue 14: a malformed optional setting disables its own surface and nothing else.

const logged = captureConsole();

/** Looks like a credential someone pasted into the wrong setting. */
const SECRET = "sk_live_51Hx9pWq3fake7secret0VALUE";

const misconfigured = (setting: string) => ({ msg: "Worker misconfigured", detail: `setting ${setting} is invalid; the Worker's log says why`, code: "misconfigured" });

/** The surfaces that do not depend on the chat, schedule or dashboard settings. */
async function coreSurfaces(env: Env): Promise<{ health: Response; api: Response; hook: Response }> {
  return {
    health: await callWorker(env, "/health"),
    api: await callWorker(env, "/tokens/self", { headers: { "Fastly-Key": API_KEY_VALUES.admin } }),
    hook: await postScannerReport(env, JSON.stringify({ tokens: ["not-a-fastly-token-at-all"] })),
  };
}

async function expectCoreWorks(env: Env): Promise<string[]> {
  const { health, api, hook } = await coreSurfaces(env);
  expect(health.status).toBe(200);
  expect(await health.clone().json()).toMatchObject({ status: "ok" });
  expect(api.status).toBe(200);
  expect(await api.clone().json()).toMatchObject({ id: demo.tokens.superuserGlobal.id });
  expect(hook.status).toBe(200);
  return Promise.all([health, api, hook].map((r) => r.text()));
}

const disabledLines = () => logged.filter((l) => l.includes('"event":"config_surface_disabled"'));

describe("a malformed chat setting", () => {
  const chatRequests = async (env: Env, sink: ReturnType<typeof newSink>) => ({
    slack: await callWorker(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami"))),
    discord: await callWorker(env, "/discord/interactions", { method: "POST", body: "{}" }),
    mattermost: await callWorker(env, "/mattermost/command", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "text=whoami" }),
  });

  // What each platform answers: "misconfigured" where the request reaches the malformed setting; otherwise what a
  // healthy config answers (Slack acknowledges the signed command; the unsigned Discord and Mattermost requests are
  // refused by their own checks: no Discord key is set here, 503; no Mattermost token matches, 401).
  it.each([
    ["CHAT_POLICY", JSON.stringify({ slack: { read: { users: ["U1"] }, [SECRET]: {} } }), { slack: 500, discord: 503, mattermost: 401 }, "chat"],
    ["DISCORD_PUBLIC_KEY", SECRET, { slack: 200, discord: 500, mattermost: 401 }, "discord"],
  ] as const)("%s disables only the chat platforms that read it: /health, the API, the hooks, the dashboard and every other platform still answer", async (setting, value, statuses, surface) => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, overrides: { SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET, [setting]: value } });

    const bodies = await expectCoreWorks(env);
    const dashboard = await callWorker(env, "/dashboard");
    expect(dashboard.status).toBe(401);
    const chat = await chatRequests(env, sink);
    for (const [platform, r] of Object.entries(chat) as [keyof typeof statuses, Response][]) {
      expect(r.status, platform).toBe(statuses[platform]);
      if (statuses[platform] === 500) expect(await r.clone().json()).toEqual(misconfigured(setting));
    }

    const everything = [...bodies, await dashboard.text(), ...(await Promise.all(Object.values(chat).map((r) => r.text()))), ...logged].join("\n");
    expect(everything).not.toContain(SECRET);
    expect(disabledLines()).toHaveLength(1);
    expect(JSON.parse(disabledLines()[0]!)).toMatchObject({ surface, setting });
    if (statuses.slack === 500) expect(await sink.received()).toEqual([]);
  });
});

/** An env with `setting` malformed, after checking that the core surfaces and a Slack command still answer. */
async function withOtherSurfacesWorking(setting: string): Promise<{ env: Env; bodies: string[] }> {
  const t = await newTenant();
  const sink = newSink();
  const env = await chatEnv(t, { sink, overrides: { SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET, [setting]: SECRET } });
  const bodies = await expectCoreWorks(env);
  const slack = await callWorker(env, "/slack/commands", await slackInit(slackCommandBody(sink, "whoami")));
  expect(slack.status).toBe(200);
  return { env, bodies: [...bodies, await slack.text()] };
}

describe("a malformed dashboard setting", () => {
  it("disables only the dashboard: /health, the API, the hooks and chat still answer", async () => {
    const { env, bodies } = await withOtherSurfacesWorking("DASHBOARD_SESSION_TTL_MINUTES");
    const page = await callWorker(env, "/dashboard");
    expect(page.status).toBe(500);
    const html = await page.text();
    expect(html).toContain("setting DASHBOARD_SESSION_TTL_MINUTES is invalid");

    expect([...bodies, html, ...logged].join("\n")).not.toContain(SECRET);
    expect(disabledLines().map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ surface: "dashboard", setting: "DASHBOARD_SESSION_TTL_MINUTES" })]);
  });
});

describe("a malformed schedule setting", () => {
  it("stops only the scheduled run: /health, the API, the hooks and chat still answer", async () => {
    const { env, bodies } = await withOtherSurfacesWorking("DIGEST_MAX_ITEMS");
    const run = await runCron(env).then(
      () => "ran",
      (err: Error) => err.message,
    );
    expect(run).toBe("Setting DIGEST_MAX_ITEMS is invalid: expected a whole number from 1 to 50");
    // The core's daily retention still ran before the digest stopped.
    expect(logged.filter((l) => l.includes('"event":"retention"'))).toHaveLength(1);

    expect([...bodies, run, ...logged].join("\n")).not.toContain(SECRET);
    expect(disabledLines().map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ surface: "hygiene", setting: "DIGEST_MAX_ITEMS" })]);
  });
});
