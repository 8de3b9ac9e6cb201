-- An archived department's account ends with it, as a removed member's wallet
-- does (team.Service.ArchiveDepartment, endAccountTx, which now does this in
-- the archive's transaction): it allows no overdraft (policy blocked, floor
-- 0; credits go to it only to settle a debt), it has
-- no auto-recharge rule (a recharge to it is refused anyway) and raises no
-- balance alerts. Departments archived by an earlier version kept all three;
-- this ends them, each change logged in the audit log as the system's, as
-- migration 0760 does for removed members' wallets.

-- The policy: logged as credits.policy (before and after, as the ledger logs
-- it), then set. Archiving requires a zero balance, but an overdraft kept
-- since let a transfer out leave a debt: the debt stays, and may be settled
-- (team.AcceptsCredits takes credits up to what it owes).
INSERT INTO audit_log(at, actor_id, actor_name, action, target, before_json, after_json)
SELECT strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z', NULL, 'system', 'credits.policy', a.code,
	json_object('kind', a.policy, 'limit',
		CASE WHEN a.limit_minor % 1000000000 = 0 THEN CAST(a.limit_minor / 1000000000 AS TEXT)
		ELSE rtrim(printf('%d.%09d', a.limit_minor / 1000000000, a.limit_minor % 1000000000), '0') END),
	json_object('kind', 'blocked', 'limit', '0')
FROM ledger_accounts a JOIN departments d ON a.code = 'dept:' || d.id
WHERE d.archived <> 0 AND a.kind <> 'system' AND (a.policy <> 'blocked' OR a.limit_minor <> 0)
ORDER BY d.id;

UPDATE ledger_accounts SET policy = 'blocked', limit_minor = 0
WHERE kind <> 'system' AND (policy <> 'blocked' OR limit_minor <> 0)
	AND code IN (SELECT 'dept:' || id FROM departments WHERE archived <> 0);

UPDATE departments SET overdraft_minor = 0 WHERE archived <> 0 AND overdraft_minor <> 0;

-- The auto-recharge rules: logged as recharge.remove (the rule before, as
-- team.AutoRecharge), then removed.
INSERT INTO audit_log(at, actor_id, actor_name, action, target, before_json, after_json)
SELECT strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z', NULL, 'system', 'recharge.remove', r.account,
	json_object('account', r.account,
		'threshold', CASE WHEN r.threshold_minor % 1000000000 = 0 THEN CAST(r.threshold_minor / 1000000000 AS TEXT)
			ELSE rtrim(printf('%d.%09d', r.threshold_minor / 1000000000, r.threshold_minor % 1000000000), '0') END,
		'amount', CASE WHEN r.amount_minor % 1000000000 = 0 THEN CAST(r.amount_minor / 1000000000 AS TEXT)
			ELSE rtrim(printf('%d.%09d', r.amount_minor / 1000000000, r.amount_minor % 1000000000), '0') END,
		'monthlyCap', CASE WHEN r.monthly_cap_minor % 1000000000 = 0 THEN CAST(r.monthly_cap_minor / 1000000000 AS TEXT)
			ELSE rtrim(printf('%d.%09d', r.monthly_cap_minor / 1000000000, r.monthly_cap_minor % 1000000000), '0') END,
		'enabled', json(CASE WHEN r.enabled THEN 'true' ELSE 'false' END),
		'thisMonth', ''),
	'null'
FROM auto_recharge r JOIN departments d ON r.account = 'dept:' || d.id
WHERE d.archived <> 0
ORDER BY d.id;

DELETE FROM auto_recharge WHERE account IN (SELECT 'dept:' || id FROM departments WHERE archived <> 0);

-- The alerts' state (fired thresholds, auto-recharge notices).
DELETE FROM alert_state WHERE account IN (SELECT 'dept:' || id FROM departments WHERE archived <> 0);
