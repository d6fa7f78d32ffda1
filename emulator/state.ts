import type { CallRecord } from "./call-log";
import { Clock } from "./clock";
import type { ActiveFault } from "./faults";
import { RateLimiter } from "./rate-limiter";
import {
  type CustomerRecord,
  DEFAULT_CONFIG,
  type EmulatorConfig,
  type ServiceRecord,
  type TokenRecord,
  type UserRecord,
} from "./records";
import { buildSeedSnapshot } from "./seed";

/** Initial configuration (any `EmulatorConfig` field; `POST /__emulator/config` changes it later) and the clock source. */
export interface EmulatorOptions extends Partial<EmulatorConfig> {
  /** Real-time source for the clock (defaults to Date.now). */
  now?: () => number;
}

const MAX_CALLS = 10_000;

/** One tenant's world: seeded records, clock, rate limiter, fault rules and call log. */
export class EmulatorState {
  readonly clock: Clock;
  readonly rateLimiter = new RateLimiter();
  config: EmulatorConfig;
  customers = new Map<string, CustomerRecord>();
  services = new Map<string, ServiceRecord>();
  users = new Map<string, UserRecord>();
  tokens = new Map<string, TokenRecord>();
  faults: ActiveFault[] = [];
  calls: CallRecord[] = [];
  #byHash = new Map<string, TokenRecord>();
  #loading: Promise<void> | null = null;

  constructor(private readonly options: EmulatorOptions = {}) {
    this.clock = new Clock(options.now);
    this.config = this.#initialConfig();
  }

  /**
   * Seeding hashes secrets with Web Crypto, which is async and (in workerd) not allowed at module scope,
   * so it starts on the first request rather than in the constructor.
   */
  ready(): Promise<void> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  /** Back to the seed: records, clock, config, faults, call log and rate-limit windows. */
  reset(): Promise<void> {
    const previous = this.#loading ?? Promise.resolve();
    this.#loading = previous.catch(() => undefined).then(() => this.#load());
    return this.#loading;
  }

  now(): number {
    return this.clock.now();
  }

  tokenByHash(hash: string): TokenRecord | undefined {
    return this.#byHash.get(hash);
  }

  userByLogin(login: string): UserRecord | undefined {
    const wanted = login.trim().toLowerCase();
    for (const user of this.users.values()) if (user.login.toLowerCase() === wanted) return user;
    return undefined;
  }

  addToken(token: TokenRecord): void {
    this.tokens.set(token.id, token);
    this.#byHash.set(token.hash, token);
  }

  logCall(call: CallRecord): void {
    this.calls.push(call);
    if (this.calls.length > MAX_CALLS) this.calls.splice(0, this.calls.length - MAX_CALLS);
  }

  #initialConfig(): EmulatorConfig {
    const config = { ...DEFAULT_CONFIG };
    for (const key of Object.keys(DEFAULT_CONFIG) as (keyof EmulatorConfig)[]) {
      if (this.options[key] !== undefined) Object.assign(config, { [key]: this.options[key] });
    }
    return config;
  }

  async #load(): Promise<void> {
    this.clock.set(null);
    this.config = this.#initialConfig();
    this.faults = [];
    this.calls = [];
    this.rateLimiter.clear();
    const snapshot = await buildSeedSnapshot(this.clock.now());
    this.customers = snapshot.customers;
    this.services = snapshot.services;
    this.users = snapshot.users;
    this.tokens = new Map();
    this.#byHash = new Map();
    for (const token of snapshot.tokens.values()) this.addToken(token);
  }
}
