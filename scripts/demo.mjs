// `npm run demo`: plays a secret scanner against the Worker started by `npm run dev`. It posts a Standard-Webhooks
// signed gitleaks report with one demo token (committed two minutes ago), then shows what happened: the emulator's
// verdict, the security channel's notice, the e-mail and Slack DM to the token's owner, and the time to revoke.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { findCapturedEmail } from "./captured-email.mjs";

const worker = process.env.WORKER_URL ?? "http://127.0.0.1:8787";
const emulator = process.env.EMULATOR_URL ?? "http://127.0.0.1:8788";
const settings = Object.fromEntries(
  readFileSync(new URL("./demo.env", import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"))
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);
const seed = JSON.parse(readFileSync(new URL("../emulator/seed.json", import.meta.url), "utf8"));
const name = process.argv[2] ?? "userGlobal";
const token = seed.tokens[name];
if (!token) throw new Error(`no demo token named ${name}; try one of: ${Object.keys(seed.tokens).join(", ")}`);
const READER_KEY = "ftw_demo_reader_key_0000000000000001"; // demo-reader in demo.env (read scope)

// A unique file name finds this run's e-mail among the ones wrangler dev captured.
const file = `deploy/demo-${randomUUID().slice(0, 8)}.env`;
const committed = new Date(Date.now() - 120_000).toISOString();
const report = [{ RuleID: "fastly-api-token", Secret: token.access_token, File: file, StartLine: 3, Commit: "9f1c2e7d", Date: committed }];
const body = JSON.stringify(report);
const id = `msg_${randomUUID()}`;
const timestamp = Math.floor(Date.now() / 1000);
const key = Buffer.from(settings.SCANNER_WEBHOOK_SECRETS.split(/[\s,]+/)[0].replace(/^whsec_/, ""), "base64");
const signature = `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
const started = Date.now();

console.log(`Reporting demo token "${token.name}" (${token.id}) as leaked in ${file} (commit dated ${committed}) to ${worker}/hooks/scanner …`);
const response = await fetch(`${worker}/hooks/scanner`, {
  method: "POST",
  headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature },
  body,
});
console.log(`Worker answered ${response.status}:`, JSON.stringify(await response.json(), null, 2));

const tokens = await (await fetch(`${emulator}/__emulator/tokens`)).json();
const state = tokens.find((t) => t.id === token.id);
console.log(`Emulator says token ${token.id} is ${state?.revoked ? `REVOKED at ${state.revoked_at}` : "still live"}.`);

const slack = await (await fetch(`${emulator}/__emulator/sinks/slack-notify`)).json();
if (slack.length) console.log(`\nSecurity channel notice (Slack webhook):\n${JSON.parse(slack.at(-1).body).text}`);

// wrangler dev logs From, To and Subject ("send_email binding called with MessageBuilder") and keeps the text in a file.
const mail = findCapturedEmail(file, started);
console.log(mail ? `\nE-mail to the owner, as wrangler dev captured it (${mail.path}):\n${mail.text}` : "\nNo captured owner e-mail found (is OWNER_EMAIL_ENABLED=true in scripts/demo.env?).");

const dms = await (await fetch(`${emulator}/slack/__control/messages`)).json();
const dm = dms.findLast((m) => m.text.includes(file));
if (dm) console.log(`\nSlack DM to the owner (${dm.channel} → ${dm.resolvedChannel}):\n${dm.text}`);

const audit = await (await fetch(`${worker}/audit?limit=20`, { headers: { "Fastly-Key": READER_KEY } })).json();
const closed = audit.entries?.find((e) => e.operation === "leakTimeToRevoke" && e.tokenId === token.id);
if (closed) console.log(`\nAudit: ${closed.detail}`);
const metrics = await (await fetch(`${worker}/metrics`, { headers: { Authorization: `Bearer ${READER_KEY}` } })).text();
console.log(`\nGET /metrics (time to revoke, scanner webhook):\n${metrics.split("\n").filter((l) => /^fastly_leak_time_to_revoke_seconds_(sum|count)\{source="standard_webhooks"\}|^fastly_leak_tokens\{source="standard_webhooks",outcome="revoked"\}/.test(l)).join("\n")}`);
console.log(`\nThe Leaks view: ${worker}/dashboard/leaks (sign in with ${READER_KEY}).`);
