// Fuzzing at scale: runs the property-based tests in test/fuzz with many cases per property and reports how many
// cases ran and how many properties failed. `node bench/fuzz.mjs` (npm run fuzz) prints the count on its own;
// bench/run.mjs prints it as a row. FUZZ_RUNS (cases per property, default 500) and FUZZ_SEED replay a run.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureOutDir, root } from "./lib/paths.mjs";
import { row } from "./lib/table.mjs";

export const title = "Fuzzing";

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const GOAL = 10_000;

export const notes = `- **${title}**: \`npm run fuzz\` (\`node bench/fuzz.mjs\`) runs the fast-check properties in \`test/fuzz/\` inside workerd
  (the vitest "workers" project) with FUZZ_RUNS=${RUNS} cases per property (\`npm test\` runs 30): every route with random
  methods, headers, content types, bodies (JSON of the wrong types, forms, binary, over the size limit, deeply nested,
  invalid UTF-8) and signatures, unsigned and well-signed, plus requests under random upstream faults. Invariants:
  no 5xx unless the upstream failed, no uncaught exception, every error a JSON body with a \`msg\`, and without a
  valid signature or key no KV write, no queued message, no successful mutating upstream call, no message sent.
  "Cases" counts property executions, shrinking included; \`FUZZ_SEED\` replays a reported failure.`;

/** Runs vitest on test/fuzz and collects each property's `FUZZ_CASES {...}` line and the test outcome. */
export function fuzz({ runs = RUNS, seed = process.env.FUZZ_SEED, echo = false } = {}) {
  const report = join(ensureOutDir(), "fuzz-report.json");
  const env = { ...process.env, VITE_FUZZ_RUNS: String(runs), NO_COLOR: "1", FORCE_COLOR: "0" };
  if (seed) env.VITE_FUZZ_SEED = String(seed);
  const args = ["vitest", "run", "--project", "workers", "test/fuzz", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
  return new Promise((resolve, reject) => {
    const child = spawn("npx", args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    const properties = [];
    let buffered = "";
    const take = (chunk) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const at = line.indexOf("FUZZ_CASES ");
        if (at !== -1) properties.push(JSON.parse(line.slice(at + "FUZZ_CASES ".length)));
        else if (echo && /(✓|×|FAIL|Counterexample|Error|Test Files|Tests )/.test(line)) process.stderr.write(`${line}\n`);
      }
    };
    child.stdout.on("data", take);
    child.stderr.on("data", (c) => echo && process.stderr.write(c));
    child.on("error", reject);
    child.on("close", (code) => {
      take("\n");
      let tests = { passed: 0, failed: 0 };
      try {
        const json = JSON.parse(readFileSync(report, "utf8"));
        tests = { passed: json.numPassedTests, failed: json.numFailedTests };
      } catch {
        // no report: vitest itself failed; the exit code says so below
      }
      resolve({ code, properties, tests, cases: properties.reduce((n, p) => n + p.cases, 0) });
    });
  });
}

export async function run() {
  const began = performance.now();
  const result = await fuzz();
  const seconds = (performance.now() - began) / 1000;
  if (result.properties.length === 0) throw new Error(`vitest exited ${result.code} without running a property`);
  const failed = result.properties.filter((p) => p.failed);
  return [
    row(title, "cases run (all routes)", `${result.cases.toLocaleString("en-US")} over ${result.properties.length} properties, ${RUNS} each, in ${seconds.toFixed(0)} s`, `≥ ${GOAL.toLocaleString("en-US")} — ${result.cases >= GOAL ? "met" : "missed"}`),
    row(title, "properties failed", failed.length ? `${failed.length}: ${failed.map((p) => p.property).join(", ")}` : "0", "0"),
    row(title, "tests in test/fuzz (passed / failed)", `${result.tests.passed} / ${result.tests.failed}`),
  ];
}

// `node bench/fuzz.mjs`: the same run, printed on its own with every property's count.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.chdir(root);
  const result = await fuzz({ echo: true });
  for (const p of result.properties) {
    const statuses = Object.entries(p.statuses ?? {}).map(([s, n]) => `${s}×${n}`).join(" ");
    console.log(`${p.failed ? "FAIL" : "ok  "} ${String(p.cases).padStart(6)}  ${p.property.padEnd(36)} ${statuses}`);
  }
  const failed = result.properties.filter((p) => p.failed).length;
  console.log(`\nfuzz: ${result.cases.toLocaleString("en-US")} cases over ${result.properties.length} properties (FUZZ_RUNS=${RUNS}); ${failed} properties failed; tests ${result.tests.passed} passed, ${result.tests.failed} failed`);
  process.exitCode = result.code === 0 && failed === 0 ? 0 : 1;
}
