import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every TypeScript source file under `dir`, with its text. */
export function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [{ file: path, text: readFileSync(path, "utf8") }] : [];
  });
}
