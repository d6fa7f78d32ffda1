// Issue 10: what the Worker spends of Cloudflare's storage, queue and CPU limits, and the 1,000-token leak under the
// free plan's limits (the platform-limits double around the real local KV and D1).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { rowsOf } from "./leak-rate-limit.mjs";
import { load, newTenant, notLiveToken, scannerRequest, startEmulatorProcess, WORKER_TOKEN, workerVars } from "./load.mjs";
import { importTs } from "./lib/compile.mjs";
import { runMassLeak, seedTokens } from "./lib/mass-leak.mjs";
import { root } from "./lib/paths.mjs";
import { profileInNode, record, startReplayWorker, timeInNode, timeInWorkerd } from "./lib/replay.mjs";
import { controlJson, median, startBenchWorker } from "./lib/stack.mjs";
import { goal, row } from "./lib/table.mjs";

export const title = "Storage and CPU";

const N = 1000;
const LEAK_RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REPS = Number(process.env.BENCH_REPS ?? 300);
const WARMUP = 20;
const CPU_ROUNDS = Number(process.env.BENCH_CPU_ROUNDS ?? 5);
const WORKERD_ROUND_MS = 1500;
const LATENCY_ROUNDS = Number(process.env.BENCH_LATENCY_ROUNDS ?? 3);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 5);
const CPU_LIMIT_MS = 10;
/** Sequential D1 round trips of a scanner report of one not-live token (read from src/routes/hooks and the workflow). */
const D1_CHAIN = 4;
const PACKED = 45; // tokens in one queue message at SUBREQUEST_BUDGET=50 (tokensPerMessage in src/tokens/leak-workflow.ts)

const seed = JSON.parse(readFileSync(join(root, "emulator/seed.json"), "utf8"));
const ACME = seed.customers.acme.id;
const KEYS = { reader: "ftw_bench_storage_reader_000000000000000001", revoker: "ftw_bench_storage_revoker_00000000000000001" };
const sha = (s) => createHash("sha256").update(s).digest("hex");
const API_KEYS = JSON.stringify([
  { name: "reader", sha256: sha(KEYS.reader), scopes: ["read"] },
  { name: "revoker", sha256: sha(KEYS.revoker), scopes: ["revoke"] },
]);

export const notes = `- **${title}** (issue 10), in three parts. (1) **The 1,000-token leak under the free plan's limits**: the same
  leak as "Leak at Fastly's rate limit" (1,000 seeded tokens of one user, default emulator rate limit), with
  \`bench/limited-worker\` wrapping the real local KV and D1 bindings in the platform-limits double
  (\`test/helpers/platform-limits.ts\`, FREE_PLAN with a single location, so no visibility delay to simulate) once per
  isolate and running every request and queue batch as one invocation of it; ${LEAK_RUNS} runs, fresh tenant and Worker each.
  KV and D1 per leaked token are the Worker's own meter (the \`leak_invocation\` lines: calls attempted, refused ones
  included) divided by ${N}; queue operations are messages written + delivered + deleted (acked) + retried, counted by
  the bench entry; "most storage operations in one invocation", D1 rows and the refusals are the double's.
  (2) **CPU per invocation without the local runtime's storage simulation** (\`bench/lib/replay.mjs\`,
  \`bench/replay/\`): each scenario is recorded once in Node (\`src/index.ts\` bundled for Node, its handlers called
  directly, real local D1 through Miniflare, the emulator over loopback, KV an in-memory Map), then replayed with every
  D1 result and upstream answer served from the recording (matched call by call; a divergence aborts) and KV emptied
  before each replay, so only the Worker's own code (and a Map lookup or a \`new Response\` per call) spends CPU.
  "workerd": the replay runs inside workerd (Miniflare, wrangler.toml's compatibility date, nodejs_compat); CPU is the
  workerd process's CPU time (all threads, /proc schedstat) around a request that replays the scenario n times, minus
  one that replays it 0 times, divided by n (n chosen for about ${WORKERD_ROUND_MS} ms of CPU; median of ${CPU_ROUNDS} rounds; a cache hit is
  its priming read plus the hit, minus the priming read alone). "Node": the same replay in Node, \`process.cpuUsage()\`
  around the one invocation, ${REPS} replays (the queue batch a fifth, the 1,000-token intake a thirtieth) after ${WARMUP} warm-up
  ones; Node's Request/Response/streams and WebCrypto glue are JavaScript where workerd's are C++, so Node reads 2-5x
  higher. Both are warm-isolate figures. "Where the CPU goes" is a Node CPU profile (50 µs sampling) of the replays, each
  sample given to the innermost function of the Worker's own code on its stack. Storage counts per invocation are
  those of the recorded run (KV writes count puts and deletes). (3) **Leak-report latency against the bare Worker at one
  connection**: load.mjs's scanner surface (a report of 1 not-live token, signed per request) with autocannon,
  ${LATENCY_ROUNDS} rounds of ${LATENCY_SECONDS} s per target alternating bare and Worker (both under workerd, the Worker with its D1
  schema), median of the rounds' p50s; the local D1 round trip is timed inside the Worker (sequential \`SELECT 1\`, the
  clock advancing on I/O). The machine was shared with other jobs (2 cores): figures are medians of runs.`;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

// ---- part 1: the mass leak under the free plan -------------------------------------------------------------

async function massLeakUnderFreePlan(emulatorUrl) {
  const runs = [];
  for (let i = 0; i < LEAK_RUNS; i++) {
    const tenantUrl = await newTenant(emulatorUrl);
    const config = await controlJson(`${tenantUrl}/__emulator/config`);
    const tokens = await seedTokens(tenantUrl, "acmeUser", N, "bench-free");
    runs.push({ ...(await runMassLeak({ tenantUrl, sinkUrl: `${emulatorUrl}/__sinks/bench-free-${i}`, tokens, namePrefix: "bench-free", limits: "free" })), rateLimit: config.rateLimit });
    process.stderr.write(`  free plan run ${i + 1}: ${runs.at(-1).seconds.toFixed(1)} s\n`);
  }
  const t = "Storage: 1,000-token leak, free plan";
  const rows = rowsOf(t, runs, "acmeUser").filter((r) => !r.figure.startsWith("emulator rate limit") && !r.figure.startsWith("Fastly reads"));
  const last = runs.at(-1);
  const per = (n) => (n / N).toFixed(3);
  const q = last.stats.queue;
  const queueOps = q.written + q.delivered + q.acked + q.retried;
  const ops = runs.map((r) => r.stats.maxOpsInOneInvocation);
  const refusals = Object.entries(last.stats.refusals).map(([k, v]) => `${v} × ${k}`).join(", ") || "none";
  rows.push(
    row(t, "per leaked token: KV reads / KV writes (puts+deletes) / D1 queries", `${per(last.meter.kvReads)} / ${per(last.meter.kvWrites)} / ${per(last.meter.d1Queries)} (totals ${last.meter.kvReads} / ${last.meter.kvWrites} / ${last.meter.d1Queries})`),
    row(t, "per leaked token: queue operations", `${per(queueOps)} (${q.written} written + ${q.delivered} delivered + ${q.acked} deleted + ${q.retried} retried = ${queueOps}; ${((queueOps / 10_000) * 100).toFixed(1)} % of the free plan's 10,000 a day)`),
    row(t, "most storage operations in one invocation (KV + D1)", `${median(ops)} (KV ${last.stats.maxKvOpsInOneInvocation}, D1 ${last.stats.maxD1QueriesInOneInvocation} queries)`, goal("≤ 1,000 ops, ≤ 50 D1 queries", Math.max(...ops) <= 1000 && last.stats.maxD1QueriesInOneInvocation <= 50)),
    row(t, "refused by the double (last run)", `${refusals}; KV used today ${last.stats.usageToday.kvWrites}/1000 writes, ${last.stats.usageToday.kvDeletes}/1000 deletes, ${last.stats.usageToday.kvReads} reads`),
    row(t, "D1 rows (last run)", `${last.stats.d1.rowsWritten.toLocaleString("en-US")} written, ${last.stats.d1.rowsRead.toLocaleString("en-US")} read (free plan: 100,000 written, 5,000,000 read a day)`),
  );
  return rows;
}

// ---- part 2: CPU per invocation, replayed -------------------------------------------------------------------

const fetchStep = (method, path, headers, body) => ({ kind: "fetch", method, url: `https://worker.bench${path}`, headers: Object.entries(headers), ...(body === undefined ? {} : { body }) });
const getStep = (path, key) => fetchStep("GET", path, { "Fastly-Key": key });
/** Signed once: the same delivery is replayed (the recorded D1 answers say its claim was won each time). */
const scannerStep = (tokens) => {
  const { method, path, headers, body } = scannerRequest(tokens);
  return fetchStep(method, path, headers, body);
};

const varsFor = (tenantUrl, emulatorUrl) => ({
  ...workerVars(tenantUrl, emulatorUrl),
  API_KEYS,
  NOTIFY_SLACK_WEBHOOK_URL: `${emulatorUrl}/__sinks/bench-cpu`,
  SUBREQUEST_BUDGET: "50",
});

async function cpuPerSurface(emulatorUrl) {
  // Two tenants: the API reads see the seeded demo customer (its dozen or so tokens), the leaks a customer with
  // over a thousand more.
  const apiVars = varsFor(await newTenant(emulatorUrl), emulatorUrl);
  const tenantUrl = await newTenant(emulatorUrl);
  const vars = varsFor(tenantUrl, emulatorUrl);
  const [revokeMe, leakOne, ...rest] = await seedTokens(tenantUrl, "acmeUser", 2 + PACKED + N, "bench-cpu");
  const packed = rest.slice(0, PACKED);
  const big = rest.slice(PACKED);
  const revokeId = (await (await fetch(`${tenantUrl}/tokens/self`, { headers: { "Fastly-Key": revokeMe } })).json()).id;
  const { seal } = await importTs("src/crypto/seal.ts", "seal");
  const job = {
    kind: "tokens",
    tokens: await Promise.all(packed.map(async (raw) => ({ sealedToken: await seal(vars.SEAL_SECRET, raw), tokenHash: sha(raw), context: { source: "standard_webhooks" }, attempts: 0 }))),
  };
  const selfRead = getStep("/tokens/self", KEYS.reader);
  const listRead = getStep(`/customer/${ACME}/tokens`, KEYS.reader);
  const surfaces = [
    { name: "API read GET /tokens/self, cache miss", api: true, steps: () => [selfRead] },
    { name: "API read GET /tokens/self, cache hit", api: true, cached: "the entry and its token's tombstone", steps: () => [selfRead, selfRead] },
    { name: "API read GET /customer/{id}/tokens, cache miss", api: true, steps: () => [listRead] },
    { name: "API read GET /customer/{id}/tokens, cache hit", api: true, cached: "the entry and the customer's generation mark", steps: () => [listRead, listRead] },
    { name: "API revoke DELETE /tokens/{id}", steps: () => [fetchStep("DELETE", `/tokens/${revokeId}`, { "Fastly-Key": KEYS.revoker })] },
    { name: "scanner leak report, 1 live token (revoked)", steps: () => [scannerStep([leakOne])] },
    { name: "scanner leak report, 1 not-live token", steps: () => [scannerStep([notLiveToken()])] },
    // The Worker's own token is cached already (the intake looked it up), as when a real leak reaches the queue.
    { name: `queue batch: 1 message of ${PACKED} tokens (bulk-revoked)`, steps: () => [selfRead, { kind: "queue", body: job }], scale: 5, profile: true },
    { name: `scanner leak report, ${N.toLocaleString("en-US")} tokens (intake: some revoked inline, the rest sealed and queued)`, steps: () => [scannerStep(big)], scale: 30, profile: true },
  ];
  const rows = [];
  const perRead = [];
  const t = "Storage: CPU per invocation";
  const replayer = await startReplayWorker();
  try {
    for (const s of surfaces) {
      const steps = s.steps();
      const v = s.api ? apiVars : vars;
      const { script, last } = await record(v, steps);
      const reps = Math.max(10, Math.round(REPS / (s.scale ?? 1)));
      const node = await timeInNode(v, script, steps, reps, WARMUP);
      // Enough replays per round for about WORKERD_ROUND_MS of CPU (estimated from Node, which is slower), so the
      // process's background and the request's own cost (taken off with a 0-replay request) stay small beside it.
      const times = Math.min(5000, Math.max(10, Math.round(WORKERD_ROUND_MS / Math.max(0.05, median(node)))));
      const opts = { times, warmup: WARMUP, rounds: CPU_ROUNDS };
      const whole = await timeInWorkerd(replayer.url, v, script, steps, opts);
      // For a hit, the priming read is replayed alone as well and taken off.
      const prefix = steps.length > 1 ? (await timeInWorkerd(replayer.url, v, script, steps.slice(0, -1), opts)).perReplay : [];
      const workerd = whole.perReplay.map((x, i) => x - (prefix[i] ?? 0));
      const c = last.counts;
      const wd = median(workerd);
      const statusNote = whole.last.status === last.status ? `answered ${last.status}` : `answered ${last.status} when recorded, ${whole.last.status} replayed`;
      rows.push(
        row(
          t,
          s.name,
          `workerd ${wd.toFixed(2)} ms (${CPU_ROUNDS} rounds of ${times}: ${workerd.map((x) => x.toFixed(2)).join(", ")}); Node ${median(node).toFixed(2)} ms p50, ${pct(node, 90).toFixed(2)} ms p90 (${node.length} replays); ${statusNote}; KV ${c.kvReads} reads / ${c.kvWrites} writes (${c.kvDeletes} deletes), D1 ${c.d1Queries}, subrequests ${c.subrequests}, queue messages ${c.queueMessages}`,
          goal(`≤ ${CPU_LIMIT_MS} ms (free plan)`, wd <= CPU_LIMIT_MS),
        ),
      );
      if (s.cached) {
        const path = s.name.replace(/^API read (\S+ \S+),.*$/, "$1");
        perRead.push(row("Storage: per cached API read", path, `KV ${c.kvReads} reads (${s.cached}), ${c.kvWrites} writes; D1 ${c.d1Queries} queries; queue ${c.queueMessages} operations; ${c.subrequests} subrequests`));
      }
      if (s.profile) {
        const shares = await profileInNode(v, script, steps, Math.max(5, Math.round(reps / 2)));
        rows.push(row(t, `${s.name}: where the CPU goes (Node profile)`, shares.slice(0, 8).map((x) => `${x.name} ${(x.share * 100).toFixed(0)} %`).join(", ")));
      }
      process.stderr.write(`  ${s.name}: workerd ${wd.toFixed(2)} ms, Node ${median(node).toFixed(2)} ms\n`);
    }
  } finally {
    await replayer.stop();
  }
  return [...perRead, ...rows];
}

// ---- part 3: leak report latency vs the bare Worker ------------------------------------------------------------

async function leakLatency(emulatorUrl) {
  const { startLocalWorker } = await importTs("test/node/support/local-worker.ts", "local-worker");
  const tenantUrl = await newTenant(emulatorUrl);
  const worker = await startBenchWorker(workerVars(tenantUrl, emulatorUrl));
  const bare = await startLocalWorker({ UPSTREAM_URL: tenantUrl, FASTLY_API_TOKEN: WORKER_TOKEN }, { config: "bench/bare-worker/wrangler.toml" });
  try {
    const make = () => scannerRequest([notLiveToken()]);
    await load(worker.url, make, { seconds: 2, connections: 1 });
    await load(bare.url, make, { seconds: 2, connections: 1 });
    const w = [];
    const b = [];
    let bad = 0;
    for (let i = 0; i < LATENCY_ROUNDS; i++) {
      const rb = await load(bare.url, make, { seconds: LATENCY_SECONDS, connections: 1 });
      const rw = await load(worker.url, make, { seconds: LATENCY_SECONDS, connections: 1 });
      b.push(rb.p50);
      w.push(rw.p50);
      bad += Object.entries(rw.statuses).filter(([s]) => Number(s) >= 300).reduce((n, [, c]) => n + c, 0);
    }
    const added = median(w) - median(b);
    const trips = [];
    for (let i = 0; i < 3; i++) trips.push(await (await fetch(`${worker.url}/__bench/roundtrip`)).json());
    const d1Ms = median(trips.map((x) => x.d1Ms));
    return [
      row(
        "Storage: leak report latency",
        "leak report (1 not-live token) vs bare Worker, 1 connection",
        `p50 ${median(w).toFixed(2)} vs ${median(b).toFixed(2)} ms = ${added >= 0 ? "+" : ""}${added.toFixed(2)} ms (rounds: Worker ${w.map((x) => x.toFixed(2)).join(", ")}; bare ${b.map((x) => x.toFixed(2)).join(", ")}; ${bad} not 2xx)`,
        goal("≤ +3 ms", added <= 3),
      ),
      row(
        "Storage: leak report latency",
        "what the difference is made of",
        `${D1_CHAIN} D1 round trips one after another (delivery claim, ledger claim, ledger settle ∥ audit, delivery done) × ${d1Ms.toFixed(2)} ms each locally (median of sequential SELECT 1 timed inside the Worker) = ${(D1_CHAIN * d1Ms).toFixed(2)} ms, plus the Worker's own CPU (see "CPU per invocation": 1 not-live token)`,
      ),
    ];
  } finally {
    await worker.stop();
    await bare.stop();
  }
}

export async function run() {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const emulator = await startEmulatorProcess();
  try {
    const parts = (process.env.BENCH_PARTS ?? "leak,cpu,latency").split(",");
    const rows = [];
    if (parts.includes("leak")) rows.push(...(await massLeakUnderFreePlan(emulator.url)));
    if (parts.includes("cpu")) rows.push(...(await cpuPerSurface(emulator.url)));
    if (parts.includes("latency")) rows.push(...(await leakLatency(emulator.url)));
    return rows;
  } finally {
    await emulator.close();
  }
}

// `node bench/storage.mjs`: this benchmark alone (BENCH_PARTS=leak,cpu,latency selects parts).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.chdir(root);
  const { renderTable } = await import("./lib/table.mjs");
  console.log(renderTable(await run()));
}
