import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env";
import type { ApiKey } from "../config";
import type { LeakContext } from "../tokens/leak-outcome";
import type { LeakFigures } from "../tokens/store/leak-figures";
import type { LedgerState } from "../tokens/store/ledger";
import { matchApiKey } from "./api/auth";
import { errorBody, RequestRefused } from "./errors";

/** Every intake, so each series exists (at 0) before its first leak and `rate()` works from the start. */
const SOURCES = ["github_alert", "github_partner", "gitlab_partner", "gitlab_revocation_api", "standard_webhooks", "chat", "demo"] as const satisfies readonly LeakContext["source"][];
/** Ledger states as metric label values (`claimed` is "in_progress": another invocation is on it). */
const OUTCOMES: Record<LedgerState, string> = { revoked: "revoked", not_live: "not_live", failed: "failed", unverified: "unverified", queued: "queued", claimed: "in_progress" };
/** Time-to-revoke buckets, in seconds: a second to a week. */
export const BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 10_800, 43_200, 86_400, 259_200, 604_800] as const;

/** The Prometheus text exposition format, version 0.0.4. */
const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const label = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (pairs: Record<string, string>) =>
  `{${Object.entries(pairs)
    .map(([k, v]) => `${k}="${label(v)}"`)
    .join(",")}}`;

/**
 * `GET /metrics`: leak figures for Prometheus (and Grafana), computed from the D1 ledger at scrape time. All time,
 * not a window: counters only grow (the ledger keeps a row per leaked value; dead letters come from the audit trail,
 * so they follow AUDIT_RETENTION_DAYS). Authenticated with a Worker API key that has the `read` scope, sent as
 * `Authorization: Bearer <key>` (Prometheus' `authorization` setting) or `Fastly-Key`; a key restricted to one
 * customer sees that customer's leaks only. Four D1 queries a scrape, each reading at most every ledger row.
 */
export const metrics = new Hono<AppEnv>();

metrics.get("/", async (c) => {
  const key = await apiKey(c);
  const scope = key.customer_id ? { customerId: key.customer_id } : {};
  const body = await render(c.var.services.leakFigures, scope);
  return c.body(body, 200, { "Content-Type": CONTENT_TYPE, "Cache-Control": "no-store" });
});
metrics.all("/", (c) => c.json(errorBody("Method Not Allowed", `${c.req.method} is not supported on /metrics`), 405, { Allow: "GET" }));

async function apiKey(c: Context<AppEnv>): Promise<ApiKey> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("Authorization") ?? "")?.[1];
  const presented = bearer ?? c.req.header("Fastly-Key")?.trim();
  // Only Worker-issued keys: a Fastly token is never passed through here, and is never sent upstream by this route.
  const key = presented ? await matchApiKey(presented, c.var.config.apiKeys) : null;
  if (!key) {
    throw new RequestRefused(401, { msg: "Provided credentials are missing or invalid", code: "unauthorized", detail: "GET /metrics needs a Worker API key" });
  }
  if (!key.scopes.includes("read")) throw new RequestRefused(403, { msg: "Forbidden", code: "forbidden", detail: 'this API key lacks the "read" scope' });
  return key;
}

async function render(figures: LeakFigures, scope: { customerId?: string }): Promise<string> {
  const [states, live, times, deadLetters] = await Promise.all([figures.states(scope), figures.live(scope), figures.revokeTimes(scope), figures.deadLetters(scope)]);
  const sources = [...new Set<string>([...SOURCES, ...states.map((s) => s.source)])];
  const count = (source: string, state?: LedgerState) =>
    states.filter((s) => s.source === source && (state === undefined || s.state === state)).reduce((n, s) => n + s.n, 0);
  const out: string[] = [];
  const family = (name: string, type: "counter" | "gauge" | "histogram", help: string) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

  family("fastly_leak_tokens_reported_total", "counter", "Leaked token values reported, by intake: one per value however often it was reported.");
  for (const source of sources) out.push(`fastly_leak_tokens_reported_total${labels({ source })} ${count(source)}`);

  family("fastly_leak_live_tokens_total", "counter", "Reported values proven to be live credentials (revoked, or read with their own key), by intake.");
  for (const source of sources) out.push(`fastly_leak_live_tokens_total${labels({ source })} ${live.find((l) => l.source === source)?.n ?? 0}`);

  family("fastly_leak_tokens", "gauge", "Reported values by their outcome now: revoked, not_live, failed, unverified, queued, in_progress.");
  for (const source of sources) {
    for (const [state, outcome] of Object.entries(OUTCOMES) as [LedgerState, string][]) {
      out.push(`fastly_leak_tokens${labels({ source, outcome })} ${count(source, state)}`);
    }
  }

  family("fastly_leak_time_to_revoke_seconds", "histogram", "Time from a leak's first sighting (alert created, commit date, or receipt) to its revocation.");
  for (const source of sources) {
    const mine = times.filter((t) => t.source === source).map((t) => t.ms / 1000);
    for (const le of BUCKETS) out.push(`fastly_leak_time_to_revoke_seconds_bucket${labels({ source, le: String(le) })} ${mine.filter((s) => s <= le).length}`);
    out.push(`fastly_leak_time_to_revoke_seconds_bucket${labels({ source, le: "+Inf" })} ${mine.length}`);
    out.push(`fastly_leak_time_to_revoke_seconds_sum${labels({ source })} ${round(mine.reduce((a, b) => a + b, 0))}`);
    out.push(`fastly_leak_time_to_revoke_seconds_count${labels({ source })} ${mine.length}`);
  }

  family("fastly_leak_dead_letters_total", "counter", "Leak revocations that were still not done after every queue retry (from the audit trail).");
  out.push(`fastly_leak_dead_letters_total ${deadLetters}`);
  return `${out.join("\n")}\n`;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
