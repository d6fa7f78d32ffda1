import { globalFetch, postJson } from "../../outbound/post";
import { log } from "../../log";

/** Slack and Mattermost accept at most 5 messages per response_url (within 30 minutes). */
export const RESPONSE_URL_MAX_USES = 5;

/**
 * SSRF guard: `raw` is used only when it lies under `prefix` (same origin, path below the prefix's path, no
 * credentials). The WHATWG parser has already resolved dot segments, so "/../" cannot climb out.
 */
export function allowedResponseUrl(raw: string | null | undefined, prefix: string | undefined): string | null {
  if (!raw || !prefix) return null;
  let url: URL;
  let base: URL;
  try {
    url = new URL(raw);
    base = new URL(prefix);
  } catch {
    return null;
  }
  if (url.username || url.password || url.origin !== base.origin) return null;
  const path = base.pathname.endsWith("/") ? base.pathname : `${base.pathname}/`;
  return url.pathname.startsWith(path) ? url.href : null;
}

/** One response_url, counted: a sixth message would be refused by Slack anyway, so it is not sent. */
export class ResponseUrl {
  private uses = 0;
  constructor(
    private readonly url: string,
    private readonly platform: string,
    private readonly fetchFn: typeof fetch = globalFetch,
  ) {}

  async post(body: unknown): Promise<boolean> {
    if (this.uses >= RESPONSE_URL_MAX_USES) {
      log.warn("chat_response_url_exhausted", { platform: this.platform });
      return false;
    }
    this.uses++;
    return sendJson(this.fetchFn, this.platform, "POST", this.url, body);
  }
}

/**
 * Discord's interaction webhook: `PATCH …/messages/@original` edits the deferred reply (or, for a button, the
 * message holding it); `POST` adds a follow-up. The interaction token in the path is the credential, so the URL
 * is never logged.
 */
export class DiscordWebhook {
  private readonly base: string;
  constructor(
    apiBaseUrl: string,
    applicationId: string,
    interactionToken: string,
    private readonly fetchFn: typeof fetch = globalFetch,
  ) {
    this.base = `${apiBaseUrl.replace(/\/+$/, "")}/webhooks/${encodeURIComponent(applicationId)}/${encodeURIComponent(interactionToken)}`;
  }

  editOriginal(body: unknown): Promise<boolean> {
    return sendJson(this.fetchFn, "discord", "PATCH", `${this.base}/messages/@original`, body);
  }

  followUp(body: unknown): Promise<boolean> {
    return sendJson(this.fetchFn, "discord", "POST", this.base, body);
  }
}

/** Chat replies are not signed: the URL itself is the credential. A failure is logged as an error (nobody sees the answer). */
async function sendJson(fetchFn: typeof fetch, platform: string, method: "POST" | "PATCH", url: string, payload: unknown): Promise<boolean> {
  const log = { event: "chat_delivery_failed", fields: { platform, method }, level: "error" } as const;
  return (await postJson(fetchFn, { url, method, payload, log })).ok;
}
