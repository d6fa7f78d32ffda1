// f) Load with faults: mixed traffic against the local Worker while the emulator fails about 10 % of calls, then
// (faults off, queue drained) an account of every leaked token: revoked, dead-lettered, or lost.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { importTs } from "./lib/compile.mjs";
import { root } from "./lib/paths.mjs";
import { goal, row } from "./lib/table.mjs";
import { API_KEY, newTenant, quietWrangler, READ_ID, scannerRequest, slackRequest, startEmulatorProcess, workerVars } from "./load.mjs";

export const title = "Load with faults";

const SECONDS = Number(process.env.LOAD_FAULTS_SECONDS ?? 60);
const RATE = Number(process.env.LOAD_FAULTS_RATE ?? 150);
const CONNECTIONS = 10;
const DRAIN_SECONDS = Number(process.env.LOAD_FAULTS_DRAIN_SECONDS ?? 240);
const FAULT_SHARE = 0.1;
const TIMEOUT_MS = 2000;
/** Per connection, in order: reads of one token and of a customer's list, leak reports, Slack acks. */
const MIX = ["read", "list", "leak", "read", "slack", "read", "list", "leak", "read", "slack"];
const LEAK_SHARE = MIX.filter((k) => k === "leak").length / MIX.length;
const FAULT_MSG = "emulated upstream failure";

// Five kinds of failure, each firing at random; together about FAULT_SHARE of all upstream calls.
const KINDS = 5;
const perKind = 1 - (1 - FAULT_SHARE) ** (1 / KINDS);

export const notes = `- **${title}**: ${SECONDS} s of mixed traffic (autocannon, ${CONNECTIONS} connections, ${RATE} req/s overall; per
  connection in turn: ${MIX.join(", ")}) against the Worker under workerd (local queues with wrangler.toml's retry and
  dead-letter settings, UPSTREAM_TIMEOUT_MS=${TIMEOUT_MS}) while the emulator fails about ${FAULT_SHARE * 100} % of Fastly calls at
  random: 500, 503, 429 with \`Fastly-RateLimit-Reset\`, a ${TIMEOUT_MS + 500} ms delay (past the Worker's timeout) and dropped
  connections, each ${(perKind * 100).toFixed(1)} %. Reads are \`GET /tokens/{id}\` and \`GET /customer/{id}/tokens\` with a
  Worker API key (the list's cache is invalidated by every revocation, so it keeps calling upstream); leak reports
  are Standard-Webhooks-signed, each with one real live token created beforehand in the emulator tenant through its
  own \`POST /tokens\` (username/password, tenant rate limit raised); Slack acks are signed \`whoami\` commands.
  After the load the faults stop and the queue drains (bounded to ${DRAIN_SECONDS} s; retries back off 10–20 s, 20–40 s, …).
  Reported = tokens in reports the Worker answered 2xx; revoked = those the emulator shows revoked; dead-lettered =
  those with an audit entry of result "failed" (read through \`GET /audit\` with a read API key); lost = reported −
  revoked − dead-lettered. A 502/504 from the Worker is a propagated upstream failure; a 500/503 whose body is the
  emulator's own failure message is Fastly's status passed through; any other 5xx is the Worker's own.`;

const seed = JSON.parse(readFileSync(join(root, "emulator/seed.json"), "utf8"));
const USER = seed.users.acmeUser;
const ACME = seed.customers.acme.id;

const post = (url, body) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function createTokens(tenantUrl, count) {
  const tokens = [];
  for (let i = 0; i < count; i++) {
    const r = await fetch(`${tenantUrl}/tokens`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: USER.login, password: USER.password, name: `load-leak-${i}` }),
    });
    if (!r.ok) throw new Error(`creating token ${i} failed: ${r.status}`);
    const t = await r.json();
    tokens.push({ value: t.access_token, id: t.id, name: t.name });
  }
  return tokens;
}

async function faultsOn(tenantUrl) {
  const reset = String(Math.floor(Date.now() / 1000) + 10);
  const body = { msg: FAULT_MSG };
  for (const rule of [
    { status: 500, body },
    { status: 503, body },
    { status: 429, body: { msg: "Too many requests" }, headers: { "Fastly-RateLimit-Remaining": "0", "Fastly-RateLimit-Reset": reset } },
    { delayMs: TIMEOUT_MS + 500 },
    { drop: true },
  ]) {
    const r = await post(`${tenantUrl}/__emulator/faults`, { probability: perKind, ...rule });
    if (!r.ok) throw new Error(`fault rule refused: ${r.status} ${await r.text()}`);
  }
}

/** Every audit entry, newest first, through the Worker's own API. */
async function auditEntries(workerUrl) {
  const entries = [];
  let cursor = "";
  for (let page = 0; page < 200; page++) {
    const r = await fetch(`${workerUrl}/audit?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { headers: { "Fastly-Key": API_KEY } });
    if (!r.ok) throw new Error(`GET /audit answered ${r.status}`);
    const json = await r.json();
    entries.push(...json.entries);
    if (!json.cursor) break;
    cursor = json.cursor;
  }
  return entries;
}

export async function run() {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const { startLocalWorker } = await importTs("test/node/support/local-worker.ts", "local-worker");
  const emulator = await startEmulatorProcess();
  const restore = quietWrangler();
  let worker;
  try {
    const tenantUrl = await newTenant(emulator.url);
    await post(`${tenantUrl}/__emulator/config`, { rateLimit: 1_000_000 });
    const pool = await createTokens(tenantUrl, Math.ceil(SECONDS * RATE * LEAK_SHARE * 1.25) + 20);
    worker = await startLocalWorker(workerVars(tenantUrl, emulator.url, { UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) }));
    const responseUrl = `${emulator.url}/__sinks/bench-load-faults/commands/T0BENCH/1/x`;

    // Warm the isolate and the Worker's own-token cache before the faults start.
    for (const path of [`/tokens/${READ_ID}`, `/customer/${ACME}/tokens`]) await (await fetch(`${worker.url}${path}`, { headers: { "Fastly-Key": API_KEY } })).arrayBuffer();
    await faultsOn(tenantUrl);

    const accepted = new Map(); // token id → token, for reports answered 2xx
    const refused = new Map(); // token id → token, for reports answered otherwise (the sender would retry)
    let next = 0;
    const statuses = {};
    const fivexx = { propagated: 0, passedThrough: 0, own: 0, ownSamples: [] };
    const make = (kind, context) => {
      if (kind === "read") return { method: "GET", path: `/tokens/${READ_ID}`, headers: { "fastly-key": API_KEY }, body: undefined };
      if (kind === "list") return { method: "GET", path: `/customer/${ACME}/tokens`, headers: { "fastly-key": API_KEY }, body: undefined };
      if (kind === "slack") return slackRequest("whoami", responseUrl);
      const token = pool[next++];
      context.token = token;
      return scannerRequest(token ? [token.value] : []);
    };
    const classify = (status, body) => {
      if (status < 500) return;
      if (status === 502 || status === 504) fivexx.propagated++;
      else if (body.includes(FAULT_MSG)) fivexx.passedThrough++;
      else {
        fivexx.own++;
        if (fivexx.ownSamples.length < 3) fivexx.ownSamples.push(`${status} ${body.slice(0, 80)}`);
      }
    };
    const began = performance.now();
    const instance = autocannon({
      url: worker.url,
      connections: CONNECTIONS,
      overallRate: RATE,
      duration: SECONDS,
      timeout: 30,
      requests: MIX.map((kind) => ({
        ...make(kind === "leak" ? "read" : kind, {}),
        setupRequest: (request, context) => ({ ...request, ...make(kind, context) }),
        onResponse: (status, body, context) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          classify(status, body ?? "");
          if (kind === "leak" && context.token) (status < 300 ? accepted : refused).set(context.token.id, context.token);
        },
      })),
    });
    const result = await instance;
    const loadSeconds = (performance.now() - began) / 1000;
    await fetch(`${tenantUrl}/__emulator/faults`, { method: "DELETE" });

    // Drain: every accepted token revoked or dead-lettered, or the bound is reached.
    const drainStart = performance.now();
    let revoked = new Set();
    let deadLettered = new Set();
    for (;;) {
      const state = await (await fetch(`${tenantUrl}/__emulator/tokens`)).json();
      revoked = new Set(state.filter((t) => t.revoked && t.name?.startsWith("load-leak-")).map((t) => t.id));
      const audit = await auditEntries(worker.url);
      deadLettered = new Set(audit.filter((e) => e.result === "failed" && e.tokenId).map((e) => e.tokenId));
      const open = [...accepted.keys()].filter((id) => !revoked.has(id) && !deadLettered.has(id));
      if (open.length === 0 || performance.now() - drainStart > DRAIN_SECONDS * 1000) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const reportedRevoked = [...accepted.keys()].filter((id) => revoked.has(id)).length;
    const reportedDead = [...accepted.keys()].filter((id) => !revoked.has(id) && deadLettered.has(id)).length;
    const lost = accepted.size - reportedRevoked - reportedDead;
    const refusedRevoked = [...refused.keys()].filter((id) => revoked.has(id)).length;
    const sent = Object.values(statuses).reduce((n, c) => n + c, 0) + result.errors + result.timeouts;
    const spread = Object.entries(statuses).map(([s, n]) => `${s}×${n}`).join(" ");

    return [
      row(title, "requests sent", `${sent.toLocaleString("en-US")} in ${loadSeconds.toFixed(0)} s (${spread}; ${result.errors} errors, ${result.timeouts} timeouts)`),
      row(title, "leaked tokens reported (report answered 2xx)", `${accepted.size}${refused.size ? ` (+${refused.size} in reports refused with a non-2xx for the sender to retry; ${refusedRevoked} of them revoked anyway)` : ""}`),
      row(title, "revoked", `${reportedRevoked}`),
      row(title, "dead-lettered (audit result \"failed\")", `${reportedDead}`),
      row(title, "lost (reported − revoked − dead-lettered)", `${lost}`, goal("0", lost === 0)),
      row(title, "queue drained after the load", `${drainSeconds.toFixed(0)} s${lost ? ` (gave up at the ${DRAIN_SECONDS} s bound)` : ""}`),
      row(
        title,
        "5xx not caused by the upstream",
        `${fivexx.own}${fivexx.ownSamples.length ? ` (${fivexx.ownSamples.join("; ")})` : ""}; upstream failures: ${fivexx.propagated} as 502/504, ${fivexx.passedThrough} as Fastly's own 500/503 passed through`,
        goal("0", fivexx.own === 0),
      ),
    ];
  } finally {
    await worker?.stop();
    await emulator.close();
    restore();
  }
}

// `node bench/load-faults.mjs`: this benchmark alone (LOAD_FAULTS_SECONDS=10 for a quick check).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.chdir(root);
  const { renderTable } = await import("./lib/table.mjs");
  console.log(renderTable(await run()));
}
