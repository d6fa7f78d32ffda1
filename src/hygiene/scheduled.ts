import { createService } from "../app";
import type { Env } from "../env";
import { DigestSender } from "./digest-sender";
import { type HygieneRun, runHygiene } from "./run-hygiene";
import { loadHygieneSettings } from "./settings";

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
  const settings = loadHygieneSettings(env);
  return runHygiene({
    service: createService(env),
    settings,
    sender: new DigestSender(settings.channels, deps.fetch),
    now: new Date(controller.scheduledTime),
  });
}
