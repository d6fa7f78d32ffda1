import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./app-env";
import { loadConfig } from "./config";
import { api, API_METHODS } from "./routes/api";
import { discord, mattermost, slack } from "./routes/chat";
import { dashboard } from "./routes/dashboard";
import { hooks } from "./routes/hooks";
import { errorBody, onError } from "./routes/errors";
import openApiDocument from "./routes/openapi/openapi.json";
import { AuditLog } from "./tokens/audit-log";
import { type ServiceStats, TokenService } from "./tokens/token-service";

/** Upstream calls made and saved, per isolate (reported by /health). */
const stats: ServiceStats = { upstreamCalls: 0, savedCalls: 0 };

export function createService(env: AppEnv["Bindings"]): TokenService {
  const config = loadConfig(env);
  return new TokenService({
    config,
    kv: env.TOKENS_KV,
    audit: new AuditLog(env.TOKENS_KV, config.auditRetentionSeconds),
    stats,
  });
}

export const app = new Hono<AppEnv>();

app.use("*", async (c, next) => {
  const config = loadConfig(c.env);
  c.set("config", config);
  c.set("service", createService(c.env));
  return bodyLimit({
    maxSize: config.maxBodyBytes,
    onError: (ctx) => ctx.json(errorBody("Payload Too Large", `body exceeds ${config.maxBodyBytes} bytes`), 413),
  })(c, next);
});

app.get("/health", (c) => c.json({ status: "ok", upstream_calls: stats.upstreamCalls, saved_calls: stats.savedCalls }));
app.get("/openapi.json", (c) => c.json(openApiDocument));

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
app.route("/slack", slack);
app.route("/discord", discord);
app.route("/mattermost", mattermost);
app.route("/dashboard", dashboard);
app.route("/", api);

app.notFound((c) => c.json(errorBody("Record not found", "no such route"), 404));
app.onError(onError);

function matches(pattern: string, path: string): boolean {
  // Exact, as Fastly's router: with a trailing slash a path is an unknown route (404), not a wrong method.
  const re = new RegExp(`^${pattern.replace(/:[a-z_]+/g, "[^/]+")}$`);
  return re.test(path);
}
