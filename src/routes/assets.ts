import type { Handler } from "hono";
import type { AppEnv } from "../app-env";

/**
 * Answers the request from the Workers static assets (wrangler.toml `[assets]`, folder public/), so static documents
 * stay out of the bundle. The asset's own Cache-Control (revalidate every time) gives way to the route's; the copy
 * makes the headers writable for the middleware that runs after it (fetched responses have immutable headers).
 */
export function serveAsset(cacheControl: string): Handler<AppEnv> {
  return async (c) => {
    const asset = await c.env.ASSETS.fetch(c.req.raw);
    const res = new Response(asset.body, asset);
    res.headers.set("Cache-Control", cacheControl);
    return res;
  };
}
