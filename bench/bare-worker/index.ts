import { Hono } from "hono";

/** UPSTREAM_URL: the emulator tenant's base URL; FASTLY_API_TOKEN: the token the upstream call is made with. */
type Bindings = { UPSTREAM_URL: string; FASTLY_API_TOKEN: string };

/**
 * The floor the real Worker is compared against: per request, read the body, make one upstream fetch, answer JSON.
 * Whatever the real Worker adds (signature checks, parsing, KV, audit, queue) shows as the difference.
 */
const app = new Hono<{ Bindings: Bindings }>();

async function upstream(c: { env: Bindings }, path: string, key: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${c.env.UPSTREAM_URL}${path}`, { headers: { "Fastly-Key": key, Accept: "application/json" } });
  return { status: response.status, body: await response.json() };
}

// The Fastly-compatible read: proxy GET /tokens/{id} with the Worker's own token.
app.get("/tokens/:id", async (c) => {
  const { status, body } = await upstream(c, `/tokens/${c.req.param("id")}`, c.env.FASTLY_API_TOKEN);
  return c.json(body as object, status as 200);
});

// A leak report: parse the JSON and check the first token with GET /tokens/self, as the intake does.
app.post("/hooks/scanner", async (c) => {
  const report = (await c.req.json()) as { tokens?: string[] };
  const token = report.tokens?.[0] ?? "";
  const { status } = await upstream(c, "/tokens/self", token);
  return c.json({ results: [{ status: status === 200 ? "live" : "not_live" }] });
});

// A Slack command: read the form, make the one upstream call `whoami` needs, answer.
app.post("/slack/commands", async (c) => {
  const form = new URLSearchParams(await c.req.text());
  const { body } = await upstream(c, "/tokens/self", c.env.FASTLY_API_TOKEN);
  return c.json({ response_type: "ephemeral", text: `${form.get("text") ?? ""}: ${(body as { name?: string }).name ?? "?"}` });
});

export default app;
