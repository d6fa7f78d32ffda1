// e) Latency and throughput under load: autocannon against the Worker (under workerd) and against a bare Hono Worker
// making the same single upstream fetch, per surface, in one run; plus the peak resident memory of workerd.
import { spawn } from "node:child_process";
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { importTs } from "./lib/compile.mjs";
import { latencyStats } from "./lib/measure.mjs";
import { root } from "./lib/paths.mjs";
import { startBenchWorker } from "./lib/stack.mjs";
import { goal, row } from "./lib/table.mjs";

export const title = "Load";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 10);
const WARMUP_SECONDS = 2;

export const notes = `- **${title}**: autocannon (${CONNECTIONS} connections, ${SECONDS} s per target, after ${WARMUP_SECONDS} s of warm-up) on loopback
  against the Worker under workerd (\`bench/limited-worker\`: \`src/index.ts\` behind a bench entry that applies the D1
  schema and passes the env through; in-memory KV and D1, local queues) and, in the same run, against
  \`bench/bare-worker\` (a bare Hono Worker under workerd that reads the body, makes the same single upstream fetch to
  the emulator and answers JSON). The emulator runs in its own Node process. Surfaces: \`GET /tokens/{id}\` with a
  Worker API key (served from the KV cache after the first read; the bare Worker fetches every time); \`POST
  /hooks/scanner\` with one token, Standard-Webhooks-signed per request with a fresh webhook-id and a fresh random
  not-live token value (so every report makes one upstream \`GET /tokens/self\` that answers 401, and the emulator has
  nothing to exhaust); \`POST /slack/commands\` \`whoami\`, Slack-signed per request (the ack; the upstream call and the
  response_url post run in waitUntil). Latency is per response, client side, from autocannon's own timer (fractional
  ms); "added" is Worker p50 minus bare p50, measured with ${CONNECTIONS} connections (throughput) and again with one
  connection for half as long (latency without queueing). Memory: the workerd processes this run started (children of the bench
  process), peak VmHWM from /proc/<pid>/status and the largest VmRSS sampled every 100 ms during the load.`;

const seed = JSON.parse(readFileSync(join(root, "emulator/seed.json"), "utf8"));
export const WORKER_TOKEN = seed.tokens.superuserGlobal.access_token;
export const READ_ID = seed.tokens.engineerGlobal.id;
export const API_KEY = "ftw_bench_load_reader_0000000000000000000001";
export const SCANNER_SECRET = "whsec_YmVuY2gtbG9hZC1zY2FubmVyLXNlY3JldC0wMDAx";
export const SLACK_SECRET = "bench-load-slack-signing-secret";
export const SLACK_USER = "U0BENCH";

// ---- the stack: emulator (own process), Worker, bare Worker -------------------------------------------------

/** The emulator in a child Node process, so the load generator and the emulator do not share one event loop. */
export async function startEmulatorProcess() {
  await importTs("emulator/node.ts", "emulator");
  const module = pathToFileURL(join(root, "bench/out/emulator.mjs")).href;
  const script = `const m = await import(${JSON.stringify(module)}); const e = await m.startEmulator({ port: 0 }); console.log("EMULATOR " + e.url);`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /EMULATOR (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`emulator process exited with ${code}`)));
  });
  const close = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill();
    });
  return { url, close };
}

export async function newTenant(emulatorUrl) {
  const { baseUrl } = await (await fetch(`${emulatorUrl}/__emulator/tenants`, { method: "POST" })).json();
  return baseUrl;
}

/** Process ids of the workerd processes this Node process started. */
export function workerdPids() {
  const pids = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm === "workerd" && ppid === process.pid) pids.push(Number(pid));
    } catch {
      // gone while we looked
    }
  }
  return pids;
}

function statusKb(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Samples the summed VmRSS of `pids` every 100 ms until stopped; `peakHwm()` reads their kernel high-water marks. */
export function memorySampler(pids) {
  const rss = () => pids.reduce((n, pid) => n + statusKb(pid, "VmRSS"), 0);
  const idle = rss();
  let maxRss = idle;
  const timer = setInterval(() => {
    maxRss = Math.max(maxRss, rss());
  }, 100);
  return {
    stop: () => clearInterval(timer),
    idleKb: () => idle,
    maxRssKb: () => maxRss,
    peakHwmKb: () => pids.reduce((n, pid) => n + statusKb(pid, "VmHWM"), 0),
  };
}

/**
 * Hides the local runtime's own log lines (e.g. "[wrangler:info] QUEUE revocations 1/1") from this process's stdout,
 * so the printed table stays readable; returns the function that restores stdout.
 */
export function quietWrangler() {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    const text = String(chunk);
    const kept = text.split("\n").filter((l) => !l.includes("[wrangler:") && !l.includes('"leak_invocation"')).join("\n");
    return kept.trim() === "" ? true : write(kept, ...rest);
  };
  return () => {
    process.stdout.write = write;
  };
}

export const mib = (kb) => `${(kb / 1024).toFixed(1)} MiB`;

// ---- signed requests --------------------------------------------------------------------------------------

/** A Standard-Webhooks-signed scanner report of `tokens`, with a fresh webhook-id. */
export function scannerRequest(tokens, secret = SCANNER_SECRET) {
  const body = JSON.stringify({ tokens });
  const id = `msg_${randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const signature = `v1,${createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64")}`;
  return {
    method: "POST",
    path: "/hooks/scanner",
    headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature },
    body,
  };
}

/** A Slack-signed slash command. */
export function slackRequest(text, responseUrl, secret = SLACK_SECRET) {
  const body = new URLSearchParams({ team_id: "T0BENCH", channel_id: "C0BENCH", user_id: SLACK_USER, user_name: "bench", command: "/fastly-tokens", text, response_url: responseUrl }).toString();
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  return {
    method: "POST",
    path: "/slack/commands",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": ts, "x-slack-signature": signature },
    body,
  };
}

/** A token-shaped value the emulator has never issued: reported, it is checked once upstream and found not live. */
export const notLiveToken = () => randomBytes(24).toString("base64url");

export function workerVars(tenantUrl, emulatorUrl, extra = {}) {
  return {
    FASTLY_API_BASE_URL: tenantUrl,
    FASTLY_API_TOKEN: WORKER_TOKEN,
    API_KEYS: JSON.stringify([{ name: "bench", sha256: createHash("sha256").update(API_KEY).digest("hex"), scopes: ["read"] }]),
    CACHE_TTL_SECONDS: "300",
    SEAL_SECRET: "bench-load-seal-secret-0123456789",
    SCANNER_WEBHOOK_SECRETS: SCANNER_SECRET,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_RESPONSE_URL_PREFIX: `${emulatorUrl}/__sinks/`,
    CHAT_POLICY: JSON.stringify({ slack: { read: { users: [SLACK_USER] }, revoke: { users: [SLACK_USER] } } }),
    ...extra,
  };
}

// ---- the load generator -----------------------------------------------------------------------------------

/**
 * One autocannon run. `make()` builds each request (so signatures and ids are fresh). Latencies come from the
 * per-response event (fractional ms); autocannon's own histogram rounds to whole milliseconds.
 */
export async function load(url, make, { seconds = SECONDS, connections = CONNECTIONS } = {}) {
  const samples = [];
  const statuses = {};
  const first = make();
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ ...first, setupRequest: (request) => ({ ...request, ...make() }) }],
  });
  instance.on("response", (_client, status, _bytes, ms) => {
    samples.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result = await instance;
  return { ...latencyStats(samples.length ? samples : [0]), rps: result.requests.average, total: samples.length, statuses, errors: result.errors, timeouts: result.timeouts };
}

const fmt = (r) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`;
const non2xx = (r) => Object.entries(r.statuses).filter(([s]) => Number(s) >= 300).reduce((n, [, c]) => n + c, 0) + r.errors + r.timeouts;

export async function run() {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const { startLocalWorker } = await importTs("test/node/support/local-worker.ts", "local-worker");
  const emulator = await startEmulatorProcess();
  const restore = quietWrangler();
  let worker;
  let bare;
  try {
    const tenantUrl = await newTenant(emulator.url);
    // The Worker needs its D1 schema: bench/limited-worker applies it (with the env passed through untouched).
    worker = await startBenchWorker(workerVars(tenantUrl, emulator.url));
    const workerPids = workerdPids();
    bare = await startLocalWorker({ UPSTREAM_URL: tenantUrl, FASTLY_API_TOKEN: WORKER_TOKEN }, { config: "bench/bare-worker/wrangler.toml" });
    const barePids = workerdPids().filter((p) => !workerPids.includes(p));
    const responseUrl = `${emulator.url}/__sinks/bench-load-slack/commands/T0BENCH/1/x`;

    const surfaces = [
      { name: "API read GET /tokens/{id} (cached)", make: () => ({ method: "GET", path: `/tokens/${READ_ID}`, headers: { "fastly-key": API_KEY } }) },
      { name: "leak report, 1 not-live token", make: () => scannerRequest([notLiveToken()]) },
      { name: "Slack command ack (whoami)", make: () => slackRequest("whoami", responseUrl) },
    ];

    const rows = [];
    const memory = memorySampler(workerPids);
    const bareMemory = memorySampler(barePids);
    for (const surface of surfaces) {
      await load(worker.url, surface.make, { seconds: WARMUP_SECONDS });
      await load(bare.url, surface.make, { seconds: WARMUP_SECONDS });
      const b = await load(bare.url, surface.make);
      const w = await load(worker.url, surface.make);
      // One connection: latency without queueing behind other requests, i.e. what the Worker adds to one call.
      const b1 = await load(bare.url, surface.make, { connections: 1, seconds: Math.max(1, SECONDS / 2) });
      const w1 = await load(worker.url, surface.make, { connections: 1, seconds: Math.max(1, SECONDS / 2) });
      const added = w.p50 - b.p50;
      const added1 = w1.p50 - b1.p50;
      const plus = (n) => `${n >= 0 ? "+" : ""}${n.toFixed(2)} ms`;
      rows.push(
        row(title, `${surface.name}: Worker, ${CONNECTIONS} connections`, `${fmt(w)} (${w.total} responses, ${non2xx(w)} not 2xx)`),
        row(title, `${surface.name}: bare Hono Worker, ${CONNECTIONS} connections`, `${fmt(b)} (${b.total} responses, ${non2xx(b)} not 2xx)`),
        row(
          title,
          `${surface.name}: Worker vs bare, ${CONNECTIONS} connections`,
          `p50 ${plus(added)} (${(w.p50 / b.p50).toFixed(2)}x), p99 ${(w.p99 / b.p99).toFixed(2)}x, throughput ${(w.rps / b.rps).toFixed(2)}x`,
          goal("added p50 ≤ 1 ms", added <= 1),
        ),
        row(
          title,
          `${surface.name}: Worker vs bare, 1 connection`,
          `p50 ${w1.p50.toFixed(2)} vs ${b1.p50.toFixed(2)} ms = ${plus(added1)} (${(w1.p50 / b1.p50).toFixed(2)}x); p99 ${w1.p99.toFixed(2)} vs ${b1.p99.toFixed(2)} ms`,
          goal("added p50 ≤ 1 ms", added1 <= 1),
        ),
      );
    }
    memory.stop();
    bareMemory.stop();
    rows.push(
      row(
        title,
        `Worker's workerd (${workerPids.length} process${workerPids.length === 1 ? "" : "es"}): peak RSS`,
        `${mib(memory.peakHwmKb())} VmHWM; ${mib(memory.maxRssKb())} largest sampled VmRSS during the load (${mib(memory.idleKb())} before it)`,
      ),
      row(
        title,
        `bare Worker's workerd (${barePids.length} process${barePids.length === 1 ? "" : "es"}): peak RSS`,
        `${mib(bareMemory.peakHwmKb())} VmHWM; ${mib(bareMemory.maxRssKb())} largest sampled VmRSS (${mib(bareMemory.idleKb())} before)`,
      ),
    );
    return rows;
  } finally {
    await worker?.stop();
    await bare?.stop();
    await emulator.close();
    restore();
  }
}

// `node bench/load.mjs`: this benchmark alone (LOAD_SECONDS, LOAD_CONNECTIONS to shorten or widen it).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.chdir(root);
  const { renderTable } = await import("./lib/table.mjs");
  console.log(renderTable(await run()));
}
