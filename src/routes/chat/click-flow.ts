import { authorize } from "../../chatops/authorize";
import { CANCEL_BUTTON_ID } from "../../chatops/button-ids";
import type { ChatMessage } from "../../chatops/message";
import { DEFAULT_COMMAND_NAME } from "../../chatops/render/help";
import { confirmedMessage, expiredMessage, renderDenied, revokeNeedsSecretMessage } from "../../chatops/render/notices";
import { renderCancelled } from "../../chatops/render/revoke-confirmation";
import type { ChatClick, ChatDeps, ClickAdapter } from "./adapter";
import { chatContext, executeRevoke } from "./answer";
import { checkClick, consumeClick } from "./confirm-click";
import { confirmBinding } from "./confirm-value";
import { unauthorized } from "./reject";

/**
 * A confirmation button, the same on every platform: authorized again (the allow-list may have changed since
 * the command), the seal secret present, the signed value checked for this clicker, used up atomically, then
 * cancel or revoke. An expired button gets a friendly answer; a forged, tampered or replayed one a 401.
 */
export async function runClick(adapter: ClickAdapter, deps: ChatDeps, click: ChatClick): Promise<Response> {
  const { principal } = click;
  const store = deps.services.confirmations;
  const verdict = authorize(principal, "revoke", deps.config.chatPolicy[adapter.platform]);
  if (!verdict.allowed) return adapter.tell(renderDenied(verdict.reason));
  const secret = deps.config.leak.sealSecret;
  if (!secret) return adapter.tell(revokeNeedsSecretMessage());
  const nowSeconds = Math.floor(Date.now() / 1000);
  const check = await checkClick({ secret, store, value: click.value, principal: confirmBinding(principal), nowSeconds });
  if (!check.ok) {
    if (check.reason !== "expired") throw unauthorized(check.reason);
    return adapter.replace(expiredMessage());
  }
  if (!(await consumeClick(store, check.nonce, nowSeconds))) throw unauthorized("used");
  if (click.button === CANCEL_BUTTON_ID) return adapter.replace(renderCancelled());
  const ctx = chatContext(deps, principal, DEFAULT_COMMAND_NAME);
  return adapter.revoke(() => executeRevoke(ctx, check.tokenIds));
}

/**
 * Where a revocation's result goes on a platform whose confirmation is ephemeral and stays so (Slack, Discord):
 * a public result closes the confirmation and is announced in the channel; any other replaces the confirmation.
 */
export function revokeDeliveries(result: ChatMessage): { replace: ChatMessage; announce?: ChatMessage } {
  return result.visibility === "in_channel" ? { replace: confirmedMessage(), announce: result } : { replace: result };
}
