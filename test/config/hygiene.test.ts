import { describe, expect, it } from "vitest";
import type { Env } from "../../src/env";
import { loadConfig } from "../../src/config";

const env = (vars: Record<string, string | undefined>) => ({ TOKENS_KV: {} as KVNamespace, ...vars }) as Env;

describe("the hygiene settings", () => {
  it("defaults to a daily digest of every class, 7 and 90 days, and no stale policy", () => {
    const s = loadConfig(env({})).hygiene;
    expect(s).toEqual({
      enabled: true,
      always: false,
      expiringDays: 7,
      unusedDays: 90,
      classes: ["expiring", "expired", "unused", "never_used", "global_all_services", "no_expiry"],
      maxItems: 10,
      channels: { slackWebhookUrl: undefined, discordWebhookUrl: undefined, webhookUrl: undefined, webhookSecret: undefined },
      stale: { mode: "off", afterDays: 90, maxRevocations: 10, exemptTokenIds: [] },
    });
  });

  it("sends where leak notifications go unless a DIGEST_ setting names another destination", () => {
    const shared = loadConfig(
      env({ NOTIFY_SLACK_WEBHOOK_URL: "https://hooks.slack.example/a", NOTIFY_WEBHOOK_URL: "https://receiver.example/n", NOTIFY_WEBHOOK_SECRET: "whsec_AAAA" }),
    ).hygiene;
    expect(shared.channels).toEqual({
      slackWebhookUrl: "https://hooks.slack.example/a",
      discordWebhookUrl: undefined,
      webhookUrl: "https://receiver.example/n",
      webhookSecret: "whsec_AAAA",
    });
    const own = loadConfig(
      env({
        NOTIFY_SLACK_WEBHOOK_URL: "https://hooks.slack.example/a",
        DIGEST_SLACK_WEBHOOK_URL: "https://hooks.slack.example/digest",
        DIGEST_DISCORD_WEBHOOK_URL: "https://discord.example/api/webhooks/1/x",
        DIGEST_WEBHOOK_URL: "https://receiver.example/digest",
        NOTIFY_WEBHOOK_SECRET: "whsec_AAAA",
        DIGEST_WEBHOOK_SECRET: "whsec_BBBB",
      }),
    ).hygiene;
    expect(own.channels).toEqual({
      slackWebhookUrl: "https://hooks.slack.example/digest",
      discordWebhookUrl: "https://discord.example/api/webhooks/1/x",
      webhookUrl: "https://receiver.example/digest",
      webhookSecret: "whsec_BBBB",
    });
  });

  it("reads the policy and its limits", () => {
    const s = loadConfig(
      env({ STALE_POLICY: " Revoke ", STALE_AFTER_DAYS: "30", STALE_MAX_REVOCATIONS: "3", STALE_EXEMPT_TOKEN_IDS: "a1, b2 c3", DIGEST_CLASSES: "expired,expired expiring" }),
    ).hygiene;
    expect(s.stale).toEqual({ mode: "revoke", afterDays: 30, maxRevocations: 3, exemptTokenIds: ["a1", "b2", "c3"] });
    expect(s.classes).toEqual(["expired", "expiring"]);
  });

  it.each([
    [{ STALE_POLICY: "yes-please" }, 'Setting STALE_POLICY is invalid: expected "off", "report" or "revoke"'],
    [{ STALE_AFTER_DAYS: "1" }, "Setting STALE_AFTER_DAYS is invalid: expected a whole number from 7 to 3650"],
    [{ STALE_MAX_REVOCATIONS: "500" }, "Setting STALE_MAX_REVOCATIONS is invalid: expected a whole number from 1 to 20"],
    [{ DIGEST_CLASSES: "expired sloppy" }, "Setting DIGEST_CLASSES is invalid: expected some of: expiring, expired, unused, never_used, global_all_services, no_expiry"],
    [{ DIGEST_DISCORD_WEBHOOK_URL: "ftp://secret-host/hook-token-123" }, "Setting DIGEST_DISCORD_WEBHOOK_URL is invalid: expected an http(s) URL"],
    [{ DIGEST_ALWAYS: "sometimes" }, 'Setting DIGEST_ALWAYS is invalid: expected "true" or "false"'],
  ])("refuses %o with a message that names the setting and not its value", (vars, message) => {
    expect(() => loadConfig(env(vars)).hygiene).toThrow(message);
    try {
      void loadConfig(env(vars)).hygiene;
    } catch (err) {
      expect((err as Error).name).toBe("ConfigError");
      for (const value of Object.values(vars)) expect((err as Error).message).not.toContain(value);
    }
  });
});
