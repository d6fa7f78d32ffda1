// Where `wrangler dev` (miniflare) puts what the send_email binding sends: it logs "send_email binding called with
// MessageBuilder" (From, To, Subject) and writes the text to <tmpdir>/miniflare-<id>/files/email-text/<uuid>.txt.
// Nothing is delivered. Used by scripts/demo.mjs and the local-dev test of the owner e-mail.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Every captured e-mail text written since `sinceMs`, newest first. */
export function capturedEmailsSince(sinceMs, root = tmpdir()) {
  const found = [];
  for (const dir of readdirSync(root).filter((d) => d.startsWith("miniflare-"))) {
    const folder = join(root, dir, "files", "email-text");
    let names = [];
    try {
      names = readdirSync(folder);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(folder, name);
      const mtimeMs = statSync(path).mtimeMs;
      if (mtimeMs >= sinceMs - 1000) found.push({ path, mtimeMs, text: readFileSync(path, "utf8") });
    }
  }
  return found.sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** The newest captured e-mail text written since `sinceMs` that contains `marker`, or undefined. */
export function findCapturedEmail(marker, sinceMs, root = tmpdir()) {
  return capturedEmailsSince(sinceMs, root).find((f) => f.text.includes(marker));
}
