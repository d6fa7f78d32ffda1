import type { TokenResponse } from "../../fastly/schemas";
import type { Block, ChatMessage } from "../message";
import { note } from "./notices";
import { tokenFields, tokenLabel } from "./token-fields";

type ChatLeakStatus = "revoked" | "already_revoked" | "not_live" | "queued" | "dry_run" | "unverified" | "in_progress";

const LEAK_STATUS: Record<ChatLeakStatus, string> = {
  revoked: "It was a live token, so it has been *revoked*. Whatever used it will now fail until it gets a new token.",
  already_revoked: "It had already been revoked, so nothing more was needed.",
  not_live: "Fastly does not accept it (revoked, expired or never valid), so there was nothing to revoke.",
  queued: "Fastly could not be reached just now, so its revocation is *queued* and will be retried until it succeeds.",
  dry_run: "This Worker runs in dry-run mode, so it was *not* revoked. Revoke it yourself now.",
  unverified: "Fastly accepted it but would not let it be revoked or read, so it may still be *live*. Revoke it yourself now; the Worker keeps retrying.",
  in_progress: "Another report of this token is being handled right now; its revocation is under way.",
};

/** Never includes the secret, only what Fastly says about the token it belonged to. */
export function renderLeakNotice(
  outcome: { status: ChatLeakStatus; token?: TokenResponse },
  now: Date,
): ChatMessage {
  const blocks: Block[] = [
    { type: "header", text: "You pasted a Fastly API token" },
    {
      type: "warning",
      text: "Your command contained what looks like a Fastly API token. A token posted in chat is leaked: chat history, search, bots and notifications keep copies. Your command was not run.",
    },
    { type: "text", text: LEAK_STATUS[outcome.status] },
  ];
  if (outcome.token) blocks.push({ type: "fields", fields: tokenFields(outcome.token, now) });
  blocks.push(
    {
      type: "text",
      text: [
        "*What to do now*",
        "1. Rotate: create a new token with the least scope and services it needs, and an expiry, and update whatever used the old one.",
        "2. Delete any other copy of it you posted (messages, threads, tickets).",
        "3. Report leaks through the leak webhook or your secret scanner, not in chat, and refer to tokens by id (`show <token-id>`), never by value.",
      ].join("\n"),
    },
    { type: "context", text: "The token's value was not stored or repeated; it is identified only by its SHA-256." },
  );
  const who = outcome.token ? ` (${tokenLabel(outcome.token)})` : "";
  return {
    text: `You pasted a Fastly API token${who}; status: ${outcome.status.replace("_", " ")}. Never paste tokens in chat.`,
    visibility: "ephemeral",
    blocks,
  };
}

/** The acknowledgement while a pasted token is handled (platforms that answer later). */
export function leakAckMessage(): ChatMessage {
  return note(
    "Your message contained what looks like a Fastly API token, so the command was not run. I am handling it as a leak now; details follow.",
  );
}

/** When the leak workflow itself failed: the person who pasted the token must act. */
export function leakFailedMessage(): ChatMessage {
  return note(
    "Your command contained what looks like a Fastly API token, and it could not be revoked automatically. Revoke it yourself now, then report leaks through the leak webhook or your secret scanner, never in chat.",
  );
}
