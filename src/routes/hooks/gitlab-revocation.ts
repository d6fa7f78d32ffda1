import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import type { AppEnv } from "../../app-env";
import { sha256Hex } from "../../crypto/hash";
import { notConfigured } from "../../tokens/errors";
import { verifyPresharedToken } from "../../verify/bearer";
import { errorBody, RequestRefused } from "../errors";
import { invalidPayload, parseJson, requireQueue } from "./index";
import { FASTLY_TOKEN } from "./scanner-formats";
import { SlidingWindow } from "./sliding-window";

/**
 * GitLab's Token Revocation API (gitlabhq `doc/development/sec/token_revocation_api.md`), served for a self-managed
 * GitLab: `GET /v1/revocable_token_types` and `POST /v1/revoke_tokens`, JSON both ways, authenticated by a
 * pre-shared token in `Authorization`. Statuses are the spec's: 204 accepted (including tokens we find are not
 * live: retrying cannot change that), 400 bad body or unsupported type (GitLab does not retry), 429 retry later,
 * 401, 405. Revocations go through the same leak workflow as every other intake, which makes repeats idempotent.
 */
export const gitlabRevocation = new Hono<AppEnv>();

/**
 * GitLab names a finding's type `(primary_identifier.type + "_" + primary_identifier.value with spaces as "_")`,
 * lower-cased (ee ScanSecurityReportSecretsWorker#revocation_type). Its secret-detection ruleset reports Fastly
 * tokens under rule id "Fastly API token" with identifier type `gitleaks_rule_id`, hence this one type; the doc's
 * own example, `gitleaks_rule_id_gitlab_personal_access_token`, is built the same way.
 */
export const GITLAB_FASTLY_TOKEN_TYPES = ["gitleaks_rule_id_fastly_api_token"] as const;
const SUPPORTED = new Set<string>(GITLAB_FASTLY_TOKEN_TYPES);

const SOURCE = "gitlab_revocation_api";

// Unknown keys are allowed and dropped: GitLab serialises its whole finding hash, `vulnerability` included.
const RevokeTokensBody = z.array(
  z.object(
    {
      type: z.string({ error: "type must be a string" }),
      token: z.string({ error: "token must be a string" }).check(z.minLength(1, "token must not be empty")),
      location: z.optional(z.nullable(z.string({ error: "location must be a string" }))),
    },
    { error: "each element must be an object {type, token, location}" },
  ),
  { error: "expected a JSON array of {type, token, location}" },
);

const DETAIL = {
  missing: "the Authorization header is missing",
  malformed: 'Authorization must be the pre-shared token, alone or after "Bearer "',
  mismatch: "the token is not accepted",
  stale: "the token is not accepted",
  unknown_key: "the token is not accepted",
} as const;

/** The configured tokens, or 503: a surface without its secret is disabled. */
function tokens(c: Context<AppEnv>): string[] {
  const configured = c.var.config.gitlab.revocationTokens;
  if (configured.length === 0) throw notConfigured("The GitLab Token Revocation API", "GITLAB_REVOCATION_TOKEN");
  return configured;
}

async function authenticate(c: Context<AppEnv>): Promise<void> {
  const verified = await verifyPresharedToken({ header: c.req.header("Authorization") ?? null, secrets: tokens(c) });
  if (!verified.ok) throw new RequestRefused(401, { msg: "Unauthorized", code: `token_${verified.reason}`, detail: DETAIL[verified.reason] });
}

// One window per configuration (keyed by a hash of the tokens and the limit, so no secret is a key), per isolate.
const windows = new Map<string, SlidingWindow>();

async function windowFor(c: Context<AppEnv>): Promise<SlidingWindow> {
  const { revocationTokens, revocationRateLimit } = c.var.config.gitlab;
  const key = await sha256Hex(`${revocationRateLimit}\n${revocationTokens.join("\n")}`);
  const existing = windows.get(key);
  if (existing) return existing;
  const window = new SlidingWindow(revocationRateLimit);
  windows.set(key, window);
  return window;
}

function methodNotAllowed(c: Context<AppEnv>, allow: string): Response {
  c.header("Allow", allow);
  return c.json(errorBody("Method Not Allowed", `${c.req.method} is not supported on ${c.req.path}`, "method_not_allowed"), 405);
}

gitlabRevocation.get("/revocable_token_types", async (c) => {
  await authenticate(c);
  return c.json({ types: [...GITLAB_FASTLY_TOKEN_TYPES] });
});
gitlabRevocation.all("/revocable_token_types", (c) => methodNotAllowed(c, "GET"));

gitlabRevocation.post("/revoke_tokens", async (c) => {
  tokens(c);
  requireQueue(c);
  await authenticate(c);
  // Counted after authentication, so nobody without the token can spend GitLab's allowance.
  const room = (await windowFor(c)).take(Date.now());
  if (!room.ok) {
    c.header("Retry-After", String(room.retryAfterSeconds));
    const limit = c.var.config.gitlab.revocationRateLimit;
    return c.json(errorBody("Too Many Requests", `more than ${limit} requests a minute; retry after ${room.retryAfterSeconds} s`, "rate_limited"), 429);
  }
  const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/json") {
    throw new RequestRefused(415, { msg: "Unsupported Media Type", code: "unsupported_media_type", detail: "expected Content-Type application/json" });
  }
  // The bearer token proves who sent the request; nothing signs the body (TLS protects it in transit).
  const parsed = RevokeTokensBody.safeParse(parseJson(await c.req.text()));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `element ${String(issue.path[0])}: ` : "";
    throw invalidPayload(`${where}${issue.message}`);
  }
  // All or nothing, as the spec's 400 says: a request naming a type we do not handle changes nothing.
  const unsupported = parsed.data.findIndex((item) => !SUPPORTED.has(item.type));
  if (unsupported >= 0) {
    throw new RequestRefused(400, { msg: "Bad request", code: "unsupported_token_type", detail: `element ${unsupported}: type is not supported; see GET /v1/revocable_token_types` });
  }
  // A value that cannot be a Fastly token is acknowledged without an upstream call: it is nothing we can revoke.
  const findings = parsed.data.filter((item) => FASTLY_TOKEN.test(item.token));
  if (findings.length > 0) {
    const config = c.var.config;
    // Idempotent through the revocation ledger: a repeated report of a token is answered from it, never revoked twice.
    await c.var.services.leaks.report(
      findings.map((f) => ({ raw: f.token, context: { source: SOURCE, ...(f.location ? { url: f.location } : {}) } })),
      { budget: config.leak.subrequestBudget, surface: "leak", principal: SOURCE },
    );
  }
  return c.body(null, 204);
});
gitlabRevocation.all("/revoke_tokens", (c) => methodNotAllowed(c, "POST"));
