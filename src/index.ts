import { app } from "./app";
import type { Env } from "./env";
import { runScheduled } from "./hygiene/scheduled";
import { servicesFor } from "./services";
import type { RevocationJob } from "./tokens/revocation-job";

export default {
  fetch: app.fetch,

  /** `revocations`: retry leak revocations with backoff; `revocations-dlq`: record and notify what never succeeded. */
  async queue(batch: MessageBatch<RevocationJob>, env: Env): Promise<void> {
    const { leaks, config } = servicesFor(env);
    if (batch.queue.endsWith("-dlq")) await leaks.consumeDeadLetters(batch, config.leak.maxAttempts);
    else await leaks.consume(batch);
  },

  /** Cron (wrangler.toml): the token-hygiene digest and the stale-token policy. Locally: `wrangler dev --test-scheduled`. */
  async scheduled(controller: ScheduledController, env: Env): Promise<void> {
    await runScheduled(controller, env);
  },
} satisfies ExportedHandler<Env, RevocationJob>;
