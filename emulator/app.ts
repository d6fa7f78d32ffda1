import { Hono } from "hono";
import { callLog } from "./call-log";
import { controlRoutes } from "./control-routes";
import { DroppedConnection, FastlyError } from "./errors";
import { fastlyHeaders } from "./fastly-headers";
import { fastlyRoutes } from "./fastly-routes";
import { faults } from "./faults";
import type { EmulatorEnv } from "./hono-env";
import { rateHeaders } from "./rate-headers";
import { type EmulatorOptions, EmulatorState } from "./state";

export type { EmulatorOptions } from "./state";

export interface FastlyEmulator {
  app: Hono<EmulatorEnv>;
  state: EmulatorState;
}

/**
 * One in-memory api.fastly.com for the token endpoints, seeded from seed.json, plus its `/__emulator` control API.
 * Web-standard APIs only, so the same app runs in workerd and in Node.
 */
export function createFastlyEmulator(options: EmulatorOptions = {}): FastlyEmulator {
  const state = new EmulatorState(options);
  const app = new Hono<EmulatorEnv>();

  app.use("*", async (_c, next) => {
    await state.ready();
    await next();
  });
  app.route("/__emulator", controlRoutes(state));

  // Outermost first: the log sees every answer, faults precede all state changes.
  app.use("*", callLog(state), fastlyHeaders(state), faults(state), rateHeaders(state));
  app.route("/", fastlyRoutes(state));

  app.notFound((c) => c.json({ msg: "Record not found", detail: `Cannot find ${c.req.method} ${c.req.path}` }, 404));
  app.onError((err, c) => {
    if (err instanceof DroppedConnection) throw err;
    if (err instanceof FastlyError) return c.json(err.body, err.status);
    console.error("fastly emulator: unexpected error:", err.name, err.message);
    return c.json({ msg: "Internal Server Error", detail: "The emulator failed unexpectedly" }, 500);
  });
  return { app, state };
}
