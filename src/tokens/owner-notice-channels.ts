import { failureText } from "./failure";

/** The two ways to reach a leaked token's owner: Cloudflare Email Service and a Slack DM. Neither ever throws. */

/** How one delivery went; `detail` is safe for the audit (no URL, no token, no bot token). */
export interface Delivery {
  channel: "email" | "slack";
  ok: boolean;
  detail: string;
}

/**
 * Notices must never hold the reporter's answer for long: the owner lookup and every notice of one invocation's
 * follow-up share one deadline this long (a partner program or a chat surface is waiting for the answer).
 */
export const FOLLOW_UP_DEADLINE_MS = 5000;

/** `work`, or a TimeoutError once `deadline` fires (a binding call cannot be aborted, only stopped waiting for). */
function until<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  if (deadline.aborted) return Promise.reject(Object.assign(new Error("timed out"), { name: "TimeoutError" }));
  let stop: () => void = () => {};
  const expired = new Promise<never>((_, reject) => {
    stop = () => reject(Object.assign(new Error("timed out"), { name: "TimeoutError" }));
    deadline.addEventListener("abort", stop, { once: true });
  });
  return Promise.race([work, expired]).finally(() => deadline.removeEventListener("abort", stop));
}

/** E-mail through the `send_email` binding (Email Service's builder form: from, to, subject, text). */
export class EmailChannel {
  constructor(
    private readonly binding: SendEmail,
    private readonly from: string,
    private readonly replyTo?: string,
  ) {}

  async send(to: string, subject: string, text: string, deadline: AbortSignal): Promise<Delivery> {
    try {
      const result = await until(this.binding.send({ from: this.from, to, subject, text, ...(this.replyTo ? { replyTo: this.replyTo } : {}) }), deadline);
      return { channel: "email", ok: true, detail: `e-mail to ${to} sent${result?.messageId ? "" : " (no message id)"}` };
    } catch (err) {
      return { channel: "email", ok: false, detail: `e-mail to ${to} failed: ${failureText(err, "notice")}` };
    }
  }
}

interface SlackAnswer {
  ok?: boolean;
  error?: string;
  user?: { id?: string };
}

/**
 * A Slack DM with a bot token: `users.lookupByEmail` (scope `users:read.email`), then `chat.postMessage` to the
 * user's id, which posts in the app's DM with them (`chat:write`). Slack answers HTTP 200 with `ok: false` for
 * most failures; both kinds become a failed {@link Delivery}. Two subrequests.
 */
export class SlackDmChannel {
  constructor(
    private readonly apiBaseUrl: string,
    private readonly botToken: string,
    private readonly fetchFn: typeof fetch,
  ) {}

  async send(email: string, text: string, deadline: AbortSignal): Promise<Delivery> {
    const found = await this.call("users.lookupByEmail", "application/x-www-form-urlencoded", new URLSearchParams({ email }).toString(), deadline);
    if ("failed" in found) return { channel: "slack", ok: false, detail: `Slack user lookup failed: ${found.failed}` };
    const userId = found.user?.id;
    if (!userId) return { channel: "slack", ok: false, detail: "Slack user lookup failed: no user id" };
    const posted = await this.call(
      "chat.postMessage",
      "application/json; charset=utf-8",
      JSON.stringify({ channel: userId, text, mrkdwn: true, unfurl_links: false, unfurl_media: false }),
      deadline,
    );
    if ("failed" in posted) return { channel: "slack", ok: false, detail: `Slack DM failed: ${posted.failed}` };
    return { channel: "slack", ok: true, detail: "Slack DM sent" };
  }

  private async call(method: string, contentType: string, body: string, deadline: AbortSignal): Promise<SlackAnswer | { failed: string }> {
    try {
      const res = await this.fetchFn(`${this.apiBaseUrl}/${method}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${this.botToken}`, "Content-Type": contentType },
        body,
        signal: deadline,
      });
      if (!res.ok) {
        await res.body?.cancel();
        return { failed: `HTTP ${res.status}` };
      }
      const answer = (await res.json().catch(() => ({}))) as SlackAnswer;
      // Slack's error codes are snake_case words; anything else is not echoed.
      if (answer.ok !== true) return { failed: /^[a-z_]{1,60}$/.test(answer.error ?? "") ? answer.error! : "not ok" };
      return answer;
    } catch {
      return { failed: deadline.aborted ? "timed out" : "network error" };
    }
  }
}
