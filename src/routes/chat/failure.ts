import { FastlyApiError } from "../../fastly";
import { plainText } from "../../chatops/safe-text";
import { TokenServiceError } from "../../tokens/errors";

/**
 * A sentence for the chat user about why a core call failed, built from status and code only: never an upstream
 * response body. Unexpected errors are logged by name and shown as "internal error".
 */
export function describeFailure(err: unknown, platform: string): string {
  const notFound = "not found: it does not exist, was already revoked, or is not visible to this Worker's Fastly token";
  if (err instanceof TokenServiceError) {
    if (err.status === 404) return notFound;
    if (err.code === "self_token") {
      return "it is the Worker's own Fastly token (FASTLY_API_TOKEN); rotate it through the Worker's secrets instead";
    }
    return plainText(err.detail ? `${err.msg}: ${err.detail}` : err.msg, 200);
  }
  if (err instanceof FastlyApiError) {
    if (err.kind !== "http") return "Fastly could not be reached; try again in a minute";
    if (err.status === 404) return notFound;
    if (err.status === 401 || err.status === 403) return `Fastly refused the Worker's token (HTTP ${err.status})`;
    if (err.status === 429) return "Fastly's rate limit was reached; try again later";
    // Not even Fastly's `msg`: for a non-JSON answer it is the raw response text.
    return err.status >= 500 ? `Fastly failed (HTTP ${err.status}); try again later` : `Fastly refused the request (HTTP ${err.status})`;
  }
  console.error(JSON.stringify({ event: "chat_unexpected_error", platform, error: err instanceof Error ? err.name : "unknown" }));
  return "an internal error occurred";
}

