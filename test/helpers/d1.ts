import { env as baseEnv } from "cloudflare:workers";
import type { D1Migration } from "cloudflare:test";

/** The schema's tables; every index is named after its table (`<table>_by_…`), so one pattern renames both. */
const TABLES = /\b(audit_log|ledger|claims|confirmations|sessions)(?=\b|_)/g;

/**
 * The real local D1 database, seen through per-test table names: tests run in parallel against tenants whose
 * seeded token ids and values are identical, so each test gets its own copy of the schema in the one database
 * (the D1 twin of `prefixedKv`). Statements are rewritten, then run on the real binding.
 */
export function prefixedD1(db: D1Database, prefix: string): D1Database {
  const rename = (sql: string) => sql.replace(TABLES, `${prefix}$1`);
  return {
    prepare: (sql: string) => db.prepare(rename(sql)),
    batch: (statements: D1PreparedStatement[]) => db.batch(statements),
    exec: (sql: string) => db.exec(rename(sql)),
    withSession: () => {
      throw new Error("sessions are not used by the Worker");
    },
    dump: () => db.dump(),
  } as unknown as D1Database;
}

/** A fresh, migrated slice of the local D1 database for one test. */
export async function freshD1(prefix: string): Promise<D1Database> {
  const base = baseEnv as unknown as { DB: D1Database; TEST_MIGRATIONS: D1Migration[] };
  const db = prefixedD1(base.DB, prefix);
  const statements = base.TEST_MIGRATIONS.flatMap((m) => m.queries).map((q) => db.prepare(q));
  await db.batch(statements);
  return db;
}
