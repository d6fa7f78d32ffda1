import type { AllowList, ChatPolicy } from "../config/chat";
import type { Action } from "./command";

/** Who sent a chat command, as the platform's signed payload names them. Ids only: names can be changed by their owner. */
export interface ChatPrincipal {
  platform: "slack" | "discord" | "mattermost";
  userId: string;
  userName?: string;
  /** Slack workspace (team_id) or Mattermost team. */
  teamId?: string;
  channelId?: string;
  /** Discord server. */
  guildId?: string;
  /** Discord member roles. */
  roleIds?: string[];
}


export type AuthorizeResult = { allowed: true } | { allowed: false; reason: string };

const DIMENSIONS = ["users", "teams", "channels", "guilds", "roles"] as const;
type Dimension = (typeof DIMENSIONS)[number];

const WHAT: Record<Dimension, string> = {
  users: "your user",
  teams: "this workspace/team",
  channels: "this channel",
  guilds: "this server",
  roles: "your roles",
};

/**
 * Deny by default. A principal may take an action when the allow-list for it has at least one dimension
 * configured and EVERY configured dimension matches: users AND teams AND channels AND guilds, and for
 * roles any one of the member's roles. A dimension is configured when its array is present; a present but
 * empty array matches nobody (a mistyped setting locks the door rather than opening it). Matching is on
 * ids, exact and case-sensitive.
 *
 * Revoke implies read: whoever may revoke may also read, because confirming a revocation shows the
 * token's details anyway. Read never implies revoke.
 */
export function authorize(principal: ChatPrincipal, action: Action, policy: ChatPolicy): AuthorizeResult {
  const verdict = check(principal, policy[action], action);
  if (verdict.allowed || action === "revoke") return verdict;
  return check(principal, policy.revoke, "revoke").allowed ? { allowed: true } : verdict;
}

function check(principal: ChatPrincipal, list: AllowList, action: Action): AuthorizeResult {
  const configured = DIMENSIONS.filter((d) => list[d] !== undefined);
  const verb = action === "revoke" ? "revoke tokens" : "read token information";
  if (configured.length === 0) {
    return { allowed: false, reason: `Nobody may ${verb} from ${principal.platform}: its ${action} allow-list is empty.` };
  }
  for (const dimension of configured) {
    if (!matches(principal, dimension, list[dimension]!)) {
      const subject = WHAT[dimension];
      const reason =
        dimension === "roles"
          ? `None of your roles is on the ${action} allow-list, so you may not ${verb}.`
          : `${capitalize(subject)} is not on the ${action} allow-list, so you may not ${verb} here.`;
      return { allowed: false, reason };
    }
  }
  return { allowed: true };
}

function matches(p: ChatPrincipal, dimension: Dimension, allowed: string[]): boolean {
  switch (dimension) {
    case "users":
      return allowed.includes(p.userId);
    case "teams":
      return p.teamId !== undefined && allowed.includes(p.teamId);
    case "channels":
      return p.channelId !== undefined && allowed.includes(p.channelId);
    case "guilds":
      return p.guildId !== undefined && allowed.includes(p.guildId);
    case "roles":
      return (p.roleIds ?? []).some((r) => allowed.includes(r));
  }
}

/**
 * The principal as audit entries name it: "slack:T123/U456", "discord:G1/U2", "mattermost:team/user".
 * Without a team or guild (a Discord DM) it is "discord:U2". Characters outside ids' alphabet are dropped
 * so a crafted payload cannot forge separators in the audit log.
 */
export function describePrincipal(p: ChatPrincipal): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, "");
  const scope = p.platform === "discord" ? p.guildId : p.teamId;
  const user = clean(p.userId);
  return scope ? `${p.platform}:${clean(scope)}/${user}` : `${p.platform}:${user}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
