import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`); playwright-core drives it, it downloads no browser. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Headless Chromium with the flags CI needs: no sandbox (containers run as root), no GPU, no QUIC, and no
 * background traffic (first-run, component updates, sync), so the only requests are the test's. Playwright gives
 * every launch a fresh temporary --user-data-dir and deletes it on close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
