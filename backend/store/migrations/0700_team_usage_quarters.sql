-- Usage per member, model and quarter hour (UTC), kept by a trigger as the
-- ledger posts: what a member's limit checks sum (team.spent) instead of
-- scanning every transfer of the member, which grew with each message sent
-- (4 such scans per send, two of them inside the ledger's single writer).
-- Every period a limit counts (a day or a month in the workspace's zone)
-- starts and ends on a quarter hour in UTC: every zone's offset is a
-- multiple of 15 minutes. team.spent checks that and otherwise sums the
-- transfers as before.
--
-- quarter is created_at's first 14 characters and the minutes floored to a
-- quarter: '2026-11-22T16:45' for 16:47:12.123Z. used_minor is the usage
-- credited to sys:usage net of reversals debited from it, as team.spent
-- always counted it. The ledger is append-only (no transfer is deleted or
-- its amount changed), so an insert trigger keeps the table exact.
CREATE TABLE team_usage_quarters (
	user_id    INTEGER NOT NULL,
	quarter    TEXT NOT NULL,
	model      TEXT NOT NULL,
	used_minor INTEGER NOT NULL,
	PRIMARY KEY (user_id, quarter, model)
) WITHOUT ROWID;

CREATE TRIGGER team_usage_quarters_count AFTER INSERT ON ledger_transfers
WHEN NEW.user_id IS NOT NULL AND NEW.kind IN ('posted', 'post')
	AND (NEW.credit_id = (SELECT id FROM ledger_accounts WHERE code = 'sys:usage')
		OR NEW.debit_id = (SELECT id FROM ledger_accounts WHERE code = 'sys:usage'))
BEGIN
	INSERT INTO team_usage_quarters (user_id, quarter, model, used_minor)
	VALUES (NEW.user_id,
		substr(NEW.created_at, 1, 14) || CASE
			WHEN substr(NEW.created_at, 15, 2) < '15' THEN '00'
			WHEN substr(NEW.created_at, 15, 2) < '30' THEN '15'
			WHEN substr(NEW.created_at, 15, 2) < '45' THEN '30'
			ELSE '45' END,
		NEW.model,
		CASE WHEN NEW.credit_id = (SELECT id FROM ledger_accounts WHERE code = 'sys:usage')
			THEN NEW.amount_minor ELSE -NEW.amount_minor END)
	ON CONFLICT (user_id, quarter, model) DO UPDATE SET used_minor = used_minor + excluded.used_minor;
END;

-- What was posted before this version.
INSERT INTO team_usage_quarters (user_id, quarter, model, used_minor)
SELECT t.user_id,
	substr(t.created_at, 1, 14) || CASE
		WHEN substr(t.created_at, 15, 2) < '15' THEN '00'
		WHEN substr(t.created_at, 15, 2) < '30' THEN '15'
		WHEN substr(t.created_at, 15, 2) < '45' THEN '30'
		ELSE '45' END AS q,
	t.model,
	SUM(CASE WHEN c.code = 'sys:usage' THEN t.amount_minor ELSE -t.amount_minor END)
FROM ledger_transfers t
JOIN ledger_accounts c ON c.id = t.credit_id
JOIN ledger_accounts d ON d.id = t.debit_id
WHERE t.user_id IS NOT NULL AND t.kind IN ('posted', 'post') AND (c.code = 'sys:usage' OR d.code = 'sys:usage')
GROUP BY t.user_id, q, t.model;
