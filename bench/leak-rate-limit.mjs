// Issue 15: a 1,000-token leak of one user at Fastly's real rate limit (the emulator's default, never raised).
import { pathToFileURL } from "node:url";
import { newTenant, startEmulatorProcess } from "./load.mjs";
import { BUDGET, runMassLeak, seedTokens, userIdOf } from "./lib/mass-leak.mjs";
import { median, controlJson } from "./lib/stack.mjs";
import { goal, row } from "./lib/table.mjs";

export const title = "Leak at Fastly's rate limit";

const N = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const USER = "acmeUser";

export const notes = `- **${title}** (issue 15): ${N.toLocaleString("en-US")} live \`global\` tokens of one user (carol, customer Acme, the
  customer of the Worker's own token) seeded in a fresh emulator tenant through its control API (\`POST /__emulator/tokens\`,
  so seeding spends no rate limit); the tenant keeps the emulator's default limit of 1,000 writes per hour per user
  throughout the revocation. One Standard-Webhooks-signed \`POST /hooks/scanner\` to the Worker under workerd
  (\`bench/limited-worker\`: \`src/index.ts\` behind a bench entry that applies the D1 schema; bare local KV, D1 and
  Queues with wrangler.toml's consumer settings; SUBREQUEST_BUDGET=${BUDGET}; notifications to an emulator sink).
  "Time until all revoked" runs from sending the report until the emulator shows every token revoked (polled every
  100 ms), so it covers the intake and every queue consumer run. Fastly writes are the non-GET calls in the emulator's
  call log, grouped by the user whose key made them; subrequests per invocation, invocations and kv/d1 counts come
  from the Worker's own \`leak_invocation\` lines (its InvocationMeter); queue messages are counted by the bench entry.
  ${RUNS} runs, each on a fresh tenant and a fresh Worker; the median is shown with the range.`;

const range = (xs, digits = 1) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

export async function run() {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const emulator = await startEmulatorProcess();
  const runs = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const tenantUrl = await newTenant(emulator.url);
      const config = await controlJson(`${tenantUrl}/__emulator/config`);
      const tokens = await seedTokens(tenantUrl, USER, N, "bench-rl");
      runs.push({ ...(await runMassLeak({ tenantUrl, sinkUrl: `${emulator.url}/__sinks/bench-rl-${i}`, tokens, namePrefix: "bench-rl" })), rateLimit: config.rateLimit });
      process.stderr.write(`  run ${i + 1}: ${runs.at(-1).seconds.toFixed(1)} s, ${runs.at(-1).upstream.writes} writes\n`);
    }
  } finally {
    await emulator.close();
  }
  return rowsOf(title, runs, USER);
}

/** The figures of several runs of the same mass leak (median first, range after). */
export function rowsOf(benchTitle, runs, userKey) {
  const seconds = runs.map((r) => r.seconds);
  const writes = runs.map((r) => r.upstream.writes);
  const subs = runs.map((r) => r.maxSubrequests);
  const last = runs.at(-1);
  const leaked = userIdOf(userKey);
  const byUser = runs.map((r) => `${r.upstream.writesByUser[leaked] ?? 0} as the leaked user, ${r.upstream.writes - (r.upstream.writesByUser[leaked] ?? 0)} as the Worker's user`);
  const allRevoked = runs.every((r) => r.allRevoked);
  return [
    row(benchTitle, "emulator rate limit during the run", `${last.rateLimit} writes/hour/user (default, not raised)`),
    row(
      benchTitle,
      `time until all ${last.tokens} revoked (median of ${runs.length})`,
      allRevoked ? `${median(seconds).toFixed(1)} s (range ${range(seconds)} s)` : `not all revoked: ${runs.map((r) => `${r.revoked}/${r.tokens} after ${r.seconds.toFixed(0)} s`).join(", ")}`,
      goal("≤ 10 s", allRevoked && median(seconds) <= 10),
    ),
    row(benchTitle, "report answered", `${median(runs.map((r) => r.ackMs)).toFixed(0)} ms median (${last.inline} revoked inline, ${last.queuedAtIntake} queued)`),
    row(benchTitle, "Fastly writes spent", `${median(writes)} (range ${range(writes, 0)}); ${byUser.at(-1)}; ${last.upstream.bulk} bulk DELETE /tokens`, goal("≤ 30", median(writes) <= 30)),
    row(benchTitle, "Fastly reads / 429 answers", `${last.upstream.reads} reads; ${runs.map((r) => r.upstream.status429).join(", ")} answered 429`),
    row(benchTitle, "largest subrequests in one invocation", `${median(subs)} (intake ${last.intakeSubrequests})`, goal(`≤ ${BUDGET}`, Math.max(...subs) <= BUDGET)),
    row(benchTitle, "invocations / queue messages", `${last.invocations} invocations (1 intake + ${last.invocations - 1} queue batches); ${last.stats.queue.written} messages written, ${last.stats.queue.delivered} delivered, ${last.stats.queue.retried} retried`),
  ];
}

// `node bench/leak-rate-limit.mjs`: this benchmark alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { root } = await import("./lib/paths.mjs");
  process.chdir(root);
  const { renderTable } = await import("./lib/table.mjs");
  console.log(renderTable(await run()));
}
