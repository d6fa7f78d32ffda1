import { utf8 } from "../crypto/bytes";
import { signStandardWebhook } from "../verify/standard-webhooks";
import { log } from "../log";

/** No outbound message may hold an invocation for long: Slack and Discord give us 3 s, GitHub 10 s. */
export const POST_TIMEOUT_MS = 5000;

/** The global fetch, called as a plain function (Workers refuse `fetch` invoked with another `this`). */
export const globalFetch: typeof fetch = (input, init) => fetch(input, init);

export interface OutboundPost {
  url: string;
  /** POST unless said otherwise: Discord edits a deferred reply with PATCH. */
  method?: "POST" | "PATCH";
  /** Sent as JSON. */
  payload: unknown;
  /** A whsec_… secret: the request is signed with Standard Webhooks so the receiver can verify it. */
  signingSecret?: string | undefined;
  /**
   * The failure's log line: `{event, ...fields, status}` or `{event, ...fields, error}`. Fields say which channel;
   * never the URL (webhook and interaction URLs are credentials) and never the body.
   */
  log: { event: string; fields: Record<string, string>; level?: "warn" | "error" };
}

/** How one post went: the receiver's status when it answered, else why it did not. */
export type PostResult = { ok: boolean; status: number } | { ok: false; error: "timeout" | "network" };

/**
 * Posts one JSON message and reports how it went; never throws for a delivery problem (one broken receiver must
 * not silence the others, and a notification must not undo a revocation). A malformed signing secret does throw:
 * that is a configuration bug, not a delivery failure. The answer's body is discarded unread.
 */
export async function postJson(fetchFn: typeof fetch, post: OutboundPost): Promise<PostResult> {
  const body = JSON.stringify(post.payload);
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (post.signingSecret) {
    const id = `msg_${crypto.randomUUID()}`;
    // The signature's timestamp is the sending time, not the event's: receivers check it against their clock.
    const ts = Math.floor(Date.now() / 1000);
    headers["webhook-id"] = id;
    headers["webhook-timestamp"] = String(ts);
    headers["webhook-signature"] = await signStandardWebhook(post.signingSecret, id, ts, utf8(body));
  }
  const method = post.method ?? "POST";
  const { event, fields, level = "warn" } = post.log;
  try {
    const res = await fetchFn(post.url, { method, headers, body, signal: AbortSignal.timeout(POST_TIMEOUT_MS) });
    await res.body?.cancel();
    if (!res.ok) log[level](event, { ...fields, status: res.status });
    return { ok: res.ok, status: res.status };
  } catch (err) {
    const error = err instanceof Error && err.name === "TimeoutError" ? "timeout" : "network";
    log[level](event, { ...fields, error });
    return { ok: false, error };
  }
}
