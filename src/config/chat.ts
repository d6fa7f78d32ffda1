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

const settings = {
  SLACK_SIGNING_SECRET: secret(),
  SLACK_RESPONSE_URL_PREFIX: urlOr("https://hooks.slack.com/"),
  DISCORD_PUBLIC_KEY: matching(/^[0-9a-fA-F]{64}$/, "must be 64 hex characters"),
  DISCORD_APPLICATION_ID: matching(/^\d{1,25}$/, "must be a numeric id"),
  DISCORD_API_BASE_URL: urlOr("https://discord.com/api/v10"),
  MATTERMOST_TOKEN: secret(),
  MATTERMOST_RESPONSE_URL_PREFIX: url,
  /** JSON: {"slack": {"read": {...}, "revoke": {...}}, "discord": {...}, "mattermost": {...}}; absent = deny all. */
  CHAT_POLICY: json(policies, { slack: denyAll(), discord: denyAll(), mattermost: denyAll() }, "a JSON object", (p) => ({
    slack: p.slack ?? denyAll(),
    discord: p.discord ?? denyAll(),
    mattermost: p.mattermost ?? denyAll(),
  })),
} satisfies EnvShape;

/** The chat surfaces (optional: a bad setting here disables /slack, /discord and /mattermost only). */
export const chatSection = z.pipe(
  z.object(settings),
  z.transform((e) => ({
    slack: { signingSecret: e.SLACK_SIGNING_SECRET, responseUrlPrefix: e.SLACK_RESPONSE_URL_PREFIX },
    discord: { publicKey: e.DISCORD_PUBLIC_KEY, applicationId: e.DISCORD_APPLICATION_ID, apiBaseUrl: e.DISCORD_API_BASE_URL },
    mattermost: { token: e.MATTERMOST_TOKEN, responseUrlPrefix: e.MATTERMOST_RESPONSE_URL_PREFIX },
    chatPolicy: e.CHAT_POLICY,
  })),
);
export type ChatConfig = z.output<typeof chatSection>;
