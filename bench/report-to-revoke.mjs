// e) Report → revoked for one live token, through each intake, against the emulator; and the owner notices.
import { createHmac, generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { capturedEmailsSince } from "../scripts/captured-email.mjs";
import { startDevWorker } from "../test/node/support/dev-worker.mjs";
import { importTs } from "./lib/compile.mjs";
import { latencyStats, ms } from "./lib/measure.mjs";
import { row } from "./lib/table.mjs";

export const title = "Report → revoked";

const N = 100; // reports per inline intake
const QUEUED = 10; // GitHub alerts, each waiting for the local queue's next batch (max_batch_timeout 1 s)
const SCANNER = "whsec_YmVuY2gtcmVwb3J0LXRvLXJldm9rZS0wMDAwMQ==";
const GITLAB = "bench-gitlab-revocation-token-0001";
const GITHUB_SECRET = "bench-github-webhook-secret";

export const notes = `- **${title}**: one live token per report, reported one at a time (sequentially, ${N} reports per intake) to the
  Worker under workerd (\`unstable_startWorker\` on fresh local state with the D1 schema, as \`npm run dev\` runs it).
  Latency is from sending the report until the Worker answers; inline intakes revoke before answering, so that is
  report → revoked. The baseline is the two upstream round trips a revocation needs (\`GET /tokens/self\`, then
  \`DELETE /tokens/self\`), made directly to the emulator from Node. The GitHub alert webhook acknowledges first and
  revokes in the queue consumer: there, report → revoked is measured by polling the emulator every 20 ms (${QUEUED}
  alerts; the consumer takes one message per batch, so a batch is delivered as soon as the message is). The owner-notice run turns on the owner's e-mail (the local
  send_email binding, which writes each message to a file) and Slack DM (the emulator's Slack stand-in) and counts the
  notices that exist when the report is answered, i.e. sent in the same invocation.`;

/** A live token of Carol's, created through the emulator's own POST /tokens. */
async function createToken(baseUrl, user, name) {
  const r = await fetch(`${baseUrl}/tokens`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: user.login, password: user.password, name }),
  });
  return (await r.json()).access_token;
}

function standardWebhook(body) {
  const id = `msg_${randomUUID()}`;
  const ts = Math.floor(Date.now() / 1000);
  const key = Buffer.from(SCANNER.slice("whsec_".length), "base64");
  const signature = `v1,${createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64")}`;
  return { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": signature };
}

/** Times `report(token, i)` for `count` fresh tokens; returns the latencies in ms. */
async function timed(count, tokens, report) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const token = tokens.shift();
    const began = performance.now();
    await report(token, i);
    samples.push(performance.now() - began);
  }
  return samples;
}

async function expectStatus(response, ok, what) {
  if (!ok.includes(response.status)) throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
  await response.body?.cancel();
}

export async function run() {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  const { startEmulator } = await importTs("emulator/node.ts", "emulator");
  const seed = JSON.parse(readFileSync("emulator/seed.json", "utf8"));
  const carol = seed.users.acmeUser;
  const emulator = await startEmulator({ port: 0 });
  const workers = [];
  const write = process.stdout.write.bind(process.stdout);
  try {
    const { baseUrl } = await (await fetch(`${emulator.url}/__emulator/tenants`, { method: "POST" })).json();
    await fetch(`${baseUrl}/__emulator/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rateLimit: 1_000_000 }) });
    const total = N * 6 + QUEUED;
    const tokens = [];
    for (let i = 0; i < total; i++) tokens.push(await createToken(baseUrl, carol, `bench-ttr-${i}`));

    // Partner reports are signed with a P-256 key the GitHub stand-in serves as the partner program's key.
    const { baseUrl: gh } = await (await fetch(`${emulator.url}/__emulator/github`, { method: "POST" })).json();
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const keyId = `bench-${randomUUID()}`;
    await fetch(`${gh}/__control/keys`, {
      method: "POST",
      body: JSON.stringify({ public_keys: [{ key_identifier: keyId, key: publicKey.export({ type: "spki", format: "pem" }), is_current: true }] }),
    });
    const partnerKeys = `${gh}/meta/public_keys/secret_scanning`;
    const common = {
      FASTLY_API_BASE_URL: baseUrl,
      FASTLY_API_TOKEN: seed.tokens.superuserGlobal.access_token,
      SEAL_SECRET: "bench-seal-secret-0123456789",
      SCANNER_WEBHOOK_SECRETS: SCANNER,
      GITHUB_PARTNER_KEYS_URL: partnerKeys,
      GITLAB_PARTNER_KEYS_URL: partnerKeys,
      GITLAB_REVOCATION_TOKEN: GITLAB,
      GITLAB_REVOCATION_RATE_LIMIT: "10000",
      GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
      GITHUB_TOKEN: "bench-github-token",
      GITHUB_API_BASE_URL: gh,
    };
    const plain = await startDevWorker(common);
    workers.push(plain);

    // Baseline: the two upstream round trips, straight to the emulator.
    const baseline = await timed(N, tokens, async (token) => {
      await expectStatus(await fetch(`${baseUrl}/tokens/self`, { headers: { "Fastly-Key": token } }), [200], "GET /tokens/self");
      await expectStatus(await fetch(`${baseUrl}/tokens/self`, { method: "DELETE", headers: { "Fastly-Key": token } }), [204], "DELETE /tokens/self");
    });

    const partner = (path, prefix) => async (token) => {
      const body = JSON.stringify([{ token, type: "fastly_api_token", url: "https://github.com/acme/app/blob/main/x" }]);
      const signature = sign("sha256", Buffer.from(body), privateKey).toString("base64");
      const r = await fetch(`${plain.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", [`${prefix}-Public-Key-Identifier`]: keyId, [`${prefix}-Public-Key-Signature`]: signature },
        body,
      });
      await expectStatus(r, [200], path);
    };
    const intakes = {
      "scanner webhook (Standard Webhooks)": async (token) => {
        const body = JSON.stringify({ tokens: [token] });
        await expectStatus(await fetch(`${plain.url}/hooks/scanner`, { method: "POST", headers: standardWebhook(body), body }), [200], "/hooks/scanner");
      },
      "GitHub partner report (ECDSA)": partner("/hooks/github-partner", "Github"),
      "GitLab partner report (ECDSA)": partner("/hooks/gitlab-partner", "Gitlab"),
      "GitLab Token Revocation API (/v1)": async (token) => {
        const body = JSON.stringify([{ type: "gitleaks_rule_id_fastly_api_token", token, location: "https://gitlab.example/acme/app/-/blob/main/x" }]);
        const r = await fetch(`${plain.url}/v1/revoke_tokens`, { method: "POST", headers: { "content-type": "application/json", Authorization: `Bearer ${GITLAB}` }, body });
        await expectStatus(r, [204], "/v1/revoke_tokens");
      },
    };
    const base = latencyStats(baseline);
    const rows = [row(title, "baseline: GET + DELETE /tokens/self direct to the emulator, p50 / p99", `${ms(base.p50)} / ${ms(base.p99)}`)];
    for (const [name, report] of Object.entries(intakes)) {
      const s = latencyStats(await timed(N, tokens, report));
      const added = s.p50 - base.p50;
      rows.push(row(title, `${name}: p50 / p99 (added p50 over the baseline)`, `${ms(s.p50)} / ${ms(s.p99)} (+${ms(added)})`, `within 5 ms — ${added <= 5 ? "met" : "missed"}`));
    }

    // GitHub alert webhook: acknowledged at once, revoked by the queue consumer.
    const queued = await timed(QUEUED, tokens, async (token, i) => {
      await fetch(`${gh}/__control/alerts`, { method: "POST", body: JSON.stringify({ repository: "acme/bench", number: i + 1, secret: token }) });
      const body = JSON.stringify({ action: "created", alert: { number: i + 1, secret_type: "fastly_api_token" }, repository: { full_name: "acme/bench" } });
      const signature = `sha256=${createHmac("sha256", GITHUB_SECRET).update(body).digest("hex")}`;
      const r = await fetch(`${plain.url}/hooks/github`, { method: "POST", headers: { "X-GitHub-Event": "secret_scanning_alert", "X-Hub-Signature-256": signature }, body });
      await expectStatus(r, [202], "/hooks/github");
      const name = `bench-ttr-${total - tokens.length - 1}`;
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline) {
        const state = await (await fetch(`${baseUrl}/__emulator/tokens`)).json();
        if (state.find((t) => t.name === name)?.revoked) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`GitHub alert ${i + 1} was not revoked within 30 s`);
    });
    const q = latencyStats(queued);
    rows.push(row(title, "GitHub alert webhook → queue consumer: p50 / p99", `${ms(q.p50)} / ${ms(q.p99)}`, "the queue's next batch"));
    await plain.stop();
    workers.length = 0;

    // Owner notices on: e-mail through the local send_email binding, Slack DM through the stand-in.
    const noticed = await startDevWorker({
      ...common,
      OWNER_EMAIL_ENABLED: "true",
      OWNER_EMAIL_FROM: "security@acme.example",
      OWNER_SLACK_ENABLED: "true",
      OWNER_SLACK_BOT_TOKEN: "xoxb-demo-bot-token",
      SLACK_API_BASE_URL: `${emulator.url}/slack/api`,
    });
    workers.push(noticed);
    // The local binding announces every e-mail on stdout; the figures table is what this script prints.
    process.stdout.write = (chunk, ...rest) => (/send_email binding|^(From|To|Subject|Text): |^\s*$/m.test(String(chunk)) ? true : write(chunk, ...rest));
    const since = Date.now();
    const dmsBefore = (await (await fetch(`${emulator.url}/slack/__control/messages`)).json()).length;
    let sameInvocation = 0;
    const withNotices = await timed(N, tokens, async (token, i) => {
      const marker = `bench/ttr-${randomUUID()}-${i}.env`;
      const body = JSON.stringify([{ RuleID: "fastly-api-token", Secret: token, File: marker, StartLine: 1, Commit: "be9c4", Date: new Date().toISOString() }]);
      await expectStatus(await fetch(`${noticed.url}/hooks/scanner`, { method: "POST", headers: standardWebhook(body), body }), [200], "/hooks/scanner");
      const dms = await (await fetch(`${emulator.url}/slack/__control/messages`)).json();
      const mailed = capturedEmailsSince(since).some((m) => m.text.includes(marker));
      if (mailed && dms.some((m) => m.text.includes(marker))) sameInvocation++;
    });
    const n = latencyStats(withNotices);
    const dms = (await (await fetch(`${emulator.url}/slack/__control/messages`)).json()).length - dmsBefore;
    const mails = capturedEmailsSince(since).filter((m) => m.text.includes("bench/ttr-")).length;
    rows.push(
      row(title, "scanner webhook with owner e-mail + Slack DM: report → answered, p50 / p99", `${ms(n.p50)} / ${ms(n.p99)} (revocation happens before the notices)`),
      row(title, "owner notices sent before the report was answered", `${sameInvocation}/${N} (e-mails ${mails}, DMs ${dms})`, `all in the same invocation — ${sameInvocation === N ? "met" : "missed"}`),
    );
    return rows;
  } finally {
    process.stdout.write = write;
    for (const w of workers) await w.stop();
    await emulator.close();
  }
}
