import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import type { ConfirmationButtonId } from "../../chatops/button-ids";
import type { ChatPrincipal } from "../../chatops/authorize";
import type { ChatMessage } from "../../chatops/message";

// The seam between the one chat flow (command-flow.ts, click-flow.ts) and a platform. A platform route verifies
// the request with its own scheme, decodes the payload into a ChatCommand or ChatClick, and hands the flow an
// adapter that encodes the flow's neutral answers into that platform's response. Adapters decide nothing.

export type ChatPlatform = ChatPrincipal["platform"];

/** What the flow runs with: the invocation's configuration and services. */
export type ChatDeps = Pick<AppEnv["Variables"], "config" | "service" | "services">;

export function chatDeps(c: Context<AppEnv>): ChatDeps {
  return { config: c.var.config, service: c.var.service, services: c.var.services };
}

/** A slash command, decoded from the platform's verified payload. */
export interface ChatCommand {
  principal: ChatPrincipal;
  /** The slash command as typed ("/fastly-tokens"), for help texts. */
  commandName: string;
  /** The words after it. */
  text: string;
}

/** A press of one of this Worker's confirmation buttons (other buttons never reach the flow). */
export interface ChatClick {
  principal: ChatPrincipal;
  button: ConfirmationButtonId;
  /** The signed confirmation value the button carried; nothing about it is trusted yet. */
  value: string;
}

export interface CommandAdapter {
  readonly platform: ChatPlatform;
  /**
   * True when `answerWith` acknowledges before the answer exists (Slack's and Discord's 3-second deadline): the
   * flow then refuses in the acknowledgement whatever it can refuse without Fastly. Mattermost waits for the
   * answer, so its refusals come from the answer itself.
   */
  readonly acknowledgesFirst: boolean;
  /** A complete answer, as the HTTP response. */
  reply(message: ChatMessage): Response;
  /** An answer that needs Fastly: deliver what `answer` produces (after an acknowledgement, or inline). */
  answerWith(answer: () => Promise<ChatMessage>): Response | Promise<Response>;
  /** Pasted tokens: deliver the leak notices `notices` produces (at most four, never the token). */
  reportLeak(notices: () => Promise<ChatMessage[]>): Response | Promise<Response>;
}

export interface ClickAdapter {
  readonly platform: ChatPlatform;
  /** To the clicker only; the confirmation stays as it is (a refusal they may be able to fix). */
  tell(message: ChatMessage): Response;
  /** Replaces the confirmation (expired, cancelled): its buttons are gone. */
  replace(message: ChatMessage): Response;
  /** Runs the confirmed revocation and delivers its result in place of the confirmation. */
  revoke(run: () => Promise<ChatMessage>): Response | Promise<Response>;
}
