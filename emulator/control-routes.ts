import { Hono } from "hono";
import { z } from "zod";
import { FastlyError } from "./errors";
import { activateFault, FaultRuleSchema } from "./faults";
import type { EmulatorEnv } from "./hono-env";
import { parseIsoDateTime } from "./iso-time";
import { randomAccessToken, randomId, sha256Hex } from "./random";
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

// Seeding for tests and benchmarks: many tokens (or a whole new account) without spending anyone's rate limit,
// which a thousand `POST /tokens` would. Nothing here is reachable through the Fastly surface.
const SeedTokensSchema = z
  .object({
    user_id: z.string(),
    count: z.number().int().min(1).max(5000),
    name_prefix: z.string().max(100).optional(),
    scope: z.string().optional(),
  })
  .strict();
const SeedCustomerSchema = z.object({ name: z.string().min(1).max(100) }).strict();

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

  app.post("/tokens", async (c) => {
    const input = await parseBody(c.req.raw, SeedTokensSchema);
    const user = state.users.get(input.user_id);
    if (!user) throw new FastlyError(400, { msg: "Bad request", detail: "user_id names no user" });
    const now = Math.floor(state.now() / 1000) * 1000;
    const created: { id: string; access_token: string }[] = [];
    for (let i = 0; i < input.count; i++) {
      const accessToken = randomAccessToken();
      const id = randomId();
      state.addToken({
        id,
        user_id: user.id,
        customer_id: user.customer_id,
        name: `${input.name_prefix ?? "seeded"}-${i}`,
        hash: await sha256Hex(accessToken),
        scope: input.scope ?? "global",
        services: [],
        created_at: now,
        updated_at: now,
        expires_at: null,
        last_used_at: null,
        ip: null,
        user_agent: null,
        sudo_expires_at: null,
        revoked_at: null,
      });
      created.push({ id, access_token: accessToken });
    }
    return c.json(created, 201);
  });

  app.post("/customers", async (c) => {
    const { name } = await parseBody(c.req.raw, SeedCustomerSchema);
    const now = state.now();
    const customer = { id: randomId(), name, created_at: now };
    state.customers.set(customer.id, customer);
    const user = {
      id: randomId(),
      customer_id: customer.id,
      login: `user-${customer.id}@customer.example`,
      name: `${name} user`,
      role: "user" as const,
      passwordHash: await sha256Hex(randomAccessToken()),
      otpHash: null,
      two_factor_auth_enabled: false,
      locked: false,
      created_at: now,
      updated_at: now,
    };
    state.users.set(user.id, user);
    return c.json({ customer_id: customer.id, user_id: user.id }, 201);
  });

  app.get("/config", (c) => c.json(state.config));
  app.post("/config", async (c) => {
    state.config = { ...state.config, ...(await parseBody(c.req.raw, ConfigSchema)) };
    return c.json(state.config);
  });

  app.all("*", (c) => c.json({ msg: "Record not found", detail: `No emulator control route ${c.req.path}` }, 404));
  return app;
}
