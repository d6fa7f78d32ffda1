import type { TokenResponse } from "../../fastly/schemas";
import type { ChatMessage } from "../message";
import { codeSpan } from "../safe-text";
import { describeExpiry } from "../time";
import { scopePhrase, tokenFields, tokenLabel, warningBlocks } from "./token-fields";

export function renderWhoami(token: TokenResponse, now: Date): ChatMessage {
  return {
    text: `This Worker uses the token ${tokenLabel(token)}: ${scopePhrase(token)}, ${describeExpiry(token, now)}.`,
    visibility: "ephemeral",
    blocks: [
      { type: "header", text: "The token this Worker uses" },
      { type: "fields", fields: [...tokenFields(token, now), { label: "Customer", value: codeSpan(token.customer_id) }] },
      ...warningBlocks(token, now),
      { type: "context", text: "Rotate it through the Worker's secrets, never by pasting it here." },
    ],
  };
}
