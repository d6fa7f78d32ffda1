// c) The KV cache: 1,000 sequential reads through the local Worker vs the same reads straight at the emulator.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importTs } from "./lib/compile.mjs";
import { formatLatency, latencyStats } from "./lib/measure.mjs";
import { root } from "./lib/paths.mjs";
import { goal, row } from "./lib/table.mjs";

export const title = "Cache";

const N = 1000;
const WARMUP = 50;
const TTL_SECONDS = 300;

export const notes = `- **${title}**: the Worker runs under workerd via wrangler's \`unstable_startWorker\`
  (\`test/node/support/local-worker.ts\`, in-memory KV, CACHE_TTL_SECONDS=${TTL_SECONDS}) against the Fastly emulator
  (\`emulator/node.ts\`, a fresh tenant) on loopback. ${N.toLocaleString("en-US")} sequential requests per path, same API key,
  after ${WARMUP} warm-up requests to an unmeasured path on each server; "direct" sends the Worker's own Fastly token
  straight to the emulator. Latency is client-side wall time per request (body read), mean / p50 / p99. Upstream
  calls are counted from the emulator's call log; the goal is at most one per TTL window the run spanned.`;

const seed = JSON.parse(readFileSync(join(root, "emulator/seed.json"), "utf8"));
const WORKER_TOKEN = seed.tokens.superuserGlobal.access_token;
const TARGET_ID = seed.tokens.engineerGlobal.id;
const API_KEY = "ftw_bench_cache_0000000000000000000000000000";

async function timeRequests(url, headers, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    samples.push(performance.now() - start);
    if (!response.ok) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}; the benchmark setup is broken`);
  }
  return samples;
}

async function warmUp(url, count) {
  for (let i = 0; i < count; i++) await (await fetch(url)).arrayBuffer();
}

async function calls(baseUrl, method = "GET") {
  const response = await fetch(`${baseUrl}/__emulator/calls`, { method });
  return method === "GET" ? response.json() : response.arrayBuffer();
}

export async function run() {
  // Offline: skip miniflare's fetch of the Request.cf placeholder (it would only warn and fall back anyway).
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const { startEmulator } = await importTs("emulator/node.ts", "emulator");
  const { startLocalWorker } = await importTs("test/node/support/local-worker.ts", "local-worker");
  const emulator = await startEmulator({ port: 0 });
  let worker;
  try {
    const { baseUrl } = await (await fetch(`${emulator.url}/__emulator/tenants`, { method: "POST" })).json();
    const sha256 = createHash("sha256").update(API_KEY).digest("hex");
    worker = await startLocalWorker({
      FASTLY_API_BASE_URL: baseUrl,
      FASTLY_API_TOKEN: WORKER_TOKEN,
      API_KEYS: JSON.stringify([{ name: "bench", sha256, scopes: ["read"] }]),
      CACHE_TTL_SECONDS: String(TTL_SECONDS),
    });
    await warmUp(`${worker.url}/health`, WARMUP);
    await warmUp(`${baseUrl}/__emulator/clock`, WARMUP);

    const rows = [];
    for (const path of ["/tokens/self", `/tokens/${TARGET_ID}`]) {
      const label = path === "/tokens/self" ? "GET /tokens/self" : "GET /tokens/{id}";
      const direct = latencyStats(await timeRequests(`${baseUrl}${path}`, { "Fastly-Key": WORKER_TOKEN }, N));

      await calls(baseUrl, "DELETE");
      const began = performance.now();
      const viaWorker = latencyStats(await timeRequests(`${worker.url}${path}`, { "Fastly-Key": API_KEY }, N));
      const seconds = (performance.now() - began) / 1000;
      const upstream = (await calls(baseUrl)).length;
      const windows = Math.max(1, Math.ceil(seconds / TTL_SECONDS));

      rows.push(
        row(title, `${label}: upstream calls for ${N} Worker reads`, `${upstream} (run ${seconds.toFixed(1)} s, TTL ${TTL_SECONDS} s)`, goal(`≤ ${windows} (1 per TTL window)`, upstream <= windows)),
        row(title, `${label}: via Worker, mean / p50 / p99`, formatLatency(viaWorker)),
        row(title, `${label}: direct to emulator, mean / p50 / p99`, formatLatency(direct)),
        row(title, `${label}: Worker / direct (mean, p50)`, `${(viaWorker.mean / direct.mean).toFixed(2)}x, ${(viaWorker.p50 / direct.p50).toFixed(2)}x`),
      );
    }
    return rows;
  } finally {
    await worker?.stop();
    await emulator.close();
  }
}
