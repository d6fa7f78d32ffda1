import { type ChatPrincipal, describePrincipal } from "../../chatops/authorize";
import type { Command } from "../../chatops/command";
import type { ChatMessage } from "../../chatops/message";
import { renderAudit } from "../../chatops/render/audit";
import { renderHelp } from "../../chatops/render/help";
import { renderError, revokeNeedsSecretMessage } from "../../chatops/render/notices";
import { renderRevokeConfirmation } from "../../chatops/render/revoke-confirmation";
import { renderRevokeResult } from "../../chatops/render/revoke-result";
import { renderTokenDetail } from "../../chatops/render/token-detail";
import { renderTokenList } from "../../chatops/render/token-list";
import { renderWhoami } from "../../chatops/render/whoami";
import { codeSpan } from "../../chatops/safe-text";
import type { Config } from "../../config";
import type { TokenResponse } from "../../fastly/schemas";
import type { Actor } from "../../tokens/actor";
import type { TokenService } from "../../tokens/token-service";
import type { ConfirmationStore } from "../../tokens/store/confirmations";
import type { ChatDeps } from "./adapter";
import { confirmBinding, signConfirmValue } from "./confirm-value";
import { describeFailure } from "./failure";

/** What one chat request runs with. `principal` is who sent it, as the platform's verified payload names them. */
export interface ChatContext {
  platform: ChatPrincipal["platform"];
  principal: ChatPrincipal;
  config: Config;
  service: TokenService;
  confirmations: ConfirmationStore;
  now: Date;
  /** The slash command as the user typed it ("/fastly-tokens"), for help texts. */
  commandName: string;
}

/** The context for one request of `principal` on `platform`; its clock is read here, once. */
export function chatContext(deps: ChatDeps, principal: ChatPrincipal, commandName: string): ChatContext {
  return {
    platform: principal.platform,
    principal,
    config: deps.config,
    service: deps.service,
    confirmations: deps.services.confirmations,
    now: new Date(),
    commandName,
  };
}

/**
 * Runs one authorized command and renders its answer. A revoke command only looks the tokens up and answers
 * with the confirmation (its buttons carry a signed value; the ids wait in KV). Core and Fastly errors become
 * an ephemeral error message; nothing here throws for them.
 */
export async function answerCommand(ctx: ChatContext, command: Command): Promise<ChatMessage> {
  if (command.kind === "help") return renderHelp(ctx.commandName, command);
  try {
    const actor = await actorFor(ctx);
    switch (command.kind) {
      case "whoami":
        return renderWhoami((await ctx.service.getTokenCurrent(actor)).value, ctx.now);
      case "show":
        return renderTokenDetail((await ctx.service.getToken(actor, command.tokenId)).value, ctx.now);
      case "list": {
        const tokens =
          command.target === "customer"
            ? (await ctx.service.listTokensCustomer(actor, await ownCustomerId(ctx, actor))).value
            : (await ctx.service.listTokensUser(actor)).value;
        return renderTokenList(tokens, command, ctx.now);
      }
      case "audit": {
        const { entries } = await ctx.service.listAudit(command.limit);
        return renderAudit(entries.slice(0, command.limit), ctx.now);
      }
      case "revoke":
        return await confirmation(ctx, actor, command.tokenIds);
    }
  } catch (err) {
    return renderError(`Could not run \`${command.kind}\`: ${describeFailure(err, ctx.platform)}.`);
  }
}

/** Revokes the confirmed ids (one call: revokeToken, or bulkRevokeTokens for several) and renders the outcome. */
export async function executeRevoke(ctx: ChatContext, tokenIds: string[]): Promise<ChatMessage> {
  const principal = describePrincipal(ctx.principal);
  try {
    const actor = await actorFor(ctx);
    const mutation =
      tokenIds.length === 1
        ? await ctx.service.revokeToken(actor, tokenIds[0]!)
        : await ctx.service.bulkRevokeTokens(actor, tokenIds);
    return renderRevokeResult({ revoked: mutation.tokens, failed: [], dryRun: mutation.dryRun, actor: principal }, ctx.now);
  } catch (err) {
    // The core revokes a batch all or nothing (lookups first, then one DELETE), so a failure concerns every id.
    const reason = describeFailure(err, ctx.platform);
    return renderRevokeResult(
      { revoked: [], failed: tokenIds.map((tokenId) => ({ tokenId, reason })), dryRun: false, actor: principal },
      ctx.now,
    );
  }
}

function actorFor(ctx: ChatContext): Promise<Actor> {
  return ctx.service.workerActor(ctx.platform, describePrincipal(ctx.principal), ctx.config.dryRun ? { dryRun: true } : {});
}

async function ownCustomerId(ctx: ChatContext, actor: Actor): Promise<string> {
  const customerId = (await ctx.service.getTokenCurrent(actor)).value.customer_id;
  if (!customerId) throw new Error("The Worker's token has no customer id");
  return customerId;
}

async function confirmation(ctx: ChatContext, actor: Actor, tokenIds: string[]): Promise<ChatMessage> {
  const secret = ctx.config.leak.sealSecret;
  if (!secret) return revokeNeedsSecretMessage();
  const found: TokenResponse[] = [];
  const ids: string[] = [];
  const missing: string[] = [];
  for (const id of tokenIds) {
    try {
      found.push((await ctx.service.getToken(actor, id)).value);
      ids.push(id);
    } catch (err) {
      missing.push(`• ${codeSpan(id, 40)}: ${describeFailure(err, ctx.platform)}`);
    }
  }
  if (found.length === 0) {
    return renderError(`Nothing to revoke.\n${missing.join("\n")}`);
  }
  const nowSeconds = Math.floor(ctx.now.getTime() / 1000);
  const principal = describePrincipal(ctx.principal);
  const signed = await signConfirmValue(secret, { principal: confirmBinding(ctx.principal), tokenIds: ids, nowSeconds });
  await ctx.confirmations.save(signed.nonce, { tokenIds: ids, principal, expiresAt: signed.expiresAt });
  const message = renderRevokeConfirmation(found, signed.value, ctx.now);
  if (missing.length > 0) {
    // Before the buttons, so whoever confirms sees what will not be revoked.
    message.blocks.splice(2, 0, { type: "warning", text: `These will not be revoked:\n${missing.join("\n")}` });
  }
  return message;
}
