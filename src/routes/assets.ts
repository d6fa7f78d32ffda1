import type { Handler } from "hono";
import type { AppEnv } from "../app-env";
import { notConfigured } from "../tokens/errors";

/**
 * Answers the request from the Workers static assets (wrangler.toml `[assets]`, folder public/), so static documents
 * stay out of the bundle. The asset's own Cache-Control (revalidate every time) gives way to the route's; the copy
 * makes the headers writable for the middleware that runs after it (fetched responses have immutable headers).
 */
export function serveAsset(cacheControl: string): Handler<AppEnv> {
  return async (c) => {
    // An env without the binding (a wrangler config without [assets], a hand-built test env) says so, not a TypeError.
    if (!c.env.ASSETS) throw notConfigured("Static assets", "[assets] in wrangler.toml");
    const asset = await c.env.ASSETS.fetch(c.req.raw);
    const res = new Response(asset.body, asset);
    res.headers.set("Cache-Control", cacheControl);
    return res;
  };
}
