import * as z from "zod/mini";
import { findPastedTokens } from "../../chatops/command";
import { TOKEN_SCOPES } from "../../fastly/schemas";
import type { TokenResponse } from "../../fastly/schemas";
import { byUrgency, classifyToken, FINDING_CLASSES, type FindingClass, type Thresholds } from "../../hygiene/classify";
import { filterTokens, parseTime, tokenScopes } from "../../tokens/token-facts";

export const SORT_KEYS = ["urgency", "name", "owner", "scope", "expiry", "last_used", "created"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const SORT_LABELS: Record<SortKey, string> = {
  urgency: "Most urgent",
  name: "Name",
  owner: "Owner",
  scope: "Scope",
  expiry: "Expiry",
  last_used: "Last use",
  created: "Created",
};

export interface InventoryQuery {
  q?: string;
  owner?: string;
  scope?: (typeof TOKEN_SCOPES)[number];
  finding?: FindingClass;
  expiring?: number;
  unused?: number;
  sort: SortKey;
  dir: "asc" | "desc";
}

const DAYS = "expected a whole number of days from 1 to 3650";
const days = z.pipe(
  z.string().check(z.regex(/^\d{1,4}$/, DAYS)),
  z.transform((v, ctx) => {
    const n = Number(v);
    if (n >= 1 && n <= 3650) return n;
    ctx.issues.push({ code: "custom", message: DAYS, input: "" });
    return z.NEVER;
  }),
);

const QuerySchema = z.object({
  q: z.string().check(
    z.maxLength(100, "at most 100 characters"),
    z.refine((v) => findPastedTokens(v).length === 0, "looks like a token value: search by name or id, never paste a token"),
  ),
  owner: z.string().check(z.regex(/^[A-Za-z0-9]{1,64}$/, "expected a user id (letters and digits)")),
  scope: z.enum(TOKEN_SCOPES, { message: `expected one of ${TOKEN_SCOPES.join(", ")}` }),
  finding: z.enum(FINDING_CLASSES, { message: `expected one of ${FINDING_CLASSES.join(", ")}` }),
  expiring: days,
  unused: days,
  sort: z.enum(SORT_KEYS, { message: `expected one of ${SORT_KEYS.join(", ")}` }),
  dir: z.enum(["asc", "desc"], { message: 'expected "asc" or "desc"' }),
});

const FIELDS = Object.keys(QuerySchema.shape) as (keyof typeof QuerySchema.shape)[];

export type QueryParse = { ok: true; query: InventoryQuery } | { ok: false; errors: string[] };

/**
 * The inventory's filters from the query string. Empty fields (as an unfilled form sends them) mean "no filter";
 * a field given twice, or with a value that does not fit, is an error naming the field and what it expects,
 * never repeating the value. Other parameters are ignored.
 */
export function parseInventoryQuery(params: URLSearchParams): QueryParse {
  const errors: string[] = [];
  const query: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const values = params.getAll(field).map((v) => v.trim());
    const present = values.filter((v) => v !== "");
    if (present.length === 0) continue;
    if (values.length > 1) {
      errors.push(`${field}: give it once`);
      continue;
    }
    const result = QuerySchema.shape[field].safeParse(present[0]);
    if (result.success) query[field] = result.data;
    else errors.push(`${field}: ${result.error.issues[0]?.message ?? "invalid"}`);
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, query: { sort: "urgency", dir: "asc", ...query } as InventoryQuery };
}

/** The query string for `query` with `change` applied; defaults and empty values are left out. */
export function queryString(query: Partial<InventoryQuery>, change: Partial<InventoryQuery> = {}): string {
  const merged = { ...query, ...change };
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const v = merged[field];
    if (v === undefined || v === "") continue;
    if ((field === "sort" && v === "urgency") || (field === "dir" && v === "asc")) continue;
    params.set(field, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

export interface InventoryRow {
  token: TokenResponse;
  findings: FindingClass[];
}

/** Filters and sorts; filter semantics match the chat `list` command (see filterTokens). */
export function applyQuery(tokens: TokenResponse[], query: InventoryQuery, now: Date, thresholds: Thresholds): InventoryRow[] {
  let matched = filterTokens(tokens, { target: "customer", expiringDays: query.expiring, staleDays: query.unused, scope: query.scope }, now);
  if (query.owner) matched = matched.filter((t) => t.user_id === query.owner);
  if (query.q) {
    const needle = query.q.toLowerCase();
    matched = matched.filter((t) => (t.name ?? "").toLowerCase().includes(needle) || (t.id ?? "").toLowerCase().includes(needle));
  }
  let rows = matched.map((token) => ({ token, findings: classifyToken(token, now, thresholds) }));
  if (query.finding) rows = rows.filter((r) => r.findings.includes(query.finding!));
  rows.sort(comparator(query.sort));
  if (query.dir === "desc") rows.reverse();
  return rows;
}

function comparator(sort: SortKey): (a: InventoryRow, b: InventoryRow) => number {
  const byName = (a: InventoryRow, b: InventoryRow) =>
    (a.token.name ?? "").localeCompare(b.token.name ?? "") || (a.token.id ?? "").localeCompare(b.token.id ?? "");
  const byTime = (pick: (t: TokenResponse) => string | null | undefined, missing: number) => (a: InventoryRow, b: InventoryRow) => {
    const ta = pick(a.token) ? (parseTime(pick(a.token)) ?? missing) : missing;
    const tb = pick(b.token) ? (parseTime(pick(b.token)) ?? missing) : missing;
    return ta - tb || byName(a, b);
  };
  switch (sort) {
    case "urgency":
      // Tokens with findings first, in digest order; the rest by name.
      return (a, b) => {
        if (a.findings.length === 0 || b.findings.length === 0) return (a.findings.length === 0 ? 1 : 0) - (b.findings.length === 0 ? 1 : 0) || byName(a, b);
        return byUrgency(a, b);
      };
    case "name":
      return byName;
    case "owner":
      return (a, b) => (a.token.user_id ?? "").localeCompare(b.token.user_id ?? "") || byName(a, b);
    case "scope":
      return (a, b) => tokenScopes(a.token).join(" ").localeCompare(tokenScopes(b.token).join(" ")) || byName(a, b);
    case "expiry":
      // Soonest first; tokens that never expire last.
      return byTime((t) => t.expires_at, Number.POSITIVE_INFINITY);
    case "last_used":
      // Least recently used first; never used before everything.
      return byTime((t) => t.last_used_at, Number.NEGATIVE_INFINITY);
    case "created":
      return byTime((t) => t.created_at, Number.NEGATIVE_INFINITY);
  }
}

