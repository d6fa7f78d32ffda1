import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { utf8 } from "../../src/crypto/bytes";
import { verifyStandardWebhook } from "../../src/verify/standard-webhooks";
import { audit, demo, emulatorUrl, newSink, newTenant, testEnv } from "../helpers";
import { DAY_MS, DIGEST_WEBHOOK_SECRET, digestSinks, runCron, secretsOf, type SinkRecord } from "./support";

const logged: string[] = [];
beforeEach(() => {
  logged.length = 0;
  for (const level of ["log", "info", "warn", "error"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
  }
});
afterEach(() => vi.restoreAllMocks());

const json = (r: SinkRecord) => JSON.parse(r.body) as Record<string, unknown>;
const acme = demo.tokens;

/** The mrkdwn/plain text of every Slack block, joined. */
function slackText(body: Record<string, unknown>): string {
  return JSON.stringify(body.blocks);
}

describe("the scheduled digest", () => {
  it("posts a Slack Block Kit digest with counts per class and the most urgent tokens, their owners and dates", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { NOTIFY_SLACK_WEBHOOK_URL: sinks.slack.url });
    const now = Date.now();

    const run = await runCron(env, now);

    expect(run.status).toBe("sent");
    expect(run.deliveries).toEqual([{ channel: "slack", ok: true, status: 200 }]);
    const [post, ...more] = await sinks.slack.received();
    expect(more).toEqual([]);
    expect(post!.method).toBe("POST");
    expect(post!.headers["content-type"]).toBe("application/json");
    const body = json(post!);
    expect(body).not.toHaveProperty("response_type");
    const blocks = body.blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    expect(blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Fastly token hygiene: 13 tokens need attention", emoji: true } });
    const counts = blocks.find((b) => b.type === "section" && b.fields)!.fields!.map((f) => f.text);
    expect(counts).toEqual([
      "*Expiring soon*\n1",
      "*Expired*\n1",
      "*Unused*\n1",
      "*Never used*\n1",
      "*Global, all services*\n7",
      "*No expiry*\n10",
    ]);
    const table = blocks.find((b) => b.text?.text.startsWith("```"))!.text!.text;
    const rows = table.split("\n").slice(3, -1);
    // Most urgent first: expiring, then expired, unused, never used.
    expect(rows[0]).toContain(acme.engineerExpiringSoon.id);
    expect(rows[0]).toContain(demo.users.acmeEngineer.id);
    const seeded = (await t.tokens()).find((x) => x.id === acme.engineerExpiringSoon.id)!;
    expect(rows[0]).toContain(seeded.expires_at!.slice(0, 10));
    expect(rows[1]).toContain(acme.userExpired.id);
    expect(rows[2]).toContain(acme.userLongUnused.id);
    expect(rows[3]).toContain(acme.userNeverUsed.id);
    expect(rows).toHaveLength(10);
    expect(slackText(body)).toContain("Most urgent (10 of 13)");
    expect(slackText(body)).toContain(":warning: `deploy bot` expires");
    expect(body.text).toBe("Fastly token hygiene: 1 expiring soon, 1 expired, 1 unused, 1 never used, 7 global, all services, 10 no expiry.");
  });

  it("posts the same digest to a Discord webhook as markdown with embeds, pinging nobody", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { NOTIFY_SLACK_WEBHOOK_URL: undefined, DIGEST_DISCORD_WEBHOOK_URL: sinks.discord.url, DIGEST_MAX_ITEMS: "3" });

    const run = await runCron(env);

    expect(run.deliveries).toEqual([{ channel: "discord", ok: true, status: 200 }]);
    const [post] = await sinks.discord.received();
    const body = json(post!) as { content: string; embeds: { fields: { name: string; value: string }[] }[]; allowed_mentions: unknown };
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body).not.toHaveProperty("flags");
    expect(body).not.toHaveProperty("components");
    expect(body.content).toContain("Fastly token hygiene: 13 tokens need attention");
    expect(body.content).toContain("Most urgent (3 of 13)");
    expect(body.content).toContain(acme.engineerExpiringSoon.id);
    expect(body.content).toContain(acme.userLongUnused.id);
    expect(body.content).not.toContain(acme.userNeverUsed.id);
    expect(body.embeds[0]!.fields.map((f) => [f.name, f.value])).toEqual([
      ["Expiring soon", "1"],
      ["Expired", "1"],
      ["Unused", "1"],
      ["Never used", "1"],
      ["Global, all services", "7"],
      ["No expiry", "10"],
    ]);
    expect((await sinks.slack.received()).length).toBe(0);
  });

  it("signs the webhook digest with Standard Webhooks, verifiable by a receiver, and lists every finding as data", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { NOTIFY_SLACK_WEBHOOK_URL: undefined, NOTIFY_WEBHOOK_URL: sinks.webhook.url, NOTIFY_WEBHOOK_SECRET: DIGEST_WEBHOOK_SECRET });
    const now = Date.now();

    await runCron(env, now);

    const [post] = await sinks.webhook.received();
    const verdict = await verifyStandardWebhook({
      secrets: [DIGEST_WEBHOOK_SECRET],
      rawBody: utf8(post!.body),
      id: post!.headers["webhook-id"] ?? null,
      timestamp: post!.headers["webhook-timestamp"] ?? null,
      signature: post!.headers["webhook-signature"] ?? null,
    });
    expect(verdict.ok).toBe(true);
    const forged = await verifyStandardWebhook({
      secrets: [DIGEST_WEBHOOK_SECRET],
      rawBody: utf8(post!.body.replace('"expired"', '"expirex"')),
      id: post!.headers["webhook-id"] ?? null,
      timestamp: post!.headers["webhook-timestamp"] ?? null,
      signature: post!.headers["webhook-signature"] ?? null,
    });
    expect(forged.ok).toBe(false);

    const payload = json(post!) as {
      type: string;
      timestamp: string;
      data: { customer_id: string; coverage: string; total_tokens: number; counts: Record<string, number>; items: { id: string; user_id: string; findings: string[]; expires_at: string | null }[]; policy: unknown };
    };
    expect(payload.type).toBe("fastly.token.digest");
    expect(payload.timestamp).toBe(new Date(now).toISOString());
    expect(payload.data).toMatchObject({ customer_id: demo.customers.acme.id, coverage: "customer", total_tokens: 14, policy: { mode: "off" } });
    expect(payload.data.counts).toEqual({ expiring: 1, expired: 1, unused: 1, never_used: 1, global_all_services: 7, no_expiry: 10 });
    expect(payload.data.items).toHaveLength(13);
    expect(payload.data.items[0]).toMatchObject({ id: acme.engineerExpiringSoon.id, user_id: demo.users.acmeEngineer.id, findings: ["expiring"] });
    const expired = payload.data.items.find((i) => i.id === acme.userExpired.id)!;
    expect(expired.findings).toEqual(["expired", "global_all_services"]);
    expect(Date.parse(expired.expires_at!)).toBeLessThan(now);
  });

  it("sends nothing when there is nothing to say", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    // Globex's tokens are all in use and none expires soon; only those classes are reported here.
    const env = await testEnv(t, {
      ...sinks.vars,
      FASTLY_API_TOKEN: demo.tokens.globexSuperuserGlobal.access_token,
      DIGEST_CLASSES: "expired,expiring,unused,never_used",
    });

    const run = await runCron(env);

    expect(run.status).toBe("quiet");
    expect(run.report!.totalTokens).toBe(3);
    expect(run.deliveries).toEqual([]);
    expect(await sinks.slack.received()).toEqual([]);
    expect(await sinks.discord.received()).toEqual([]);
    expect(await sinks.webhook.received()).toEqual([]);
  });

  it("sends an all-clear digest when DIGEST_ALWAYS asks for one", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, {
      NOTIFY_SLACK_WEBHOOK_URL: sinks.slack.url,
      FASTLY_API_TOKEN: demo.tokens.globexSuperuserGlobal.access_token,
      DIGEST_CLASSES: "expired expiring unused never_used",
      DIGEST_ALWAYS: "true",
    });

    const run = await runCron(env);

    expect(run.status).toBe("sent");
    const [post] = await sinks.slack.received();
    const body = json(post!);
    expect(body.text).toBe("Fastly token hygiene: all clear (3 tokens).");
    expect(slackText(body)).toContain("No token falls into any reported class.");
  });

  it("lists only the Worker's own user's tokens, and says so, when its token cannot list the customer's", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { NOTIFY_SLACK_WEBHOOK_URL: sinks.slack.url, FASTLY_API_TOKEN: demo.tokens.engineerGlobal.access_token });

    const run = await runCron(env);

    expect(run.inventory!.coverage).toBe("user");
    const engineerTokens = Object.values(demo.tokens).filter((x) => x.user_id === demo.users.acmeEngineer.id && !x.revoked);
    expect(run.report!.totalTokens).toBe(engineerTokens.length);
    const body = json((await sinks.slack.received())[0]!);
    expect(slackText(body)).toContain("the Worker's own Fastly user only");
  });

  it("keeps delivering to the other channels when one of them fails", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const failing = newSink("fail-500-digest");
    const env = await testEnv(t, { ...sinks.vars, NOTIFY_SLACK_WEBHOOK_URL: failing.url });

    const run = await runCron(env);

    expect(run.deliveries).toEqual([
      { channel: "slack", ok: false, status: 500 },
      { channel: "discord", ok: true, status: 200 },
      { channel: "webhook", ok: true, status: 200 },
    ]);
    expect((await failing.received()).length).toBe(1);
    expect((await sinks.discord.received()).length).toBe(1);
    expect(logged.some((l) => l.includes('"event":"digest_delivery_failed","channel":"slack","status":500'))).toBe(true);
    expect(logged.join("\n")).not.toContain(failing.url);
  });

  it("reports a failure instead of staying silent when the tokens cannot be listed, and fails the run", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, sinks.vars);
    await t.addFault({ method: "GET", path: "/customer/*", status: 500, count: 10 });

    await expect(runCron(env)).rejects.toThrow();

    const slack = json((await sinks.slack.received())[0]!);
    expect(slack.text).toMatch(/^Fastly token hygiene check failed: Fastly answered 500/);
    const webhook = json((await sinks.webhook.received())[0]!);
    expect(webhook).toMatchObject({ type: "fastly.token.digest_failed" });
    expect((await t.tokens()).filter((x) => x.revoked).map((x) => x.id)).toEqual([acme.userRevoked.id]);
  });

  it("does nothing at all when HYGIENE_ENABLED is false", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { ...sinks.vars, HYGIENE_ENABLED: "false", STALE_POLICY: "revoke" });

    const run = await runCron(env);

    expect(run.status).toBe("disabled");
    expect(await t.calls()).toEqual([]);
    expect(await sinks.slack.received()).toEqual([]);
  });

  it("escapes token names, so a name cannot ping a channel or break the Slack markup", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const carol = demo.users.acmeUser;
    const created = await fetch(`${t.baseUrl}/tokens`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        username: carol.login,
        password: carol.password,
        name: "<!channel> @everyone `pwn`",
        expires_at: new Date(Date.now() + DAY_MS).toISOString(),
      }).toString(),
    });
    expect(created.status).toBe(200);
    const env = await testEnv(t, sinks.vars);

    await runCron(env);

    const slack = (await sinks.slack.received())[0]!.body;
    expect(slack).not.toContain("<!channel>");
    expect(slack).toContain("&lt;!channel&gt; @everyone 'pwn'");
    const discord = json((await sinks.discord.received())[0]!);
    expect(discord.allowed_mentions).toEqual({ parse: [] });
  });

  it("never puts a token value or signing secret in a digest or a log line", async () => {
    const t = await newTenant();
    const sinks = digestSinks();
    const env = await testEnv(t, { ...sinks.vars, STALE_POLICY: "revoke" });

    await runCron(env, Date.now() + 200 * DAY_MS);
    await t.addFault({ method: "GET", path: "/customer/*", status: 500, count: 10 });
    await runCron(env).catch(() => undefined);

    const everything = [
      ...(await sinks.slack.received()),
      ...(await sinks.discord.received()),
      ...(await sinks.webhook.received()),
    ]
      .map((r) => `${JSON.stringify(r.headers)} ${r.body}`)
      .concat(logged, JSON.stringify(await audit(env)))
      .join("\n");
    expect(everything.length).toBeGreaterThan(1000);
    for (const secret of secretsOf()) expect(everything).not.toContain(secret);
    expect(everything).not.toContain(emulatorUrl());
  });
});
