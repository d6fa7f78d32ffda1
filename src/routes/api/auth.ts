import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../../app-env";
import type { ApiKey, ApiKeyScope } from "../../config";
import { timingSafeEqual } from "../../crypto/bytes";
import { sha256Hex } from "../../crypto/hash";
import { RequestRefused } from "../errors";

const hexBytes = (hex: string) => new Uint8Array(hex.match(/../g)?.map((h) => Number.parseInt(h, 16)) ?? []);

/** Finds the configured API key whose SHA-256 matches, comparing against every key in constant time. */
export async function matchApiKey(presented: string, apiKeys: ApiKey[]): Promise<ApiKey | null> {
  const digest = hexBytes(await sha256Hex(presented));
  let found: ApiKey | null = null;
  for (const key of apiKeys) {
    if (timingSafeEqual(digest, hexBytes(key.sha256)) && !found) found = key;
  }
  return found;
}

// Fastly's own 401 body: no detail, so a caller cannot tell a missing key from an unknown one; the log can.
const unauthorized = (reason: string) => new RequestRefused(401, { msg: "Provided credentials are missing or invalid", code: "unauthorized", reason });

/**
 * Resolves `Fastly-Key` into an actor, deny by default: a Worker-issued API key acts with the Worker's own token;
 * any other key is passed through to Fastly (when allowed), which then decides. POST /tokens may instead carry
 * username/password, which Fastly itself checks.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { config, service } = c.var;
  const key = c.req.header("Fastly-Key")?.trim();
  if (!key) {
    if (c.req.method === "POST" && c.req.path === "/tokens" && config.allowPassthrough) {
      c.set("apiKey", null);
      c.set("actor", { surface: "api", principal: "credentials", upstreamKey: "", viewer: "", asWorker: false });
      return next();
    }
    throw unauthorized("no Fastly-Key header");
  }
  const apiKey = await matchApiKey(key, config.apiKeys);
  if (apiKey) {
    c.set("apiKey", apiKey);
    const admin = apiKey.scopes.includes("admin");
    c.set("actor", await service.workerActor("api", `apikey:${apiKey.name}`, { customerId: apiKey.customer_id, admin }));
  } else if (config.allowPassthrough) {
    c.set("apiKey", null);
    c.set("actor", await service.passthroughActor(key));
  } else {
    throw unauthorized("not a Worker API key, and passthrough is off");
  }
  return next();
};

/** API keys carry scopes; passthrough callers are authorised by Fastly itself. */
export function requireScope(scope: ApiKeyScope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const apiKey = c.var.apiKey;
    if (apiKey && !apiKey.scopes.includes(scope)) {
      throw new RequestRefused(403, { msg: "Forbidden", code: "forbidden", detail: `this API key lacks the "${scope}" scope` });
    }
    return next();
  };
}

/** Per-request switches: `?dry_run=true` and `?force=true` (self-token guard override; API keys need `admin` for it). */
export function applySwitches(c: Context<AppEnv>): void {
  const flag = (name: string) => ["1", "true", "yes"].includes((c.req.query(name) ?? "").toLowerCase());
  const actor = c.var.actor;
  c.set("actor", { ...actor, dryRun: actor.dryRun || flag("dry_run"), force: actor.force || flag("force") });
}
