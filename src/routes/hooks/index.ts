import { Hono, type Context } from "hono";
import type { AppEnv } from "../../app-env";
import { sha256Hex } from "../../crypto/hash";
import { TokenServiceError, notConfigured } from "../../tokens/errors";
import type { LeakOutcome } from "../../tokens/leak-outcome";
import { verifyGitHubWebhook } from "../../verify/github-webhook";
import { PartnerKeyStore, PartnerKeysUnavailableError, verifyPartnerReport } from "../../verify/partner-keys";
import type { VerifyResult } from "../../verify/result";
import { RequestRefused } from "../errors";
import { verifyStandardWebhook } from "../../verify/standard-webhooks";
import { contextOf, parseScannerReport } from "./scanner-formats";
import { leakRevokerFor } from "./leak-deps";
import { DEFAULT_USER_AGENT as USER_AGENT } from "../../fastly/version";

/**
 * Leak intake. Every handler reads the raw bytes once, verifies the signature over them, and only then parses.
 * Unknown events and secret types are acknowledged (2xx) and ignored: GitHub and GitLab disable endpoints that
 * keep failing.
 */
export const hooks = new Hono<AppEnv>();

const DEDUPE_TTL = 7 * 86_400;

function rejected(result: VerifyResult & { ok: false }): RequestRefused {
  const detail = {
    missing: "signature headers are missing",
    malformed: "signature is malformed",
    mismatch: "signature does not match",
    stale: "timestamp is outside the 5-minute window",
    unknown_key: "signing key is unknown",
  }[result.reason];
  // Which check failed goes to the log only: it would tell a forger what to fix.
  return new RequestRefused(401, "Invalid signature", "invalid_signature", detail);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TokenServiceError(400, "invalid_json", "Bad request", "body is not valid JSON");
  }
}

/** Whether a delivery id was already processed. KV is eventually consistent, so this is best effort. */
async function seenDelivery(c: Context<AppEnv>, key: string): Promise<boolean> {
  return (await c.env.TOKENS_KV.get(key)) !== null;
}

/** Marks a delivery id processed, only once its work is done, so a sender's retry after a failure is not refused. */
async function markDelivered(c: Context<AppEnv>, key: string): Promise<void> {
  await c.env.TOKENS_KV.put(key, "1", { expirationTtl: DEDUPE_TTL });
}

/** Leak intake must be able to queue what it cannot revoke inline: refuse up front rather than fail half-way. */
function requireQueue(c: Context<AppEnv>): void {
  if (!c.var.config.leak.sealSecret) throw notConfigured("Leak intake", "SEAL_SECRET");
  if (!c.env.REVOCATIONS) throw notConfigured("Leak intake", "the REVOCATIONS queue binding");
}

// GitHub repository/organization webhook, event secret_scanning_alert.
hooks.post("/github", async (c) => {
  const { github } = c.var.config;
  if (!github.webhookSecret) throw notConfigured("The GitHub webhook", "GITHUB_WEBHOOK_SECRET");
  const raw = new Uint8Array(await c.req.arrayBuffer());
  const verified = await verifyGitHubWebhook({ secret: github.webhookSecret, rawBody: raw, signatureHeader: c.req.header("X-Hub-Signature-256") ?? null });
  if (!verified.ok) throw rejected(verified);

  const event = c.req.header("X-GitHub-Event") ?? "";
  if (event === "ping") return c.json({ ok: true, event: "ping" });
  const payload = parseJson(new TextDecoder().decode(raw)) as {
    action?: string;
    alert?: { number?: number; secret_type?: string; html_url?: string };
    repository?: { full_name?: string };
  };
  if (event !== "secret_scanning_alert") return c.json({ ok: true, ignored: `event ${event || "(none)"}` }, 202);
  const action = payload.action ?? "";
  const alert = payload.alert;
  const repository = payload.repository?.full_name;
  if (!["created", "reopened", "publicly_leaked"].includes(action)) return c.json({ ok: true, ignored: `action ${action}` }, 202);
  if (!alert?.secret_type || !github.secretTypes.includes(alert.secret_type)) {
    return c.json({ ok: true, ignored: "secret type not handled" }, 202);
  }
  if (!repository || typeof alert.number !== "number") {
    throw new TokenServiceError(400, "invalid_payload", "Bad request", "alert.number and repository.full_name are required");
  }
  if (!github.token) throw notConfigured("Fetching GitHub alerts", "GITHUB_TOKEN");
  requireQueue(c);
  const delivery = c.req.header("X-GitHub-Delivery") ?? "";
  const dedupeKey = `dedupe:github:${delivery}`;
  if (delivery && (await seenDelivery(c, dedupeKey))) return c.json({ ok: true, duplicate: true });

  // Acknowledge within GitHub's 10 s: fetching the secret, revoking and resolving happen in the queue consumer.
  const revoker = leakRevokerFor(c.env);
  await revoker.enqueueAlert({
    kind: "github_alert",
    repository,
    alertNumber: alert.number,
    context: { source: "github_alert", repository, alertUrl: alert.html_url, deliveryId: delivery || undefined },
  });
  if (delivery) await markDelivered(c, dedupeKey);
  return c.json({ ok: true, queued: true }, 202);
});

// Partner-format reports: GitHub's secret-scanning partner program, and GitLab's automatic response (same shape).
for (const [path, prefix, source] of [
  ["/github-partner", "Github", "github_partner"],
  ["/gitlab-partner", "Gitlab", "gitlab_partner"],
] as const) {
  hooks.post(path, async (c) => {
    const config = c.var.config;
    const url = source === "github_partner" ? config.github.partnerKeysUrl : config.gitlab.partnerKeysUrl;
    if (!url) throw notConfigured("GitLab partner reports", "GITLAB_PARTNER_KEYS_URL");
    requireQueue(c);
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const store = new PartnerKeyStore({
      url,
      userAgent: USER_AGENT,
      // The GitHub token only ever goes to GitHub's own API host, whatever the key URL is set to.
      authToken: source === "github_partner" && sameOrigin(url, config.github.apiBaseUrl) ? config.github.token : undefined,
      kv: c.env.TOKENS_KV,
    });
    let verified: VerifyResult;
    try {
      verified = await verifyPartnerReport({
        store,
        keyId: c.req.header(`${prefix}-Public-Key-Identifier`) ?? null,
        signatureB64: c.req.header(`${prefix}-Public-Key-Signature`) ?? null,
        rawBody: raw,
      });
    } catch (err) {
      if (err instanceof PartnerKeysUnavailableError) {
        throw new TokenServiceError(503, "keys_unavailable", "Public keys unavailable", "try again later");
      }
      throw err;
    }
    if (!verified.ok) throw rejected(verified);
    const report = parseScannerReport(new TextDecoder().decode(raw), config.partnerTokenTypes);
    if (report?.format !== "partner") {
      throw new TokenServiceError(400, "invalid_payload", "Bad request", "expected a JSON array of {token, type, url}");
    }
    const outcomes = await leakRevokerFor(c.env).report(
      report.findings.map((f) => ({ raw: f.token, context: contextOf(source, f) })),
      { budget: config.leak.subrequestBudget - 1, surface: "leak", principal: source },
    );
    // Feedback for the partner program: hashed form only, one element per token whose fate we know.
    const types = new Map(await Promise.all(report.findings.map(async (f) => [await hashOf(f.token), f.type] as const)));
    return c.json(
      outcomes
        .filter((o) => o.status !== "queued" && o.status !== "failed")
        .map((o) => ({ token_hash: o.tokenHash, token_type: types.get(o.tokenHash) ?? "fastly_api_token", label: label(o) })),
    );
  });
}

// Any scanner, signed with Standard Webhooks.
hooks.post("/scanner", async (c) => {
  const config = c.var.config;
  if (config.scannerSecrets.length === 0) throw notConfigured("The scanner webhook", "SCANNER_WEBHOOK_SECRETS");
  requireQueue(c);
  const raw = new Uint8Array(await c.req.arrayBuffer());
  const id = c.req.header("webhook-id") ?? null;
  const verified = await verifyStandardWebhook({
    secrets: config.scannerSecrets,
    rawBody: raw,
    id,
    timestamp: c.req.header("webhook-timestamp") ?? null,
    signature: c.req.header("webhook-signature") ?? null,
  });
  if (!verified.ok) throw rejected(verified);
  const report = parseScannerReport(new TextDecoder().decode(raw), config.partnerTokenTypes);
  if (!report) {
    throw new TokenServiceError(400, "invalid_payload", "Bad request", "expected {\"tokens\":[...]}, a partner array, a gitleaks report or TruffleHog JSON lines");
  }
  const dedupeKey = `dedupe:sw:${await hashOf(id ?? "")}`;
  if (await seenDelivery(c, dedupeKey)) {
    throw new TokenServiceError(401, "replayed", "Invalid signature", "this webhook-id was already delivered");
  }
  const outcomes = await leakRevokerFor(c.env).report(
    report.findings.map((f) => ({ raw: f.token, context: contextOf("standard_webhooks", f, { deliveryId: id ?? undefined }) })),
    { budget: config.leak.subrequestBudget, surface: "leak", principal: "scanner" },
  );
  await markDelivered(c, dedupeKey);
  return c.json({ format: report.format, ignored: report.ignored, results: outcomes.map(publicOutcome) });
});

function label(o: LeakOutcome): "true_positive" | "false_positive" {
  return o.status === "not_live" ? "false_positive" : "true_positive";
}

const hashOf = sha256Hex;

function sameOrigin(a: string, b: string): boolean {
  return new URL(a).origin === new URL(b).origin;
}

/** What a scanner sees about each token: hash, outcome and public metadata. Never the value. */
function publicOutcome(o: LeakOutcome) {
  return { token_hash: o.tokenHash, status: o.status, token_id: o.token?.id ?? null, token_name: o.token?.name ?? null };
}
