import { classifyFailure, phraseFailure } from "../../tokens/failure";
import { log } from "../../log";

/**
 * A sentence for the chat user about why a core call failed (the "chat" column of src/tokens/failure.ts): never an
 * upstream response body. Errors that are neither Fastly's nor the core's are logged by name.
 */
export function describeFailure(err: unknown, platform: string): string {
  const failure = classifyFailure(err);
  if (failure.group === "other") log.error("chat_unexpected_error", { platform, error: failure.name });
  return phraseFailure(failure, "chat");
}
