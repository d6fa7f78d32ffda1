// The Worker under workerd for benchmarks that touch D1: bench/limited-worker (src/index.ts behind a thin entry)
// with wrangler.toml's bindings and queue settings, the D1 schema applied, optionally the platform-limits double.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { unstable_startWorker } from "wrangler";
import { root } from "./paths.mjs";

/** The statements of migrations/*.sql, in order (comments stripped; every statement ends with `;`). */
export function migrationStatements() {
  const dir = join(root, "migrations");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), "utf8")
        .replace(/--.*$/gm, "")
        .split(";")
        .map((s) => s.trim())
        .filter(Boolean),
    );
}

/**
 * Starts bench/limited-worker with `vars` (plain-text bindings) and applies the schema. `limits`: "none" (bare local
 * bindings), "free", "paid" or "count" (the double's settings, bench/limited-worker/index.ts).
 */
export async function startBenchWorker(vars, { limits = "none", logLevel = "error" } = {}) {
  const all = { ...vars, BENCH_LIMITS: limits };
  const worker = await unstable_startWorker({
    config: "wrangler.toml",
    entrypoint: "bench/limited-worker/index.ts",
    // A deliberately absent env file: the Worker sees exactly these vars, never a developer's .dev.vars.
    envFiles: [".env.bench-none"],
    bindings: Object.fromEntries(Object.entries(all).map(([name, value]) => [name, { type: "plain_text", value }])),
    sendMetrics: false,
    dev: { server: { hostname: "127.0.0.1", port: 0 }, inspector: false, persist: false, watch: false, logLevel },
  });
  try {
    await worker.ready;
    const url = (await worker.url).origin;
    const migrated = await fetch(`${url}/__bench/migrate`, { method: "POST", body: JSON.stringify(migrationStatements()) });
    if (!migrated.ok) throw new Error(`applying the D1 schema failed: ${migrated.status} ${await migrated.text()}`);
    let stopped;
    return { url, stats: async () => (await fetch(`${url}/__bench/stats`)).json(), stop: () => (stopped ??= worker.dispose()) };
  } catch (err) {
    await worker.dispose();
    throw err;
  }
}

/**
 * Collects the Worker's `leak_invocation` lines from this process's stdout (where wrangler prints the Worker's
 * console), counts its `kv_failed` warnings (stderr), drops the local runtime's request lines and sends the rest to
 * stderr, so stdout keeps only the table; `restore()` puts both streams back.
 */
export function captureInvocations() {
  const lines = [];
  const refusedKv = { count: 0 };
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const filter = (chunk, rest) => {
    const kept = [];
    for (const l of String(chunk).split("\n")) {
      if (l.includes('"leak_invocation"')) lines.push(JSON.parse(l.slice(l.indexOf("{"), l.lastIndexOf("}") + 1)));
      else if (l.includes('"kv_failed"')) refusedKv.count++;
      else if (!l.includes("[wrangler") && !/^\W*(POST|GET|DELETE) /.test(l)) kept.push(l);
    }
    const text = kept.join("\n");
    return text.trim() === "" ? true : err(text, ...rest);
  };
  process.stdout.write = (chunk, ...rest) => filter(chunk, rest);
  process.stderr.write = (chunk, ...rest) => filter(chunk, rest);
  return {
    lines,
    refusedKv,
    restore: () => {
      process.stdout.write = out;
      process.stderr.write = err;
    },
  };
}

export async function controlJson(url, method = "GET", body) {
  const r = await fetch(url, { method, ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }) });
  if (!r.ok) throw new Error(`${method} ${new URL(url).pathname} answered ${r.status}: ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
