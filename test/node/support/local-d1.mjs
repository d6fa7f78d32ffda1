import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh local state folder with the D1 schema (migrations/) applied, as `npm run dev` prepares one: the Worker
 * needs its tables from the first request. `remove()` deletes the folder.
 */
export function migratedState(config = "wrangler.toml") {
  const dir = mkdtempSync(join(tmpdir(), "ftw-local-worker-"));
  const run = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", dir, "-c", config], {
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
  });
  if (run.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`applying the D1 migrations failed: ${run.stderr || run.stdout}`);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
