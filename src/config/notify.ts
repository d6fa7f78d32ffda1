import * as z from "zod/mini";
import { type EnvShape, secret, url } from "./fields";

const settings = {
  NOTIFY_SLACK_WEBHOOK_URL: url,
  NOTIFY_WEBHOOK_URL: url,
  NOTIFY_WEBHOOK_SECRET: secret(),
} satisfies EnvShape;

/** The security channel (core): leak notifications, and the digest's destinations unless DIGEST_* names others. */
export const notifySection = z.pipe(
  z.object(settings),
  z.transform((e) => ({
    notify: { slackWebhookUrl: e.NOTIFY_SLACK_WEBHOOK_URL, webhookUrl: e.NOTIFY_WEBHOOK_URL, webhookSecret: e.NOTIFY_WEBHOOK_SECRET },
  })),
);
export type NotifyConfig = z.output<typeof notifySection>["notify"];
