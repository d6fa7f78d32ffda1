import { describe, expect, it } from "vitest";
import { type ChatPrincipal, authorize, describePrincipal } from "../../src/chatops/authorize";
import type { ChatPolicy } from "../../src/config/chat";

const slackUser: ChatPrincipal = { platform: "slack", userId: "U456", teamId: "T123", channelId: "C789" };
const discordMember: ChatPrincipal = {
  platform: "discord",
  userId: "U2",
  guildId: "G1",
  channelId: "CH1",
  roleIds: ["R-member", "R-ops"],
};

const policy = (read: ChatPolicy["read"], revoke: ChatPolicy["revoke"] = {}): ChatPolicy => ({ read, revoke });

describe("authorize", () => {
  it("denies everything when no allow-list is configured", () => {
    const r = authorize(slackUser, "read", policy({}, {}));
    expect(r).toEqual({ allowed: false, reason: "Nobody may read token information from slack: its read allow-list is empty." });
    expect(authorize(slackUser, "revoke", policy({}, {})).allowed).toBe(false);
  });

  it("allows a listed user and denies an unlisted one", () => {
    expect(authorize(slackUser, "read", policy({ users: ["U456"] }))).toEqual({ allowed: true });
    expect(authorize(slackUser, "read", policy({ users: ["U999"] }))).toEqual({
      allowed: false,
      reason: "Your user is not on the read allow-list, so you may not read token information here.",
    });
  });

  it("matches each dimension on its own", () => {
    expect(authorize(slackUser, "read", policy({ teams: ["T123"] })).allowed).toBe(true);
    expect(authorize(slackUser, "read", policy({ teams: ["T000"] })).allowed).toBe(false);
    expect(authorize(slackUser, "read", policy({ channels: ["C789"] })).allowed).toBe(true);
    expect(authorize(slackUser, "read", policy({ channels: ["C000"] })).allowed).toBe(false);
    expect(authorize(discordMember, "read", policy({ guilds: ["G1"] })).allowed).toBe(true);
    expect(authorize(discordMember, "read", policy({ guilds: ["G2"] })).allowed).toBe(false);
    expect(authorize(discordMember, "read", policy({ roles: ["R-ops"] })).allowed).toBe(true);
    expect(authorize(discordMember, "read", policy({ roles: ["R-admin"] }))).toEqual({
      allowed: false,
      reason: "None of your roles is on the read allow-list, so you may not read token information.",
    });
  });

  it("requires every configured dimension to match", () => {
    const both = policy({ users: ["U456"], channels: ["C789"] });
    expect(authorize(slackUser, "read", both).allowed).toBe(true);
    expect(authorize({ ...slackUser, channelId: "C000" }, "read", both)).toEqual({
      allowed: false,
      reason: "This channel is not on the read allow-list, so you may not read token information here.",
    });
    expect(authorize({ ...slackUser, userId: "U000" }, "read", both).allowed).toBe(false);
    const guildAndRole = policy({ guilds: ["G1"], roles: ["R-admin", "R-ops"] });
    expect(authorize(discordMember, "read", guildAndRole).allowed).toBe(true);
    expect(authorize({ ...discordMember, roleIds: ["R-member"] }, "read", guildAndRole).allowed).toBe(false);
    expect(authorize({ ...discordMember, guildId: "G9" }, "read", guildAndRole).allowed).toBe(false);
  });

  it("denies a principal that lacks a configured attribute, such as a Discord DM without a guild", () => {
    const dm: ChatPrincipal = { platform: "discord", userId: "U2" };
    expect(authorize(dm, "read", policy({ guilds: ["G1"] })).allowed).toBe(false);
    expect(authorize(dm, "read", policy({ roles: ["R-ops"] })).allowed).toBe(false);
    expect(authorize({ platform: "slack", userId: "U456" }, "read", policy({ teams: ["T123"] })).allowed).toBe(false);
  });

  it("treats a configured but empty dimension as matching nobody", () => {
    expect(authorize(slackUser, "read", policy({ users: [] })).allowed).toBe(false);
    expect(authorize(slackUser, "read", policy({ users: [], channels: ["C789"] })).allowed).toBe(false);
  });

  it("matches ids exactly, not user names", () => {
    const named: ChatPrincipal = { ...slackUser, userName: "alice" };
    expect(authorize(named, "read", policy({ users: ["alice"] })).allowed).toBe(false);
    expect(authorize(slackUser, "read", policy({ users: ["u456"] })).allowed).toBe(false);
  });

  it("keeps read and revoke apart: read never implies revoke", () => {
    const readOnly = policy({ users: ["U456"] }, { users: ["U999"] });
    expect(authorize(slackUser, "read", readOnly).allowed).toBe(true);
    expect(authorize(slackUser, "revoke", readOnly)).toEqual({
      allowed: false,
      reason: "Your user is not on the revoke allow-list, so you may not revoke tokens here.",
    });
  });

  it("lets whoever may revoke also read", () => {
    const revokeOnly = policy({}, { users: ["U456"] });
    expect(authorize(slackUser, "revoke", revokeOnly).allowed).toBe(true);
    expect(authorize(slackUser, "read", revokeOnly).allowed).toBe(true);
    expect(authorize({ ...slackUser, userId: "U000" }, "read", revokeOnly).allowed).toBe(false);
  });

  it("reports the read list's reason when neither list allows a read", () => {
    const r = authorize(slackUser, "read", policy({ channels: ["C000"] }, { users: ["U999"] }));
    expect(r).toEqual({
      allowed: false,
      reason: "This channel is not on the read allow-list, so you may not read token information here.",
    });
  });
});

describe("describePrincipal", () => {
  it("names the platform, the team or guild and the user", () => {
    expect(describePrincipal(slackUser)).toBe("slack:T123/U456");
    expect(describePrincipal(discordMember)).toBe("discord:G1/U2");
    expect(describePrincipal({ platform: "mattermost", userId: "user", teamId: "team" })).toBe("mattermost:team/user");
  });

  it("leaves out a missing team or guild", () => {
    expect(describePrincipal({ platform: "discord", userId: "U2" })).toBe("discord:U2");
  });

  it("drops characters that could forge separators in the audit log", () => {
    expect(describePrincipal({ platform: "slack", userId: "U4/5 6\n", teamId: "T:1" })).toBe("slack:T1/U456");
  });
});
