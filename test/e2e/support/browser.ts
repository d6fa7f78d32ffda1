import { type Browser, chromium } from "playwright-core";
import { findChromium, planWithoutChromium } from "../../../scripts/chromium.mjs";

/**
 * The machine's Chromium, found as scripts/ensure-chromium.mjs (run by `npm run test:e2e`) finds it: CHROMIUM_PATH,
 * the usual names on PATH, or a playwright-managed build. playwright-core drives it; it downloads no browser.
 */
function chromiumPath(): string {
  const found = findChromium();
  if (!found) throw new Error(planWithoutChromium().hint);
  return found.path;
}

/**
 * Headless Chromium with the flags CI needs: no sandbox (containers run as root), no GPU, no QUIC, and no
 * background traffic (first-run, component updates, sync), so the only requests are the test's. Playwright gives
 * every launch a fresh temporary --user-data-dir and deletes it on close.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
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
