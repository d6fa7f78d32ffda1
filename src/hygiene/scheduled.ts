import { type Services, servicesFor } from "../services";
import type { Env } from "../env";
import { DigestSender } from "./digest-sender";
import { type HygieneRun, runHygiene } from "./run-hygiene";
import { type LeakSummary, summarizeLeaks } from "../tokens/leak-summary";
import { log } from "../log";

/**
 * The body of the Worker's `scheduled` handler (cron `0 8 * * *` in wrangler.toml): the hygiene digest and the
 * stale-token policy. `scheduledTime` is "now" for every date comparison, so a run is reproducible from its
 * controller. Locally: `wrangler dev --test-scheduled`, then `curl "http://127.0.0.1:8787/__scheduled"`.
 */
export async function runScheduled(
  controller: Pick<ScheduledController, "scheduledTime">,
  env: Env,
  deps: { fetch?: typeof fetch } = {},
): Promise<HygieneRun> {
  const services = servicesFor(env);
  // Retention is the core's, not hygiene's: it runs before the hygiene settings are read, so a malformed optional
  // hygiene setting (whose section then throws its ConfigError) stops the digest only.
  await enforceRetention(services, controller.scheduledTime);
  const settings = services.config.hygiene;
  const leaks = settings.enabled ? await leakSummary(services, controller.scheduledTime) : undefined;
  return runHygiene({
    service: services.tokens,
    settings,
    sender: new DigestSender(settings.channels, deps.fetch),
    now: new Date(controller.scheduledTime),
    ...(leaks ? { leaks } : {}),
  });
}

/**
 * Retention, daily: audit entries older than AUDIT_RETENTION_DAYS, and delivery claims, confirmations and sessions
 * past their windows. A failure is logged and never stops the digest.
 */
export async function enforceRetention(services: Services, nowMs: number): Promise<void> {
  try {
    const [audit, claims, confirmations, sessions] = await Promise.all([
      services.audit.purge(nowMs - services.config.auditRetentionSeconds * 1000),
      services.claims.purge(nowMs),
      services.confirmations.purge(nowMs),
      services.sessions.purge(nowMs),
    ]);
    log.info("retention", { audit, claims, confirmations, sessions });
  } catch (err) {
    log.error("retention_failed", { error: err instanceof Error ? err.name : "unknown" });
  }
}

/** The digest's leak summary; a failure to read it is logged and leaves the rest of the digest alone. */
async function leakSummary(services: Services, nowMs: number): Promise<LeakSummary | undefined> {
  try {
    return await summarizeLeaks(services.leakFigures, { nowMs, limit: 20 });
  } catch (err) {
    log.error("leak_summary_failed", { error: err instanceof Error ? err.name : "unknown" });
    return undefined;
  }
}
