import * as z from "zod/mini";
import { bool, type EnvShape, matching, text, urlOr } from "./fields";

const settings = {
  OWNER_IN_NOTIFICATIONS: bool(false),
  OWNER_EMAIL_ENABLED: bool(false),
  OWNER_EMAIL_FROM: z.pipe(text, z.optional(z.email("must be an e-mail address"))),
  OWNER_SLACK_ENABLED: bool(false),
  OWNER_SLACK_BOT_TOKEN: matching(/^xox[bp]-[A-Za-z0-9-]+$/, "must be a Slack bot token (xoxb-…)"),
  SLACK_API_BASE_URL: urlOr("https://slack.com/api"),
  OWNER_NOTICE_CONTACT: z.pipe(
    z.pipe(text, z.transform((v) => v ?? "your security team")),
    z.string().check(z.maxLength(200, "must be at most 200 characters")),
  ),
} satisfies EnvShape;

/**
 * Telling a leaked token's owner (core: the leak workflow's follow-up). Every channel is off by default. A channel
 * that is switched on but lacks a setting stays on with `missing` set: the owner-notice step then says in the audit
 * which setting is missing instead of silently sending nothing.
 */
export const ownerSection = z.pipe(
  z.object(settings),
  z.transform((e) => ({
    owner: {
      /** The owner's login and name in the security-channel notice and the signed webhook. */
      inNotifications: e.OWNER_IN_NOTIFICATIONS,
      email: { enabled: e.OWNER_EMAIL_ENABLED, from: e.OWNER_EMAIL_FROM, ...(e.OWNER_EMAIL_ENABLED && !e.OWNER_EMAIL_FROM ? { missing: "OWNER_EMAIL_FROM" } : {}) },
      slack: {
        enabled: e.OWNER_SLACK_ENABLED,
        botToken: e.OWNER_SLACK_BOT_TOKEN,
        apiBaseUrl: e.SLACK_API_BASE_URL.replace(/\/+$/, ""),
        ...(e.OWNER_SLACK_ENABLED && !e.OWNER_SLACK_BOT_TOKEN ? { missing: "OWNER_SLACK_BOT_TOKEN" } : {}),
      },
      /** Whom to contact, in words; shown in every owner notice. */
      contact: e.OWNER_NOTICE_CONTACT,
    },
  })),
);
export type OwnerNoticeConfig = z.output<typeof ownerSection>["owner"];
