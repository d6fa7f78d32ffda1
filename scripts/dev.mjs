// `npm run dev`: the Fastly emulator (127.0.0.1:8788) and the Worker (127.0.0.1:8787) together, offline,
// with the demo data in emulator/seed.json and the demo settings in scripts/demo.env.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const workerPort = process.env.PORT ?? "8787";
const children = [];
const childEnv = { ...process.env, FORCE_COLOR: "0", WRANGLER_SEND_METRICS: "false" };

// Both start fresh, every run. The emulator keeps its state in memory and starts from emulator/seed.json, so the
// Worker's KV, D1 and queues start empty too: a tombstone or ledger row left by the last run would otherwise
// contradict the emulator (the demo would say "already revoked" of a token the emulator says is live). Fresh
// rather than persisted-for-both because the demo data is meant to be a known starting point. The folder is a new
// temporary one (not .wrangler/state, which a plain `wrangler dev` may be using) and is removed on exit.
const state = mkdtempSync(join(tmpdir(), "ftw-dev-state-"));

function prefixed(name, stream) {
  return (chunk) =>
    stream.write(
      chunk
        .toString()
        .split("\n")
        .filter(Boolean)
        .map((l) => `[${name}] ${l}\n`)
        .join(""),
    );
}

function run(name, args) {
  const child = spawn("npx", ["wrangler", "dev", ...args], { stdio: ["ignore", "pipe", "pipe"], env: childEnv });
  child.stdout.on("data", prefixed(name, process.stdout));
  child.stderr.on("data", prefixed(name, process.stderr));
  child.on("exit", (code) => {
    console.log(`[${name}] exited with ${code}`);
    stop(code ?? 1);
  });
  children.push(child);
}

function stop(code) {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
  process.exitCode ??= code;
  if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) rmSync(state, { recursive: true, force: true });
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

// The D1 schema (migrations/) goes into the fresh state before the Worker starts, as `--remote` does on deploy.
const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], {
  stdio: ["ignore", "pipe", "pipe"],
  encoding: "utf8",
  env: childEnv,
});
if (migrate.status !== 0) {
  process.stderr.write(migrate.stdout + migrate.stderr);
  rmSync(state, { recursive: true, force: true });
  process.exit(migrate.status ?? 1);
}

const common = ["--ip", "127.0.0.1", "--show-interactive-dev-session=false"];
run("emulator", ["-c", "emulator/wrangler.toml", "--port", "8788", "--inspector-port", "9330", ...common]);
run("worker", ["--port", workerPort, "--inspector-port", "9331", "--env-file", "scripts/demo.env", "--test-scheduled", "--persist-to", state, ...common]);
console.log(`Worker: http://127.0.0.1:${workerPort}  ·  Fastly emulator: http://127.0.0.1:8788  ·  fresh local state  ·  Ctrl-C stops both`);
