import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh local state folder with the D1 schema (migrations/) applied, as `npm run dev` prepares one: the Worker
 * needs its tables from the first request. `remove()` deletes the folder.
 */
export function migratedState(config = "wrangler.toml") {
  const dir = mkdtempSync(join(tmpdir(), "ftw-local-worker-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // A Worker without D1 (the benchmarks' bare Hono Worker) just gets the empty folder.
  if (!/^\s*\[\[d1_databases\]\]/m.test(readFileSync(config, "utf8"))) return { dir, remove };
  const run = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", dir, "-c", config], {
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  if (run.status !== 0) {
    remove();
    throw new Error(`applying the D1 migrations failed: ${run.stderr || run.stdout}`);
  }
  return { dir, remove };
}
