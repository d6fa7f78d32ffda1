import type { Env } from "../../src/env";
import type { AuditEntry } from "../../src/tokens/audit-entry";
import type { QueuedToken } from "../../src/tokens/revocation-job";
import { AuditLog } from "../../src/tokens/store/audit-log";
import { Sql } from "../../src/tokens/store/sql";
import type { CapturedQueue } from "./env";
import { limitsOf } from "./platform-limits";

// A test's look at what the Worker left behind: KV, D1 and the captured queue, read around the limits double.

/** Every key and value in the env's KV slice, for secret scans. */
export async function dumpKv(limited: Env): Promise<{ name: string; value: string | null; metadata: unknown }[]> {
  const env = inspect(limited);
  const out: { name: string; value: string | null; metadata: unknown }[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.TOKENS_KV.list({ cursor });
    for (const k of page.keys) out.push({ name: k.name, value: await env.TOKENS_KV.get(k.name), metadata: k.metadata ?? null });
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out;
}

/** The env's audit trail (its D1 slice), for assertions. */
export function auditOf(env: Env): AuditLog {
  return new AuditLog(new Sql(inspect(env).DB));
}

/** The env's audit entries, newest first (up to 1,000). */
export async function audit(env: Env): Promise<AuditEntry[]> {
  return (await auditOf(env).list(1000)).entries;
}

/** Every row of the env's D1 slice, table by table, for "nothing was written" assertions and secret scans. */
export async function dumpD1(limited: Env): Promise<Record<string, Record<string, unknown>[]>> {
  const env = inspect(limited);
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of ["audit_log", "ledger", "claims", "confirmations", "sessions"]) {
    out[table] = (await env.DB.prepare(`SELECT * FROM ${table}`).all<Record<string, unknown>>()).results;
  }
  return out;
}

/** True when the env's D1 slice holds no row at all (outside the tables named in `allow`). */
export async function d1IsEmpty(env: Env, allow: string[] = []): Promise<boolean> {
  return Object.entries(await dumpD1(env)).every(([table, rows]) => allow.includes(table) || rows.length === 0);
}

/** Every token in the captured queue's messages (messages are packed: several tokens each). */
export function queuedTokens(queue: CapturedQueue): QueuedToken[] {
  return queue.sent.flatMap(({ body }) =>
    body.kind === "tokens" ? body.tokens : body.kind === "token" ? [{ sealedToken: body.sealedToken, tokenHash: body.tokenHash, context: body.context }] : [],
  );
}

/** A test's own look at storage goes around the limits double: never counted, never refused. */
export function inspect(env: Env): Env {
  return limitsOf(env)?.raw(env) ?? env;
}
