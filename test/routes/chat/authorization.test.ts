import { beforeAll, describe, expect, it } from "vitest";
import { demo, newTenant } from "../../helpers";
import {
  callChat,
  chatEnv,
  type DiscordKeys,
  discordCommandBody,
  discordInit,
  discordKeys,
  mattermostInit,
  newSink,
  slackCommandBody,
  slackInit,
} from "./helpers";

// One row per decision: who asks (the payload's ids), what (read = `whoami`, revoke = `revoke <id>`), under
// which policy, and whether the route lets it through. "Let through" is observable without looking inside:
// Slack answers "Working on it…" (denied: "Not allowed"), Discord defers (type 5; denied: type 4),
// Mattermost answers with the result (denied: "Not allowed"). Denials never reach Fastly.

type Action = "read" | "revoke";
const ID = demo.tokens.userGlobal.id;
const text = (action: Action) => (action === "read" ? "whoami" : `revoke ${ID}`);

let keys: DiscordKeys;
beforeAll(async () => {
  keys = await discordKeys();
});

interface SlackWho {
  user?: string;
  team?: string;
  channel?: string;
}
const slackRows: [string, unknown, SlackWho, Action, boolean][] = [
  ["no policy at all", undefined, {}, "read", false],
  ["no policy at all", undefined, {}, "revoke", false],
  ["an empty read list", { slack: { read: {}, revoke: {} } }, {}, "read", false],
  ["a user on the read list", { slack: { read: { users: ["U1"] } } }, { user: "U1" }, "read", true],
  ["a user on the read list", { slack: { read: { users: ["U1"] } } }, { user: "U1" }, "revoke", false],
  ["a user not on the read list", { slack: { read: { users: ["U1"] } } }, { user: "U2" }, "read", false],
  ["a user on the revoke list (revoke implies read)", { slack: { revoke: { users: ["U1"] } } }, { user: "U1" }, "read", true],
  ["a user on the revoke list", { slack: { revoke: { users: ["U1"] } } }, { user: "U1" }, "revoke", true],
  ["a workspace on the read list", { slack: { read: { teams: ["T1"] } } }, { user: "U9", team: "T1" }, "read", true],
  ["another workspace", { slack: { read: { teams: ["T1"] } } }, { user: "U9", team: "T2" }, "read", false],
  ["a channel on the revoke list", { slack: { revoke: { channels: ["C1"] } } }, { user: "U9", channel: "C1" }, "revoke", true],
  ["another channel", { slack: { revoke: { channels: ["C1"] } } }, { user: "U9", channel: "C2" }, "revoke", false],
  ["the right user in the wrong channel", { slack: { revoke: { users: ["U1"], channels: ["C1"] } } }, { user: "U1", channel: "C2" }, "revoke", false],
  ["the right user in the right channel", { slack: { revoke: { users: ["U1"], channels: ["C1"] } } }, { user: "U1", channel: "C1" }, "revoke", true],
  ["a Discord policy only", { discord: { read: { users: ["U1"] } } }, { user: "U1" }, "read", false],
];

describe("Slack authorization", () => {
  it.each(slackRows)("with %s, %j %s → allowed: %s", async (_name, policy, who, action, allowed) => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, policy: policy ?? {} });
    const fields: Record<string, string> = {};
    if (who.user) fields.user_id = who.user;
    if (who.team) fields.team_id = who.team;
    if (who.channel) fields.channel_id = who.channel;
    const r = await callChat(env, "/slack/commands", await slackInit(slackCommandBody(sink, text(action), fields)));
    const body = (await r.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe("ephemeral");
    if (allowed) {
      expect(body.text).toBe("Working on it…");
      expect((await sink.received()).length).toBe(1);
    } else {
      expect(body.text).toMatch(/^Not allowed: /);
      expect(await t.calls()).toEqual([]);
      expect(await sink.received()).toEqual([]);
    }
  });
});

interface DiscordWho {
  user?: string;
  roles?: string[];
  guild?: string;
  dm?: boolean;
}
const discordRows: [string, unknown, DiscordWho, Action, boolean][] = [
  ["no policy", undefined, {}, "read", false],
  ["a user on the read list", { discord: { read: { users: ["1"] } } }, { user: "1" }, "read", true],
  ["a user on the read list", { discord: { read: { users: ["1"] } } }, { user: "1" }, "revoke", false],
  ["a role on the revoke list", { discord: { revoke: { roles: ["R1"] } } }, { user: "2", roles: ["R0", "R1"] }, "revoke", true],
  ["no role on the revoke list", { discord: { revoke: { roles: ["R1"] } } }, { user: "2", roles: ["R0"] }, "revoke", false],
  ["a guild on the read list", { discord: { read: { guilds: ["G1"] } } }, { user: "3", guild: "G1" }, "read", true],
  ["another guild", { discord: { read: { guilds: ["G1"] } } }, { user: "3", guild: "G2" }, "read", false],
  ["a direct message where a guild is required", { discord: { read: { guilds: ["G1"], users: ["3"] } } }, { user: "3", dm: true }, "read", false],
  ["a role in the right guild", { discord: { revoke: { guilds: ["G1"], roles: ["R1"] } } }, { user: "4", guild: "G1", roles: ["R1"] }, "revoke", true],
  ["a role in the wrong guild", { discord: { revoke: { guilds: ["G1"], roles: ["R1"] } } }, { user: "4", guild: "G2", roles: ["R1"] }, "revoke", false],
];

describe("Discord authorization", () => {
  it.each(discordRows)("with %s, %j %s → allowed: %s", async (_name, policy, who, action, allowed) => {
    const t = await newTenant();
    const sink = newSink();
    const env = await chatEnv(t, { sink, keys, policy: policy ?? {} });
    const interaction = JSON.parse(discordCommandBody(text(action), { userId: who.user, roles: who.roles, guildId: who.guild })) as Record<string, unknown>;
    if (who.dm) {
      interaction.user = (interaction.member as { user: unknown }).user;
      delete interaction.member;
      delete interaction.guild_id;
    }
    const r = await callChat(env, "/discord/interactions", await discordInit(keys, JSON.stringify(interaction)));
    const body = (await r.json()) as { type: number; data: { flags: number; content?: string } };
    expect(body.data.flags).toBe(64);
    if (allowed) {
      expect(body.type).toBe(5);
      expect((await sink.received()).length).toBe(1);
    } else {
      expect(body.type).toBe(4);
      expect(body.data.content).toContain("Not allowed");
      expect(await t.calls()).toEqual([]);
      expect(await sink.received()).toEqual([]);
    }
  });
});

const mattermostRows: [string, unknown, { user: string; team: string }, Action, boolean][] = [
  ["no policy", undefined, { user: "m1", team: "t1" }, "read", false],
  ["a user on the read list", { mattermost: { read: { users: ["m1"] } } }, { user: "m1", team: "t1" }, "read", true],
  ["a user on the read list", { mattermost: { read: { users: ["m1"] } } }, { user: "m1", team: "t1" }, "revoke", false],
  ["a team on the revoke list", { mattermost: { revoke: { teams: ["t1"] } } }, { user: "m2", team: "t1" }, "revoke", true],
  ["another team", { mattermost: { revoke: { teams: ["t1"] } } }, { user: "m2", team: "t2" }, "revoke", false],
  ["a Slack policy only", { slack: { read: { users: ["m1"] } } }, { user: "m1", team: "t1" }, "read", false],
];

describe("Mattermost authorization", () => {
  it.each(mattermostRows)("with %s, %j %s → allowed: %s", async (_name, policy, who, action, allowed) => {
    const t = await newTenant();
    const env = await chatEnv(t, { sink: newSink(), policy: policy ?? {} });
    const r = await callChat(env, "/mattermost/command", mattermostInit({ text: text(action), user_id: who.user, team_id: who.team }));
    const body = (await r.json()) as { response_type: string; text: string };
    expect(body.response_type).toBe("ephemeral");
    if (allowed) {
      expect(body.text).not.toContain("Not allowed");
      expect((await t.calls()).length).toBeGreaterThan(0);
    } else {
      expect(body.text).toContain("Not allowed");
      expect(await t.calls()).toEqual([]);
    }
  });
});
