import * as z from "zod/mini";
import { ConfigError } from "../config";
import type { Env } from "../env";
import { FINDING_CLASSES, type FindingClass } from "./classify";
import { boolSetting, firstIssue, intSetting, secretSetting, urlSetting, wordsSetting } from "./setting-types";

export const STALE_POLICY_MODES = ["off", "report", "revoke"] as const;
export type StalePolicyMode = (typeof STALE_POLICY_MODES)[number];

/** Revocations per run are capped by this too: each one costs two upstream calls (lookup, revoke). */
export const STALE_MAX_REVOCATIONS_LIMIT = 20;

/** The schedule's settings. Documented in docs/hygiene.md. */
export interface HygieneSettings {
  /** False turns the scheduled run (digest and stale policy) into a no-op; the cron still fires. */
  enabled: boolean;
  /** Send a digest even when there is nothing to report. */
  always: boolean;
  expiringDays: number;
  unusedDays: number;
  /** The finding classes the digest reports (and that count as "something to say"). */
  classes: FindingClass[];
  /** Most urgent tokens listed in chat digests (the webhook payload lists more). */
  maxItems: number;
  channels: { slackWebhookUrl?: string; discordWebhookUrl?: string; webhookUrl?: string; webhookSecret?: string };
  stale: { mode: StalePolicyMode; afterDays: number; maxRevocations: number; exemptTokenIds: string[] };
}

const SettingsSchema = z.object({
  HYGIENE_ENABLED: boolSetting(true),
  DIGEST_ALWAYS: boolSetting(false),
  DIGEST_EXPIRING_DAYS: intSetting(7, 1, 365),
  DIGEST_UNUSED_DAYS: intSetting(90, 1, 3650),
  DIGEST_CLASSES: z.pipe(wordsSetting, z.array(z.enum(FINDING_CLASSES, { message: `expected some of: ${FINDING_CLASSES.join(", ")}` }))),
  DIGEST_MAX_ITEMS: intSetting(10, 1, 50),
  DIGEST_SLACK_WEBHOOK_URL: urlSetting,
  DIGEST_DISCORD_WEBHOOK_URL: urlSetting,
  DIGEST_WEBHOOK_URL: urlSetting,
  DIGEST_WEBHOOK_SECRET: secretSetting(1),
  NOTIFY_SLACK_WEBHOOK_URL: urlSetting,
  NOTIFY_WEBHOOK_URL: urlSetting,
  NOTIFY_WEBHOOK_SECRET: secretSetting(1),
  STALE_POLICY: z.pipe(
    z.pipe(
      z.optional(z.string()),
      z.transform((v) => (v?.trim() ? v.trim().toLowerCase() : "off")),
    ),
    z.enum(STALE_POLICY_MODES, { message: 'expected "off", "report" or "revoke"' }),
  ),
  STALE_AFTER_DAYS: intSetting(90, 7, 3650),
  STALE_MAX_REVOCATIONS: intSetting(10, 1, STALE_MAX_REVOCATIONS_LIMIT),
  STALE_EXEMPT_TOKEN_IDS: wordsSetting,
});

const cache = new WeakMap<object, HygieneSettings>();

/**
 * Parses the schedule's settings once per env object. The digest goes where leak notifications go
 * (NOTIFY_SLACK_WEBHOOK_URL, NOTIFY_WEBHOOK_URL + NOTIFY_WEBHOOK_SECRET) unless a DIGEST_* setting names
 * another destination; Discord has only DIGEST_DISCORD_WEBHOOK_URL. Throws ConfigError naming the setting.
 */
export function loadHygieneSettings(env: Env): HygieneSettings {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = SettingsSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(firstIssue(parsed.error));
  const e = parsed.data;
  const webhookUrl = e.DIGEST_WEBHOOK_URL ?? e.NOTIFY_WEBHOOK_URL;
  const settings: HygieneSettings = {
    enabled: e.HYGIENE_ENABLED,
    always: e.DIGEST_ALWAYS,
    expiringDays: e.DIGEST_EXPIRING_DAYS,
    unusedDays: e.DIGEST_UNUSED_DAYS,
    classes: e.DIGEST_CLASSES.length > 0 ? [...new Set(e.DIGEST_CLASSES)] : [...FINDING_CLASSES],
    maxItems: e.DIGEST_MAX_ITEMS,
    channels: {
      slackWebhookUrl: e.DIGEST_SLACK_WEBHOOK_URL ?? e.NOTIFY_SLACK_WEBHOOK_URL,
      discordWebhookUrl: e.DIGEST_DISCORD_WEBHOOK_URL,
      webhookUrl,
      // A digest-specific URL with no digest-specific secret still signs with the notification secret.
      webhookSecret: webhookUrl ? (e.DIGEST_WEBHOOK_SECRET ?? e.NOTIFY_WEBHOOK_SECRET) : undefined,
    },
    stale: {
      mode: e.STALE_POLICY,
      afterDays: e.STALE_AFTER_DAYS,
      maxRevocations: e.STALE_MAX_REVOCATIONS,
      exemptTokenIds: e.STALE_EXEMPT_TOKEN_IDS,
    },
  };
  cache.set(env, settings);
  return settings;
}
