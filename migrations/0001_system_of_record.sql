-- The system of record: what must be exact or queryable (docs/storage.md). KV stays a best-effort cache.
-- Every time is epoch milliseconds (INTEGER). No column ever holds a Fastly token, a password or a signing secret:
-- a leaked value is named by its SHA-256 (lowercase hex).

-- Append-only audit trail, filtered by the dashboard and GET /audit; retention enforced by the daily cron.
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,            -- <at_ms, 13 digits>-<8 hex>: unique and time-ordered
  at_ms INTEGER NOT NULL,
  surface TEXT NOT NULL,
  principal TEXT NOT NULL,
  operation TEXT NOT NULL,
  result TEXT NOT NULL,
  token_id TEXT,
  token_name TEXT,
  owner_id TEXT,
  customer_id TEXT,
  token_hash TEXT,
  detail TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at_ms DESC, id DESC);
CREATE INDEX audit_log_by_token ON audit_log (token_id, at_ms DESC);
CREATE INDEX audit_log_by_owner ON audit_log (owner_id, at_ms DESC);
CREATE INDEX audit_log_by_customer ON audit_log (customer_id, at_ms DESC);
CREATE INDEX audit_log_by_result ON audit_log (result, at_ms DESC);
CREATE INDEX audit_log_by_surface ON audit_log (surface, at_ms DESC);

-- One row per reported leaked value. Claiming is one atomic upsert, so concurrent reports of the same token cause
-- one revocation and one notification.
CREATE TABLE ledger (
  token_hash TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('claimed', 'revoked', 'not_live', 'failed', 'unverified', 'queued')),
  claim_until_ms INTEGER,         -- a claim not settled by then was abandoned (the invocation died) and may be retaken
  first_seen_ms INTEGER NOT NULL, -- when the leak was first seen (the report's own date where it has one)
  reported_ms INTEGER NOT NULL,   -- when the Worker first received a report of it
  updated_ms INTEGER NOT NULL,
  revoked_ms INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  source TEXT,
  token_id TEXT,
  token_name TEXT,
  owner_id TEXT,
  customer_id TEXT,
  detail TEXT
);
CREATE INDEX ledger_by_token ON ledger (token_id);
CREATE INDEX ledger_by_update ON ledger (updated_ms DESC);

-- Deliveries and replays, claimed before processing (insert-if-absent), released if processing failed so the
-- sender's retry is still handled. `key` is a hash of what the sender signed.
CREATE TABLE claims (
  key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('processing', 'done')),
  expires_ms INTEGER NOT NULL
);
CREATE INDEX claims_by_expiry ON claims (expires_ms);

-- Chat confirmations: single use, consumed atomically.
CREATE TABLE confirmations (
  nonce TEXT PRIMARY KEY,
  payload TEXT NOT NULL,          -- {"tokenIds":[…],"principal":"…"}: ids and who asked, never a secret
  expires_ms INTEGER NOT NULL,
  used_ms INTEGER
);
CREATE INDEX confirmations_by_expiry ON confirmations (expires_ms);

-- Dashboard sessions, so logout and "sign out everywhere" end them server-side.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,            -- SHA-256 of the random session id carried in the signed cookie
  principal TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  ended_ms INTEGER
);
CREATE INDEX sessions_by_principal ON sessions (principal);
CREATE INDEX sessions_by_expiry ON sessions (expires_ms);
