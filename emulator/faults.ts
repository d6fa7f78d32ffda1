import type { Context, MiddlewareHandler } from "hono";
import { z } from "zod";
import { DroppedConnection } from "./errors";
import type { EmulatorEnv } from "./hono-env";
import { randomId } from "./random";
import type { EmulatorState } from "./state";

export const FaultRuleSchema = z
  .object({
    /** Matches any method when absent (case-insensitive). */
    method: z.string().min(1).optional(),
    /** Exact tenant-relative path, or a prefix ending in "*"; any path when absent. */
    path: z.string().startsWith("/").optional(),
    /** How many matching calls it hits (default 1; with `probability`, the maximum, default unlimited). */
    count: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    status: z.number().int().min(200).max(599).optional(),
    /** A string is sent verbatim (for non-JSON bodies); anything else as JSON. */
    body: z.unknown().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    delayMs: z.number().int().min(0).max(120_000).optional(),
    drop: z.boolean().optional(),
  })
  .strict()
  .refine(
    (r) => r.status !== undefined || r.body !== undefined || r.headers !== undefined || r.delayMs !== undefined || r.drop,
    "A fault needs at least one of status, body, headers, delayMs or drop",
  );

export type FaultRule = z.infer<typeof FaultRuleSchema>;

export interface ActiveFault {
  id: string;
  rule: FaultRule;
  /** Matching calls it may still hit (Infinity = unlimited). */
  remaining: number;
}

export function activateFault(rule: FaultRule): ActiveFault {
  const remaining = rule.count ?? (rule.probability === undefined ? 1 : Number.POSITIVE_INFINITY);
  return { id: randomId(12), rule, remaining };
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (!rule.path) return true;
  return rule.path.endsWith("*") ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path;
}

/** The first rule that matches (and, with a probability, fires), spending one of its uses. */
export function takeFault(state: EmulatorState, method: string, path: string): ActiveFault | undefined {
  for (const fault of state.faults) {
    if (fault.remaining <= 0 || !matches(fault.rule, method, path)) continue;
    if (fault.rule.probability !== undefined && Math.random() >= fault.rule.probability) continue;
    fault.remaining -= 1;
    if (fault.remaining <= 0) state.faults = state.faults.filter((f) => f !== fault);
    return fault;
  }
  return undefined;
}

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

function faultResponse(rule: FaultRule): Response {
  const status = rule.status ?? 500;
  const headers = new Headers(rule.headers);
  if (rule.body === undefined || NULL_BODY_STATUS.has(status)) return new Response(null, { status, headers });
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  const body = typeof rule.body === "string" ? rule.body : JSON.stringify(rule.body);
  return new Response(body, { status, headers });
}

/**
 * Under @hono/node-server the Node socket is at `c.env.incoming.socket`: destroying it is a real dropped
 * connection. A Worker has no socket to destroy, so the request fails with an exception instead.
 */
function dropConnection(c: Context<EmulatorEnv>): Response {
  const incoming = c.env?.incoming as { socket?: { destroy(): void } } | undefined;
  if (!incoming?.socket) throw new DroppedConnection();
  incoming.socket.destroy();
  return new Response(null, { status: 502 });
}

/** Serves matching fault rules before anything else runs, so a faulted call never changes state. */
export function faults(state: EmulatorState): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const fault = takeFault(state, c.req.method, new URL(c.req.url).pathname);
    if (!fault) return next();
    const { rule } = fault;
    if (rule.delayMs) await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
    if (rule.drop) {
      c.set("faulted", true);
      c.set("dropped", true);
      return dropConnection(c);
    }
    if (rule.status === undefined && rule.body === undefined && rule.headers === undefined) return next();
    c.set("faulted", true);
    return faultResponse(rule);
  };
}
