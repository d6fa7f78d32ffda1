import { describe, expect, it } from "vitest";
import type { ChatPrincipal } from "../../../src/chatops/authorize";
import { CANCEL_BUTTON_ID, CONFIRM_BUTTON_ID } from "../../../src/chatops/button-ids";
import type { ChatMessage } from "../../../src/chatops/message";
import { confirmedMessage } from "../../../src/chatops/render/notices";
import { loadConfig } from "../../../src/config";
import type { Env } from "../../../src/env";
import type { ChatDeps, ChatPlatform, ClickAdapter, CommandAdapter } from "../../../src/routes/chat/adapter";
import { revokeDeliveries, runClick } from "../../../src/routes/chat/click-flow";
import { runCommand } from "../../../src/routes/chat/command-flow";
import { ALICE, BOB, defaultPolicy, SEAL_SECRET } from "./helpers";

// The flow on its own, over an adapter that records what it was asked to deliver. Only the paths that are decided
// before any core call are run here: the services are absent, so a path that reached one would throw and fail.
// The full paths, per platform, are in slack-*.test.ts, discord.test.ts and mattermost.test.ts.

type Call = { method: "reply" | "answerWith" | "reportLeak" | "tell" | "replace" | "revoke"; message?: ChatMessage };

const PLATFORMS: ChatPlatform[] = ["slack", "discord", "mattermost"];
const TOKEN_ID = "2j1hEyxXOEqYaSipeZHaW4";
const PASTED = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";

function depsWith(vars: Record<string, string | undefined>): ChatDeps {
  const config = loadConfig({ CHAT_POLICY: JSON.stringify(defaultPolicy()), ...vars } as unknown as Env);
  return { config, service: undefined as never, services: {} as never };
}

function principal(platform: ChatPlatform, userId: string): ChatPrincipal {
  return { platform, userId, teamId: "T1", guildId: "G1", channelId: "C1" };
}

/** Records the call and answers 204; thunks handed to it are not run (they would need the absent services). */
function recorder(calls: Call[]) {
  return (method: Call["method"]) =>
    (message?: ChatMessage | (() => unknown)): Response => {
      calls.push(typeof message === "object" ? { method, message } : { method });
      return new Response(null, { status: 204 });
    };
}

function recordingCommandAdapter(platform: ChatPlatform, acknowledgesFirst: boolean, calls: Call[]): CommandAdapter {
  const record = recorder(calls);
  return { platform, acknowledgesFirst, reply: record("reply"), answerWith: record("answerWith"), reportLeak: record("reportLeak") };
}

function recordingClickAdapter(platform: ChatPlatform, calls: Call[]): ClickAdapter {
  const record = recorder(calls);
  return { platform, tell: record("tell"), replace: record("replace"), revoke: record("revoke") };
}

async function command(platform: ChatPlatform, userId: string, text: string, opts: { acknowledgesFirst?: boolean; vars?: Record<string, string | undefined> } = {}) {
  const calls: Call[] = [];
  const adapter = recordingCommandAdapter(platform, opts.acknowledgesFirst ?? true, calls);
  await runCommand(adapter, depsWith({ SEAL_SECRET, ...opts.vars }), { principal: principal(platform, userId), commandName: "/fastly-tokens", text });
  return calls;
}

describe("the chat command flow", () => {
  it("answers help, input errors and denials completely in the reply, on every platform", async () => {
    for (const platform of PLATFORMS) {
      const help = await command(platform, BOB[platform], "help list");
      expect(help.map((c) => c.method)).toEqual(["reply"]);
      expect(help[0]!.message!.text).toContain("/fastly-tokens list");

      const bad = await command(platform, BOB[platform], "list --stale soon");
      expect(bad.map((c) => c.method)).toEqual(["reply"]);
      expect(bad[0]!.message!.blocks[0]).toMatchObject({ type: "warning" });

      const denied = await command(platform, BOB[platform], `revoke ${TOKEN_ID}`);
      expect(denied.map((c) => c.method)).toEqual(["reply"]);
      expect(denied[0]!.message!.text).toMatch(/^Not allowed: /);
    }
  });

  it("hands a command that needs Fastly to answerWith once it is authorized", async () => {
    for (const platform of PLATFORMS) {
      expect((await command(platform, BOB[platform], "whoami")).map((c) => c.method)).toEqual(["answerWith"]);
      expect((await command(platform, ALICE[platform], `revoke ${TOKEN_ID}`)).map((c) => c.method)).toEqual(["answerWith"]);
    }
  });

  it("hands pasted tokens to reportLeak and never runs the command, whoever sends them", async () => {
    for (const platform of PLATFORMS) {
      const calls = await command(platform, "someone-not-on-any-list", `revoke ${PASTED}`);
      expect(calls.map((c) => c.method)).toEqual(["reportLeak"]);
    }
  });

  it("refuses a revoke without SEAL_SECRET in the acknowledgement when the platform acknowledges first, and leaves it to the answer otherwise", async () => {
    const early = await command("slack", ALICE.slack, `revoke ${TOKEN_ID}`, { vars: { SEAL_SECRET: undefined } });
    expect(early.map((c) => c.method)).toEqual(["reply"]);
    expect(early[0]!.message!.text).toContain("SEAL_SECRET");

    const inline = await command("mattermost", ALICE.mattermost, `revoke ${TOKEN_ID}`, { acknowledgesFirst: false, vars: { SEAL_SECRET: undefined } });
    expect(inline.map((c) => c.method)).toEqual(["answerWith"]);
  });
});

describe("the chat click flow", () => {
  it("tells a clicker outside the revoke allow-list no, before the button's value is looked at", async () => {
    for (const platform of PLATFORMS) {
      const calls: Call[] = [];
      const click = { principal: principal(platform, BOB[platform]), button: CONFIRM_BUTTON_ID, value: "not-even-a-value" } as const;
      await runClick(recordingClickAdapter(platform, calls), depsWith({ SEAL_SECRET }), click);
      expect(calls.map((c) => c.method)).toEqual(["tell"]);
      expect(calls[0]!.message!.text).toMatch(/^Not allowed: /);
    }
  });

  it("tells the clicker that revoking is not enabled when SEAL_SECRET is gone, leaving the confirmation in place", async () => {
    const calls: Call[] = [];
    const click = { principal: principal("discord", ALICE.discord), button: CANCEL_BUTTON_ID, value: "x" } as const;
    await runClick(recordingClickAdapter("discord", calls), depsWith({ SEAL_SECRET: undefined }), click);
    expect(calls.map((c) => c.method)).toEqual(["tell"]);
    expect(calls[0]!.message!.text).toContain("SEAL_SECRET");
  });
});

describe("revokeDeliveries", () => {
  const result = (visibility: ChatMessage["visibility"]): ChatMessage => ({ text: "result", visibility, blocks: [] });

  it("closes the confirmation and announces a public result in the channel", () => {
    const announced = result("in_channel");
    expect(revokeDeliveries(announced)).toEqual({ replace: confirmedMessage(), announce: announced });
  });

  it("puts any other result in place of the confirmation and announces nothing", () => {
    const quiet = result("ephemeral");
    expect(revokeDeliveries(quiet)).toEqual({ replace: quiet });
  });
});
