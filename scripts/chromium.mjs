// Where the browser tests get their Chromium. playwright-core downloads no browser, so one must already be on the
// machine: this module finds it (pure decisions over an injectable environment, so a test can hide every browser),
// and says how to get one when there is none. scripts/ensure-chromium.mjs acts on what it decides.
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join } from "node:path";

/** Binary names tried on PATH, in order: Debian's package, other distributions' and Google's. */
export const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome"];

const require = createRequire(import.meta.url);

function isExecutableFile(path) {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The Chromium build the installed playwright-core drives, and where `playwright-core install` puts it. */
export function playwrightBrowser() {
  const manifest = require.resolve("playwright-core/package.json");
  const { version } = JSON.parse(readFileSync(manifest, "utf8"));
  // Not in the package's exports, so read from beside its package.json.
  const { browsers } = JSON.parse(readFileSync(join(dirname(manifest), "browsers.json"), "utf8"));
  const build = browsers.find((b) => b.name === "chromium")?.browserVersion ?? "unknown";
  const { chromium } = require("playwright-core");
  return { version, build, executablePath: chromium.executablePath() };
}

/**
 * The first usable Chromium: `CHROMIUM_PATH` if set (an override that does not exist is an error, not a reason to
 * quietly test another browser), then each name in `names` on `env.PATH`, then the playwright-managed build.
 * Returns `{ path, source }`, or null when there is none.
 */
export function findChromium({ env = process.env, names = CHROMIUM_NAMES, managedPath } = {}) {
  const override = env.CHROMIUM_PATH;
  if (override) {
    if (isExecutableFile(override)) return { path: override, source: "CHROMIUM_PATH" };
    throw new Error(`CHROMIUM_PATH=${override} is not an executable file; point it at a Chromium or Chrome binary, or unset it.`);
  }
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const path = join(dir, name);
      if (isExecutableFile(path)) return { path, source: "PATH" };
    }
  }
  const managed = managedPath === undefined ? playwrightBrowser().executablePath : managedPath;
  if (managed && isExecutableFile(managed)) return { path: managed, source: "playwright" };
  return null;
}

function osReleaseIds(text) {
  const field = (key) => text.match(new RegExp(`^${key}="?([^"\\n]*)"?$`, "m"))?.[1] ?? "";
  return `${field("ID")} ${field("ID_LIKE")}`.split(/\s+/).filter(Boolean);
}

/**
 * What to do when `findChromium` found nothing. As root on Debian or Ubuntu (or a derivative) with apt-get:
 * install the distribution package. Anywhere else installing is the user's call, so: one line saying how.
 */
export function planWithoutChromium({
  platform = process.platform,
  uid = process.getuid?.() ?? -1,
  osRelease = readOsRelease(),
  hasAptGet = isExecutableFile("/usr/bin/apt-get"),
  browser = playwrightBrowser(),
} = {}) {
  const hint =
    "No Chromium for the browser tests: set CHROMIUM_PATH to a Chromium/Chrome binary, install your distribution's " +
    `chromium package, or run \`npx playwright-core install --no-shell chromium\` (Chrome for Testing ${browser.build}, the build ` +
    `playwright-core ${browser.version} drives).`;
  const debianLike = osReleaseIds(osRelease).some((id) => id === "debian" || id === "ubuntu");
  if (platform === "linux" && uid === 0 && debianLike && hasAptGet) {
    return { action: "install", commands: [["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]], hint };
  }
  return { action: "stop", hint };
}

function readOsRelease() {
  try {
    return readFileSync("/etc/os-release", "utf8");
  } catch {
    return "";
  }
}
