import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { log } from "../../log";

/**
 * Runs `work` after the response (the 3-second acks of Slack and Discord). Whatever it throws is logged by
 * name only: error messages can quote upstream text, and the log is not the place for it.
 */
export function inBackground(c: Context<AppEnv>, label: string, work: () => Promise<void>): void {
  c.executionCtx.waitUntil(
    work().catch((err: unknown) => {
      log.error("chat_background_failed", { label, error: err instanceof Error ? err.name : "unknown" });
    }),
  );
}
