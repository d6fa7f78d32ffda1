// `npm run bench`: runs every benchmark in sequence and prints ONE table of figures (never asserts).
// `node bench/run.mjs cache bundle-size` runs only those; only a full run rewrites docs/benchmarks.md.
// To add a benchmark: a bench/<name>.mjs exporting `title`, `notes` and `run(): Promise<Row[]>`, listed below.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, platform, release } from "node:os";
import { join } from "node:path";
import * as bundleSize from "./bundle-size.mjs";
import * as cache from "./cache.mjs";
import * as fuzz from "./fuzz.mjs";
import * as leakIntake from "./leak-intake.mjs";
import * as leakRateLimit from "./leak-rate-limit.mjs";
import * as loadBench from "./load.mjs";
import * as loadFaults from "./load-faults.mjs";
import { root } from "./lib/paths.mjs";
import { renderTable, row } from "./lib/table.mjs";
import * as reportToRevoke from "./report-to-revoke.mjs";
import * as storage from "./storage.mjs";
import * as workerSize from "./worker-size.mjs";

const BENCHMARKS = {
  "bundle-size": bundleSize,
  "worker-size": workerSize,
  cache,
  "leak-intake": leakIntake,
  "report-to-revoke": reportToRevoke,
  "leak-rate-limit": leakRateLimit,
  storage,
  load: loadBench,
  "load-faults": loadFaults,
  fuzz,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHMARKS));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; known: ${Object.keys(BENCHMARKS).join(", ")}`);
  process.exit(2);
}
const selected = wanted.length ? wanted : Object.keys(BENCHMARKS);

process.chdir(root);
const rows = [];
for (const name of selected) {
  const bench = BENCHMARKS[name];
  process.stderr.write(`running ${name}…\n`);
  try {
    rows.push(...(await bench.run()));
  } catch (err) {
    // One broken benchmark must not hide the others' figures.
    rows.push(row(bench.title, "error", String(err?.message ?? err).split("\n")[0]));
    process.exitCode = 1;
  }
}

const table = renderTable(rows);
console.log(table);

if (!wanted.length) {
  const cpu = cpus();
  const machine = `${cpu[0]?.model.trim() ?? "unknown CPU"}, ${cpu.length} cores, Node ${process.version}, ${platform()} ${release()}`;
  // Hand-written sections (per-issue summaries) between these markers survive a regeneration; re-check their figures.
  const docPath = join(root, "docs/benchmarks.md");
  const kept = existsSync(docPath) ? /<!-- sections -->[\s\S]*<!-- \/sections -->/.exec(readFileSync(docPath, "utf8"))?.[0] : undefined;
  const doc = `# Benchmarks

Figures from the last full run of the benchmark script. They describe one machine on one day; compare runs
on the same machine, not across machines. Regenerate after changes with the command below.

- Command: \`npm run bench\` (\`node bench/run.mjs\`)
- Machine: ${machine}
- Date: ${new Date().toISOString()}

${table}
${kept ? `\n${kept}\n` : ""}
## What is measured

${selected.map((name) => BENCHMARKS[name].notes).join("\n")}

Goals are informational; the script never fails on a missed goal (it exits non-zero only if a benchmark errors).
`;
  writeFileSync(docPath, doc);
  process.stderr.write("wrote docs/benchmarks.md\n");
}
