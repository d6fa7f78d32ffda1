import * as z from "zod/mini";
import { type EnvShape, json, matching, secret, url, urlOr } from "./fields";

const ids = z.optional(z.array(z.string()));
const allowList = z.strictObject({ users: ids, teams: ids, channels: ids, guilds: ids, roles: ids });
const platformPolicy = z.strictObject({ read: z._default(allowList, {}), revoke: z._default(allowList, {}) });
const policies = z.strictObject({ slack: z.optional(platformPolicy), discord: z.optional(platformPolicy), mattermost: z.optional(platformPolicy) });
/** One allow-list; each dimension that is present must match (src/chatops/authorize.ts reads it). */
export type AllowList = z.output<typeof allowList>;
/** The allow-lists of one platform; the route picks the policy of the platform the request came from. */
export type ChatPolicy = z.output<typeof platformPolicy>;
const denyAll = (): ChatPolicy => ({ read: {}, revoke: {} });

const slackSettings = {
  SLACK_SIGNING_SECRET: secret(),
  SLACK_RESPONSE_URL_PREFIX: urlOr("https://hooks.slack.com/"),
} satisfies EnvShape;
const discordSettings = {
  DISCORD_PUBLIC_KEY: matching(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters"),
  DISCORD_APPLICATION_ID: matching(/^\d{1,25}$/, "must be a numeric id"),
  DISCORD_API_BASE_URL: urlOr("https://discord.com/api/v10"),
} satisfies EnvShape;
const mattermostSettings = {
  MATTERMOST_TOKEN: secret(),
  MATTERMOST_RESPONSE_URL_PREFIX: url,
} satisfies EnvShape;
const policySettings = {
  /** JSON: {"slack": {"read": {...}, "revoke": {...}}, "discord": {...}, "mattermost": {...}}; absent = deny all. */
  CHAT_POLICY: json(policies, { slack: denyAll(), discord: denyAll(), mattermost: denyAll() }, "a JSON object", (p) => ({
    slack: p.slack ?? denyAll(),
    discord: p.discord ?? denyAll(),
    mattermost: p.mattermost ?? denyAll(),
  })),
} satisfies EnvShape;

// Optional surfaces, one per platform: a bad setting of one platform disables that platform's routes only; a bad
// CHAT_POLICY, which all three read, disables all three.
export const slackSection = z.pipe(
  z.object(slackSettings),
  z.transform((e) => ({ slack: { signingSecret: e.SLACK_SIGNING_SECRET, responseUrlPrefix: e.SLACK_RESPONSE_URL_PREFIX } })),
);
export const discordSection = z.pipe(
  z.object(discordSettings),
  z.transform((e) => ({ discord: { publicKey: e.DISCORD_PUBLIC_KEY, applicationId: e.DISCORD_APPLICATION_ID, apiBaseUrl: e.DISCORD_API_BASE_URL } })),
);
export const mattermostSection = z.pipe(
  z.object(mattermostSettings),
  z.transform((e) => ({ mattermost: { token: e.MATTERMOST_TOKEN, responseUrlPrefix: e.MATTERMOST_RESPONSE_URL_PREFIX } })),
);
export const chatPolicySection = z.pipe(
  z.object(policySettings),
  z.transform((e) => ({ chatPolicy: e.CHAT_POLICY })),
);
export type ChatConfig = z.output<typeof slackSection> & z.output<typeof discordSection> & z.output<typeof mattermostSection> & z.output<typeof chatPolicySection>;
