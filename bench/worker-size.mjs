// b) The whole Worker as wrangler would upload it.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { formatBytes, sizes } from "./lib/measure.mjs";
import { outDir, root } from "./lib/paths.mjs";
import { goal, row } from "./lib/table.mjs";

export const title = "Worker bundle";

const GOAL_GZIP = 50 * 1024;
const TOP_AREAS = 8;
const workerOut = join(outDir, "worker");
const metafile = join(workerOut, "meta.json");
const assetsDir = join(root, "public");

export const notes = `- **${title}**: \`npx wrangler deploy --dry-run --outdir bench/out/worker --metafile …\` with wrangler.toml's own
  build settings (\`minify = true\`, \`keep_names = false\`), i.e. exactly what \`wrangler deploy\` uploads; the emitted .js
  files (source maps excluded) measured raw and with zlib gzip. "By area" sums esbuild's metafile \`bytesInOutput\`
  (minified bytes, before gzip) per folder of src/ and per package. The static assets (public/, served through the
  ASSETS binding) are not part of the bundle and are listed for reference.`;

/** The folder of src/ (two levels: src/routes/chat) or the package an input of the bundle comes from. */
function area(input) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (pkg) return pkg[1];
  const parts = input.split("/");
  const depth = parts[1] === "routes" ? 3 : 2;
  return parts.length > depth ? parts.slice(0, depth).join("/") : input;
}

function byArea(meta) {
  const totals = new Map();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      totals.set(area(input), (totals.get(area(input)) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

export async function run() {
  rmSync(workerOut, { recursive: true, force: true });
  const result = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", workerOut, "--metafile", metafile], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" },
  });
  if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stderr || result.stdout}`);
  const emitted = readdirSync(workerOut).filter((f) => /\.m?js$/.test(f));
  const total = sizes(Buffer.concat(emitted.map((f) => readFileSync(join(workerOut, f)))));
  const areas = byArea(JSON.parse(readFileSync(metafile, "utf8")));
  const assets = files(assetsDir).map((path) => `${relative(assetsDir, path)} ${formatBytes(statSync(path).size)}`);
  return [
    row(title, `${emitted.join(" + ")} raw (minified, as deployed)`, formatBytes(total.raw)),
    row(title, `${emitted.join(" + ")} gzip`, formatBytes(total.gzip), goal("≤ 50 KiB gzip", total.gzip <= GOAL_GZIP)),
    row(title, `by area, largest ${TOP_AREAS} (minified bytes)`, areas.slice(0, TOP_AREAS).map(([name, n]) => `${name} ${formatBytes(n)}`).join("; ")),
    row(title, "static assets, outside the bundle (public/)", assets.join("; ")),
  ];
}
