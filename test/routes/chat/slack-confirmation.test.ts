import { afterEach, describe, expect, it, vi } from "vitest";
import type { Env } from "../../../src/env";
import type { AuditEntry } from "../../../src/tokens/audit-entry";
import { auditOf, demo, dumpKv, newTenant } from "../../helpers";
import {
  ALICE,
  callChat,
  chatEnv,
  defaultPolicy,
  newSink,
  type Sink,
  slackButtons,
  slackClickBody,
  slackCommandBody,
  slackInit,
} from "./helpers";

afterEach(() => {
  vi.useRealTimers();
});

async function auditEntries(env: Env): Promise<AuditEntry[]> {
  return (await auditOf(env).list(100)).entries;
}

/** Runs a revoke command and returns the confirmation posted to the sink, with its confirm button's value. */
async function confirmationFor(env: Env, sink: Sink, text: string) {
  const ack = await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, text)));
  expect(await ack.json()).toMatchObject({ text: "Working on it…" });
  const bodies = await sink.bodies();
  const message = bodies[bodies.length - 1]!;
  const buttons = slackButtons(message);
  const confirm = buttons.find((b) => b.action_id === "revoke_confirm");
  return { message, buttons, value: confirm?.value ?? "" };
}

async function click(env: Env, sink: Sink, actionId: string, value: string, user: string = ALICE.slack) {
  return callChat(env, "/slack/interactions", await slackInit(slackClickBody(sink, actionId, value, user)));
}

async function isRevoked(t: Awaited<ReturnType<typeof newTenant>>, id: string): Promise<boolean | undefined> {
  return (await t.tokens()).find((x) => x.id === id)?.revoked;
}

describe("Slack: revocation with confirmation, end to end", () => {
  it("shows the token, revokes it only when the requester confirms, and announces it in the channel", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const id = demo.tokens.userGlobal.id;
    const { message, buttons, value } = await confirmationFor(env, sink, `revoke ${id}`);

    expect(message.response_type).toBe("ephemeral");
    const shown = JSON.stringify(message.blocks);
    for (const fact of ["Name", "Owner", "Scope", "Services", "Created", "Last used", "Expiry", id, demo.users.acmeUser.id]) {
      expect(shown).toContain(fact);
    }
    expect(buttons.map((b) => b.action_id)).toEqual(["revoke_confirm", "revoke_cancel"]);
    expect(value.length).toBeLessThanOrEqual(85);
    expect(value).not.toContain(id);
    expect(await isRevoked(t, id)).toBe(false);

    const r = await click(env, sink, "revoke_confirm", value);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe("");
    expect(await isRevoked(t, id)).toBe(true);

    const [, closed, announced, ...rest] = await sink.received();
    expect(rest).toEqual([]);
    expect(closed?.path).toBe("/actions/T0ACME/2/def");
    expect(JSON.parse(closed!.body)).toMatchObject({ replace_original: true, response_type: "ephemeral", text: expect.stringContaining("Confirmed") });
    const announcement = JSON.parse(announced!.body) as Record<string, unknown>;
    expect(announcement).toMatchObject({ replace_original: false, response_type: "in_channel", text: expect.stringContaining("Revoked 1 token") });
    expect(JSON.stringify(announcement.blocks)).toContain("slack:T0ACME/U0ALICE");

    const entries = (await auditEntries(env)).filter((e) => e.operation === "revokeToken");
    expect(entries).toEqual([expect.objectContaining({ surface: "slack", principal: "slack:T0ACME/U0ALICE", result: "ok", tokenId: id })]);
  });

  it("bulk-revokes several tokens with one confirmation", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const ids = [demo.tokens.userGlobal.id, demo.tokens.userNeverUsed.id, demo.tokens.engineerPurgeAll.id];
    const { message, value } = await confirmationFor(env, sink, `bulk-revoke ${ids.join(",")}`);
    expect(message.text).toContain("Confirm revoking 3 tokens");
    await click(env, sink, "revoke_confirm", value);
    for (const id of ids) expect(await isRevoked(t, id)).toBe(true);
    const announcement = (await sink.bodies()).at(-1)!;
    expect(announcement).toMatchObject({ response_type: "in_channel", text: expect.stringContaining("Revoked 3 tokens") });
    const bulk = (await auditEntries(env)).filter((e) => e.operation === "bulkRevokeTokens");
    expect(bulk.map((e) => e.tokenId).sort()).toEqual([...ids].sort());
  });

  it("lists ids that were not found above the buttons and confirms only the others", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const missing = "AAAAAAAAAAAAAAAAAAAAAA";
    const { message, value } = await confirmationFor(env, sink, `bulk-revoke ${demo.tokens.userGlobal.id} ${missing}`);
    expect(JSON.stringify(message.blocks)).toContain("These will not be revoked");
    await click(env, sink, "revoke_confirm", value);
    expect(await isRevoked(t, demo.tokens.userGlobal.id)).toBe(true);
  });

  it("revokes nothing when the requester cancels, and the cancelled button cannot be confirmed afterwards", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const id = demo.tokens.userGlobal.id;
    const { value } = await confirmationFor(env, sink, `revoke ${id}`);
    const r = await click(env, sink, "revoke_cancel", value);
    expect(r.status).toBe(200);
    expect((await sink.bodies()).at(-1)).toMatchObject({ replace_original: true, text: "Cancelled: nothing was revoked." });
    const after = await click(env, sink, "revoke_confirm", value);
    expect(after.status).toBe(401);
    expect(await isRevoked(t, id)).toBe(false);
  });

  it("reports a dry run without revoking, privately", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, overrides: { DRY_RUN: "true" } });
    const id = demo.tokens.userGlobal.id;
    const { value } = await confirmationFor(env, sink, `revoke ${id}`);
    await click(env, sink, "revoke_confirm", value);
    expect(await isRevoked(t, id)).toBe(false);
    expect((await sink.bodies()).at(-1)).toMatchObject({ response_type: "ephemeral", replace_original: true, text: expect.stringContaining("Dry run") });
  });

  it("refuses to revoke the Worker's own token and says why", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const { value } = await confirmationFor(env, sink, `revoke ${demo.tokens.superuserGlobal.id}`);
    await click(env, sink, "revoke_confirm", value);
    expect(await isRevoked(t, demo.tokens.superuserGlobal.id)).toBe(false);
    const last = (await sink.bodies()).at(-1)!;
    expect(last).toMatchObject({ response_type: "ephemeral", text: expect.stringContaining("Nothing was revoked") });
    expect(JSON.stringify(last.blocks)).toContain("the Worker's own Fastly token");
  });

  it("answers a revoke command inline, without buttons, when no SEAL_SECRET is configured", async () => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, overrides: { SEAL_SECRET: undefined } });
    const r = await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, `revoke ${demo.tokens.userGlobal.id}`)));
    expect(((await r.json()) as { text: string }).text).toContain("SEAL_SECRET");
    expect(await sink.received()).toEqual([]);
    expect(await t.calls()).toEqual([]);
  });
});

describe("Slack: forged, tampered, replayed and stale clicks", () => {
  async function prepared() {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink });
    const id = demo.tokens.userGlobal.id;
    const { value } = await confirmationFor(env, sink, `revoke ${id}`);
    await t.clearCalls();
    const kvBefore = JSON.stringify(await dumpKv(env));
    const sinkBefore = (await sink.received()).length;
    const unchanged = async () => {
      expect(await t.calls()).toEqual([]);
      expect((await sink.received()).length).toBe(sinkBefore);
      expect(JSON.stringify(await dumpKv(env))).toBe(kvBefore);
      expect(await isRevoked(t, id)).toBe(false);
    };
    return { t, sink, env, id, value, unchanged };
  }

  // The last of 22 base64url characters carries 2 bits of the MAC and 4 padding bits: ^1 keeps the bytes.
  const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === "A" ? "B" : "A") + s.slice(at + 1);

  it.each([
    ["its MAC changed", (v: string) => flip(v, v.length - 5)],
    ["its MAC spelled non-canonically (same bytes)", (v: string) => v.slice(0, -1) + B64URL[B64URL.indexOf(v.at(-1)!) ^ 1]],
    ["its nonce changed", (v: string) => flip(v, 0)],
    ["its expiry pushed later", (v: string) => v.replace(/\.([0-9a-z]+)\./, (_m, e: string) => `.${(Number.parseInt(e, 36) + 3600).toString(36)}.`)],
    ["a made-up value", () => "AAAAAAAAAAAAAAAA.zzzzzz.AAAAAAAAAAAAAAAAAAAAAA"],
    ["a value that is not one", () => "revoke everything"],
  ])("refuses a click whose value has %s with 401 and no side effect", async (_name, tamper) => {
    const { env, sink, value, unchanged } = await prepared();
    const r = await click(env, sink, "revoke_confirm", tamper(value));
    expect(r.status).toBe(401);
    await unchanged();
  });

  it("refuses a confirmation clicked by another user, even one allowed to revoke", async () => {
    const policy = defaultPolicy();
    policy.slack.revoke.users.push("U0CAROL");
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, policy });
    const { value } = await confirmationFor(env, sink, `revoke ${demo.tokens.userGlobal.id}`);
    const r = await click(env, sink, "revoke_confirm", value, "U0CAROL");
    expect(r.status).toBe(401);
    expect(await isRevoked(t, demo.tokens.userGlobal.id)).toBe(false);
  });

  it("refuses a click that is not signed by Slack, with no side effect", async () => {
    const { env, sink, value, unchanged } = await prepared();
    const r = await callChat(env, "/slack/interactions", await slackInit(slackClickBody(sink, "revoke_confirm", value), { secret: "forged" }));
    expect(r.status).toBe(401);
    await unchanged();
  });

  it("refuses a replayed click after the first one revoked the token", async () => {
    const { t, env, sink, id, value } = await prepared();
    expect((await click(env, sink, "revoke_confirm", value)).status).toBe(200);
    expect(await isRevoked(t, id)).toBe(true);
    await t.clearCalls();
    const deliveries = (await sink.received()).length;
    const again = await click(env, sink, "revoke_confirm", value);
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ code: "chat_used" });
    expect(await t.calls()).toEqual([]);
    expect((await sink.received()).length).toBe(deliveries);
  });

  it("replaces an expired confirmation with a note and revokes nothing", async () => {
    const { t, env, sink, id, value } = await prepared();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    const r = await click(env, sink, "revoke_confirm", value);
    expect(r.status).toBe(200);
    vi.useRealTimers();
    expect((await sink.bodies()).at(-1)).toMatchObject({ replace_original: true, text: expect.stringContaining("expired") });
    expect(await isRevoked(t, id)).toBe(false);
    expect(await t.calls()).toEqual([]);
  });

  it("ignores other apps' buttons and other interaction types", async () => {
    const { env, sink, unchanged } = await prepared();
    const r = await click(env, sink, "some_other_button", "x");
    expect(r.status).toBe(200);
    const shortcut = new URLSearchParams({ payload: JSON.stringify({ type: "shortcut", user: { id: ALICE.slack } }) }).toString();
    expect((await callChat(env, "/slack/interactions", await slackInit(shortcut))).status).toBe(200);
    await unchanged();
  });
});
