import { app } from "./app";
import { loadConfig } from "./config";
import type { Env } from "./env";
import { leakRevokerFor } from "./routes/hooks/leak-deps";
import type { RevocationJob } from "./tokens/revocation-job";

export default {
  fetch: app.fetch,

  /** `revocations`: retry leak revocations with backoff; `revocations-dlq`: record and notify what never succeeded. */
  async queue(batch: MessageBatch<RevocationJob>, env: Env): Promise<void> {
    const revoker = leakRevokerFor(env);
    if (batch.queue.endsWith("-dlq")) await revoker.consumeDeadLetters(batch, loadConfig(env).leak.maxAttempts);
    else await revoker.consume(batch);
  },
} satisfies ExportedHandler<Env, RevocationJob>;
