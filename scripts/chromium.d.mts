// Types for scripts/chromium.mjs, so the TypeScript browser tests can ask it where Chromium is.
export declare const CHROMIUM_NAMES: string[];
export interface FoundChromium {
  path: string;
  source: "CHROMIUM_PATH" | "PATH" | "playwright";
}
export declare function playwrightBrowser(): { version: string; build: string; executablePath: string };
export declare function findChromium(options?: { env?: Record<string, string | undefined>; names?: string[]; managedPath?: string | null }): FoundChromium | null;
export type ChromiumPlan = { action: "install"; commands: string[][]; hint: string } | { action: "stop"; hint: string };
export declare function planWithoutChromium(options?: {
  platform?: string;
  uid?: number;
  osRelease?: string;
  hasAptGet?: boolean;
  browser?: { version: string; build: string };
}): ChromiumPlan;
