import { Hono, type Context } from "hono";
import type * as z from "zod/mini";
import type { AppEnv } from "../../app-env";
import type { CreateTokenParams } from "../../fastly";
import type { TokenResponse } from "../../fastly/schemas";
import { TokenServiceError } from "../../tokens/errors";
import type { Mutation, Read } from "../../tokens/token-service";
import { parseAuditQuery } from "./audit-query";
import { applySwitches, authenticate, requireScope } from "./auth";
import { BulkRevokeBodySchema, CreateTokenFormSchema, CustomerIdSchema, TokenIdSchema } from "./schemas";

/** Parses with zod; a failure becomes a 400 naming the field, never echoing the submitted value. */
function parse<S extends z.ZodMiniType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  throw new TokenServiceError(400, "invalid_request", "Bad request", `${where}${issue?.message ?? "invalid"}`);
}

function readReply<T>(c: Context<AppEnv>, read: Read<T>) {
  c.header("X-Cache", read.cache);
  return c.json(read.value as object);
}

const summary = (t: TokenResponse) => ({ id: t.id, name: t.name ?? null, user_id: t.user_id, customer_id: t.customer_id });

/** Fastly answers revocations with 204; in dry run we answer 200 with what would have been revoked. */
function mutationReply(c: Context<AppEnv>, m: Mutation) {
  if (m.rateLimit?.remaining != null) c.header("Fastly-RateLimit-Remaining", String(m.rateLimit.remaining));
  if (m.rateLimit?.reset != null) c.header("Fastly-RateLimit-Reset", String(m.rateLimit.reset));
  if (m.dryRun) {
    c.header("X-Dry-Run", "true");
    return c.json({ dry_run: true, would_revoke: m.tokens.map(summary) });
  }
  return c.body(null, 204);
}

function contentType(c: Context<AppEnv>): string {
  return (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
}

const unsupported = (expected: string) =>
  new TokenServiceError(415, "unsupported_media_type", "Unsupported Media Type", `expected Content-Type ${expected}`);

/** The Fastly-compatible surface: the same eight paths, methods, bodies and error shapes as api.fastly.com. */
export const api = new Hono<AppEnv>();

api.use("/tokens", authenticate);
api.use("/tokens/*", authenticate);
api.use("/customer/*", authenticate);

api.get("/tokens/self", requireScope("read"), async (c) => readReply(c, await c.var.service.getTokenCurrent(c.var.actor)));

api.delete("/tokens/self", requireScope("revoke"), async (c) => {
  applySwitches(c);
  return mutationReply(c, await c.var.service.revokeTokenCurrent(c.var.actor));
});

api.get("/tokens", requireScope("read"), async (c) => readReply(c, await c.var.service.listTokensUser(c.var.actor)));

api.post("/tokens", requireScope("create"), async (c) => {
  applySwitches(c);
  if (contentType(c) !== "application/x-www-form-urlencoded") throw unsupported("application/x-www-form-urlencoded");
  // workerd refuses a form declared in a charset other than UTF-8 (and a malformed multipart) with a TypeError.
  const form = await c.req.parseBody({ all: true }).catch(() => {
    throw new TokenServiceError(400, "invalid_request", "Bad request", "body is not a UTF-8 application/x-www-form-urlencoded form");
  });
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(form)) {
    if (k === "services[]") fields[k] = Array.isArray(v) ? v : [v];
    else fields[k] = Array.isArray(v) ? v.at(-1) : v;
  }
  const body = parse(CreateTokenFormSchema, fields);
  const params: CreateTokenParams = {
    username: body.username,
    password: body.password,
    otp: c.req.header("Fastly-OTP") || undefined,
    name: body.name,
    scope: body.scope,
    services: body["services[]"],
    expires_at: body.expires_at,
  };
  const result = await c.var.service.createToken(c.var.actor, params);
  if ("dryRun" in result) {
    c.header("X-Dry-Run", "true");
    return c.json({ dry_run: true, would_create: { name: body.name, scope: body.scope ?? "global" } });
  }
  return c.json(result);
});

api.delete("/tokens", requireScope("revoke"), async (c) => {
  applySwitches(c);
  const type = contentType(c);
  // The spec's type is application/vnd.api+json; ext=bulk. fastly-rust sends application/json; accept both.
  if (type !== "application/vnd.api+json" && type !== "application/json") {
    throw unsupported("application/vnd.api+json; ext=bulk");
  }
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw new TokenServiceError(400, "invalid_request", "Bad request", "body is not valid JSON");
  }
  const body = parse(BulkRevokeBodySchema, json);
  return mutationReply(c, await c.var.service.bulkRevokeTokens(c.var.actor, body.data.map((d) => d.id)));
});

api.get("/tokens/:token_id", requireScope("read"), async (c) => {
  const tokenId = parse(TokenIdSchema, c.req.param("token_id"));
  return readReply(c, await c.var.service.getToken(c.var.actor, tokenId));
});

api.delete("/tokens/:token_id", requireScope("revoke"), async (c) => {
  applySwitches(c);
  const tokenId = parse(TokenIdSchema, c.req.param("token_id"));
  return mutationReply(c, await c.var.service.revokeToken(c.var.actor, tokenId));
});

api.get("/customer/:customer_id/tokens", requireScope("read"), async (c) => {
  const customerId = parse(CustomerIdSchema, c.req.param("customer_id"));
  return readReply(c, await c.var.service.listTokensCustomer(c.var.actor, customerId));
});

/**
 * The audit trail (not a Fastly path): Worker API keys with the read scope only, newest first, with a cursor, filtered
 * in the query by token_id, owner_id, customer_id, result, surface, operation, since and until (src/routes/api/audit-query.ts).
 */
api.get("/audit", authenticate, requireScope("read"), async (c) => {
  if (!c.var.apiKey) throw new TokenServiceError(403, "forbidden", "Forbidden", "the audit trail needs a Worker API key");
  const query = parseAuditQuery(new URL(c.req.url).searchParams);
  const page = await c.var.service.listAudit(query.limit, query.cursor, c.var.actor, query.filter);
  return c.json({ entries: page.entries, cursor: page.cursor });
});

/** Known paths with an unsupported method answer 405 with the methods they do support. */
export const API_METHODS: Record<string, string[]> = {
  "/tokens": ["GET", "POST", "DELETE"],
  "/tokens/self": ["GET", "DELETE"],
  "/tokens/:token_id": ["GET", "DELETE"],
  "/customer/:customer_id/tokens": ["GET"],
  "/audit": ["GET"],
};
