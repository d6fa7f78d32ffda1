// The Worker as `npm run dev` runs it: wrangler dev on fresh local state with the D1 schema applied first (as
// scripts/dev.mjs does), so the leak workflow's ledger and audit work. Node-only, hence JavaScript with a .d.mts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unstable_startWorker } from "wrangler";

export async function startDevWorker(vars) {
  const state = mkdtempSync(join(tmpdir(), "ftw-dev-worker-"));
  const env = { ...process.env, FORCE_COLOR: "0", WRANGLER_SEND_METRICS: "false" };
  const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { encoding: "utf8", env });
  if (migrate.status !== 0) {
    rmSync(state, { recursive: true, force: true });
    throw new Error(`migrations failed: ${migrate.stdout}${migrate.stderr}`);
  }
  const worker = await unstable_startWorker({
    config: "wrangler.toml",
    // A deliberately absent env file: a developer's .dev.vars or .env never leaks into the test.
    envFiles: [".env.dev-worker-none"],
    bindings: Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }])),
    sendMetrics: false,
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, persist: state, watch: false, logLevel: "error" },
  });
  const stop = async () => {
    await worker.dispose();
    rmSync(state, { recursive: true, force: true });
  };
  try {
    await worker.ready;
    return { url: (await worker.url).origin, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
