import { redactPastedTokens } from "../command";
import type { ChatMessage } from "../message";
import { plainText } from "../safe-text";

// Short answers: refusals, errors, acknowledgements and the ends of a confirmation.

/** A one-line ephemeral note, with an optional context line under it. */
export function note(text: string, context?: string): ChatMessage {
  return {
    text,
    visibility: "ephemeral",
    blocks: [{ type: "text", text }, ...(context ? [{ type: "context" as const, text: context }] : [])],
  };
}

export function renderDenied(reason: string): ChatMessage {
  const why = plainText(reason, 300);
  return {
    text: `Not allowed: ${why}`,
    visibility: "ephemeral",
    blocks: [
      { type: "warning", text: `Not allowed. ${why}` },
      { type: "context", text: "Ask whoever runs this Worker to add you to the allow-list for this action." },
    ],
  };
}

export function renderError(message: string): ChatMessage {
  // Messages come from the parser or the route; redaction here is a second guard, not the first.
  const safe = redactPastedTokens(message).slice(0, 1000);
  return {
    text: safe,
    visibility: "ephemeral",
    blocks: [
      { type: "warning", text: safe },
      { type: "context", text: "Type `help` for the list of commands." },
    ],
  };
}

export function workingMessage(): ChatMessage {
  return note("Working on it…", "The answer follows in a moment, visible only to you.");
}

export function revokeNeedsSecretMessage(): ChatMessage {
  return note(
    "Revoking from chat is not enabled: this Worker has no SEAL_SECRET to sign confirmation buttons with. Ask whoever runs it to set one.",
  );
}

export function responseUrlRefusedMessage(): ChatMessage {
  return note(
    "This request's response_url is not one this Worker may post to, so the command was not run. Check SLACK_RESPONSE_URL_PREFIX.",
  );
}

export function expiredMessage(): ChatMessage {
  return note("This confirmation has expired; nothing was revoked. Run the command again to get a fresh one.");
}

export function confirmedMessage(): ChatMessage {
  return note("Confirmed. The result is announced in the channel.");
}
