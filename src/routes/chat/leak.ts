import { type ChatPrincipal, describePrincipal } from "../../chatops/authorize";
import type { ChatMessage } from "../../chatops/message";
import { leakFailedMessage, renderLeakNotice } from "../../chatops/render/leak";
import type { Services } from "../../services";
import type { TokenResponse } from "../../fastly/schemas";
import { log } from "../../log";

/** Notices per request at most: Slack's response_url takes five messages, one is kept for the acknowledgement. */
const MAX_NOTICES = 4;

/**
 * A token pasted into a command is a leak in a chat channel: it goes through the leak workflow (prove live,
 * revoke, tombstone, audit, notify, queue on failure) like any other report. The answer never repeats it.
 * Who pasted it needs no permission: revoking a leaked token only protects its owner.
 */
export async function handlePastedTokens(
  services: Pick<Services, "leaks" | "config">,
  principal: ChatPrincipal,
  tokens: string[],
  now: Date,
): Promise<ChatMessage[]> {
  const who = describePrincipal(principal);
  try {
    const outcomes = await services.leaks.report(
      tokens.map((raw) => ({ raw, context: { source: "chat" as const, reporter: who } })),
      // Two calls are kept back for delivering the answers.
      { budget: services.config.leak.subrequestBudget - 2, surface: principal.platform, principal: who },
    );
    return outcomes
      .slice(0, MAX_NOTICES)
      .map((o) =>
        o.status === "failed" ? leakFailedMessage() : renderLeakNotice({ status: o.status, token: o.token as TokenResponse | undefined }, now),
      );
  } catch (err) {
    log.error("chat_leak_failed", { platform: principal.platform, error: err instanceof Error ? err.name : "unknown" });
    return [leakFailedMessage()];
  }
}
