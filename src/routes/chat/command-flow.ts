import { authorize } from "../../chatops/authorize";
import { actionOf, parseCommand } from "../../chatops/command";
import { renderHelp } from "../../chatops/render/help";
import { renderDenied, renderError, revokeNeedsSecretMessage } from "../../chatops/render/notices";
import type { ChatCommand, ChatDeps, CommandAdapter } from "./adapter";
import { answerCommand, chatContext } from "./answer";
import { handlePastedTokens } from "./leak";

/**
 * A slash command, the same on every platform: pasted tokens → the leak workflow (the command is not run);
 * parse → help → authorize → (acknowledging platforms) seal check → the answer. Everything before `answerWith`
 * is pure: no KV, no fetch (Slack's and Discord's 3-second deadline, cold starts).
 */
export function runCommand(adapter: CommandAdapter, deps: ChatDeps, request: ChatCommand): Response | Promise<Response> {
  const { principal } = request;
  const parsed = parseCommand(request.text);
  if (parsed.pastedTokens.length > 0) {
    const tokens = parsed.pastedTokens;
    return adapter.reportLeak(() => handlePastedTokens(deps.services, principal, tokens, new Date()));
  }
  if (!parsed.ok) return adapter.reply(renderError(parsed.error));
  const command = parsed.command;
  if (command.kind === "help") return adapter.reply(renderHelp(request.commandName, command));
  const verdict = authorize(principal, actionOf(command), deps.config.chatPolicy[adapter.platform]);
  if (!verdict.allowed) return adapter.reply(renderDenied(verdict.reason));
  if (adapter.acknowledgesFirst && command.kind === "revoke" && !deps.config.leak.sealSecret) {
    return adapter.reply(revokeNeedsSecretMessage());
  }
  const ctx = chatContext(deps, principal, request.commandName);
  return adapter.answerWith(() => answerCommand(ctx, command));
}
