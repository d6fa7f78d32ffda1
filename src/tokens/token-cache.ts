import type { TokenResponse } from "../fastly/schemas";

/**
 * KV-backed read-through cache of token metadata (schema in docs/storage.md).
 *
 * - Entries are per *viewer* (SHA-256 of the Fastly key the upstream call was made with), because Fastly answers
 *   differently per caller; one caller's cached view must never answer another caller.
 * - Revocations write tombstones (`tomb:id:*`, `tomb:hash:*`), which shadow every cached view of that token.
 * - Lists carry the customer's generation (`gen:*`); any mutation in the customer bumps it, so every viewer's
 *   cached lists of that customer miss from then on without having to find and delete them.
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
  gen: number;
  customerId: string | null;
}

export const keys = {
  self: (viewer: string) => `c:self:${viewer}`,
  id: (tokenId: string, viewer: string) => `c:id:${tokenId}:${viewer}`,
  userList: (viewer: string) => `c:list:user:${viewer}`,
  customerList: (customerId: string, viewer: string) => `c:list:customer:${customerId}:${viewer}`,
  generation: (customerId: string) => `gen:${customerId}`,
  tombById: (tokenId: string) => `tomb:id:${tokenId}`,
  tombByHash: (tokenHash: string) => `tomb:hash:${tokenHash}`,
};

export class TokenCache {
  constructor(
    private readonly kv: KVNamespace,
    private readonly ttl: number,
    private readonly tombstoneTtl: number,
  ) {}

  async tombstoneById(tokenId: string): Promise<Tombstone | null> {
    return this.kv.get<Tombstone>(keys.tombById(tokenId), "json");
  }

  async tombstoneByHash(tokenHash: string): Promise<Tombstone | null> {
    return this.kv.get<Tombstone>(keys.tombByHash(tokenHash), "json");
  }

  /** A token entry (by id or self): a hit only if no tombstone names it. */
  async getToken(key: string): Promise<TokenResponse | "revoked" | null> {
    const entry = await this.kv.get<Entry<TokenResponse>>(key, "json");
    if (!entry) return null;
    // An entry outliving its token's expiry must not vouch for it: Fastly would now answer 401, so ask Fastly.
    if (entry.v.expires_at && Date.parse(entry.v.expires_at) <= Date.now()) return null;
    if (entry.v.id && (await this.tombstoneById(entry.v.id))) return "revoked";
    return entry.v;
  }

  async putToken(key: string, token: TokenResponse): Promise<void> {
    const entry: Entry<TokenResponse> = { v: token, gen: 0, customerId: token.customer_id ?? null };
    await this.kv.put(key, JSON.stringify(entry), { expirationTtl: this.ttl });
  }

  /** A list entry: a hit only while its customer's generation is unchanged. */
  async getList(key: string): Promise<TokenResponse[] | null> {
    const entry = await this.kv.get<Entry<TokenResponse[]>>(key, "json");
    if (!entry) return null;
    if (entry.customerId && entry.gen !== (await this.generation(entry.customerId))) return null;
    return entry.v;
  }

  /** `gen` must be the customer's generation read before the list was fetched. */
  async putList(key: string, tokens: TokenResponse[], customerId: string | null, gen: number): Promise<void> {
    const entry: Entry<TokenResponse[]> = { v: tokens, gen, customerId };
    await this.kv.put(key, JSON.stringify(entry), { expirationTtl: this.ttl });
  }

  async generation(customerId: string): Promise<number> {
    return Number((await this.kv.get(keys.generation(customerId))) ?? 0);
  }

  /** Makes every cached list of the customer stale. Lives as long as the longest list entry could. */
  async bumpGeneration(customerId: string): Promise<void> {
    const next = (await this.generation(customerId)) + 1;
    await this.kv.put(keys.generation(customerId), String(next), { expirationTtl: Math.max(this.ttl * 2, 86_400) });
  }

  async writeTombstone(tokenId: string | null | undefined, tokenHash: string | null, tomb: Tombstone): Promise<void> {
    const body = JSON.stringify(tomb);
    const opts = { expirationTtl: this.tombstoneTtl };
    await Promise.all([
      tokenId ? this.kv.put(keys.tombById(tokenId), body, opts) : undefined,
      tokenHash ? this.kv.put(keys.tombByHash(tokenHash), body, opts) : undefined,
    ]);
  }

  async delete(...keysToDelete: string[]): Promise<void> {
    await Promise.all(keysToDelete.map((k) => this.kv.delete(k)));
  }
}
