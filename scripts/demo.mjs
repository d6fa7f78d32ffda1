// `npm run demo`: plays a secret scanner against the Worker started by `npm run dev`. It posts a Standard-Webhooks
// signed report with one demo token, then asks the emulator whether that token is now revoked.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

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

const body = JSON.stringify({ tokens: [token.access_token] });
const id = `msg_${randomUUID()}`;
const timestamp = Math.floor(Date.now() / 1000);
const key = Buffer.from(settings.SCANNER_WEBHOOK_SECRETS.split(/[\s,]+/)[0].replace(/^whsec_/, ""), "base64");
const signature = `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;

console.log(`Reporting demo token "${token.name}" (${token.id}) as leaked to ${worker}/hooks/scanner …`);
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
if (slack.length) console.log("Slack notification the Worker sent:\n" + JSON.parse(slack.at(-1).body).text);
