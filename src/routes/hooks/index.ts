import { Hono, type Context } from "hono";
import type { AppEnv } from "../../app-env";
import { sha256Hex } from "../../crypto/hash";
import { notConfigured } from "../../tokens/errors";
import type { LeakOutcome } from "../../tokens/leak-outcome";
import { verifyGitHubWebhook } from "../../verify/github-webhook";
import { PartnerKeysUnavailableError, verifyPartnerReport } from "../../verify/partner-keys";
import type { ClaimKind } from "../../tokens/store/claims";
import type { VerifyResult } from "../../verify/result";
import { invalidRequest, invalidSignature, RequestRefused } from "../errors";
import { verifyStandardWebhook } from "../../verify/standard-webhooks";
import { once as claimOnce, IN_PROGRESS_RETRY_AFTER_S } from "../replay";
import { contextOf, parseScannerReport } from "./scanner-formats";

/**
 * Leak intake. Every handler reads the raw bytes once, verifies the signature over them, and only then parses.
 * Unknown events and secret types are acknowledged (2xx) and ignored: GitHub and GitLab disable endpoints that
 * keep failing.
 */
export const hooks = new Hono<AppEnv>();

/** How long a delivery is remembered. Partner reports carry no timestamp, so a captured one is refused for longer. */
const DEDUPE_MS = { github: 7 * 86_400_000, scanner: 7 * 86_400_000, partner: 30 * 86_400_000 } as const;

function rejected(result: VerifyResult & { ok: false }): RequestRefused {
  return invalidSignature("Invalid signature", result.reason);
}

/** 400 for a signed body that is not what the intake takes. */
export const invalidPayload = (detail: string) => invalidRequest(detail, "invalid_payload");

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestRefused(400, { msg: "Bad request", code: "invalid_json", detail: "body is not valid JSON" });
  }
}

/** Claims the delivery before processing it (src/routes/replay.ts), remembered for its kind's window. */
async function once<T>(c: Context<AppEnv>, kind: ClaimKind & keyof typeof DEDUPE_MS, key: string, work: () => Promise<T>): Promise<T | null> {
  try {
    return await claimOnce(c.var.services.claims, kind, key, DEDUPE_MS[kind], work);
  } catch (err) {
    if (err instanceof RequestRefused && err.code === "in_progress") c.header("Retry-After", String(IN_PROGRESS_RETRY_AFTER_S));
    throw err;
  }
}

/**
 * The answer to a delivery already processed: 200, so the sender stops retrying, and nothing happens twice. (A copy
 * of one still being processed is 409 with Retry-After: src/routes/replay.ts.) The README's "Security" section lists every intake's answers.
 */
function duplicate(c: Context<AppEnv>): Response {
  return c.json({ ok: true, duplicate: true });
}

/** Leak intake must be able to queue what it cannot revoke inline: refuse up front rather than fail half-way. */
export function requireQueue(c: Context<AppEnv>): void {
  if (!c.var.config.leak.sealSecret) throw notConfigured("Leak intake", "SEAL_SECRET");
  if (!c.var.services.leaks.canQueue) throw notConfigured("Leak intake", "the REVOCATIONS queue binding");
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
    throw invalidPayload("alert.number and repository.full_name are required");
  }
  if (!github.token) throw notConfigured("Fetching GitHub alerts", "GITHUB_TOKEN");
  requireQueue(c);
  const delivery = c.req.header("X-GitHub-Delivery") ?? "";
  // X-GitHub-Delivery is not signed: the same signed body under a new id is the same delivery.
  const queued = await once(c, "github", await hashOf(raw), () =>
    // Acknowledge within GitHub's 10 s: fetching the secret, revoking and resolving happen in the queue consumer.
    c.var.services.leaks.enqueueAlert({
      kind: "github_alert",
      repository,
      alertNumber: alert.number as number,
      context: { source: "github_alert", repository, alertUrl: alert.html_url, deliveryId: delivery || undefined },
    }),
  );
  if (queued === null) return duplicate(c);
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
    const store = c.var.services.partnerKeys(
      url,
      // The GitHub token only ever goes to GitHub's own API host, whatever the key URL is set to.
      source === "github_partner" && sameOrigin(url, config.github.apiBaseUrl) ? config.github.token : undefined,
    );
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
        throw new RequestRefused(503, { msg: "Public keys unavailable", code: "keys_unavailable", detail: "try again later", reason: "the partner key list could not be fetched" });
      }
      throw err;
    }
    if (!verified.ok) throw rejected(verified);
    const report = parseScannerReport(new TextDecoder().decode(raw), config.partnerTokenTypes);
    if (report?.format !== "partner") {
      throw invalidPayload("expected a JSON array of {token, type, url}");
    }
    // The body is what the partner signed; it has no timestamp, so a captured report is refused as a duplicate.
    const outcomes = await once(c, "partner", `${source}:${await hashOf(raw)}`, () =>
      c.var.services.leaks.report(
        report.findings.map((f) => ({ raw: f.token, context: contextOf(source, f) })),
        { budget: config.leak.subrequestBudget - 1, surface: "leak", principal: source },
      ),
    );
    // A duplicate changes nothing and reports nothing new: the feedback for it was given the first time.
    if (outcomes === null) return c.json([]);
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
    throw invalidPayload('expected {"tokens":[...]}, a partner array, a gitleaks report or TruffleHog JSON lines');
  }
  // The webhook-id is signed (it is part of the signed content) and stays the same on the sender's retries.
  const outcomes = await once(c, "scanner", await hashOf(id ?? ""), () =>
    c.var.services.leaks.report(
      report.findings.map((f) => ({ raw: f.token, context: contextOf("standard_webhooks", f, { deliveryId: id ?? undefined }) })),
      { budget: config.leak.subrequestBudget, surface: "leak", principal: "scanner" },
    ),
  );
  // A redelivery of a verified message (same signed webhook-id): Standard Webhooks senders retry anything but a 2xx,
  // so it is acknowledged as a duplicate, as on /hooks/github. A forged copy never gets here: its signature fails first.
  if (outcomes === null) return duplicate(c);
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
