import type { TokenResponse } from "../../fastly/schemas";
import type { ChatMessage } from "../message";
import { codeSpan, plainText } from "../safe-text";
import { describeExpiry, describeLastUse } from "../time";
import { scopePhrase, tokenFields, tokenLabel, warningBlocks } from "./token-fields";

export function renderTokenDetail(token: TokenResponse, now: Date): ChatMessage {
  const fields = [...tokenFields(token, now), { label: "Customer", value: codeSpan(token.customer_id) }];
  if (token.ip || token.user_agent) {
    const from = [token.ip ? codeSpan(token.ip, 45) : "", token.user_agent ? plainText(token.user_agent, 120) : ""];
    fields.push({ label: "Last used from", value: from.filter(Boolean).join(" ") });
  }
  return {
    text: `Token ${tokenLabel(token)}: ${scopePhrase(token)}, ${describeLastUse(token, now)}, ${describeExpiry(token, now)}.`,
    visibility: "ephemeral",
    blocks: [
      { type: "header", text: `Token ${plainText(token.name, 100) || "(unnamed)"}` },
      { type: "fields", fields },
      ...warningBlocks(token, now),
    ],
  };
}
