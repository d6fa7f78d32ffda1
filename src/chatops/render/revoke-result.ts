import type { TokenResponse } from "../../fastly/schemas";
import type { Block, ChatMessage } from "../message";
import { codeSpan, plainText } from "../safe-text";
import { formatDate } from "../time";
import { tokenScopes } from "../../tokens/token-facts";
import { tokenLabel } from "./token-fields";

/** Posted in the channel when something was revoked, so the team sees it; otherwise only to the caller. */
export function renderRevokeResult(
  outcome: { revoked: TokenResponse[]; failed: { tokenId: string; reason: string }[]; dryRun: boolean; actor: string },
  now: Date,
): ChatMessage {
  const { revoked, failed, dryRun } = outcome;
  const actor = codeSpan(outcome.actor, 80);
  const lines = revoked.map(
    (t) => `• ${codeSpan(t.name || "(unnamed)", 60)} (${codeSpan(t.id)}), owner ${codeSpan(t.user_id)}, scope ${codeSpan(tokenScopes(t).join(" "))}`,
  );
  const blocks: Block[] = [];
  let text: string;
  if (dryRun) {
    text = `Dry run: nothing was revoked (${revoked.length} would have been).`;
    blocks.push({ type: "header", text: "Dry run: nothing was revoked" });
    if (lines.length > 0) blocks.push({ type: "text", text: `Would have revoked:\n${lines.join("\n")}` });
  } else if (revoked.length > 0) {
    text = `Revoked ${revoked.length} token${revoked.length === 1 ? "" : "s"}: ${revoked.map(tokenLabel).join(", ")}.`;
    blocks.push(
      { type: "header", text: `Revoked ${revoked.length} token${revoked.length === 1 ? "" : "s"}` },
      { type: "text", text: lines.join("\n") },
    );
  } else {
    text = failed.length > 0 ? "Nothing was revoked." : "Nothing to revoke.";
    blocks.push({ type: "header", text: failed.length > 0 ? "Revocation failed" : "Nothing to revoke" });
  }
  if (failed.length > 0) {
    const failures = failed.map((f) => `• ${codeSpan(f.tokenId, 40)}: ${plainText(f.reason, 200)}`);
    blocks.push({ type: "warning", text: `Not revoked:\n${failures.join("\n")}` });
    text += ` ${failed.length} failed.`;
  }
  blocks.push({ type: "context", text: `By ${actor} at ${formatDate(now.toISOString())}` });
  return { text, visibility: !dryRun && revoked.length > 0 ? "in_channel" : "ephemeral", blocks };
}
