import { Hono, type Context } from "hono";
import type * as z from "zod/mini";
import type { AppEnv } from "../../app-env";
import type { TokenResponse } from "../../fastly/schemas";
import { invalidRequest, RequestRefused } from "../errors";
import type { Mutation, Read } from "../../tokens/token-service";
import { parseAuditQuery } from "./audit-query";
import { applySwitches, authenticate, requireScope } from "./auth";
import { bulkIds, createParams, sudoParams } from "./bodies";
import { CustomerIdSchema, TokenIdSchema } from "./schemas";

/** Parses with zod; a failure becomes a 400 naming the field, never echoing the submitted value. */
function parse<S extends z.ZodMiniType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  throw invalidRequest(`${where}${issue?.message ?? "invalid"}`);
}

function readReply<T>(c: Context<AppEnv>, read: Read<T>) {
  c.header("X-Cache", read.cache);
  return c.json(read.value as object);
}

const summary = (t: TokenResponse) => ({ id: t.id, name: t.name ?? null, user_id: t.user_id, customer_id: t.customer_id });

/** Fastly answers revocations with 204; in dry run we answer 200 with what would have been revoked. */
function mutationReply(c: Context<AppEnv>, m: Mutation) {
  rateLimitHeaders(c, m.rateLimit);
  if (m.dryRun) {
    c.header("X-Dry-Run", "true");
    return c.json({ dry_run: true, would_revoke: m.tokens.map(summary) });
  }
  return c.body(null, 204);
}

function contentType(c: Context<AppEnv>): string {
  return (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
}

function rateLimitHeaders(c: Context<AppEnv>, rateLimit: Mutation["rateLimit"]): void {
  if (rateLimit?.remaining != null) c.header("Fastly-RateLimit-Remaining", String(rateLimit.remaining));
  if (rateLimit?.reset != null) c.header("Fastly-RateLimit-Reset", String(rateLimit.reset));
}

/** The Fastly-compatible surface: the same eight paths (and /sudo), methods, bodies and error shapes as api.fastly.com. */
export const api = new Hono<AppEnv>();

// Authentication is per route: a path that is no route (a trailing slash, say) is a 404 whatever the key, as at Fastly.
api.get("/tokens/self", authenticate, requireScope("read"), async (c) => readReply(c, await c.var.service.getTokenCurrent(c.var.actor)));

api.delete("/tokens/self", authenticate, requireScope("revoke"), async (c) => {
  applySwitches(c);
  return mutationReply(c, await c.var.service.revokeTokenCurrent(c.var.actor));
});

api.get("/tokens", authenticate, requireScope("read"), async (c) => readReply(c, await c.var.service.listTokensUser(c.var.actor)));

api.post("/tokens", authenticate, requireScope("create"), async (c) => {
  applySwitches(c);
  const params = await createParams(c);
  const result = await c.var.service.createToken(c.var.actor, params);
  if ("dryRun" in result) {
    c.header("X-Dry-Run", "true");
    return c.json({ dry_run: true, would_create: { name: params.name, scope: params.scope ?? "global" } });
  }
  rateLimitHeaders(c, result.rateLimit);
  return c.json(result.created);
});

/** go-fastly's create opens a sudo window first. Passed through with the caller's own token; audited, never cached. */
api.post("/sudo", authenticate, async (c) => {
  if (c.var.apiKey) {
    throw new RequestRefused(403, { msg: "Forbidden", code: "forbidden", detail: "POST /sudo needs your own Fastly token; Worker API keys create tokens with username and password" });
  }
  const sudo = await c.var.service.sudo(c.var.actor, await sudoParams(c));
  rateLimitHeaders(c, sudo.rateLimit);
  return c.json(sudo.value);
});

api.delete("/tokens", authenticate, requireScope("revoke"), async (c) => {
  applySwitches(c);
  const type = contentType(c);
  // The spec's type is application/vnd.api+json; ext=bulk. fastly-rust sends application/json; accept both.
  if (type !== "application/vnd.api+json" && type !== "application/json") {
    throw new RequestRefused(415, { msg: "Unsupported Media Type", code: "unsupported_media_type", detail: "Content-Type must be application/vnd.api+json; ext=bulk" });
  }
  return mutationReply(c, await c.var.service.bulkRevokeTokens(c.var.actor, await bulkIds(c)));
});

api.get("/tokens/:token_id", authenticate, requireScope("read"), async (c) => {
  const tokenId = parse(TokenIdSchema, c.req.param("token_id"));
  return readReply(c, await c.var.service.getToken(c.var.actor, tokenId));
});

api.delete("/tokens/:token_id", authenticate, requireScope("revoke"), async (c) => {
  applySwitches(c);
  const tokenId = parse(TokenIdSchema, c.req.param("token_id"));
  return mutationReply(c, await c.var.service.revokeToken(c.var.actor, tokenId));
});

api.get("/customer/:customer_id/tokens", authenticate, requireScope("read"), async (c) => {
  const customerId = parse(CustomerIdSchema, c.req.param("customer_id"));
  return readReply(c, await c.var.service.listTokensCustomer(c.var.actor, customerId));
});

/**
 * The audit trail (not a Fastly path): Worker API keys with the read scope only, newest first, with a cursor, filtered
 * in the query by token_id, owner_id, customer_id, result, surface, operation, since and until (src/routes/api/audit-query.ts).
 */
api.get("/audit", authenticate, requireScope("read"), async (c) => {
  if (!c.var.apiKey) throw new RequestRefused(403, { msg: "Forbidden", code: "forbidden", detail: "the audit trail needs a Worker API key" });
  const query = parseAuditQuery(new URL(c.req.url).searchParams);
  const page = await c.var.service.listAudit(query.limit, query.cursor, c.var.actor, query.filter);
  return c.json({ entries: page.entries, cursor: page.cursor });
});
