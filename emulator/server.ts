import { type Context, type ExecutionContext, Hono } from "hono";
import { createFastlyEmulator, type EmulatorOptions, type FastlyEmulator } from "./app";
import { DroppedConnection } from "./errors";
import { createGitHubEmulator } from "./github";
import { randomId } from "./random";
import { createSinks } from "./sinks";
import { createSlackEmulator } from "./slack";

/** Oldest tenants are forgotten beyond this, so a long test run cannot grow memory without bound. */
const MAX_TENANTS = 2000;

type ServerEnv = { Bindings: Record<string, unknown> };

export interface EmulatorServer {
  app: Hono<ServerEnv>;
  defaultTenant: FastlyEmulator;
  tenants: Map<string, FastlyEmulator>;
}

function executionContextOf(c: Context<ServerEnv>): ExecutionContext | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/**
 * Multi-tenant front, so parallel tests never share state: the root is the default tenant (the seeded demo
 * data); `POST /__emulator/tenants` creates a fresh seeded tenant served under `/_t/<id>/...`.
 */
export function createEmulatorServer(options: EmulatorOptions = {}): EmulatorServer {
  const defaultTenant = createFastlyEmulator(options);
  const tenants = new Map<string, FastlyEmulator>();
  const app = new Hono<ServerEnv>();

  app.post("/__emulator/tenants", (c) => {
    const id = randomId(16);
    tenants.set(id, createFastlyEmulator(options));
    for (const oldest of tenants.keys()) {
      if (tenants.size <= MAX_TENANTS) break;
      tenants.delete(oldest);
    }
    return c.json({ id, baseUrl: `${new URL(c.req.url).origin}/_t/${id}` }, 201);
  });
  app.delete("/__emulator/tenants/:id", (c) => {
    const existed = tenants.delete(c.req.param("id"));
    return existed ? c.body(null, 204) : c.json({ msg: "Record not found", detail: "Unknown tenant" }, 404);
  });

  const forward = async (c: Context<ServerEnv>) => {
    const id = c.req.param("id") ?? "";
    const tenant = tenants.get(id);
    if (!tenant) return c.json({ msg: "Record not found", detail: `Unknown emulator tenant ${id}` }, 404);
    const url = new URL(c.req.url);
    url.pathname = url.pathname.slice(`/_t/${id}`.length) || "/";
    const raw = c.req.raw;
    const hasBody = raw.method !== "GET" && raw.method !== "HEAD";
    const request = new Request(url, {
      method: raw.method,
      headers: raw.headers,
      body: hasBody ? await raw.arrayBuffer() : undefined,
    });
    return tenant.app.fetch(request, c.env, executionContextOf(c));
  };
  app.all("/_t/:id", forward);
  app.all("/_t/:id/*", forward);

  // The non-Fastly hosts the Worker talks to: GitHub's REST API, Slack's Web API and chat/webhook receivers.
  app.route("/", createGitHubEmulator());
  app.route("/", createSlackEmulator());
  app.route("/", createSinks());

  app.all("*", (c) => defaultTenant.app.fetch(c.req.raw, c.env, executionContextOf(c)));

  app.onError((err, c) => {
    if (err instanceof DroppedConnection) throw err;
    console.error("fastly emulator server: unexpected error:", err.name, err.message);
    return c.json({ msg: "Internal Server Error", detail: "The emulator failed unexpectedly" }, 500);
  });
  return { app, defaultTenant, tenants };
}
