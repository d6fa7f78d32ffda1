/**
 * The Worker as benchmarks run it under workerd: `src/index.ts` unchanged, behind a thin entry that
 *
 * - applies the D1 schema on `POST /__bench/migrate` (the statements of migrations/, sent by the benchmark), since
 *   the local runtime starts with an empty database;
 * - with `BENCH_LIMITS=free|paid|count`, wraps the real local KV and D1 bindings in the platform-limits double
 *   (test/helpers/platform-limits.ts) once per isolate, and runs every fetch (with its waitUntil work) and every
 *   queue batch as one invocation of it; `BENCH_LIMITS=none` (the default) passes the env through untouched;
 * - counts queue operations (messages written, delivered, acknowledged, retried) and answers its figures on
 *   `GET /__bench/stats`; `GET /__bench/roundtrip` times sequential local D1 queries and KV reads.
 *
 * Bench-only: wrangler.toml's `main` stays `src/index.ts`; benchmarks start this with `entrypoint` (bench/lib/stack.mjs).
 */
import worker from "../../src/index";
import type { Env } from "../../src/env";
import type { RevocationJob } from "../../src/tokens/revocation-job";
import { COUNT_ONLY, FREE_PLAN, type LimitSettings, PAID_PLAN, PlatformLimits } from "../../test/helpers/platform-limits";

type BenchEnv = Env & { BENCH_LIMITS?: string };

const PLANS: Record<string, Readonly<LimitSettings>> = {
  // One location only: a visibility delay would only make the double read each key before its first write.
  free: { ...FREE_PLAN, kvVisibilityDelaySeconds: 0 },
  paid: { ...PAID_PLAN, kvVisibilityDelaySeconds: 0 },
  count: COUNT_ONLY,
};

const queueOps = { written: 0, sendCalls: 0, delivered: 0, acked: 0, retried: 0, batches: 0 };
let limits: PlatformLimits | undefined;
const wrapped = new WeakMap<object, BenchEnv>();

/** The env the Worker sees: the same object for every invocation of the isolate, as in production. */
function workerEnv(env: BenchEnv): BenchEnv {
  let out = wrapped.get(env);
  if (out) return out;
  const plan = PLANS[env.BENCH_LIMITS ?? "none"];
  if (plan) limits = new PlatformLimits(plan);
  const base = limits ? limits.env(env) : { ...env };
  out = { ...base, REVOCATIONS: countingQueue(env.REVOCATIONS) } as BenchEnv;
  wrapped.set(env, out);
  return out;
}

function countingQueue(queue: Queue<RevocationJob>): Queue<RevocationJob> {
  return {
    send: (body: RevocationJob, opts?: QueueSendOptions) => {
      queueOps.sendCalls++;
      queueOps.written++;
      return queue.send(body, opts);
    },
    sendBatch: (messages: Iterable<MessageSendRequest<RevocationJob>>, opts?: QueueSendBatchOptions) => {
      const list = [...messages];
      queueOps.sendCalls++;
      queueOps.written += list.length;
      return queue.sendBatch(list, opts);
    },
  } as Queue<RevocationJob>;
}

/** The batch as the Worker sees it, with acks and retries counted. */
function countingBatch(batch: MessageBatch<RevocationJob>): MessageBatch<RevocationJob> {
  queueOps.batches++;
  queueOps.delivered += batch.messages.length;
  const messages = batch.messages.map((m) => ({
    id: m.id,
    timestamp: m.timestamp,
    body: m.body,
    attempts: m.attempts,
    ack: () => {
      queueOps.acked++;
      m.ack();
    },
    retry: (opts?: QueueRetryOptions) => {
      queueOps.retried++;
      m.retry(opts);
    },
  }));
  return {
    queue: batch.queue,
    messages,
    ackAll: () => {
      queueOps.acked += messages.length;
      batch.ackAll();
    },
    retryAll: (opts?: QueueRetryOptions) => {
      queueOps.retried += messages.length;
      batch.retryAll(opts);
    },
  } as unknown as MessageBatch<RevocationJob>;
}

function tally(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

async function control(request: Request, env: BenchEnv): Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === "/__bench/migrate" && request.method === "POST") {
    const statements = (await request.json()) as string[];
    await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
    return Response.json({ applied: statements.length });
  }
  if (pathname === "/__bench/stats") {
    const stats = limits?.stats();
    return Response.json({
      plan: env.BENCH_LIMITS ?? "none",
      queue: queueOps,
      ...(stats && limits
        ? {
            kv: stats.kv,
            d1: stats.d1,
            invocations: stats.invocations,
            maxOpsInOneInvocation: stats.maxOpsInOneInvocation,
            maxKvOpsInOneInvocation: stats.maxKvOpsInOneInvocation,
            maxD1QueriesInOneInvocation: stats.maxD1QueriesInOneInvocation,
            refusals: tally(stats.failures.map((f) => `${f.rule} (${f.operation})`)),
            usageToday: limits.usageToday(),
          }
        : {}),
    });
  }
  if (pathname === "/__bench/roundtrip") {
    // The clock advances when I/O completes, so sequential awaited calls can be timed from inside the Worker.
    const n = 200;
    let t = Date.now();
    for (let i = 0; i < n; i++) await env.DB.prepare("SELECT 1").first();
    const d1Ms = (Date.now() - t) / n;
    t = Date.now();
    for (let i = 0; i < n; i++) await env.TOKENS_KV.get("bench:absent");
    return Response.json({ d1Ms, kvMs: (Date.now() - t) / n });
  }
  return Response.json({ msg: "unknown bench control route" }, { status: 404 });
}

export default {
  async fetch(request: Request, env: BenchEnv, ctx: ExecutionContext): Promise<Response> {
    if (request.url.includes("/__bench/")) return control(request, env);
    const target = workerEnv(env);
    if (!limits) return worker.fetch(request, target, ctx);
      // The response and the waitUntil work it schedules are one invocation: the work starts inside `invoke`.
    return limits.invoke(() => worker.fetch(request, target, ctx));
  },

  async queue(batch: MessageBatch<RevocationJob>, env: BenchEnv): Promise<void> {
    const target = workerEnv(env);
    const counted = countingBatch(batch);
    if (!limits) return worker.queue(counted, target);
    return limits.invoke(() => worker.queue(counted, target));
  },
} satisfies ExportedHandler<BenchEnv, RevocationJob>;
