/** In-memory records. Times are epoch milliseconds; secrets exist only as SHA-256 hex. */

export type Role = "user" | "engineer" | "billing" | "superuser" | "tls_viewer" | "tls_admin";

export interface CustomerRecord {
  id: string;
  name: string;
  created_at: number;
}

export interface ServiceRecord {
  id: string;
  name: string;
  customer_id: string;
}

export interface UserRecord {
  id: string;
  customer_id: string;
  login: string;
  name: string;
  role: Role;
  passwordHash: string;
  otpHash: string | null;
  two_factor_auth_enabled: boolean;
  locked: boolean;
  created_at: number;
  updated_at: number;
}

export interface TokenRecord {
  id: string;
  user_id: string;
  customer_id: string;
  name: string;
  /** SHA-256 hex of the access token. */
  hash: string;
  /** Space-delimited scope words, as Fastly returns them. */
  scope: string;
  services: string[];
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  ip: string | null;
  user_agent: string | null;
  /** End of this token's sudo window (set by POST /sudo); create with a Fastly-Key needs it in the future. */
  sudo_expires_at: number | null;
  revoked_at: number | null;
}

export interface EmulatorConfig {
  /** Non-GET requests per user per clock hour. */
  rateLimit: number;
  /** Status for a well-formed but never-issued Fastly-Key (the reference leaves 401 vs 403 open). */
  unknownKeyStatus: 401 | 403;
  /** `GET /tokens/self` with a token lacking `global` (purge-only, `global:read`): 200 allows it, 403 refuses it. */
  limitedTokenSelfStatus: 200 | 403;
  /** A non-superuser reading or revoking another user's token of the same account: 403, or 404 as if it did not exist. */
  foreignTokenStatus: 403 | 404;
  /** The most tokens one bulk revocation may name; null = no limit. */
  bulkMax: number | null;
}

export const DEFAULT_CONFIG: EmulatorConfig = {
  rateLimit: 1000,
  unknownKeyStatus: 401,
  limitedTokenSelfStatus: 200,
  foreignTokenStatus: 403,
  bulkMax: null,
};
