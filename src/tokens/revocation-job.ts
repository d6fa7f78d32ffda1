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

/** A GitHub secret-scanning alert to fetch (the secret is only in the REST alert), revoke and resolve. */
export interface GitHubAlertJob {
  kind: "github_alert";
  repository: string;
  alertNumber: number;
  context: LeakContext;
}

export type RevocationJob = TokenJob | GitHubAlertJob;
