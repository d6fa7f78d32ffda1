// Temporary folders holding stand-in browser binaries, for the Chromium finder's tests. Plain JavaScript because
// the project's TypeScript types are the Workers runtime's, which have no node:fs.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made = [];

/** A new folder with the given entries: "file" (executable script), "plain" (not executable) or "folder". */
export function folder(entries = {}) {
  const dir = mkdtempSync(join(tmpdir(), "chromium-finder-"));
  made.push(dir);
  for (const [name, kind] of Object.entries(entries)) {
    const path = join(dir, name);
    if (kind === "folder") mkdirSync(path);
    else {
      writeFileSync(path, "#!/bin/sh\necho Chromium 1.0\n");
      chmodSync(path, kind === "file" ? 0o755 : 0o644);
    }
  }
  return dir;
}

export function removeFolders() {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export { join };
