/** A queued leak revocation. The token travels sealed (AES-GCM), never in clear. */
export interface RevocationJob {
  sealedToken: string;
  tokenHash: string;
  source: Record<string, string | undefined>;
  attempt: number;
}
