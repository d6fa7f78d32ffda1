import { Hono } from "hono";
import { z } from "zod";
import { FastlyError } from "./errors";
import { activateFault, FaultRuleSchema } from "./faults";
import type { EmulatorEnv } from "./hono-env";
import { parseIsoDateTime } from "./iso-time";
import { parseJson } from "./request-body";
import type { EmulatorState } from "./state";
import { controlTokenView } from "./views";

const ClockSchema = z.union([
  z.object({ now: z.string().nullable() }).strict(),
  z.object({ advanceSeconds: z.number().finite() }).strict(),
]);

const ConfigSchema = z
  .object({
    rateLimit: z.number().int().min(0).optional(),
    unknownKeyStatus: z.union([z.literal(401), z.literal(403)]).optional(),
    limitedTokenSelfStatus: z.union([z.literal(200), z.literal(403)]).optional(),
    foreignTokenStatus: z.union([z.literal(403), z.literal(404)]).optional(),
    bulkMax: z.number().int().min(1).nullable().optional(),
  })
  .strict();

async function parseBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(parseJson(await request.text()));
  if (!result.success) {
    throw new FastlyError(400, { msg: "Bad request", detail: z.prettifyError(result.error) });
  }
  return result.data;
}

function clockView(state: EmulatorState) {
  return { now: new Date(state.now()).toISOString(), frozen: state.clock.frozen };
}

/** The emulator's own backdoor (under `/__emulator`), never part of the Fastly surface. */
export function controlRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();

  app.post("/faults", async (c) => {
    const fault = activateFault(await parseBody(c.req.raw, FaultRuleSchema));
    state.faults.push(fault);
    return c.json({ id: fault.id, ...fault.rule }, 201);
  });
  app.get("/faults", (c) =>
    c.json(state.faults.map((f) => ({ id: f.id, ...f.rule, remaining: Number.isFinite(f.remaining) ? f.remaining : null }))),
  );
  app.delete("/faults", (c) => {
    state.faults = [];
    return c.body(null, 204);
  });

  app.get("/calls", (c) => c.json(state.calls));
  app.delete("/calls", (c) => {
    state.calls = [];
    return c.body(null, 204);
  });

  app.post("/reset", async (c) => {
    await state.reset();
    return c.body(null, 204);
  });

  app.get("/clock", (c) => c.json(clockView(state)));
  app.post("/clock", async (c) => {
    const input = await parseBody(c.req.raw, ClockSchema);
    if ("advanceSeconds" in input) state.clock.advance(input.advanceSeconds);
    else if (input.now === null) state.clock.set(null);
    else {
      const at = parseIsoDateTime(input.now);
      if (at === null) throw new FastlyError(400, { msg: "Bad request", detail: "now must be ISO 8601 or null" });
      state.clock.set(at);
    }
    return c.json(clockView(state));
  });

  app.get("/tokens", (c) =>
    c.json([...state.tokens.values()].sort((a, b) => a.created_at - b.created_at).map(controlTokenView)),
  );

  app.get("/config", (c) => c.json(state.config));
  app.post("/config", async (c) => {
    state.config = { ...state.config, ...(await parseBody(c.req.raw, ConfigSchema)) };
    return c.json(state.config);
  });

  app.all("*", (c) => c.json({ msg: "Record not found", detail: `No emulator control route ${c.req.path}` }, 404));
  return app;
}
