// CPU of the Worker's own code, without the local runtime's storage simulation or the network (bench/storage.mjs).
// A scenario is recorded once in Node (bench/replay/fakes.ts: real local D1 through Miniflare, the emulator over
// loopback, KV in memory), then replayed from the recording, timed, both in Node and under workerd
// (bench/replay/worker.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { importTs } from "./compile.mjs";
import { ensureOutDir, root } from "./paths.mjs";
import { migrationStatements } from "./stack.mjs";

let modules;
async function load() {
  modules ??= {
    worker: (await importTs("src/index.ts", "worker-node")).default,
    fakes: await importTs("bench/replay/fakes.ts", "replay-fakes"),
  };
  return modules;
}

/** Runs `steps` once against real local D1 and the emulator; returns the recording and what the last step did. */
export async function record(vars, steps) {
  const { worker, fakes } = await load();
  const mf = new Miniflare({ modules: true, script: "export default {}", d1Databases: ["DB"], compatibilityDate: "2026-04-01" });
  try {
    const d1 = await mf.getD1Database("DB");
    await d1.batch(migrationStatements().map((s) => d1.prepare(s)));
    const script = { d1: [], fetches: [] };
    const harness = new fakes.Harness(worker, vars, script, { d1, fetch: globalThis.fetch });
    let last;
    for (const step of steps) last = await harness.run(step);
    return { script, last };
  } finally {
    await mf.dispose();
  }
}

/** CPU (ms, user+system of this process) of the last step, per replay, after `warmup` untimed replays. */
export async function timeInNode(vars, script, steps, reps, warmup) {
  const { worker, fakes } = await load();
  const harness = new fakes.Harness(worker, vars, script);
  harness.freeze();
  await harness.replay(steps, warmup);
  const samples = [];
  for (let i = 0; i < reps; i++) {
    harness.rewind();
    for (const step of steps.slice(0, -1)) await harness.run(step);
    const cpu0 = process.cpuUsage();
    await harness.run(steps.at(-1));
    const cpu = process.cpuUsage(cpu0);
    samples.push((cpu.user + cpu.system) / 1000);
  }
  return samples;
}

/** CPU time (ns) of every thread of the workerd processes this Node process started (/proc/<pid>/task/<tid>/schedstat). */
export function workerdCpuNs() {
  let ns = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm !== "workerd" || ppid !== process.pid) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // gone while we looked
    }
  }
  return ns;
}

/**
 * bench/replay/worker.ts under workerd, in one Miniflare instance (no wrangler proxy in front, so the only busy workerd
 * is this one), bundled as wrangler would (esbuild, ESM, nodejs_compat, wrangler.toml's compatibility date).
 */
export async function startReplayWorker() {
  const scriptPath = join(ensureOutDir(), "replay-worker.mjs");
  await esbuild.build({
    entryPoints: [join(root, "bench/replay/worker.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["node:*", "cloudflare:*"],
    outfile: scriptPath,
    logLevel: "error",
  });
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  const compatibilityDate = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  const mf = new Miniflare({ modules: true, modulesRoot: ensureOutDir(), scriptPath, compatibilityDate, compatibilityFlags: ["nodejs_compat"] });
  const url = (await mf.ready).origin;
  return { url, stop: () => mf.dispose() };
}

/**
 * CPU (ms) per replay of all `steps` under workerd: the workerd processes' CPU around a request that replays them
 * `times` times, minus the same around one that replays them 0 times (both after `warmup` replays), divided by
 * `times`; `rounds` such pairs, one figure each. Run with no other workerd of this process busy.
 */
export async function timeInWorkerd(url, vars, script, steps, { times, warmup, rounds }) {
  const post = async (n) => {
    const body = JSON.stringify({ vars, script, steps, times: n, warmup });
    const before = workerdCpuNs();
    const r = await fetch(`${url}/__replay`, { method: "POST", body });
    const last = await r.json();
    if (!r.ok) throw new Error(`replay under workerd failed: ${r.status} ${JSON.stringify(last).slice(0, 200)}`);
    return { ns: workerdCpuNs() - before, last };
  };
  const perReplay = [];
  let last;
  // Unmeasured: the first request of a scenario pays for compiling its paths and parsing its payload's shape.
  await post(0);
  for (let i = 0; i < rounds; i++) {
    const base = await post(0);
    const full = await post(times);
    last = full.last;
    perReplay.push((full.ns - base.ns) / times / 1e6);
  }
  return { perReplay, last };
}

const WORKER_BUNDLE = "/bench/out/worker-node.mjs";

/** Who a sample's time belongs to: the innermost Worker function on its stack, GC, the rest, or null (idle). */
function owner(id, byId, parent) {
  const leaf = byId.get(id).callFrame.functionName;
  if (leaf === "(idle)") return null;
  if (leaf === "(garbage collector)") return "GC";
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const f = byId.get(at).callFrame;
    if (f.url.endsWith(WORKER_BUNDLE)) return f.functionName || "(anonymous)";
  }
  return "outside the Worker's code (harness, event loop)";
}

/**
 * The last step's CPU profile (Node, 50 µs sampling) over `reps` replays: each sample goes to the innermost function
 * of the Worker's own code (src/, bundled) on its stack, so the builtins, WebCrypto, zod and Node internals a Worker
 * function calls count as that function's; samples with no Worker frame (GC, the harness, the event loop) are named
 * as such. Returns the shares, largest first.
 */
export async function profileInNode(vars, script, steps, reps) {
  const { worker, fakes } = await load();
  const { Session } = await import("node:inspector/promises");
  const harness = new fakes.Harness(worker, vars, script);
  harness.freeze();
  await harness.replay(steps, 5);
  const session = new Session();
  session.connect();
  const totals = new Map();
  const add = (name, us) => totals.set(name, (totals.get(name) ?? 0) + us);
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 50 });
    for (let i = 0; i < reps; i++) {
      harness.rewind();
      for (const step of steps.slice(0, -1)) await harness.run(step);
      await session.post("Profiler.start");
      await harness.run(steps.at(-1));
      const { profile } = await session.post("Profiler.stop");
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const parent = new Map();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      profile.samples.forEach((id, k) => {
        add(owner(id, byId, parent), profile.timeDeltas[k + 1] ?? 0);
      });
    }
  } finally {
    session.disconnect();
  }
  totals.delete(null);
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, share: us / sum }));
}
