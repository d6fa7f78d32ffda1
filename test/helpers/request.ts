import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import type { Env } from "../../src/env";
import worker from "../../src/index";
import type { RevocationJob } from "../../src/tokens/revocation-job";
import { asInvocation } from "./platform-limits";

/** The origin every test request is addressed to (the dashboard's same-origin checks compare against it). */
export const WORKER_ORIGIN = "https://worker.test";

/**
 * Sends one request to the Worker's real fetch handler (the whole app: every surface, its middleware and error
 * handler) and returns the response as soon as the handler does; `settled()` waits for its `waitUntil` work. Signed
 * surfaces take the init their signer builds (`slackInit`, `discordInit`, `mattermostInit`, `postScannerReport`...).
 * With platform limits on the env, the request and its `waitUntil` work are one invocation.
 */
export async function startWorker(env: Env, path: string, init: RequestInit = {}): Promise<{ response: Response; settled: () => Promise<void> }> {
  const ctx = createExecutionContext();
  // The waitUntil work started inside the invocation stays in it (async context), even when awaited later.
  const response = await asInvocation(env, async () => worker.fetch(new Request(`${WORKER_ORIGIN}${path}`, init), env, ctx));
  return { response, settled: () => waitOnExecutionContext(ctx) };
}

/** `startWorker`, then waits for the request's `waitUntil` work: what most tests want. */
export async function callWorker(env: Env, path: string, init: RequestInit = {}): Promise<Response> {
  const { response, settled } = await startWorker(env, path, init);
  await settled();
  return response;
}

/**
 * A real MessageBatch of `bodies` as the `queue` consumer receives it, and a way to read what was acked or retried.
 * The pool's MessageBatch records that a message was retried, not its delay: `retryDelays` notes each on the way.
 */
export function messageBatch(queue: "revocations" | "revocations-dlq", bodies: RevocationJob[], attempts = 1) {
  const batch = createMessageBatch<RevocationJob>(
    queue,
    bodies.map((body, i) => ({ id: `m${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })),
  );
  const retryDelays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (opts?: QueueRetryOptions) => {
      retryDelays.push(opts?.delaySeconds);
      retry(opts);
    };
  }
  const ctx = createExecutionContext();
  return { batch, result: async () => ({ ...(await getQueueResult(batch, ctx)), retryDelays }) };
}

/** Hands messages to the Worker's queue handler as one real MessageBatch; returns acks/retries. */
export async function deliver(env: Env, queue: "revocations" | "revocations-dlq", bodies: RevocationJob[], attempts = 1) {
  const { batch, result } = messageBatch(queue, bodies, attempts);
  // With platform limits (test/helpers/platform-limits.ts), one batch is one invocation.
  await asInvocation(env, () => worker.queue(batch, env));
  return result();
}
