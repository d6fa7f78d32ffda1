import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";

// The Worker's own env (used by tests that go through the real queue consumer) gets the schema too. Idempotent:
// applied migrations are recorded in the database. Per-test slices are made by test/helpers/d1.ts.
const bindings = env as unknown as { DB: D1Database; TEST_MIGRATIONS: D1Migration[] };
await applyD1Migrations(bindings.DB, bindings.TEST_MIGRATIONS);
