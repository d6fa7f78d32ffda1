import { toDiscordMessage } from "../chatops/discord-render";
import type { ChatMessage } from "../chatops/message";
import { toSlackMessage } from "../chatops/slack-render";
import { utf8 } from "../crypto/bytes";
import { signStandardWebhook } from "../verify/standard-webhooks";
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

const DELIVERY_TIMEOUT_MS = 5000;

/**
 * Posts one digest to every configured channel: a Slack incoming webhook (Block Kit), a Discord webhook and the
 * generic webhook, signed with Standard Webhooks (like the leak notifier) so receivers can verify it.
 * Failures are logged and reported, never thrown: one broken channel must not silence the others, and a
 * delivery problem must not undo a revocation.
 */
export class DigestSender {
  constructor(
    private readonly channels: HygieneSettings["channels"],
    private readonly fetchFn: typeof fetch = (input, init) => fetch(input, init),
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
      jobs.push(this.post("slack", slackWebhookUrl, JSON.stringify(slack)));
    }
    if (discordWebhookUrl) {
      // Webhook messages cannot be ephemeral and carry no components; mentions stay disabled.
      const discord = toDiscordMessage({ ...message, visibility: "in_channel" });
      jobs.push(this.post("discord", discordWebhookUrl, JSON.stringify(discord)));
    }
    if (webhookUrl) jobs.push(this.post("webhook", webhookUrl, JSON.stringify(payload), true));
    return Promise.all(jobs);
  }

  private async post(channel: DigestChannel, url: string, body: string, sign = false): Promise<Delivery> {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    const secret = this.channels.webhookSecret;
    if (sign && secret) {
      const id = `msg_${crypto.randomUUID()}`;
      // The signature's timestamp is the sending time, not the report's: receivers check it against their clock.
      const ts = Math.floor(Date.now() / 1000);
      headers["webhook-id"] = id;
      headers["webhook-timestamp"] = String(ts);
      headers["webhook-signature"] = await signStandardWebhook(secret, id, ts, utf8(body));
    }
    try {
      const res = await this.fetchFn(url, { method: "POST", headers, body, signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
      await res.body?.cancel();
      if (!res.ok) console.warn(JSON.stringify({ event: "digest_delivery_failed", channel, status: res.status }));
      return { channel, ok: res.ok, status: res.status };
    } catch (err) {
      const error = (err as Error).name === "TimeoutError" ? "timeout" : "network";
      console.warn(JSON.stringify({ event: "digest_delivery_failed", channel, error }));
      return { channel, ok: false, error };
    }
  }
}
