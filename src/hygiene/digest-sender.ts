import { toDiscordMessage } from "../chatops/discord-render";
import type { ChatMessage } from "../chatops/message";
import { toSlackMessage } from "../chatops/slack-render";
import { globalFetch, postJson } from "../outbound/post";
import type { HygieneSettings } from "../config";

export type DigestChannel = "slack" | "discord" | "webhook";

export interface Delivery {
  channel: DigestChannel;
  ok: boolean;
  /** The receiver's status, when it answered. */
  status?: number;
  /** "timeout", "network", … when it did not; never a URL (webhook URLs are secrets). */
  error?: string;
}

/**
 * Posts one digest to every configured channel: a Slack incoming webhook (Block Kit), a Discord webhook and the
 * generic webhook, signed with Standard Webhooks (like the leak notifier) so receivers can verify it.
 * Failures are logged and reported, never thrown: one broken channel must not silence the others, and a
 * delivery problem must not undo a revocation.
 */
export class DigestSender {
  constructor(
    private readonly channels: HygieneSettings["channels"],
    private readonly fetchFn: typeof fetch = globalFetch,
  ) {}

  get configured(): DigestChannel[] {
    const c = this.channels;
    return [c.slackWebhookUrl && "slack", c.discordWebhookUrl && "discord", c.webhookUrl && "webhook"].filter(Boolean) as DigestChannel[];
  }

  async send(message: ChatMessage, payload: unknown): Promise<Delivery[]> {
    const { slackWebhookUrl, discordWebhookUrl, webhookUrl } = this.channels;
    const jobs: Promise<Delivery>[] = [];
    if (slackWebhookUrl) {
      // Incoming webhooks post to their own channel: `response_type` means nothing there.
      const { response_type: _, ...slack } = toSlackMessage(message);
      jobs.push(this.post("slack", slackWebhookUrl, slack));
    }
    if (discordWebhookUrl) {
      // Webhook messages cannot be ephemeral and carry no components; mentions stay disabled.
      const discord = toDiscordMessage({ ...message, visibility: "in_channel" });
      jobs.push(this.post("discord", discordWebhookUrl, discord));
    }
    if (webhookUrl) jobs.push(this.post("webhook", webhookUrl, payload, true));
    return Promise.all(jobs);
  }

  private async post(channel: DigestChannel, url: string, payload: unknown, sign = false): Promise<Delivery> {
    const signingSecret = sign ? this.channels.webhookSecret : undefined;
    return { channel, ...(await postJson(this.fetchFn, { url, payload, signingSecret, log: { event: "digest_delivery_failed", fields: { channel } } })) };
  }
}
