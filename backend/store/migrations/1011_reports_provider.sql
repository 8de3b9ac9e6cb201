-- Usage by model names the provider too (backend/reports): a local server's
-- gpt-4o and OpenAI's gpt-4o are two rows, each at its own rates. The
-- provider is the name the usage posting's meta holds ("provider", written
-- by backend/chat since the first version; '' when a transfer has none).
-- report_daily is a cache of ledger_transfers: it is rebuilt with the new
-- column by the next Refresh (the ledger is never touched).
DROP TABLE report_daily;
CREATE TABLE report_daily (
	day             TEXT    NOT NULL,
	op              TEXT    NOT NULL,
	debit_id        INTEGER NOT NULL,
	credit_id       INTEGER NOT NULL,
	user_id         INTEGER NOT NULL,
	department_id   INTEGER NOT NULL,
	model           TEXT    NOT NULL,
	provider        TEXT    NOT NULL,
	amount_minor    INTEGER NOT NULL,
	n               INTEGER NOT NULL,
	PRIMARY KEY (day, op, debit_id, credit_id, user_id, department_id, model, provider)
) WITHOUT ROWID;
CREATE INDEX report_daily_user ON report_daily(user_id, day);
DELETE FROM report_conversation_daily;
UPDATE report_rollup_state SET last_id = 0 WHERE id = 1;
