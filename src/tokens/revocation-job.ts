import type { LeakContext, TokenSummary } from "./leak-outcome";

/** A queued leak revocation. The token travels sealed (AES-GCM under SEAL_SECRET), never in clear. */
export interface RevocationJob {
  sealedToken: string;
  tokenHash: string;
  context: LeakContext;
  /** What was known about the token when it was queued (never the value). */
  token?: TokenSummary;
}
