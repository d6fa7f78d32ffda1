import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The project root; benchmarks run with it as the working directory (wrangler resolves wrangler.toml from there). */
export const root = fileURLToPath(new URL("../../", import.meta.url));
/** Build output and scratch space for benchmarks (gitignored). */
export const outDir = fileURLToPath(new URL("../out/", import.meta.url));

export function ensureOutDir() {
  mkdirSync(outDir, { recursive: true });
  return outDir;
}
