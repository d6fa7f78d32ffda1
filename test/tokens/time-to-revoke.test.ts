import { describe, expect, it } from "vitest";
import { utf8 } from "../../src/crypto/bytes";
import { formatElapsed, percentile } from "../../src/tokens/time-to-revoke";
import { signGitHubWebhook } from "../../src/verify/github-webhook";
import { audit, callWorker, type CapturedQueue, deliver, demo, dumpD1, newGitHub, newSink, newTenant, partnerSigner, postScannerReport, scannerSetup, testEnv } from "../helpers";

const leaked = demo.tokens.engineerGlobal;
const MINUTE = 60_000;

type LedgerRow = { state: string; first_seen_ms: number; reported_ms: number; revoked_ms: number | null; source: string };
const ledger = async (env: Parameters<typeof dumpD1>[0]) => (await dumpD1(env)).ledger as unknown as LedgerRow[];
const timeEntries = async (env: Parameters<typeof audit>[0]) => (await audit(env)).filter((e) => e.operation === "leakTimeToRevoke");

describe("formatting time to revoke", () => {
  it("reads at a glance: two units at most, truncated", () => {
    expect([850, 42_000, 252_000, 3_600_000, 11_100_000, 187_200_000, -5].map(formatElapsed)).toEqual([
      "850 ms",
      "42 s",
      "4 min 12 s",
      "1 h",
      "3 h 5 min",
      "2 d 4 h",
      "0 ms",
    ]);
  });

  it("takes nearest-rank percentiles", () => {
    const sorted = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(percentile(sorted, 50)).toBe(100);
    expect(percentile(sorted, 95)).toBe(190);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});

describe("time to revoke, from first sighting to revocation", () => {
  it("starts a GitHub alert's clock at its created_at and shows the elapsed time in the notice and the audit", async () => {
    const t = await newTenant();
    const gh = await newGitHub();
    const sink = newSink("ttr-github");
    const env = await testEnv(t, { GITHUB_WEBHOOK_SECRET: "ttr-webhook-secret", GITHUB_TOKEN: "gh-token", GITHUB_API_BASE_URL: gh.baseUrl, NOTIFY_SLACK_WEBHOOK_URL: sink.url });
    const createdAt = new Date(Date.now() - 12 * MINUTE).toISOString();
    await fetch(`${gh.baseUrl}/__control/alerts`, { method: "POST", body: JSON.stringify({ repository: "acme/app", number: 9, secret: leaked.access_token, created_at: createdAt }) });
    const raw = JSON.stringify({ action: "created", alert: { number: 9, secret_type: "fastly_api_token" }, repository: { full_name: "acme/app" } });
    await callWorker(env, "/hooks/github", {
      method: "POST",
      headers: { "X-GitHub-Event": "secret_scanning_alert", "X-Hub-Signature-256": await signGitHubWebhook("ttr-webhook-secret", utf8(raw)) },
      body: raw,
    });
    await deliver(env, "revocations", (env.REVOCATIONS as CapturedQueue).sent.map((m) => m.body));

    const [row] = await ledger(env);
    expect(row).toMatchObject({ state: "revoked", first_seen_ms: Date.parse(createdAt), source: "github_alert" });
    expect(row!.revoked_ms! - row!.first_seen_ms).toBeGreaterThanOrEqual(12 * MINUTE);
    const [entry] = await timeEntries(env);
    expect(entry).toMatchObject({ result: "ok", tokenId: leaked.id, principal: "github:acme/app" });
    expect(entry!.detail).toMatch(/^time to revoke 12 min( \d+ s)?: first seen .+ \(the GitHub alert's created_at\), revoked .+ — github_alert$/);
    const text = (JSON.parse((await sink.received()).at(-1)!.body) as { text: string }).text;
    expect(text).toMatch(/: revoked 12 min( \d+ s)? after first seen/);
  });

  it("starts a scanner finding's clock at its commit date: gitleaks' Date and TruffleHog's git timestamp", async () => {
    const { env } = await scannerSetup();
    const commit = Date.now() - 3 * 3_600_000;
    const iso = new Date(commit - (commit % 1000)).toISOString();
    const git = new Date(commit - (commit % 1000) - 7 * 3_600_000).toISOString().replace("T", " ").replace(/\.\d+Z$/, " -0700");
    await postScannerReport(env, JSON.stringify([{ RuleID: "fastly-api-token", Secret: leaked.access_token, File: "a.env", Date: iso }]));
    const other = demo.tokens.userGlobal;
    const trufflehog = JSON.stringify({ DetectorName: "FastlyPersonalToken", Raw: other.access_token, SourceMetadata: { Data: { Git: { file: "b.env", line: 2, repository: "acme/app", timestamp: git } } } });
    await postScannerReport(env, trufflehog);
    const rows = await ledger(env);
    expect(rows.map((r) => r.first_seen_ms)).toEqual([Date.parse(iso), Date.parse(iso)]);
    expect(rows.every((r) => r.reported_ms > r.first_seen_ms)).toBe(true);
    expect((await timeEntries(env)).map((e) => e.detail)).toEqual([
      expect.stringMatching(/^time to revoke 3 h: .+\(the report's own date\)/),
      expect.stringMatching(/^time to revoke 3 h: .+\(the report's own date\)/),
    ]);
  });

  it("starts a report without a date, like a partner report, at its receipt", async () => {
    const keyHost = await newGitHub();
    const { t, env } = await scannerSetup({ GITHUB_PARTNER_KEYS_URL: `${keyHost.baseUrl}/meta/public_keys/secret_scanning` });
    const signer = await partnerSigner(`ttr-${crypto.randomUUID()}`);
    await keyHost.setKeys([signer.publicKey]);
    const body = JSON.stringify([{ token: leaked.access_token, type: "fastly_api_token", url: "https://github.com/acme/app/blob/main/x" }]);
    await callWorker(env, "/hooks/github-partner", {
      method: "POST",
      headers: { "Github-Public-Key-Identifier": signer.keyId, "Github-Public-Key-Signature": await signer.sign(body) },
      body,
    });
    expect((await t.tokens()).find((x) => x.id === leaked.id)?.revoked).toBe(true);
    const [row] = await ledger(env);
    expect(row!.first_seen_ms).toBe(row!.reported_ms);
    expect((await timeEntries(env))[0]!.detail).toContain("(receipt of the report)");
  });

  it("keeps the earliest sighting when a token queued by one report is revoked after a later one", async () => {
    const { t, env } = await scannerSetup();
    await t.addFault({ method: "GET", path: "/tokens/self", status: 503 });
    const early = new Date(Date.now() - 30 * MINUTE).toISOString();
    await postScannerReport(env, JSON.stringify([{ RuleID: "fastly-api-token", Secret: leaked.access_token, File: "a.env", Date: early }]));
    expect((await ledger(env))[0]!.state).toBe("queued");
    await postScannerReport(env, JSON.stringify({ tokens: [leaked.access_token] }));
    const [row] = await ledger(env);
    expect(row).toMatchObject({ state: "revoked", first_seen_ms: Date.parse(early) });
    expect((await timeEntries(env))[0]!.detail).toMatch(/^time to revoke 30 min/);
  });
});
