import type { TokenResponse } from "../fastly/schemas";
import { BestEffortKv } from "./store/best-effort-kv";
import type { InvocationMeter } from "./store/invocation-meter";
import { isExpired } from "./token-facts";

/**
 * KV-backed read-through cache of token metadata (schema in docs/storage.md).
 *
 * - Entries are per *viewer* (SHA-256 of the Fastly key the upstream call was made with), because Fastly answers
 *   differently per caller; one caller's cached view must never answer another caller.
 * - Revocations write tombstones (`tomb:id:*`), which shadow every cached view of that token.
 * - Lists carry the time their upstream fetch started; `gen:<customer>` holds a time before which every cached list
 *   of that customer is stale. A mutation moves it to "now + 1 s", and a mutation already covered by the stored
 *   time writes nothing, so the key is written at most once a second however many revocations land (KV refuses a
 *   second write to one key within a second). A write refused that way is harmless: whoever wrote within the last
 *   second stored a time later than now, which covers this mutation too.
 * - KV is best effort (see BestEffortKv): a failed read is a miss, a failed write is logged.
 */
export interface Tombstone {
  revokedAt: string;
  /** `not_live`: a reported value Fastly did not accept (never issued, expired or revoked elsewhere). */
  reason?: "revoked" | "not_live";
  tokenId?: string | null;
  name?: string | null;
  userId?: string | null;
  customerId?: string | null;
}

interface Entry<T> {
  v: T;
  /** Lists: epoch ms when the upstream fetch started. */
  gen: number;
  customerId: string | null;
  /** Tokens: epoch ms when Fastly gave this answer (a `c:self` entry is then proof that the key was live). */
  at?: number;
}

/** How far ahead a generation mark is set: one KV write covers every mutation of the customer for this long. */
export const GENERATION_COALESCE_MS = 1_000;

/** What this isolate last wrote per customer, per namespace: skips writes an earlier mark already covers. */
const marksWritten = new WeakMap<KVNamespace, Map<string, number>>();

/**
 * Proofs of life this isolate obtained, per namespace: `c:self` key → epoch ms when Fastly was asked. A re-proof that
 * brings nothing new is kept here instead of rewriting the KV entry (see `putToken`). Bounded: only keys Fastly
 * accepted get here, and the map is dropped whole when it grows past this many.
 */
const proofsHeld = new WeakMap<KVNamespace, Map<string, number>>();
const MAX_PROOFS_HELD = 10_000;

/** Fields Fastly rewrites on every authenticated call (the call itself is a use): not news about the token. */
function withoutUse(token: TokenResponse): string {
  const { last_used_at: _at, ip: _ip, user_agent: _ua, ...rest } = token;
  return JSON.stringify(rest);
}

export const keys = {
  self: (viewer: string) => `c:self:${viewer}`,
  id: (tokenId: string, viewer: string) => `c:id:${tokenId}:${viewer}`,
  userList: (viewer: string) => `c:list:user:${viewer}`,
  customerList: (customerId: string, viewer: string) => `c:list:customer:${customerId}:${viewer}`,
  generation: (customerId: string) => `gen:${customerId}`,
  tombById: (tokenId: string) => `tomb:id:${tokenId}`,
};

export class TokenCache {
  private readonly kv: BestEffortKv;
  private readonly marks: Map<string, number>;
  private readonly proofs: Map<string, number>;
  /** Entries read this invocation that were too old to prove anything: what a re-proof is compared with. */
  private readonly stale = new Map<string, Entry<TokenResponse>>();

  constructor(
    namespace: KVNamespace,
    private readonly ttl: number,
    private readonly tombstoneTtl: number,
    meter?: InvocationMeter,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.kv = new BestEffortKv(namespace, meter);
    const marks = marksWritten.get(namespace) ?? new Map<string, number>();
    marksWritten.set(namespace, marks);
    this.marks = marks;
    const proofs = proofsHeld.get(namespace) ?? new Map<string, number>();
    proofsHeld.set(namespace, proofs);
    this.proofs = proofs;
  }

  async tombstoneById(tokenId: string): Promise<Tombstone | null> {
    return this.kv.getJson<Tombstone>(keys.tombById(tokenId));
  }

  /**
   * A token entry (by id or self): a hit only if no tombstone names it and, with `maxAgeMs`, only if Fastly vouched
   * for it less than that long ago, by the entry's own time or a later proof held in this isolate (a passthrough key's
   * `c:self` entry is its proof of life, and proofs go stale).
   */
  async getToken(key: string, maxAgeMs?: number): Promise<TokenResponse | "revoked" | null> {
    const entry = await this.kv.getJson<Entry<TokenResponse>>(key);
    if (!entry) return null;
    if (maxAgeMs !== undefined) {
      const age = this.nowMs() - Math.max(entry.at ?? Number.NEGATIVE_INFINITY, this.proofs.get(key) ?? Number.NEGATIVE_INFINITY);
      if (!(age >= 0 && age < maxAgeMs)) {
        this.stale.set(key, entry);
        return null;
      }
    }
    // An entry outliving its token's expiry must not vouch for it: Fastly would now answer 401, so ask Fastly.
    if (isExpired(entry.v, new Date())) return null;
    if (entry.v.id && (await this.tombstoneById(entry.v.id))) return "revoked";
    return entry.v;
  }

  /**
   * `at`: when the upstream call that answered `token` started (default now). When the answer re-proves a stale entry
   * that it does not change (beyond the use fields), the proof is held in the isolate and KV is not written: a key
   * used all day would otherwise rewrite its entry every minute, against KV's daily write cap.
   */
  async putToken(key: string, token: TokenResponse, at = this.nowMs()): Promise<void> {
    const previous = this.stale.get(key);
    this.stale.delete(key);
    if (previous && withoutUse(previous.v) === withoutUse(token)) {
      if (this.proofs.size >= MAX_PROOFS_HELD) this.proofs.clear();
      this.proofs.set(key, at);
      return;
    }
    const entry: Entry<TokenResponse> = { v: token, gen: 0, customerId: token.customer_id ?? null, at };
    await this.kv.put(key, JSON.stringify(entry), { expirationTtl: this.ttl });
  }

  /** A list entry: a hit only while its customer's generation is unchanged. */
  async getList(key: string): Promise<TokenResponse[] | null> {
    const entry = await this.kv.getJson<Entry<TokenResponse[]>>(key);
    if (!entry) return null;
    if (entry.customerId && !(entry.gen > (await this.generation(entry.customerId)))) return null;
    return entry.v;
  }

  /** `gen` must be the time (epoch ms) the upstream fetch started, taken before it was sent. */
  async putList(key: string, tokens: TokenResponse[], customerId: string | null, gen: number): Promise<void> {
    const entry: Entry<TokenResponse[]> = { v: tokens, gen, customerId };
    await this.kv.put(key, JSON.stringify(entry), { expirationTtl: this.ttl });
  }

  /** Epoch ms before which every cached list of the customer is stale (0: never changed). */
  async generation(customerId: string): Promise<number> {
    return Number((await this.kv.getText(keys.generation(customerId))) ?? 0) || 0;
  }

  /** Makes every cached list of the customer fetched until now stale, writing the mark at most once a second. */
  async bumpGeneration(customerId: string): Promise<void> {
    const now = this.nowMs();
    if ((this.marks.get(customerId) ?? 0) >= now) return;
    const mark = now + GENERATION_COALESCE_MS;
    this.marks.set(customerId, mark);
    // Lives as long as the longest list entry could. If KV refused it, forget the mark so the next mutation tries
    // again (a refusal for writing too often means a later mark is already stored; any other means nothing is).
    const stored = await this.kv.put(keys.generation(customerId), String(mark), { expirationTtl: Math.max(this.ttl * 2, 86_400) });
    if (!stored && this.marks.get(customerId) === mark) this.marks.delete(customerId);
  }

  /**
   * Tombstones are by id: reads are by id, and a value's fate is the revocation ledger's (D1). A value whose id is not
   * known (a token that may not read itself) needs none: Fastly answers 401 for it from then on.
   */
  async writeTombstone(tokenId: string | null | undefined, tomb: Tombstone): Promise<void> {
    if (tokenId) await this.kv.put(keys.tombById(tokenId), JSON.stringify(tomb), { expirationTtl: this.tombstoneTtl });
  }

  async delete(...keysToDelete: string[]): Promise<void> {
    await Promise.all(keysToDelete.map((k) => this.kv.delete(k)));
  }
}
