import { createScheduledController } from "cloudflare:test";
import type { Env } from "../../src/env";
import type { HygieneRun } from "../../src/hygiene/run-hygiene";
import { runScheduled } from "../../src/hygiene/scheduled";
import { demo, newSink } from "../helpers";

export type { Sink, SinkRecord } from "../helpers";

/** A Standard Webhooks secret for digest tests (base64 of "digest-webhook-secret-for-tests!"). */
export const DIGEST_WEBHOOK_SECRET = "whsec_ZGlnZXN0LXdlYmhvb2stc2VjcmV0LWZvci10ZXN0cyE=";

/** One sink per channel, and the env settings that send the digest there. */
export function digestSinks() {
  const slack = newSink("digest-slack");
  const discord = newSink("digest-discord");
  const webhook = newSink("digest-webhook");
  return {
    slack,
    discord,
    webhook,
    vars: {
      NOTIFY_SLACK_WEBHOOK_URL: slack.url,
      DIGEST_DISCORD_WEBHOOK_URL: discord.url,
      NOTIFY_WEBHOOK_URL: webhook.url,
      NOTIFY_WEBHOOK_SECRET: DIGEST_WEBHOOK_SECRET,
    },
  };
}

/** Runs the scheduled handler's body the way the cron does, with a controller for `scheduledTime`. */
export function runCron(env: Env, scheduledTime: number = Date.now()): Promise<HygieneRun> {
  return runScheduled(createScheduledController({ scheduledTime, cron: "0 8 * * *" }), env);
}

/** Every secret a digest could conceivably leak: every seeded token value, and the webhook secret. */
export function secretsOf(...extra: string[]): string[] {
  return [...Object.values(demo.tokens).map((t) => t.access_token), DIGEST_WEBHOOK_SECRET, ...extra];
}

export const DAY_MS = 86_400_000;
