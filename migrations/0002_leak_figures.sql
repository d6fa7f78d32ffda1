-- Time to revoke and the leak figures (the dashboard's Leaks view, the daily digest, GET /metrics) read the ledger by
-- when a leak was reported and by outcome and source; these indexes keep those reads off a full table scan.
CREATE INDEX ledger_by_reported ON ledger (reported_ms DESC);
CREATE INDEX ledger_by_state_source ON ledger (state, source);
