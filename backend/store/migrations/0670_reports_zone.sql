-- The time zone whose calendar dates the roll-ups' `day` column holds
-- (backend/reports, Refresh): the workspace zone (backend/workzone). Until
-- now the roll-ups held UTC dates, hence the default. When the workspace
-- zone changes, the roll-ups are rebuilt from ledger_transfers in the new
-- zone (they are a cache; the ledger is never touched).
ALTER TABLE report_rollup_state ADD COLUMN zone TEXT NOT NULL DEFAULT 'UTC';
