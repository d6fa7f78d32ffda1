import type { LeakContext, TokenSummary } from "./leak-outcome";

/** A queued leak revocation. The token travels sealed (AES-GCM under SEAL_SECRET), never in clear. */
export interface TokenJob {
  kind: "token";
  sealedToken: string;
  tokenHash: string;
  context: LeakContext;
  /** What was known about the token when it was queued (never the value). */
  token?: TokenSummary;
}

/** One token inside a packed message. */
export interface QueuedToken {
  sealedToken: string;
  tokenHash: string;
  context: LeakContext;
  /** Attempts spent so far; the queue's own attempt count is per message, and messages are re-packed. */
  attempts?: number;
  token?: TokenSummary;
}

/** Several leaked tokens in one message (a delivered message costs the same queue operations whatever it holds). */
export interface TokensJob {
  kind: "tokens";
  tokens: QueuedToken[];
}

/** A GitHub secret-scanning alert to fetch (the secret is only in the REST alert), revoke and resolve. */
export interface GitHubAlertJob {
  kind: "github_alert";
  repository: string;
  alertNumber: number;
  context: LeakContext;
}

/** `token` (one per message) is what earlier versions queued; the consumer still reads it. */
export type RevocationJob = TokensJob | TokenJob | GitHubAlertJob;
