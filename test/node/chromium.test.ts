import { afterEach, describe, expect, it } from "vitest";
import { findChromium, planWithoutChromium, playwrightBrowser } from "../../scripts/chromium.mjs";
import { folder, join, removeFolders } from "./support/fake-browsers.mjs";

// The browser-test finder over a PATH made of temporary folders, so "no Chromium on this machine" is tested
// without uninstalling one.

afterEach(removeFolders);

const exe = "file";
const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const UBUNTU = "ID=ubuntu\nID_LIKE=debian\n";
const MINT = "ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n";
const FEDORA = "ID=fedora\n";
const browser = { version: "1.65.1", build: "159.0.8154.6" };

describe("finding a Chromium for the browser tests", () => {
  it("uses CHROMIUM_PATH when it names an executable file, before anything on PATH", () => {
    const override = folder({ "my-chrome": exe });
    const onPath = folder({ chromium: exe });
    expect(findChromium({ env: { CHROMIUM_PATH: join(override, "my-chrome"), PATH: onPath }, managedPath: null })).toEqual({
      path: join(override, "my-chrome"),
      source: "CHROMIUM_PATH",
    });
  });

  it("refuses a CHROMIUM_PATH that does not exist rather than quietly testing another browser", () => {
    const onPath = folder({ chromium: exe });
    const missing = join(folder(), "nope");
    expect(() => findChromium({ env: { CHROMIUM_PATH: missing, PATH: onPath }, managedPath: null })).toThrow(
      `CHROMIUM_PATH=${missing} is not an executable file`,
    );
  });

  it("finds the first usual name on PATH, folder by folder", () => {
    const first = folder({ "google-chrome": exe });
    const second = folder({ chromium: exe });
    expect(findChromium({ env: { PATH: `${first}:${second}` }, managedPath: null })).toEqual({
      path: join(first, "google-chrome"),
      source: "PATH",
    });
  });

  it("prefers chromium over chromium-browser and google-chrome in the same folder", () => {
    const dir = folder({ "google-chrome": exe, "chromium-browser": exe, chromium: exe });
    expect(findChromium({ env: { PATH: dir }, managedPath: null })?.path).toBe(join(dir, "chromium"));
  });

  it("skips a file with the right name that is not executable, and a folder with the right name", () => {
    const dir = folder({ chromium: "plain" });
    const withFolder = folder({ "google-chrome": "folder" });
    const good = folder({ "chromium-browser": exe });
    expect(findChromium({ env: { PATH: `${dir}:${withFolder}:${good}` }, managedPath: null })?.path).toBe(join(good, "chromium-browser"));
  });

  it("falls back to a playwright-managed Chromium when PATH has none", () => {
    const managed = join(folder({ chrome: exe }), "chrome");
    expect(findChromium({ env: { PATH: folder() }, managedPath: managed })).toEqual({ path: managed, source: "playwright" });
  });

  it("finds nothing on a machine with an empty PATH and no playwright download", () => {
    const notDownloaded = join(folder(), "chrome-linux64", "chrome");
    expect(findChromium({ env: { PATH: folder() }, managedPath: notDownloaded })).toBeNull();
    expect(findChromium({ env: {}, managedPath: null })).toBeNull();
  });

  it("asks playwright-core where its own build would be when no managed path is given", () => {
    expect(playwrightBrowser().executablePath).toMatch(/ms-playwright|chrom/i);
  });
});

describe("what to do without a Chromium", () => {
  it("installs Debian's chromium package as root on Debian", () => {
    const plan = planWithoutChromium({ platform: "linux", uid: 0, osRelease: DEBIAN, hasAptGet: true, browser });
    expect(plan).toMatchObject({
      action: "install",
      commands: [
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
      ],
    });
  });

  it("tries the distribution package as root on Ubuntu and its derivatives too", () => {
    for (const osRelease of [UBUNTU, MINT]) {
      expect(planWithoutChromium({ platform: "linux", uid: 0, osRelease, hasAptGet: true, browser }).action).toBe("install");
    }
  });

  it("installs nothing for a user who is not root, on another distribution, without apt-get or off Linux", () => {
    const cases = [
      { platform: "linux", uid: 1000, osRelease: DEBIAN, hasAptGet: true },
      { platform: "linux", uid: 0, osRelease: FEDORA, hasAptGet: false },
      { platform: "linux", uid: 0, osRelease: DEBIAN, hasAptGet: false },
      { platform: "darwin", uid: 501, osRelease: "", hasAptGet: false },
      { platform: "win32", uid: -1, osRelease: "", hasAptGet: false },
    ];
    for (const c of cases) expect(planWithoutChromium({ ...c, browser }).action, JSON.stringify(c)).toBe("stop");
  });

  it("says in one line how to get a browser, naming the playwright-core version whose download would do", () => {
    const { hint } = planWithoutChromium({ platform: "darwin", uid: 501, osRelease: "", hasAptGet: false, browser });
    expect(hint).not.toContain("\n");
    expect(hint).toContain("CHROMIUM_PATH");
    expect(hint).toContain("npx playwright-core install --no-shell chromium");
    expect(hint).toContain("playwright-core 1.65.1");
    expect(hint).toContain("159.0.8154.6");
  });

  it("names the installed playwright-core's version and build by default", () => {
    const installed = playwrightBrowser();
    const { hint } = planWithoutChromium({ platform: "darwin", uid: 501, osRelease: "", hasAptGet: false });
    expect(installed.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(hint).toContain(`playwright-core ${installed.version}`);
    expect(hint).toContain(installed.build);
  });
});
