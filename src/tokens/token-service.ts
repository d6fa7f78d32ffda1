import { FastlyApiError, FastlyClient, type CreateTokenParams, type RateLimit, type SudoParams } from "../fastly";
import type { SudoResponse, TokenCreatedResponse, TokenResponse } from "../fastly/schemas";
import type { Config } from "../config";
import { sha256Hex } from "../crypto/hash";
import type { Actor } from "./actor";
import { type AuditResult, tokenFields } from "./audit-entry";
import type { AuditFilter, AuditLog, AuditPage } from "./store/audit-log";
import type { InvocationMeter } from "./store/invocation-meter";
import { checkCreatePolicy } from "./create-policy";
import { forbidden, notConfigured, TokenServiceError } from "./errors";
import { failureText } from "./failure";
import { keys, TokenCache } from "./token-cache";

export type CacheStatus = "HIT" | "MISS";
export interface Read<T> {
  value: T;
  cache: CacheStatus;
}
/** Rate-limit figures from the upstream response, when one was made. */
export type RateLimitSeen = { remaining: number | null; reset: number | null };
export interface Mutation {
  dryRun: boolean;
  tokens: TokenResponse[];
  rateLimit?: RateLimitSeen;
}

/** Counts per isolate: how many upstream calls were made and how many the cache and tombstones saved. */
export interface ServiceStats {
  upstreamCalls: number;
  savedCalls: number;
}

export interface TokenServiceDeps {
  config: Config;
  kv: KVNamespace;
  audit: AuditLog;
  fetch?: typeof fetch;
  now?: () => Date;
  /** Shared counters (per isolate); a fresh object when omitted. */
  stats?: ServiceStats;
  /** This invocation's meter: KV operations are counted on it (the same meter must wrap `fetch`). */
  meter?: InvocationMeter;
}

/** Largest bulk revocation accepted in one call: each id may need a metadata lookup, within the subrequest budget. */
export const MAX_BULK = 40;

/**
 * How long Fastly's word that a passthrough key is live stands. However long the data it read stays cached
 * (CACHE_TTL_SECONDS, up to a day), a key revoked or expired at Fastly is refused within this window.
 */
export const PROOF_MAX_AGE_MS = 60_000;

/** Fastly's message for a key it does not know, expired or revoked, whether the status is 401 or 403. */
const CREDENTIALS_MSG = "Provided credentials are missing or invalid";

const lookupFailed = () => new TokenServiceError(404, "not_found", "Token lookup failed");
const unauthorized = () => new TokenServiceError(401, "unauthorized", CREDENTIALS_MSG);

/**
 * Fastly refused (403) or did not find (404): for a passthrough caller, a verdict about reading, not about revoking.
 * A 403 that names the credentials unknown (reference §10.3) is a verdict about the caller, never this.
 */
const refused = (err: unknown, ...statuses: number[]) =>
  err instanceof FastlyApiError && err.kind === "http" && statuses.includes(err.status) && err.msg !== CREDENTIALS_MSG;

/**
 * The core. The only code that calls the Fastly client. Owns caching, tombstones, audit, dry run,
 * the self-token guard and the create policy; surfaces translate requests into these calls.
 */
export class TokenService {
  readonly stats: ServiceStats;
  private readonly cache: TokenCache;
  private readonly now: () => Date;

  constructor(private readonly deps: TokenServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.cache = new TokenCache(deps.kv, deps.config.cacheTtl, deps.config.tombstoneTtl, deps.meter, () => this.now().getTime());
    this.stats = deps.stats ?? { upstreamCalls: 0, savedCalls: 0 };
  }

  /** An actor for a caller who presented their own Fastly token (passthrough). */
  async passthroughActor(key: string, surface: Actor["surface"] = "api"): Promise<Actor> {
    const viewer = await sha256Hex(key);
    return { surface, principal: `token:${viewer.slice(0, 12)}`, upstreamKey: key, viewer, asWorker: false };
  }

  /** An actor that acts with the Worker's own FASTLY_API_TOKEN. */
  async workerActor(surface: Actor["surface"], principal: string, extra: Partial<Actor> = {}): Promise<Actor> {
    const key = this.deps.config.fastly.token;
    if (!key) throw notConfigured("The Worker's Fastly token", "FASTLY_API_TOKEN");
    return { surface, principal, upstreamKey: key, viewer: await sha256Hex(key), asWorker: true, ...extra };
  }

  private client(key?: string, retries?: number): FastlyClient {
    const { baseUrl, timeoutMs } = this.deps.config.fastly;
    return new FastlyClient({ apiKey: key, baseUrl, timeoutMs, fetch: this.deps.fetch, ...(retries === undefined ? {} : { retries }) });
  }

  private async upstream<T>(call: () => Promise<T>): Promise<T> {
    this.stats.upstreamCalls++;
    return call();
  }

  private async readThrough<T>(
    get: () => Promise<T | "revoked" | null>,
    fetchFresh: () => Promise<T>,
    put: (value: T) => Promise<void>,
    revoked: () => TokenServiceError = lookupFailed,
  ): Promise<Read<T>> {
    const hit = await get();
    if (hit === "revoked") {
      this.stats.savedCalls++;
      throw revoked();
    }
    if (hit !== null) {
      this.stats.savedCalls++;
      return { value: hit, cache: "HIT" };
    }
    const value = await this.upstream(fetchFresh);
    await put(value);
    return { value, cache: "MISS" };
  }

  private checkCustomer(actor: Actor, customerId: string | null | undefined): void {
    if (actor.customerId && customerId !== actor.customerId) {
      throw forbidden("this API key is restricted to another customer");
    }
  }

  async getTokenCurrent(actor: Actor): Promise<Read<TokenResponse>> {
    const key = keys.self(actor.viewer);
    // A passthrough key's cached self view is its proof of life, so it is served only while the proof is fresh.
    const maxAge = actor.asWorker ? undefined : PROOF_MAX_AGE_MS;
    let askedAt = 0;
    const read = await this.readThrough(
      () => this.cache.getToken(key, maxAge),
      () => {
        askedAt = this.now().getTime();
        return this.client(actor.upstreamKey).getTokenCurrent();
      },
      (t) => this.cache.putToken(key, t, askedAt),
      // A revoked key is no longer a credential: Fastly answers 401, not 404.
      unauthorized,
    );
    this.checkCustomer(actor, read.value.customer_id);
    return read;
  }

  /**
   * Proves a passthrough key with Fastly (`GET /tokens/self`, answered from the cache while the last proof is under
   * PROOF_MAX_AGE_MS old) before anything about tokens is read or written for it: an unknown, revoked or expired key
   * reads no cached view or tombstone and leaves no audit entry or KV write, whether Fastly answers it 401 or 403.
   * Every live key may read its own metadata, so a 403 there means an unknown key (Fastly's credentials message);
   * a 403 with any other message would be Fastly refusing a key it knows, which is a credential all the same.
   * Worker actors were authenticated by the Worker (its API keys) and need no proof.
   */
  private async prove(actor: Actor): Promise<void> {
    if (actor.asWorker) return;
    try {
      await this.getTokenCurrent(actor);
    } catch (err) {
      if (err instanceof FastlyApiError && err.kind === "http" && err.status === 403 && err.msg !== CREDENTIALS_MSG) return;
      throw err;
    }
  }

  async getToken(actor: Actor, tokenId: string): Promise<Read<TokenResponse>> {
    await this.prove(actor);
    return this.readToken(actor, tokenId);
  }

  /** `getToken` for an actor already proven. */
  private async readToken(actor: Actor, tokenId: string): Promise<Read<TokenResponse>> {
    const tomb = await this.cache.tombstoneById(tokenId);
    if (tomb) {
      // A restricted key learns nothing about another customer's tokens, not even that one was revoked.
      this.checkCustomer(actor, tomb.customerId);
      this.stats.savedCalls++;
      throw lookupFailed();
    }
    const key = keys.id(tokenId, actor.viewer);
    const read = await this.readThrough(
      () => this.cache.getToken(key),
      () => this.client(actor.upstreamKey).getToken({ token_id: tokenId }),
      (t) => this.cache.putToken(key, t),
    );
    this.checkCustomer(actor, read.value.customer_id);
    return read;
  }

  async listTokensUser(actor: Actor): Promise<Read<TokenResponse[]>> {
    await this.prove(actor);
    const key = keys.userList(actor.viewer);
    if (actor.customerId) this.checkCustomer(actor, (await this.getTokenCurrent(actor)).value.customer_id);
    const customerOf = async () => {
      try {
        return (await this.getTokenCurrent(actor)).value.customer_id ?? null;
      } catch (err) {
        // Fastly may refuse a limited key its own metadata (403) and still let it list: the list is then not cached.
        if (!actor.asWorker && refused(err, 403)) return null;
        throw err;
      }
    };
    return this.readList(key, customerOf, () => this.client(actor.upstreamKey).listTokensUser());
  }

  async listTokensCustomer(actor: Actor, customerId: string): Promise<Read<TokenResponse[]>> {
    await this.prove(actor);
    this.checkCustomer(actor, customerId);
    const key = keys.customerList(customerId, actor.viewer);
    return this.readList(key, async () => customerId, () => this.client(actor.upstreamKey).listTokensCustomer({ customer_id: customerId }));
  }

  /**
   * Lists are stored with the time their upstream call started: a revoke or create that lands while the list is in
   * flight moves the customer's mark past it, so the possibly stale list is never served as current.
   */
  private async readList(key: string, customerOf: () => Promise<string | null>, fetchFresh: () => Promise<TokenResponse[]>) {
    let customerId: string | null = null;
    let generation = 0;
    return this.readThrough(
      () => this.cache.getList(key),
      async () => {
        customerId = await customerOf();
        generation = this.now().getTime();
        return fetchFresh();
      },
      // A list whose customer is unknown could never be invalidated by that customer's mutations: not cached.
      async (list) => (customerId ? this.cache.putList(key, list, customerId, generation) : undefined),
    );
  }

  /**
   * Creates a token. A caller's own key (passthrough) creates as Fastly decides for that key: inside a sudo window,
   * whatever else the form holds (go-fastly sends the password again; it is not forwarded). Without one (or with a
   * Worker API key) the call carries username/password and no Fastly-Key, Fastly's documented flow.
   * The returned access_token goes to the caller only: it is never cached, logged or audited.
   */
  async createToken(actor: Actor, params: CreateTokenParams): Promise<{ created: TokenCreatedResponse; rateLimit: RateLimitSeen } | Mutation> {
    checkCreatePolicy(params, this.deps.config.createPolicy, this.now());
    const withKey = !actor.asWorker && Boolean(actor.upstreamKey);
    if (!withKey && !(params.username && params.password)) {
      const detail = actor.asWorker ? "a Worker API key creates tokens with username and password only" : undefined;
      throw new TokenServiceError(400, "invalid_request", "username and password are required", detail);
    }
    if (withKey) await this.prove(actor);
    // Username and password are checked by Fastly only when the create is made: until Fastly accepts them the caller
    // is anonymous, so a dry run or a refusal of theirs is not audited (an audit entry per anonymous request at will).
    const known = actor.asWorker || withKey;
    if (this.isDryRun(actor)) {
      if (known) await this.record(actor, "createToken", "dry_run", null, `would create "${params.name ?? ""}" (${scopeText(params)})`);
      return { dryRun: true, tokens: [] };
    }
    const client = this.client(withKey ? actor.upstreamKey : undefined);
    try {
      const sent = withKey ? { ...params, username: undefined, password: undefined } : params;
      const created = await this.upstream(() => client.createToken(sent));
      if (created.customer_id) await this.cache.bumpGeneration(created.customer_id);
      await this.record(actor, "createToken", "ok", created);
      return { created, rateLimit: client.rateLimit };
    } catch (err) {
      if (known) await this.recordError(actor, "createToken", null, err);
      throw err;
    }
  }

  /**
   * `POST /sudo` with the caller's own key (go-fastly's step before a create). Audited, never cached; the caller's
   * cached self view is dropped, since its sudo_expires_at changes.
   */
  async sudo(actor: Actor, params: SudoParams): Promise<{ value: SudoResponse; rateLimit: RateLimitSeen }> {
    const client = this.client(actor.upstreamKey);
    try {
      const value = await this.upstream(() => client.sudo(params));
      await this.cache.delete(keys.self(actor.viewer));
      await this.record(actor, "sudo", "ok", null, `sudo window until ${value.expiry_time ?? "unknown"}`);
      return { value, rateLimit: client.rateLimit };
    } catch (err) {
      await this.recordError(actor, "sudo", null, err);
      throw err;
    }
  }

  async revokeToken(actor: Actor, tokenId: string): Promise<Mutation> {
    await this.checkForce(actor, "revokeToken", tokenId);
    await this.prove(actor);
    const token = await this.lookupForRevoke(actor, "revokeToken", tokenId);
    await this.guardSelf(actor, [token], false);
    if (this.isDryRun(actor)) {
      await this.record(actor, "revokeToken", "dry_run", token);
      return { dryRun: true, tokens: [token] };
    }
    const client = this.client(actor.upstreamKey);
    try {
      await this.upstream(() => client.revokeToken({ token_id: tokenId }));
    } catch (err) {
      await this.recordError(actor, "revokeToken", token, err);
      throw err;
    }
    await this.afterRevoke([token], null, actor);
    await this.record(actor, "revokeToken", "ok", token);
    return { dryRun: false, tokens: [token], rateLimit: { ...client.rateLimit } };
  }

  async revokeTokenCurrent(actor: Actor): Promise<Mutation> {
    await this.checkForce(actor, "revokeTokenCurrent", null);
    const token = await this.currentForRevoke(actor);
    await this.guardSelf(actor, [token], true);
    if (this.isDryRun(actor)) {
      await this.record(actor, "revokeTokenCurrent", "dry_run", token);
      return { dryRun: true, tokens: [token] };
    }
    const client = this.client(actor.upstreamKey);
    try {
      await this.upstream(() => client.revokeTokenCurrent());
    } catch (err) {
      await this.recordError(actor, "revokeTokenCurrent", token, err);
      throw err;
    }
    await this.afterRevoke([token], actor.viewer, actor);
    await this.record(actor, "revokeTokenCurrent", "ok", token);
    return { dryRun: false, tokens: [token], rateLimit: { ...client.rateLimit } };
  }

  async bulkRevokeTokens(actor: Actor, tokenIds: string[]): Promise<Mutation> {
    const ids = [...new Set(tokenIds)];
    if (ids.length === 0) throw new TokenServiceError(400, "invalid_request", "Bad request", "data must list at least one token");
    if (ids.length > MAX_BULK) {
      throw new TokenServiceError(400, "invalid_request", "Bad request", `data must list at most ${MAX_BULK} tokens`);
    }
    await this.checkForce(actor, "bulkRevokeTokens", null, `${ids.length} tokens`);
    await this.prove(actor);
    const tokens: TokenResponse[] = [];
    for (const id of ids) tokens.push(await this.lookupForRevoke(actor, "bulkRevokeTokens", id));
    await this.guardSelf(actor, tokens, false);
    if (this.isDryRun(actor)) {
      for (const t of tokens) await this.record(actor, "bulkRevokeTokens", "dry_run", t);
      return { dryRun: true, tokens };
    }
    const client = this.client(actor.upstreamKey);
    try {
      await this.upstream(() => client.bulkRevokeTokens({ token_ids: ids }));
    } catch (err) {
      for (const t of tokens) await this.recordError(actor, "bulkRevokeTokens", t, err);
      throw err;
    }
    await this.afterRevoke(tokens, null, actor);
    for (const t of tokens) await this.record(actor, "bulkRevokeTokens", "ok", t);
    return { dryRun: false, tokens, rateLimit: { ...client.rateLimit } };
  }

  /**
   * The audit trail, newest first. Entries never hold a secret. A customer-restricted actor sees its customer's only,
   * filtered in the query so its pages are as full as anyone's.
   */
  async listAudit(limit = 50, cursor?: string | null, actor?: Actor, filter: AuditFilter = {}): Promise<AuditPage> {
    if (actor) this.checkCustomer(actor, filter.customerId ?? actor.customerId);
    return this.deps.audit.list(limit, cursor, actor?.customerId ? { ...filter, customerId: actor.customerId } : filter);
  }

  // The leak workflow's three upstream steps. They make no audit entry (the workflow writes one per token, with its
  // context) and no client-side retries (the queue retries, with backoff that survives the invocation).

  /** `GET /tokens/self` as the reported value: proves it live and names it. Throws the client's error. */
  async proveLive(rawToken: string): Promise<TokenResponse> {
    return this.upstream(() => this.client(rawToken, 0).getTokenCurrent());
  }

  /**
   * `DELETE /tokens/self` as the leaked token itself: needs no admin credential. Returns the rate-limit figures of
   * the token's user (Fastly counts writes per user, shared by all of that user's tokens). On a Fastly error the
   * figures ride on the thrown FastlyApiError.
   */
  async revokeLeakedAsItself(rawToken: string, token: TokenResponse, tokenHash: string): Promise<RateLimit> {
    const client = this.client(rawToken, 0);
    await this.upstream(() => client.revokeTokenCurrent());
    await this.afterRevoke([token], tokenHash, null);
    return client.rateLimit;
  }

  /**
   * `DELETE /tokens` (bulk) with the Worker's own token: one write for many leaked tokens it can see. Fastly's
   * behaviour on a partly invalid list is not documented; callers treat any error as "none revoked" and fall back.
   */
  async revokeLeakedInBulk(leaked: { token: TokenResponse & { id: string }; tokenHash: string }[]): Promise<RateLimit> {
    const key = this.deps.config.fastly.token;
    if (!key) throw notConfigured("The Worker's Fastly token", "FASTLY_API_TOKEN");
    const client = this.client(key, 0);
    await this.upstream(() => client.bulkRevokeTokens({ token_ids: leaked.map((l) => l.token.id) }));
    await Promise.all(leaked.map((l) => this.afterRevoke([l.token], l.tokenHash, null)));
    return client.rateLimit;
  }

  /** The customer the Worker's own token belongs to (cached like any read): whose tokens it can bulk-revoke. */
  async workerCustomerId(): Promise<string | null> {
    if (!this.deps.config.fastly.token) return null;
    const actor = await this.workerActor("leak", "worker");
    return (await this.getTokenCurrent(actor)).value.customer_id ?? null;
  }

  /** `DELETE /tokens/{id}` with the Worker's own token: for a leaked token that may not revoke itself. */
  async revokeLeakedById(token: TokenResponse & { id: string }, tokenHash: string): Promise<void> {
    const key = this.deps.config.fastly.token;
    if (!key) throw notConfigured("The Worker's Fastly token", "FASTLY_API_TOKEN");
    await this.upstream(() => this.client(key, 0).revokeToken({ token_id: token.id }));
    await this.afterRevoke([token], tokenHash, null);
  }

  /** A revocation that happened elsewhere (Fastly said so): shadow the token's cached views all the same. */
  async recordRevokedElsewhere(token: TokenResponse, tokenHash: string): Promise<void> {
    await this.afterRevoke([token], tokenHash, null);
  }

  /** The Worker's own token id, to refuse revoking it by accident. */
  async ownTokenId(): Promise<string | null> {
    if (!this.deps.config.fastly.token) return null;
    const actor = await this.workerActor("api", "worker");
    return (await this.getTokenCurrent(actor)).value.id ?? null;
  }

  /**
   * The current token's metadata, for the audit and the guard. Fastly may refuse a limited key its own metadata (403)
   * yet let it revoke itself, so for a passthrough caller the revocation then goes ahead and gets Fastly's verdict.
   */
  private async currentForRevoke(actor: Actor): Promise<TokenResponse> {
    try {
      return (await this.getTokenCurrent(actor)).value;
    } catch (err) {
      if (!actor.asWorker && !this.isDryRun(actor) && refused(err, 403)) return {};
      throw err;
    }
  }

  private async lookupForRevoke(actor: Actor, operation: string, tokenId: string): Promise<TokenResponse> {
    const tomb = await this.cache.tombstoneById(tokenId);
    if (tomb) {
      this.checkCustomer(actor, tomb.customerId);
      this.stats.savedCalls++;
      await this.record(actor, operation, "already_revoked", { id: tokenId, name: tomb.name, user_id: tomb.userId ?? undefined, customer_id: tomb.customerId ?? undefined });
      throw lookupFailed();
    }
    try {
      return (await this.readToken(actor, tokenId)).value;
    } catch (err) {
      // Fastly's rules for reading and for revoking differ (a global:read key may read, not revoke; a token it will
      // not show may still be refused differently): a passthrough revocation gets Fastly's own verdict instead.
      if (!actor.asWorker && !this.isDryRun(actor) && refused(err, 403, 404)) return { id: tokenId };
      if (err instanceof FastlyApiError && err.kind === "http" && err.status === 404) {
        // Revoked elsewhere (or never this caller's to see): Fastly's 404 stands, and is recorded as such.
        await this.record(actor, operation, "already_revoked", { id: tokenId }, "Fastly answered 404: revoked or unknown");
      } else {
        await this.recordError(actor, operation, { id: tokenId }, err);
      }
      throw err;
    }
  }

  /**
   * `force` overrides the self-token guard, i.e. lets the caller revoke the Worker's own FASTLY_API_TOKEN, after which
   * every surface fails. A Worker API key acts with that very token, so `force` needs its distinct `admin` scope;
   * `revoke` alone is refused (audited, nothing read from Fastly, nothing changed). A passthrough caller acts with its
   * own Fastly token, so Fastly decides what it may revoke; `force` is all it needs.
   */
  private async checkForce(actor: Actor, operation: string, tokenId: string | null, what?: string): Promise<void> {
    if (!actor.force || !actor.asWorker || actor.admin) return;
    const detail = 'force=true needs the "admin" scope: it lets the caller revoke the Worker\'s own token';
    await this.record(actor, operation, "denied", tokenId ? { id: tokenId } : null, what ? `${detail} (${what})` : detail);
    throw forbidden(detail);
  }

  /**
   * Refuses to revoke the Worker's own FASTLY_API_TOKEN unless the actor forces it (see `checkForce`):
   * by value when revoking the current token, by id otherwise.
   */
  private async guardSelf(actor: Actor, tokens: TokenResponse[], revokingCurrent: boolean): Promise<void> {
    const ownKey = this.deps.config.fastly.token;
    if (actor.force || !ownKey) return;
    const ownId = revokingCurrent ? null : await this.ownTokenId();
    const hit = revokingCurrent
      ? actor.viewer === (await sha256Hex(ownKey))
        ? tokens[0]
        : undefined
      : tokens.find((t) => t.id !== undefined && t.id === ownId);
    if (!hit) return;
    await this.record(actor, "guard", "denied", hit, "self-token guard");
    throw new TokenServiceError(
      409,
      "self_token",
      "Refusing to revoke the Worker's own token",
      "this is the FASTLY_API_TOKEN the Worker runs with; repeat with force=true to revoke it anyway",
    );
  }

  /**
   * The one place a revocation is recorded in the cache: tombstones shadow every cached view of the tokens, the
   * acting viewer's own entries go, and each customer's lists go stale. Best effort (KV): never throws.
   */
  private async afterRevoke(tokens: TokenResponse[], tokenHash: string | null, actor: Actor | null): Promise<void> {
    const revokedAt = this.now().toISOString();
    const customers = new Set<string>();
    const writes: Promise<unknown>[] = [];
    for (const t of tokens) {
      writes.push(
        this.cache.writeTombstone(t.id, {
          revokedAt,
          reason: "revoked",
          tokenId: t.id ?? null,
          name: t.name ?? null,
          userId: t.user_id ?? null,
          customerId: t.customer_id ?? null,
        }),
      );
      if (t.id && actor) writes.push(this.cache.delete(keys.id(t.id, actor.viewer)));
      if (t.customer_id) customers.add(t.customer_id);
    }
    if (tokenHash) writes.push(this.cache.delete(keys.self(tokenHash)));
    for (const c of customers) writes.push(this.cache.bumpGeneration(c));
    await Promise.all(writes);
  }

  private isDryRun(actor: Actor): boolean {
    return this.deps.config.dryRun || actor.dryRun === true;
  }

  private async record(actor: Actor, operation: string, result: AuditResult, token: TokenResponse | null, detail?: string) {
    await this.deps.audit.append({
      surface: actor.surface,
      principal: actor.principal,
      operation,
      result,
      ...tokenFields(token),
      ...(detail ? { detail } : {}),
    });
  }

  private async recordError(actor: Actor, operation: string, token: TokenResponse | null, err: unknown) {
    if (credentialsRefused(actor, err)) return;
    const detail = failureText(err, "audit");
    await this.record(actor, operation, err instanceof TokenServiceError && err.status === 403 ? "denied" : "error", token, detail);
  }
}

/**
 * Fastly refused the caller's own credentials (passthrough key or username/password): nobody was authenticated, so
 * there is no one to audit, and an anonymous caller must not be able to spend KV writes (a quota) at will.
 */
function credentialsRefused(actor: Actor, err: unknown): boolean {
  if (actor.asWorker || !(err instanceof FastlyApiError) || err.kind !== "http") return false;
  // An unknown key may be refused with 403 rather than 401 (reference §10.3): told apart from a permission 403 by msg.
  const unknownKey = err.status === 403 && err.msg === "Provided credentials are missing or invalid";
  return err.status === 401 || unknownKey || (err.status === 400 && ["invalid_grant", "account_locked", "2fa.verify"].includes(err.code ?? ""));
}

function scopeText(params: CreateTokenParams): string {
  return Array.isArray(params.scope) ? params.scope.join(" ") : (params.scope ?? "global");
}
