import { FastlyApiError } from "../fastly";
import type { TokenResponse } from "../fastly/schemas";
import type { LeakSummary } from "../tokens/leak-summary";
import type { TokenService } from "../tokens/token-service";
import { buildReport, type HygieneReport } from "./classify";
import { digestHasNews, digestPayload, renderDigest, renderFailureDigest } from "./digest";
import type { Delivery, DigestSender } from "./digest-sender";
import { failureReason, type Inventory, loadInventory } from "./inventory";
import type { HygieneSettings } from "../config";
import { type PolicyOutcome, selectStale } from "./stale-policy";
import { log } from "../log";

/** Principals in the audit log for what the schedule does. */
export const SCHEDULE_PRINCIPAL = "schedule:hygiene";
export const STALE_POLICY_PRINCIPAL = "schedule:stale-policy";

export interface HygieneRunDeps {
  service: TokenService;
  settings: HygieneSettings;
  sender: DigestSender;
  now: Date;
  /** The last 30 days of leaks, for the digest's leak summary. */
  leaks?: LeakSummary;
}

export interface HygieneRun {
  /** disabled: HYGIENE_ENABLED=false; quiet: nothing to say, so nothing was sent; sent: a digest went out. */
  status: "disabled" | "quiet" | "sent";
  inventory: Inventory | null;
  report: HygieneReport | null;
  policy: PolicyOutcome | null;
  deliveries: Delivery[];
}

/**
 * One scheduled hygiene run: list the customer's tokens, classify them, apply the stale-token policy, send the
 * digest. Revocations go through TokenService.revokeToken, so each one is audited, honours DRY_RUN and passes the
 * self-token guard (a second line behind the policy's own exclusion of the Worker's token).
 * When the tokens cannot be listed, a failure notice goes out and the error is rethrown, so the cron run is
 * recorded as failed.
 */
export async function runHygiene(deps: HygieneRunDeps): Promise<HygieneRun> {
  const { service, settings, sender, now } = deps;
  if (!settings.enabled) return { status: "disabled", inventory: null, report: null, policy: null, deliveries: [] };
  let inventory: Inventory;
  try {
    inventory = await loadInventory(service, await service.workerActor("schedule", SCHEDULE_PRINCIPAL));
  } catch (err) {
    const reason = failureReason(err);
    log.error("hygiene_run_failed", { reason });
    const failure = renderFailureDigest(reason, now);
    await sender.send(failure.message, failure.payload);
    throw err;
  }
  const report = buildReport(inventory.tokens, now, settings);
  const policy = settings.stale.mode === "off" ? null : await applyPolicy(service, settings, inventory, now);
  const ctx = { now, inventory, maxItems: settings.maxItems, ...(deps.leaks ? { leaks: deps.leaks } : {}) };
  const news = digestHasNews(report, policy, deps.leaks);
  const deliveries = news || settings.always ? await sender.send(renderDigest(report, policy, ctx), digestPayload(report, policy, ctx)) : [];
  const run: HygieneRun = { status: deliveries.length > 0 ? "sent" : "quiet", inventory, report, policy, deliveries };
  log.info("hygiene_run", {
      status: run.status,
      tokens: report.totalTokens,
      findings: report.items.length,
      policy: settings.stale.mode,
      revoked: policy?.revoked.length ?? 0,
      failed: policy?.failed.length ?? 0,
      deliveries: deliveries.map((d) => `${d.channel}:${d.ok ? "ok" : (d.status ?? d.error)}`),
  });
  return run;
}

async function applyPolicy(service: TokenService, settings: HygieneSettings, inventory: Inventory, now: Date): Promise<PolicyOutcome> {
  const selection = selectStale(inventory.tokens, now, settings.stale, inventory.ownTokenId);
  const outcome: PolicyOutcome = { mode: settings.stale.mode, afterDays: settings.stale.afterDays, selection, revoked: [], failed: [], dryRun: false };
  if (settings.stale.mode !== "revoke") return outcome;
  const actor = await service.workerActor("schedule", STALE_POLICY_PRINCIPAL);
  const attempted: TokenResponse[] = [];
  for (const [i, token] of selection.candidates.entries()) {
    attempted.push(token);
    try {
      const mutation = await service.revokeToken(actor, token.id!);
      if (mutation.dryRun) outcome.dryRun = true;
      outcome.revoked.push(token);
    } catch (err) {
      outcome.failed.push({ token, reason: failureReason(err) });
      // Rate-limited: every further call would fail the same way. The rest wait for the next run.
      if (err instanceof FastlyApiError && err.status === 429) {
        selection.deferred.unshift(...selection.candidates.slice(i + 1));
        break;
      }
    }
  }
  selection.candidates = attempted;
  return outcome;
}
