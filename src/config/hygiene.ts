import * as z from "zod/mini";
import { FINDING_CLASSES } from "../hygiene/classify";
import { bool, type EnvShape, int, secret, url, words } from "./fields";
import type { NotifyConfig } from "./notify";

export const STALE_POLICY_MODES = ["off", "report", "revoke"] as const;
export type StalePolicyMode = (typeof STALE_POLICY_MODES)[number];

/** Revocations per run are capped by this too: each one costs two upstream calls (lookup, revoke). */
export const STALE_MAX_REVOCATIONS_LIMIT = 20;

const settings = {
  HYGIENE_ENABLED: bool(true),
  DIGEST_ALWAYS: bool(false),
  DIGEST_EXPIRING_DAYS: int(7, 1, 365),
  DIGEST_UNUSED_DAYS: int(90, 1, 3650),
  DIGEST_CLASSES: z.pipe(words, z.array(z.enum(FINDING_CLASSES, { message: `expected some of: ${FINDING_CLASSES.join(", ")}` }))),
  DIGEST_MAX_ITEMS: int(10, 1, 50),
  DIGEST_SLACK_WEBHOOK_URL: url,
  DIGEST_DISCORD_WEBHOOK_URL: url,
  DIGEST_WEBHOOK_URL: url,
  DIGEST_WEBHOOK_SECRET: secret(),
  STALE_POLICY: z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((v) => (v?.trim() ? v.trim().toLowerCase() : "off")),
    ),
    z.enum(STALE_POLICY_MODES, { message: 'expected "off", "report" or "revoke"' }),
  ),
  STALE_AFTER_DAYS: int(90, 7, 3650),
  STALE_MAX_REVOCATIONS: int(10, 1, STALE_MAX_REVOCATIONS_LIMIT),
  STALE_EXEMPT_TOKEN_IDS: words,
} satisfies EnvShape;

/**
 * The schedule (optional: a bad setting here stops the digest and the stale policy, and the dashboard's inventory
 * that shows their thresholds). Documented in docs/hygiene.md.
 */
export const hygieneSection = z.pipe(
  z.object(settings),
  z.transform((e) => ({
    /** False turns the scheduled run (digest and stale policy) into a no-op; the cron still fires. */
    enabled: e.HYGIENE_ENABLED,
    /** Send a digest even when there is nothing to report. */
    always: e.DIGEST_ALWAYS,
    expiringDays: e.DIGEST_EXPIRING_DAYS,
    unusedDays: e.DIGEST_UNUSED_DAYS,
    /** The finding classes the digest reports (and that count as "something to say"). */
    classes: e.DIGEST_CLASSES.length > 0 ? [...new Set(e.DIGEST_CLASSES)] : [...FINDING_CLASSES],
    /** Most urgent tokens listed in chat digests (the webhook payload lists more). */
    maxItems: e.DIGEST_MAX_ITEMS,
    /** The DIGEST_* destinations; {@link digestChannels} falls back to the notification ones. */
    channels: {
      slackWebhookUrl: e.DIGEST_SLACK_WEBHOOK_URL,
      discordWebhookUrl: e.DIGEST_DISCORD_WEBHOOK_URL,
      webhookUrl: e.DIGEST_WEBHOOK_URL,
      webhookSecret: e.DIGEST_WEBHOOK_SECRET,
    },
    stale: {
      mode: e.STALE_POLICY,
      afterDays: e.STALE_AFTER_DAYS,
      maxRevocations: e.STALE_MAX_REVOCATIONS,
      exemptTokenIds: e.STALE_EXEMPT_TOKEN_IDS,
    },
  })),
);
export type HygieneSettings = z.output<typeof hygieneSection>;

/**
 * The digest goes where leak notifications go (NOTIFY_SLACK_WEBHOOK_URL, NOTIFY_WEBHOOK_URL + NOTIFY_WEBHOOK_SECRET)
 * unless a DIGEST_* setting names another destination; Discord has only DIGEST_DISCORD_WEBHOOK_URL.
 */
export function digestChannels(own: HygieneSettings["channels"], notify: NotifyConfig): HygieneSettings["channels"] {
  const webhookUrl = own.webhookUrl ?? notify.webhookUrl;
  return {
    slackWebhookUrl: own.slackWebhookUrl ?? notify.slackWebhookUrl,
    discordWebhookUrl: own.discordWebhookUrl,
    webhookUrl,
    // A digest-specific URL with no digest-specific secret still signs with the notification secret.
    webhookSecret: webhookUrl ? (own.webhookSecret ?? notify.webhookSecret) : undefined,
  };
}
