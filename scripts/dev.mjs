// `npm run dev`: the Fastly emulator (127.0.0.1:8788) and the Worker (127.0.0.1:8787) together, offline,
// with the demo data in emulator/seed.json and the demo settings in scripts/demo.env.
import { spawn } from "node:child_process";

const workerPort = process.env.PORT ?? "8787";
const children = [];

function run(name, args) {
  const child = spawn("npx", ["wrangler", "dev", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
  const prefix = (chunk) => chunk.toString().split("\n").filter(Boolean).map((l) => `[${name}] ${l}`).join("\n") + "\n";
  child.stdout.on("data", (c) => process.stdout.write(prefix(c)));
  child.stderr.on("data", (c) => process.stderr.write(prefix(c)));
  child.on("exit", (code) => {
    console.log(`[${name}] exited with ${code}`);
    stop(code ?? 1);
  });
  children.push(child);
}

function stop(code) {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  process.exitCode = code;
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

run("emulator", ["-c", "emulator/wrangler.toml", "--port", "8788", "--ip", "127.0.0.1", "--inspector-port", "9330", "--show-interactive-dev-session=false"]);
run("worker", ["--port", workerPort, "--ip", "127.0.0.1", "--inspector-port", "9331", "--env-file", "scripts/demo.env", "--test-scheduled", "--show-interactive-dev-session=false"]);
console.log(`Worker: http://127.0.0.1:${workerPort}  ·  Fastly emulator: http://127.0.0.1:8788  ·  Ctrl-C stops both`);
