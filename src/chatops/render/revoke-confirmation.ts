import type { TokenResponse } from "../../fastly/schemas";
import { CANCEL_BUTTON_ID, CONFIRM_BUTTON_ID } from "../button-ids";
import type { Block, ChatMessage } from "../message";
import { tokenWarnings } from "../time";
import { tokenFields, tokenLabel } from "./token-fields";

/**
 * Shows every token in full (name, owner, scope, services, created, last used, expiry and warnings)
 * with a danger "confirm" and a "cancel" button, both carrying `confirmValue` untouched: the route signs
 * it and must keep it short enough for Discord (custom_id is `${id}:${value}`, at most 100 characters).
 */
export function renderRevokeConfirmation(tokens: TokenResponse[], confirmValue: string, now: Date): ChatMessage {
  if (tokens.length === 0) {
    return { text: "Nothing to revoke.", visibility: "ephemeral", blocks: [{ type: "text", text: "Nothing to revoke." }] };
  }
  const n = tokens.length;
  const blocks: Block[] = [
    { type: "header", text: n === 1 ? "Revoke this token?" : `Revoke these ${n} tokens?` },
    {
      type: "warning",
      text: `Revocation is immediate and cannot be undone: anything still using ${n === 1 ? "this token" : "these tokens"} will start failing.`,
    },
  ];
  for (const token of tokens) {
    const fields = tokenFields(token, now);
    const warnings = tokenWarnings(token, now);
    if (warnings.length > 0) fields.push({ label: "Warnings", value: warnings.join(" ") });
    blocks.push({ type: "fields", fields });
  }
  blocks.push(
    {
      type: "actions",
      buttons: [
        { id: CONFIRM_BUTTON_ID, label: n === 1 ? "Revoke token" : `Revoke ${n} tokens`, style: "danger", value: confirmValue },
        { id: CANCEL_BUTTON_ID, label: "Cancel", value: confirmValue },
      ],
    },
    { type: "context", text: "Nothing has been revoked yet." },
  );
  const names = tokens.map((t) => tokenLabel(t)).join(", ");
  return { text: `Confirm revoking ${n} token${n === 1 ? "" : "s"}: ${names}`, visibility: "ephemeral", blocks };
}

export function renderCancelled(): ChatMessage {
  return {
    text: "Cancelled: nothing was revoked.",
    visibility: "ephemeral",
    blocks: [{ type: "text", text: "Cancelled: nothing was revoked." }],
  };
}
