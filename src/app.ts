import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./app-env";
import { api, API_METHODS } from "./routes/api";
import { discord, mattermost, slack } from "./routes/chat";
import { dashboard } from "./routes/dashboard";
import { hooks } from "./routes/hooks";
import { gitlabRevocation } from "./routes/hooks/gitlab-revocation";
import { errorBody, onError } from "./routes/errors";
import { metrics } from "./routes/metrics";
import openApiDocument from "./routes/openapi/openapi.json";
import { isolateStats, servicesFor } from "./services";

export const app = new Hono<AppEnv>();

app.use("*", async (c, next) => {
  // One invocation, one object graph (src/services.ts): every route gets its services from here.
  const services = servicesFor(c.env);
  const config = services.config;
  c.set("config", config);
  c.set("services", services);
  c.set("service", services.tokens);
  return bodyLimit({
    maxSize: config.maxBodyBytes,
    onError: (ctx) => ctx.json(errorBody("Payload Too Large", `body exceeds ${config.maxBodyBytes} bytes`), 413),
  })(c, next);
});

app.get("/health", (c) => {
  const stats = isolateStats(c.env);
  return c.json({ status: "ok", upstream_calls: stats.upstreamCalls, saved_calls: stats.savedCalls });
});
app.get("/openapi.json", (c) => c.json(openApiDocument));

// A known path with the wrong method is 405 before authentication, like a router would answer.
app.use("*", async (c, next) => {
  const route = Object.keys(API_METHODS).find((pattern) => matches(pattern, c.req.path));
  if (route && !API_METHODS[route]!.includes(c.req.method)) {
    c.header("Allow", API_METHODS[route]!.join(", "));
    return c.json(errorBody("Method Not Allowed", `${c.req.method} is not supported on ${route}`), 405);
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
  const re = new RegExp(`^${pattern.replace(/:[a-z_]+/g, "[^/]+")}/?$`);
  return re.test(path);
}
