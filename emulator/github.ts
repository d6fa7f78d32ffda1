import { Hono } from "hono";
import { randomId } from "./random";

/** A secret-scanning alert as GitHub's REST API returns it (the subset the Worker reads and writes). */
export interface FakeAlert {
  number: number;
  state: "open" | "resolved";
  secret_type: string;
  secret_type_display_name: string;
  secret: string;
  html_url: string;
  url: string;
  resolution: string | null;
  resolution_comment: string | null;
  resolved_at: string | null;
  /** When GitHub first found the secret (the start of the Worker's time to revoke). */
  created_at: string;
}

export interface GitHubCall {
  method: string;
  path: string;
  authorized: boolean;
  userAgent: string | null;
  apiVersion: string | null;
  status: number;
}

interface Instance {
  alerts: Map<string, FakeAlert>; // "<owner>/<repo>#<n>"
  keys: { key_identifier: string; key: string; is_current: boolean }[];
  calls: GitHubCall[];
  failNext: { path: string; status: number; count: number }[];
}

const MAX_INSTANCES = 2000;

const newInstance = (): Instance => ({ alerts: new Map(), keys: [], calls: [], failNext: [] });

/**
 * The few GitHub endpoints the Worker calls: the secret-scanning alert (GET for its secret, PATCH to resolve it) and
 * the partner-program public keys. Instances isolate tests: `/github/...` is the default instance (for `npm run dev`),
 * `POST /__emulator/github` creates one under `/__github/<id>/...`. Control routes live under `<base>/__control/`.
 */
export function createGitHubEmulator(): Hono {
  const instances = new Map<string, Instance>([["default", newInstance()]]);
  const app = new Hono();

  app.post("/__emulator/github", (c) => {
    const id = randomId(16);
    instances.set(id, newInstance());
    for (const oldest of instances.keys()) {
      if (instances.size <= MAX_INSTANCES) break;
      if (oldest !== "default") instances.delete(oldest);
    }
    return c.json({ id, baseUrl: `${new URL(c.req.url).origin}/__github/${id}` }, 201);
  });

  const api = new Hono<{ Variables: { gh: Instance } }>();
  api.use("*", async (c, next) => {
    const id = c.req.param("id");
    const gh = instances.get(id ?? "default");
    if (!gh) return c.json({ message: "Unknown GitHub emulator instance" }, 404);
    c.set("gh", gh);
    return next();
  });

  api.post("/__control/alerts", async (c) => {
    const b = (await c.req.json()) as Partial<FakeAlert> & { repository: string; number: number; secret: string };
    const origin = new URL(c.req.url).origin;
    const alert: FakeAlert = {
      number: b.number,
      state: b.state ?? "open",
      secret_type: b.secret_type ?? "fastly_api_token",
      secret_type_display_name: "Fastly API Token",
      secret: b.secret,
      html_url: `https://github.com/${b.repository}/security/secret-scanning/${b.number}`,
      url: `${origin}/repos/${b.repository}/secret-scanning/alerts/${b.number}`,
      resolution: null,
      resolution_comment: null,
      resolved_at: null,
      created_at: b.created_at ?? new Date().toISOString(),
    };
    c.var.gh.alerts.set(`${b.repository}#${b.number}`, alert);
    return c.json(alert, 201);
  });
  api.get("/__control/alerts/:owner/:repo/:n", (c) => {
    const a = c.var.gh.alerts.get(`${c.req.param("owner")}/${c.req.param("repo")}#${c.req.param("n")}`);
    return a ? c.json(a) : c.json({ message: "Not Found" }, 404);
  });
  api.post("/__control/keys", async (c) => {
    c.var.gh.keys = ((await c.req.json()) as { public_keys: Instance["keys"] }).public_keys;
    return c.body(null, 204);
  });
  api.post("/__control/faults", async (c) => {
    c.var.gh.failNext.push((await c.req.json()) as Instance["failNext"][number]);
    return c.body(null, 204);
  });
  api.get("/__control/calls", (c) => c.json(c.var.gh.calls));

  // Everything below is GitHub itself: log the call, apply a fault if one matches, require the headers GitHub does.
  api.use("*", async (c, next) => {
    if (c.req.path.includes("/__control/")) return next();
    const gh = c.var.gh;
    const path = c.req.path.replace(/^\/(__github\/[^/]+|github)/, "");
    const call: GitHubCall = {
      method: c.req.method,
      path,
      authorized: /^(Bearer|token) \S+$/.test(c.req.header("Authorization") ?? ""),
      userAgent: c.req.header("User-Agent") ?? null,
      apiVersion: c.req.header("X-GitHub-Api-Version") ?? null,
      status: 0,
    };
    gh.calls.push(call);
    const fault = gh.failNext.find((f) => f.count > 0 && path.startsWith(f.path));
    if (fault) {
      fault.count--;
      call.status = fault.status;
      return c.json({ message: "Injected fault" }, fault.status as 500);
    }
    if (!call.userAgent) {
      call.status = 403;
      return c.json({ message: "Request forbidden by administrative rules. Please make sure your request has a User-Agent header" }, 403);
    }
    await next();
    call.status = c.res.status;
  });

  api.get("/meta/public_keys/secret_scanning", (c) => c.json({ public_keys: c.var.gh.keys }));

  const alertKey = (c: { req: { param: (k: string) => string | undefined } }) =>
    `${c.req.param("owner")}/${c.req.param("repo")}#${c.req.param("n")}`;
  api.get("/repos/:owner/:repo/secret-scanning/alerts/:n", (c) => {
    if (!/^(Bearer|token) \S+$/.test(c.req.header("Authorization") ?? "")) return c.json({ message: "Requires authentication" }, 401);
    const a = c.var.gh.alerts.get(alertKey(c));
    if (!a) return c.json({ message: "Not Found" }, 404);
    return c.json(c.req.query("hide_secret") === "true" ? { ...a, secret: undefined } : a);
  });
  api.patch("/repos/:owner/:repo/secret-scanning/alerts/:n", async (c) => {
    if (!/^(Bearer|token) \S+$/.test(c.req.header("Authorization") ?? "")) return c.json({ message: "Requires authentication" }, 401);
    const a = c.var.gh.alerts.get(alertKey(c));
    if (!a) return c.json({ message: "Not Found" }, 404);
    const b = (await c.req.json().catch(() => null)) as { state?: string; resolution?: string; resolution_comment?: string } | null;
    if (!b || (b.state !== "resolved" && b.state !== "open")) return c.json({ message: "Invalid request", errors: ["state"] }, 422);
    if (b.state === "resolved" && !["false_positive", "wont_fix", "revoked", "used_in_tests"].includes(b.resolution ?? "")) {
      return c.json({ message: "Invalid request", errors: ["resolution"] }, 422);
    }
    a.state = b.state;
    a.resolution = b.state === "resolved" ? (b.resolution ?? null) : null;
    a.resolution_comment = b.resolution_comment ?? null;
    a.resolved_at = b.state === "resolved" ? new Date().toISOString() : null;
    return c.json(a);
  });

  app.route("/__github/:id", api);
  app.route("/github", api);
  return app;
}
