import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";
import type { Env } from "../../src/env";
import { audit, demo, dumpD1, dumpKv, newSlackApi, postScannerReport, recordingEmail, scannerSetup } from "../helpers";

const config = (vars: Record<string, string>) => loadConfig({ ...vars } as unknown as Env);

afterEach(() => vi.restoreAllMocks());

describe("owner notice settings", () => {
  it("leave every owner channel off by default", () => {
    expect(config({}).owner).toEqual({
      inNotifications: false,
      email: { enabled: false },
      slack: { enabled: false, apiBaseUrl: "https://slack.com/api" },
      contact: "your security team",
    });
  });

  it("name a malformed setting without echoing its value", () => {
    for (const [name, value] of [
      ["OWNER_EMAIL_FROM", "not an address"],
      ["OWNER_SLACK_BOT_TOKEN", "secret-value-not-a-bot-token"],
      ["OWNER_EMAIL_ENABLED", "maybe"],
      ["SLACK_API_BASE_URL", "no url here"],
    ] as const) {
      let err: unknown;
      try {
        config({ [name]: value });
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain(name);
      expect((err as Error).message).not.toContain(value);
    }
  });

  it("keep a switched-on channel that lacks a setting, marked with what is missing", () => {
    const owner = config({ OWNER_EMAIL_ENABLED: "true", OWNER_SLACK_ENABLED: "yes", SLACK_API_BASE_URL: "https://slack.example/api/" }).owner;
    expect(owner.email).toEqual({ enabled: true, missing: "OWNER_EMAIL_FROM" });
    expect(owner.slack).toEqual({ enabled: true, apiBaseUrl: "https://slack.example/api", missing: "OWNER_SLACK_BOT_TOKEN" });
  });
});

describe("owner notices and secrets", () => {
  it("never put the leaked token or the Slack bot token in a log line, audit entry, stored row or message, even when delivery fails", async () => {
    const logged: string[] = [];
    for (const level of ["log", "info", "warn", "error"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(" "));
      });
    }
    const slack = await newSlackApi();
    await slack.addUser({ email: demo.users.acmeUser.login });
    await slack.fail("chat.postMessage", { status: 429 });
    const email = recordingEmail({ failWith: "email from security@acme.example not allowed" });
    const { sink, env } = await scannerSetup({
      OWNER_IN_NOTIFICATIONS: "true",
      OWNER_EMAIL: email.binding,
      OWNER_EMAIL_ENABLED: "true",
      OWNER_EMAIL_FROM: "security@acme.example",
      OWNER_SLACK_ENABLED: "true",
      OWNER_SLACK_BOT_TOKEN: slack.botToken,
      SLACK_API_BASE_URL: slack.baseUrl,
    });
    const tokens = [demo.tokens.userGlobal, demo.tokens.engineerGlobal].map((x) => x.access_token);
    const r = await postScannerReport(env, JSON.stringify({ tokens }));
    const everything = [
      await r.text(),
      ...logged,
      JSON.stringify(await audit(env)),
      JSON.stringify(await dumpD1(env)),
      JSON.stringify(await dumpKv(env)),
      JSON.stringify(await sink.received()),
      JSON.stringify(await slack.messages()),
      JSON.stringify(email.sent),
    ].join("\n");
    expect(logged.some((l) => l.includes("owner_notice_failed"))).toBe(true);
    for (const secret of [...tokens, slack.botToken, demo.tokens.superuserGlobal.access_token]) expect(everything).not.toContain(secret);
  });
});
