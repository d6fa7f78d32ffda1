import { type Context, Hono } from "hono";

/** One request a sink received: what the Worker sent to Slack, Discord or a webhook receiver. */
export interface SinkRecord {
  method: string;
  path: string;
  contentType: string | null;
  headers: Record<string, string>;
  body: string;
  at: string;
}

const MAX_SINKS = 2000;
const KEPT_HEADERS = ["content-type", "user-agent", "authorization", "webhook-id", "webhook-timestamp", "webhook-signature"];

/**
 * Catch-all receivers standing in for Slack incoming webhooks / `response_url`s, Discord's interaction webhooks and
 * any outbound webhook receiver. Each sink is a name chosen by the caller (tests use random names, so they never
 * share one): `ANY /__sinks/<name>/<anything>` is recorded and answered 200; `GET /__emulator/sinks/<name>` reads
 * what arrived. A sink named `fail-<n>-…` answers status n (e.g. `fail-500-x`) to test delivery failures.
 */
export function createSinks(): Hono {
  const sinks = new Map<string, SinkRecord[]>();
  const app = new Hono();

  app.get("/__emulator/sinks/:name", (c) => c.json(sinks.get(c.req.param("name")) ?? []));
  app.delete("/__emulator/sinks/:name", (c) => {
    sinks.delete(c.req.param("name"));
    return c.body(null, 204);
  });

  const record = async (c: Context) => {
    const name = c.req.param("name") ?? "";
    const headers: Record<string, string> = {};
    for (const h of KEPT_HEADERS) {
      const v = c.req.header(h);
      if (v !== undefined) headers[h] = v;
    }
    const list = sinks.get(name) ?? [];
    list.push({
      method: c.req.method,
      path: new URL(c.req.url).pathname.slice(`/__sinks/${name}`.length) || "/",
      contentType: c.req.header("content-type") ?? null,
      headers,
      body: await c.req.text(),
      at: new Date().toISOString(),
    });
    sinks.set(name, list);
    for (const oldest of sinks.keys()) {
      if (sinks.size <= MAX_SINKS) break;
      sinks.delete(oldest);
    }
    const failing = /^fail-(\d{3})-/.exec(name);
    if (failing) return c.json({ ok: false }, Number(failing[1]) as 500);
    // Discord's edit-original answers the message; Slack answers "ok". A JSON object satisfies both callers.
    return c.json({ ok: true, id: String(list.length) });
  };
  app.all("/__sinks/:name", record);
  app.all("/__sinks/:name/*", record);
  return app;
}
