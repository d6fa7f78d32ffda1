// One signed scanner report of many live tokens through the Worker under workerd, timed until the emulator shows
// every token revoked; shared by leak-intake, leak-rate-limit and storage.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { scannerRequest } from "../load.mjs";
import { root } from "./paths.mjs";
import { captureInvocations, controlJson, startBenchWorker } from "./stack.mjs";

const seed = JSON.parse(readFileSync(join(root, "emulator/seed.json"), "utf8"));
export const WORKER_TOKEN = seed.tokens.superuserGlobal.access_token;
export const BUDGET = 50;
const SECRET = "whsec_YmVuY2gtbGVhay1pbnRha2Utc2VjcmV0LTAwMDAx";

/** CPU seconds (user + system) of the workerd processes whose parent is this Node process. */
export function workerdCpuSeconds() {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (comm === "workerd" && Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended while we looked
    }
  }
  return ticks / 100; // USER_HZ
}

/** `count` live tokens of one user, seeded through the emulator's control API (no rate limit spent). */
export async function seedTokens(tenantUrl, userKey, count, namePrefix) {
  const user = seed.users[userKey];
  return (await controlJson(`${tenantUrl}/__emulator/tokens`, "POST", { user_id: user.id, count, name_prefix: namePrefix })).map((t) => t.access_token);
}

export const userIdOf = (userKey) => seed.users[userKey].id;

/**
 * Reports `tokens` (all named `${namePrefix}-…` in the tenant) in one signed `POST /hooks/scanner` and waits until
 * the emulator shows them all revoked (polled every 100 ms, at most `timeoutMs`). Returns the figures.
 */
export async function runMassLeak({ tenantUrl, sinkUrl, tokens, namePrefix, limits = "none", timeoutMs = 300_000, vars = {} }) {
  const capture = captureInvocations();
  let worker;
  try {
    worker = await startBenchWorker(
      {
        FASTLY_API_BASE_URL: tenantUrl,
        FASTLY_API_TOKEN: WORKER_TOKEN,
        SEAL_SECRET: "bench-seal-secret-0123456789",
        SCANNER_WEBHOOK_SECRETS: SECRET,
        SUBREQUEST_BUDGET: String(BUDGET),
        ...(sinkUrl ? { NOTIFY_SLACK_WEBHOOK_URL: sinkUrl } : {}),
        ...vars,
      },
      { limits, logLevel: "log" },
    );
    await controlJson(`${tenantUrl}/__emulator/calls`, "DELETE");
    const { headers, body } = scannerRequest(tokens, SECRET);
    const cpuBefore = workerdCpuSeconds();
    const began = performance.now();
    const response = await fetch(`${worker.url}/hooks/scanner`, { method: "POST", headers, body });
    const ackMs = performance.now() - began;
    if (!response.ok) throw new Error(`the report answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const result = await response.json();
    const inline = result.results.filter((r) => r.status === "revoked").length;
    let state = [];
    let revoked = 0;
    const deadline = began + timeoutMs;
    while (performance.now() < deadline) {
      state = await controlJson(`${tenantUrl}/__emulator/tokens`);
      revoked = state.filter((t) => t.revoked && t.name?.startsWith(`${namePrefix}-`)).length;
      if (revoked === tokens.length) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - began) / 1000;
    const cpuSeconds = workerdCpuSeconds() - cpuBefore;
    // Let the last invocation's log line and queue acks land before reading the counters.
    await new Promise((r) => setTimeout(r, 1500));
    const calls = await controlJson(`${tenantUrl}/__emulator/calls`);
    const userByKey = new Map(state.map((t) => [t.hash, t.user_id]));
    const writes = calls.filter((c) => c.method !== "GET" && c.method !== "HEAD");
    const writesByUser = {};
    for (const c of writes) {
      const user = userByKey.get(c.keyHash) ?? "unknown key";
      writesByUser[user] = (writesByUser[user] ?? 0) + 1;
    }
    const lines = [...capture.lines];
    const stats = await worker.stats();
    const sum = (f) => lines.reduce((n, l) => n + (l[f] ?? 0), 0);
    return {
      tokens: tokens.length,
      ackMs,
      inline,
      queuedAtIntake: result.results.length - inline,
      allRevoked: revoked === tokens.length,
      revoked,
      seconds,
      cpuSeconds,
      refusedKvCalls: capture.refusedKv.count,
      lines,
      invocations: lines.length,
      maxSubrequests: Math.max(...lines.map((l) => l.subrequests)),
      intakeSubrequests: lines.find((l) => l.surface === "leak")?.subrequests,
      maxStorageOps: Math.max(...lines.map((l) => l.kv_reads + l.kv_writes + l.d1_queries)),
      meter: { kvReads: sum("kv_reads"), kvWrites: sum("kv_writes"), d1Queries: sum("d1_queries"), subrequests: sum("subrequests") },
      upstream: { calls: calls.length, reads: calls.length - writes.length, writes: writes.length, writesByUser, status429: calls.filter((c) => c.status === 429).length, bulk: writes.filter((c) => c.method === "DELETE" && c.path === "/tokens").length },
      stats,
    };
  } finally {
    await worker?.stop();
    capture.restore();
  }
}
