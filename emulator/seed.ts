import seedJson from "./seed.json";
import { sha256Hex } from "./random";
import type { CustomerRecord, Role, ServiceRecord, TokenRecord, UserRecord } from "./records";

type Seed = typeof seedJson;
export type CustomerKey = keyof Seed["customers"];
export type ServiceKey = keyof Seed["services"];
export type UserKey = keyof Seed["users"];
export type TokenKey = keyof Seed["tokens"];

export interface DemoCustomer {
  id: string;
  name: string;
}
export interface DemoService {
  id: string;
  name: string;
  customer_id: string;
}
export interface DemoUser {
  id: string;
  customer_id: string;
  login: string;
  name: string;
  role: Role;
  password: string;
  /** The fixed one-time password of a 2FA user, else null. */
  otp: string | null;
  two_factor_auth_enabled: boolean;
  locked: boolean;
}
export interface DemoToken {
  id: string;
  name: string;
  user_id: string;
  customer_id: string;
  scope: string;
  /** Service ids. */
  services: string[];
  access_token: string;
  revoked: boolean;
  /** The seed's relative time specs ("-30d", "+3d", null), resolved against the clock when a tenant is seeded. */
  relative: {
    created_at: string;
    last_used_at: string | null;
    expires_at: string | null;
    sudo_expires_at: string | null;
  };
}

interface SeedCustomer {
  id: string;
  name: string;
  created_at: string;
}
interface SeedService {
  id: string;
  customer: string;
  name: string;
}
interface SeedUser {
  id: string;
  customer: string;
  login: string;
  name: string;
  role: string;
  password: string;
  two_factor_auth_enabled: boolean;
  otp: string | null;
  locked: boolean;
  created_at: string;
}
interface SeedToken {
  id: string;
  user: string;
  name: string;
  scope: string;
  services: string[];
  access_token: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  sudo_expires_at: string | null;
  ip: string | null;
  user_agent: string | null;
  revoked: boolean;
}

const customers = seedJson.customers as Record<CustomerKey, SeedCustomer>;
const services = seedJson.services as Record<ServiceKey, SeedService>;
const users = seedJson.users as Record<UserKey, SeedUser>;
const tokens = seedJson.tokens as Record<TokenKey, SeedToken>;

function lookup<T>(table: Record<string, T>, key: string, what: string): T {
  const found = table[key];
  if (!found) throw new Error(`seed.json: unknown ${what} "${key}"`);
  return found;
}

function mapValues<K extends string, V, R>(table: Record<K, V>, fn: (value: V) => R): Record<K, R> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, fn(v as V)])) as Record<K, R>;
}

/** Typed access to the seed, with raw demo secrets, for tests and docs: `demo.tokens.superuserGlobal.access_token`. */
export const demo = {
  customers: mapValues(customers, (c): DemoCustomer => ({ id: c.id, name: c.name })),
  services: mapValues(
    services,
    (s): DemoService => ({ id: s.id, name: s.name, customer_id: lookup(customers, s.customer, "customer").id }),
  ),
  users: mapValues(
    users,
    (u): DemoUser => ({
      id: u.id,
      customer_id: lookup(customers, u.customer, "customer").id,
      login: u.login,
      name: u.name,
      role: u.role as Role,
      password: u.password,
      otp: u.otp,
      two_factor_auth_enabled: u.two_factor_auth_enabled,
      locked: u.locked,
    }),
  ),
  tokens: mapValues(tokens, (t): DemoToken => {
    const user = lookup(users, t.user, "user");
    return {
      id: t.id,
      name: t.name,
      user_id: user.id,
      customer_id: lookup(customers, user.customer, "customer").id,
      scope: t.scope,
      services: t.services.map((key) => lookup(services, key, "service").id),
      access_token: t.access_token,
      revoked: t.revoked,
      relative: {
        created_at: t.created_at,
        last_used_at: t.last_used_at,
        expires_at: t.expires_at,
        sudo_expires_at: t.sudo_expires_at,
      },
    };
  }),
};

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Resolves "-30d", "+3d", "-2h", "-15m", "-45s", "now", an absolute ISO time, or null against `nowMs`. */
export function resolveTime(spec: string | null, nowMs: number): number | null {
  if (spec === null) return null;
  if (spec === "now") return nowMs;
  const relative = /^([+-])(\d+)([smhd])$/.exec(spec);
  if (relative) {
    const amount = Number(relative[2]) * UNIT_MS[relative[3] as keyof typeof UNIT_MS];
    return relative[1] === "-" ? nowMs - amount : nowMs + amount;
  }
  const absolute = Date.parse(spec);
  if (Number.isNaN(absolute)) throw new Error(`seed.json: bad time "${spec}"`);
  return absolute;
}

function at(spec: string, nowMs: number): number {
  return resolveTime(spec, nowMs) ?? nowMs;
}

export interface SeedSnapshot {
  customers: Map<string, CustomerRecord>;
  services: Map<string, ServiceRecord>;
  users: Map<string, UserRecord>;
  tokens: Map<string, TokenRecord>;
}

/** Builds fresh records from seed.json, hashing every secret, with times resolved against `nowMs`. */
export async function buildSeedSnapshot(nowMs: number): Promise<SeedSnapshot> {
  // Whole seconds, like every timestamp Fastly returns.
  const now = Math.floor(nowMs / 1000) * 1000;
  const snapshot: SeedSnapshot = { customers: new Map(), services: new Map(), users: new Map(), tokens: new Map() };
  for (const c of Object.values<SeedCustomer>(customers)) {
    snapshot.customers.set(c.id, { id: c.id, name: c.name, created_at: at(c.created_at, now) });
  }
  for (const s of Object.values(demo.services)) snapshot.services.set(s.id, { ...s });
  for (const u of Object.values<SeedUser>(users)) {
    const created = at(u.created_at, now);
    snapshot.users.set(u.id, {
      id: u.id,
      customer_id: lookup(customers, u.customer, "customer").id,
      login: u.login,
      name: u.name,
      role: u.role as Role,
      passwordHash: await sha256Hex(u.password),
      otpHash: u.otp === null ? null : await sha256Hex(u.otp),
      two_factor_auth_enabled: u.two_factor_auth_enabled,
      locked: u.locked,
      created_at: created,
      updated_at: created,
    });
  }
  for (const [key, t] of Object.entries<SeedToken>(tokens)) {
    const d = demo.tokens[key as TokenKey];
    const created = at(t.created_at, now);
    snapshot.tokens.set(t.id, {
      id: t.id,
      user_id: d.user_id,
      customer_id: d.customer_id,
      name: t.name,
      hash: await sha256Hex(t.access_token),
      scope: t.scope,
      services: [...d.services],
      created_at: created,
      updated_at: created,
      expires_at: resolveTime(t.expires_at, now),
      last_used_at: resolveTime(t.last_used_at, now),
      ip: t.ip,
      user_agent: t.user_agent,
      sudo_expires_at: resolveTime(t.sudo_expires_at, now),
      revoked_at: t.revoked ? (resolveTime(t.last_used_at, now) ?? created) : null,
    });
  }
  return snapshot;
}
