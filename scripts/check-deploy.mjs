// Run by `npm test`: `wrangler deploy --dry-run` bundles the Worker and validates wrangler.toml exactly as a deploy
// would, offline (no login, no upload), into a scratch folder that is removed afterwards.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const outdir = mkdtempSync(join(tmpdir(), "ftw-deploy-dry-run-"));
try {
  const run = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir], {
    stdio: "inherit",
    env: { ...process.env, FORCE_COLOR: "0", WRANGLER_SEND_METRICS: "false" },
  });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
