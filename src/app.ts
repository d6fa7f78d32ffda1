import { Hono } from "hono";
import type { AppEnv } from "./app-env";
import { api, API_METHODS } from "./routes/api";
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

// A known path with the wrong method is 405 before authentication, as Fastly answers it (HEAD goes with GET).
app.use("*", async (c, next) => {
  const route = Object.keys(API_METHODS).find((pattern) => matches(pattern, c.req.path));
  const allowed = route ? API_METHODS[route]! : [];
  const method = c.req.method === "HEAD" ? "GET" : c.req.method;
  if (route && !allowed.includes(method)) {
    c.header("Allow", allowed.join(", "));
    return c.json(errorBody("Method not allowed", `Allowed methods: ${allowed.join(", ")}`), 405);
  }
  return next();
});

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

function matches(pattern: string, path: string): boolean {
  // Exact, as Fastly's router: with a trailing slash a path is an unknown route (404), not a wrong method.
  const re = new RegExp(`^${pattern.replace(/:[a-z_]+/g, "[^/]+")}$`);
  return re.test(path);
}
