/** The two ways to reach a leaked token's owner: Cloudflare Email Service and a Slack DM. Neither ever throws. */

/** How one delivery went; `detail` is safe for the audit (no URL, no token, no bot token). */
export interface Delivery {
  channel: "email" | "slack";
  ok: boolean;
  detail: string;
}

/** A notice must never hold a revocation's invocation for long: each channel gets this long per call. */
export const NOTICE_TIMEOUT_MS = 5000;

function timeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("timed out"), { name: "TimeoutError" })), ms);
  });
  return Promise.race([work, expired]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}

/** An error's kind in a few safe words. */
function failure(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return "timed out";
  const message = err instanceof Error ? err.message : "";
  // The local and remote bindings say why in plain words ("email to x@y not allowed"); keep it short and one line.
  return message ? message.replace(/\s+/g, " ").slice(0, 120) : "failed";
}

/** E-mail through the `send_email` binding (Email Service's builder form: from, to, subject, text). */
export class EmailChannel {
  constructor(
    private readonly binding: SendEmail,
    private readonly from: string,
    private readonly replyTo?: string,
  ) {}

  async send(to: string, subject: string, text: string): Promise<Delivery> {
    try {
      const result = await timeout(
        this.binding.send({ from: this.from, to, subject, text, ...(this.replyTo ? { replyTo: this.replyTo } : {}) }),
        NOTICE_TIMEOUT_MS,
      );
      return { channel: "email", ok: true, detail: `e-mail to ${to} sent${result?.messageId ? "" : " (no message id)"}` };
    } catch (err) {
      return { channel: "email", ok: false, detail: `e-mail to ${to} failed: ${failure(err)}` };
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

  async send(email: string, text: string): Promise<Delivery> {
    const found = await this.call("users.lookupByEmail", "application/x-www-form-urlencoded", new URLSearchParams({ email }).toString());
    if ("failed" in found) return { channel: "slack", ok: false, detail: `Slack user lookup failed: ${found.failed}` };
    const userId = found.user?.id;
    if (!userId) return { channel: "slack", ok: false, detail: "Slack user lookup failed: no user id" };
    const posted = await this.call(
      "chat.postMessage",
      "application/json; charset=utf-8",
      JSON.stringify({ channel: userId, text, mrkdwn: true, unfurl_links: false, unfurl_media: false }),
    );
    if ("failed" in posted) return { channel: "slack", ok: false, detail: `Slack DM failed: ${posted.failed}` };
    return { channel: "slack", ok: true, detail: "Slack DM sent" };
  }

  private async call(method: string, contentType: string, body: string): Promise<SlackAnswer | { failed: string }> {
    try {
      const res = await this.fetchFn(`${this.apiBaseUrl}/${method}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${this.botToken}`, "Content-Type": contentType },
        body,
        signal: AbortSignal.timeout(NOTICE_TIMEOUT_MS),
      });
      if (!res.ok) {
        await res.body?.cancel();
        return { failed: `HTTP ${res.status}` };
      }
      const answer = (await res.json().catch(() => ({}))) as SlackAnswer;
      // Slack's error codes are snake_case words; anything else is not echoed.
      if (answer.ok !== true) return { failed: /^[a-z_]{1,60}$/.test(answer.error ?? "") ? answer.error! : "not ok" };
      return answer;
    } catch (err) {
      return { failed: (err as Error).name === "TimeoutError" ? "timed out" : "network error" };
    }
  }
}
