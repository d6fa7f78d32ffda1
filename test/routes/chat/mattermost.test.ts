import { describe, expect, it } from "vitest";
import type { Env } from "../../../src/env";
import type { AuditEntry } from "../../../src/tokens/audit-entry";
import { auditOf, d1IsEmpty, demo, dumpKv, newTenant, type Tenant } from "../../helpers";
import {
  ALICE,
  BOB,
  callChat,
  chatEnv,
  MATTERMOST_TOKEN,
  mattermostClickInit,
  mattermostInit,
  newSink,
  type Sink,
} from "./helpers";

interface MattermostReply {
  response_type: string;
  text: string;
  attachments?: { actions: { id: string; name: string; integration: { url: string; context: { action: string; value: string } } }[] }[];
}

async function setup(policy?: unknown): Promise<{ t: Tenant; sink: Sink; env: Env }> {
  const t = await newTenant();
  const sink = newSink();
  return { t, sink, env: await chatEnv(t, { sink, policy }) };
}

describe("Mattermost: command token authentication", () => {
  it.each([
    ["the Authorization header", { header: `Token ${MATTERMOST_TOKEN}` }, {}],
    ["the token field alone", { header: null }, {}],
  ] as const)("accepts the command token in %s", async (_name, opts, fields) => {
    const { env } = await setup();
    const r = await callChat(env, "/mattermost/command", mattermostInit({ text: "help", ...fields }, opts));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ response_type: "ephemeral", text: expect.stringContaining("Fastly token commands") });
  });

  it.each([
    ["a wrong header, even with the right form token", { header: "Token not-the-token" }, {}],
    ["a bearer header", { header: `Bearer ${MATTERMOST_TOKEN}` }, {}],
    ["a wrong form token", { header: null }, { token: "not-the-token" }],
    ["a token that only shares a prefix", { header: `Token ${MATTERMOST_TOKEN.slice(0, -1)}` }, {}],
    ["no token at all", { header: null }, { token: "" }],
  ] as const)("refuses %s with 401 and no side effect", async (_name, opts, fields) => {
    const { t, sink, env } = await setup();
    const r = await callChat(env, "/mattermost/command", mattermostInit({ text: "whoami", ...fields }, opts));
    expect(r.status).toBe(401);
    expect(await r.text()).not.toContain(MATTERMOST_TOKEN);
    expect(await t.calls()).toEqual([]);
    expect(await sink.received()).toEqual([]);
    expect(await dumpKv(env)).toEqual([]);
    expect(await d1IsEmpty(env)).toBe(true);
  });

  it("answers 503 naming the setting when MATTERMOST_TOKEN is not configured", async () => {
    const t = await newTenant();
    const env = await chatEnv(t, { sink: newSink(), overrides: { MATTERMOST_TOKEN: undefined } });
    const r = await callChat(env, "/mattermost/command", mattermostInit({ text: "whoami" }));
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ detail: "set MATTERMOST_TOKEN to enable it" });
  });
});

describe("Mattermost: commands and confirmation", () => {
  it("answers a read command inline as markdown", async () => {
    const { env } = await setup();
    const r = await callChat(env, "/mattermost/command", mattermostInit({ text: "list customer --scope purge_all" }));
    const reply = (await r.json()) as MattermostReply;
    expect(reply.response_type).toBe("ephemeral");
    expect(reply.text).toContain("**Tokens of the customer account**");
    expect(reply.text).toContain(demo.tokens.engineerPurgeAll.id);
  });

  it("revokes after the button is pressed, replacing the confirmation with the result", async () => {
    const { t, env } = await setup();
    const id = demo.tokens.engineerPurgeSelect.id;
    const r = await callChat(env, "/mattermost/command", mattermostInit({ text: `revoke ${id}` }));
    const reply = (await r.json()) as MattermostReply;
    expect(reply.text).toContain("Revoke this token?");
    const actions = reply.attachments?.[0]?.actions ?? [];
    expect(actions.map((a) => a.integration.context.action)).toEqual(["revoke_confirm", "revoke_cancel"]);
    expect(actions.map((a) => a.id)).toEqual(["revokeconfirm", "revokecancel"]);
    const confirm = actions[0]!.integration;
    expect(confirm.url).toBe("https://worker.test/mattermost/actions");
    expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(false);

    const clicked = await callChat(env, "/mattermost/actions", mattermostClickInit(confirm.context.action, confirm.context.value));
    expect(clicked.status).toBe(200);
    const update = (await clicked.json()) as { update: { message: string; props: { attachments: unknown[] } } };
    expect(update.update.message).toContain("Revoked 1 token");
    expect(update.update.props.attachments).toEqual([]);
    expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(true);
    const audit: AuditEntry[] = (await auditOf(env).list(50)).entries;
    expect(audit.filter((e) => e.operation === "revokeToken")).toEqual([
      expect.objectContaining({ surface: "mattermost", principal: `mattermost:mmteam/${ALICE.mattermost}`, result: "ok", tokenId: id }),
    ]);

    const replay = await callChat(env, "/mattermost/actions", mattermostClickInit(confirm.context.action, confirm.context.value));
    expect(replay.status).toBe(401);
  });

  it("refuses a forged or someone else's click with 401, and rechecks the allow-list", async () => {
    const policy = { mattermost: { read: {}, revoke: { users: [ALICE.mattermost, BOB.mattermost] } } };
    const { t, env } = await setup(policy);
    const id = demo.tokens.engineerPurgeSelect.id;
    const reply = (await (await callChat(env, "/mattermost/command", mattermostInit({ text: `revoke ${id}` }))).json()) as MattermostReply;
    const { value } = reply.attachments![0]!.actions[0]!.integration.context;
    await t.clearCalls();
    const kvBefore = JSON.stringify(await dumpKv(env));
    const at = value.length - 5;
    const forged = value.slice(0, at) + (value[at] === "A" ? "B" : "A") + value.slice(at + 1);
    expect((await callChat(env, "/mattermost/actions", mattermostClickInit("revoke_confirm", forged))).status).toBe(401);
    expect((await callChat(env, "/mattermost/actions", mattermostClickInit("revoke_confirm", value, BOB.mattermost))).status).toBe(401);
    // Mattermost clicks are unsigned: a click claiming another channel (to pass that channel's allow-list) fails the MAC.
    expect((await callChat(env, "/mattermost/actions", mattermostClickInit("revoke_confirm", value, ALICE.mattermost, "otherchannel"))).status).toBe(401);
    const denied = await callChat(env, "/mattermost/actions", mattermostClickInit("revoke_confirm", value, "mallory"));
    expect(await denied.json()).toEqual({ ephemeral_text: expect.stringContaining("Not allowed") });
    expect(JSON.stringify(await dumpKv(env))).toBe(kvBefore);
    expect(await t.calls()).toEqual([]);
    expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(false);
  });

  it("cancels without revoking", async () => {
    const { t, env } = await setup();
    const id = demo.tokens.engineerPurgeSelect.id;
    const reply = (await (await callChat(env, "/mattermost/command", mattermostInit({ text: `revoke ${id}` }))).json()) as MattermostReply;
    const cancel = reply.attachments![0]!.actions[1]!.integration.context;
    const r = await callChat(env, "/mattermost/actions", mattermostClickInit(cancel.action, cancel.value));
    expect(await r.json()).toEqual({ update: { message: "Cancelled: nothing was revoked.", props: { attachments: [] } } });
    expect((await t.tokens()).find((x) => x.id === id)?.revoked).toBe(false);
  });
});
