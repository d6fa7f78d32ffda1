import type { AuditResult, Surface } from "../../tokens/audit-entry";
import { type AuditFilter, isAuditCursor } from "../../tokens/store/audit-log";
import { invalidRequest as bad } from "../errors";

// `GET /audit` query parameters. Every filter runs in the query (D1), so every page is full; a malformed value is a
// 400 naming the parameter, never repeating the value.

const SURFACES = ["api", "leak", "slack", "discord", "mattermost", "schedule", "dashboard", "queue"] as const satisfies readonly Surface[];
const RESULTS = ["ok", "dry_run", "denied", "error", "not_live", "already_revoked", "queued", "failed", "unverified"] as const satisfies readonly AuditResult[];
// Compile-time: the lists name every surface and result (a new one must be added here to be filterable).
const everySurface: Exclude<Surface, (typeof SURFACES)[number]> extends never ? true : never = true;
const everyResult: Exclude<AuditResult, (typeof RESULTS)[number]> extends never ? true : never = true;
void everySurface;
void everyResult;

const ID = /^[A-Za-z0-9]{1,64}$/;
const OPERATION = /^[A-Za-z][A-Za-z_]{0,63}$/;
// ISO 8601 with a time and an offset, as the entries' own `at`.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export interface AuditQuery {
  limit: number;
  cursor: string | null;
  filter: AuditFilter;
}

export function parseAuditQuery(params: URLSearchParams): AuditQuery {
  const one = (name: string): string | undefined => {
    const all = params.getAll(name);
    if (all.length > 1) throw bad(`${name} may be given once`);
    return all[0];
  };
  const id = (name: string) => {
    const v = one(name);
    if (v !== undefined && !ID.test(v)) throw bad(`${name} must be 1-64 alphanumeric characters`);
    return v;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]) => {
    const v = one(name);
    if (v !== undefined && !(allowed as readonly string[]).includes(v)) throw bad(`${name} must be one of: ${allowed.join(", ")}`);
    return v as T | undefined;
  };
  const time = (name: string) => {
    const v = one(name);
    if (v === undefined) return undefined;
    const ms = DATE_TIME.test(v) ? Date.parse(v) : Number.NaN;
    if (!Number.isFinite(ms)) throw bad(`${name} must be an ISO 8601 date-time with an offset, e.g. 2026-07-01T00:00:00Z`);
    return ms;
  };

  const limitText = one("limit") ?? "50";
  const limit = Number(limitText);
  if (!/^\d{1,4}$/.test(limitText) || limit < 1 || limit > 1000) throw bad("limit must be an integer from 1 to 1000");
  const cursor = one("cursor") ?? null;
  if (cursor !== null && !(cursor.length <= 200 && isAuditCursor(cursor))) throw bad("cursor is malformed: pass the cursor of the previous page as it came");
  const operation = one("operation");
  if (operation !== undefined && !OPERATION.test(operation)) throw bad("operation must be an operation name, e.g. revokeToken");

  const filter: AuditFilter = {
    tokenId: id("token_id"),
    ownerId: id("owner_id"),
    customerId: id("customer_id"),
    result: oneOf("result", RESULTS),
    surface: oneOf("surface", SURFACES),
    operation,
    since: time("since"),
    until: time("until"),
  };
  if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) throw bad("since must be before until");
  for (const key of Object.keys(filter) as (keyof AuditFilter)[]) if (filter[key] === undefined) delete filter[key];
  return { limit, cursor, filter };
}
