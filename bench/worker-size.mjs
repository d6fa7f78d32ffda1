// b) The whole Worker as wrangler would upload it.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { formatBytes, sizes } from "./lib/measure.mjs";
import { outDir, root } from "./lib/paths.mjs";
import { goal, row } from "./lib/table.mjs";

export const title = "Worker bundle";

const GOAL_GZIP = 25 * 1024;
const workerOut = join(outDir, "worker");

export const notes = `- **${title}**: \`npx wrangler deploy --dry-run --outdir bench/out/worker --minify\`, then the emitted
  .js files (source maps excluded) measured raw and with zlib gzip.`;

export async function run() {
  rmSync(workerOut, { recursive: true, force: true });
  const result = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", workerOut, "--minify"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" },
  });
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stderr || result.stdout}`);
  const files = readdirSync(workerOut).filter((f) => /\.m?js$/.test(f));
  const total = sizes(Buffer.concat(files.map((f) => readFileSync(join(workerOut, f)))));
  return [
    row(title, `${files.join(" + ")} raw (minified)`, formatBytes(total.raw)),
    row(title, `${files.join(" + ")} gzip`, formatBytes(total.gzip), goal("≤ 25 KiB gzip", total.gzip <= GOAL_GZIP)),
  ];
}
