-- Reports and statements (backend/reports, backend/statements).

-- Daily roll-up of posted ledger transfers (kind posted|post), kept by
-- backend/reports from ledger_transfers (read-only there) so that dashboard
-- aggregates never scan the whole ledger. Day is the UTC date 'YYYY-MM-DD'.
-- 0 stands for "none" in user_id, department_id and conversation_id so that
-- the key is unique (NULLs are distinct in SQLite unique keys).
CREATE TABLE report_daily (
	day             TEXT    NOT NULL,
	op              TEXT    NOT NULL,
	debit_id        INTEGER NOT NULL,
	credit_id       INTEGER NOT NULL,
	user_id         INTEGER NOT NULL,
	department_id   INTEGER NOT NULL,
	model           TEXT    NOT NULL,
	amount_minor    INTEGER NOT NULL,
	n               INTEGER NOT NULL,
	PRIMARY KEY (day, op, debit_id, credit_id, user_id, department_id, model)
) WITHOUT ROWID;
CREATE INDEX report_daily_user ON report_daily(user_id, day);

-- Usage per conversation and day (credits to sys:usage only).
CREATE TABLE report_conversation_daily (
	day             TEXT    NOT NULL,
	conversation_id INTEGER NOT NULL,
	user_id         INTEGER NOT NULL,
	amount_minor    INTEGER NOT NULL,
	n               INTEGER NOT NULL,
	PRIMARY KEY (day, conversation_id, user_id)
) WITHOUT ROWID;

-- How far the roll-ups have read ledger_transfers (highest transfer id).
CREATE TABLE report_rollup_state (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	last_id INTEGER NOT NULL
);
INSERT INTO report_rollup_state(id, last_id) VALUES (1, 0);

-- Anomalies already notified (so each is announced once).
CREATE TABLE report_anomalies_notified (
	key        TEXT PRIMARY KEY,
	created_at TEXT NOT NULL
);
