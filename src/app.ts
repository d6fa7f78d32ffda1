import { type Context, Hono } from "hono";
import { methodNotAllowed } from "hono/method-not-allowed";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app-env";
import { withRequestId } from "./log";
import { api } from "./routes/api";
import { serveAsset } from "./routes/assets";
import { discord, mattermost, slack } from "./routes/chat";
import { dashboard } from "./routes/dashboard";
import { hooks } from "./routes/hooks";
import { gitlabRevocation } from "./routes/hooks/gitlab-revocation";
import { limitBody } from "./routes/body-limit";
import { errorBody, noStore, onError } from "./routes/errors";
import { metrics } from "./routes/metrics";
import { isolateStats, servicesFor } from "./services";

export const app = new Hono<AppEnv>();

app.use("*", noStore);
// Every answer carries X-Request-Id, a fresh UUID, and every log line written while handling it, `waitUntil` work
// included, carries the same id (src/log.ts). A caller's own id is never taken (`limitLength: 0` makes hono replace
// any): a token-shaped value passes hono's character check and would be echoed and logged on every line. Answers
// built as raw Responses (static assets) do not get hono's context headers, so the id is also set after the fact.
app.use("*", requestId({ limitLength: 0 }), async (c, next) => {
  await withRequestId(c.var.requestId, next);
  if (!c.res.headers.has("X-Request-Id")) c.res.headers.set("X-Request-Id", c.var.requestId);
});
// hono's defaults plus no framing and no content: answers are JSON (or, on the dashboard, pages whose stricter
// policy its own secureHeaders sets first, which `overwrite: false` keeps).
app.use("*", secureHeaders({ overwrite: false, xFrameOptions: "DENY", contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }));
// A known path of the Fastly-compatible API with the wrong method is 405, as Fastly answers it. Derived from the api
// sub-app's own routes (hono builds its method table once per isolate); a wrong method matches no route, so no
// authentication runs first. Exact, as Fastly's router: with a trailing slash a path is an unknown route (404).
app.use("*", methodNotAllowed({ app: api, onMethodNotAllowed: wrongMethod }));
app.use("*", async (c, next) => {
  // One invocation, one object graph (src/services.ts): every route gets its services from here.
  const services = servicesFor(c.env);
  const config = services.config;
  c.set("config", config);
  c.set("services", services);
  c.set("service", services.tokens);
  return limitBody(c, next, config.maxBodyBytes);
});

app.get("/health", (c) => {
  const stats = isolateStats(c.env);
  return c.json({ status: "ok", upstream_calls: stats.upstreamCalls, saved_calls: stats.savedCalls });
});
app.get("/openapi.json", serveAsset("no-store"));

app.route("/hooks", hooks);
app.route("/v1", gitlabRevocation);
app.route("/slack", slack);
app.route("/discord", discord);
app.route("/mattermost", mattermost);
app.route("/dashboard", dashboard);
app.route("/metrics", metrics);
app.route("/", api);

app.notFound((c) => c.json(errorBody("Record not found", "no such route"), 404));
app.onError(onError);

/** Fastly's 405: its words, and `Allow` without the HEAD hono implies for every GET (Fastly lists only GET). */
function wrongMethod(c: Context<AppEnv>, methods: string[]): Response {
  const allowed = methods.filter((m) => m !== "HEAD").join(", ");
  return c.json(errorBody("Method not allowed", `Allowed methods: ${allowed}`), 405, { Allow: allowed });
}
