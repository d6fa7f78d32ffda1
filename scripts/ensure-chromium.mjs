// Run by `npm run test:e2e` (and so by `npm test`) before the browser tests: makes sure a Chromium is there, so
// `npm install && npm test` passes on a machine that has none. Installs one only where that is unsurprising (root
// on Debian/Ubuntu, i.e. a container or CI box); elsewhere it stops with one line saying how to get one.
import { spawnSync } from "node:child_process";
import { findChromium, planWithoutChromium } from "./chromium.mjs";

function versionOf(path) {
  const probe = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 30_000 });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

function found() {
  const chromium = findChromium();
  if (!chromium) return null;
  const version = versionOf(chromium.path);
  if (!version) throw new Error(`${chromium.path} (from ${chromium.source}) does not run: \`${chromium.path} --version\` failed.`);
  return { ...chromium, version };
}

try {
  let chromium = found();
  if (!chromium) {
    const plan = planWithoutChromium();
    if (plan.action === "stop") throw new Error(plan.hint);
    console.log("No Chromium found; installing the distribution package for the browser tests.");
    for (const [command, ...args] of plan.commands) {
      const run = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
      if (run.status !== 0) throw new Error(`\`${command} ${args.join(" ")}\` failed. ${plan.hint}`);
    }
    chromium = found();
    if (!chromium) throw new Error(plan.hint);
  }
  console.log(`Browser tests use ${chromium.path} (${chromium.version}, from ${chromium.source}).`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
