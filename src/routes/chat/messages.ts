import type { ChatMessage } from "../../chatops/message";

// Short answers only the routes give (acknowledgements and refusals). The command answers themselves come
// from src/chatops/render.ts.

function note(text: string, context?: string): ChatMessage {
  return {
    text,
    visibility: "ephemeral",
    blocks: [{ type: "text", text }, ...(context ? [{ type: "context" as const, text: context }] : [])],
  };
}

export function workingMessage(): ChatMessage {
  return note("Working on it…", "The answer follows in a moment, visible only to you.");
}

export function leakAckMessage(): ChatMessage {
  return note(
    "Your message contained what looks like a Fastly API token, so the command was not run. I am handling it as a leak now; details follow.",
  );
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

export function leakFailedMessage(): ChatMessage {
  return note(
    "Your command contained what looks like a Fastly API token, and it could not be revoked automatically. Revoke it yourself now, then report leaks through the leak webhook or your secret scanner, never in chat.",
  );
}
