import * as z from "zod/mini";

// KV records of the confirmation step (documented in docs/chatops.md, "Storage"):
//   chat:confirm:<nonce>  {"tokenIds":[…],"principal":"slack:T1/U1","expiresAt":<epoch s>}  until expiry + 60 s
//   chat:used:<nonce>     "1"                                                              until expiry + 60 s
// Neither holds a secret: token ids and the principal are what the audit log shows anyway.
const PENDING = "chat:confirm:";
const USED = "chat:used:";
// KV's TTL floor is 60 s; the extra minute also outlives clock skew between the writer and a later reader.
const GRACE_SECONDS = 60;

const PendingSchema = z.object({
  tokenIds: z.array(z.string()).check(z.minLength(1)),
  principal: z.string(),
  expiresAt: z.int(),
});
export type PendingConfirmation = z.infer<typeof PendingSchema>;

/** The token ids a confirmation button stands for, and whether the button was already used. */
export class ConfirmStore {
  constructor(private readonly kv: KVNamespace) {}

  async save(nonce: string, pending: PendingConfirmation, nowSeconds: number): Promise<void> {
    await this.kv.put(PENDING + nonce, JSON.stringify(pending), { expirationTtl: ttl(pending.expiresAt, nowSeconds) });
  }

  async load(nonce: string): Promise<PendingConfirmation | null> {
    const raw = await this.kv.get(PENDING + nonce, "json");
    const parsed = PendingSchema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  }

  async isUsed(nonce: string): Promise<boolean> {
    return (await this.kv.get(USED + nonce)) !== null;
  }

  /**
   * Best effort across locations (KV is eventually consistent): a second click in another location within
   * about a minute could pass. Revocation is idempotent, so the worst case is a second "already revoked" answer.
   */
  async markUsed(nonce: string, expiresAt: number, nowSeconds: number): Promise<void> {
    await this.kv.put(USED + nonce, "1", { expirationTtl: ttl(expiresAt, nowSeconds) });
  }
}

function ttl(expiresAt: number, nowSeconds: number): number {
  return Math.max(60, Math.ceil(expiresAt - nowSeconds) + GRACE_SECONDS);
}
