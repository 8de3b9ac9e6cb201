-- The name a notification gave its account when it was written (team,
-- Notification): "Department Research", "Robert's wallet", "The workspace
-- pool", exactly as its title and body say it. Notifications read it to
-- name the account as it is called now instead (a department renamed, a
-- member's display name changed, "(removed)", "(archived)"): every place
-- the written name stands in the title and the body reads the current one.
-- '' = not known: the text is shown as it was written.
ALTER TABLE notifications ADD COLUMN named TEXT NOT NULL DEFAULT '';

-- Earlier notifications: the name is read back from their text, which the
-- same few sentences wrote (backend/team alerts.go and recharge.go). Each
-- is taken from the end of the text where the sentence has a number or a
-- month after the name, so that a name holding the sentence's own words
-- ("Ops with 5 Eng") is taken whole; a text that is none of them keeps ''.

-- Balance alerts: "NAME is out of credits", "NAME is running low".
UPDATE notifications SET named = substr(title, 1, length(title) - length(' is out of credits'))
WHERE kind = 'alert' AND named = '' AND title GLOB '?* is out of credits';
UPDATE notifications SET named = substr(title, 1, length(title) - length(' is running low'))
WHERE kind = 'alert' AND named = '' AND title GLOB '?* is running low';

-- "Moved AMOUNT credits from the pool to NAME." (the amount has no spaces).
UPDATE notifications SET named = substr(body,
		instr(body, ' credits from the pool to ') + length(' credits from the pool to '),
		length(body) - instr(body, ' credits from the pool to ') - length(' credits from the pool to '))
WHERE kind = 'recharge' AND named = '' AND title = 'Auto-recharge'
	AND body GLOB 'Moved [0-9]* credits from the pool to ?*.';

-- "The pool has too few credits to recharge NAME with AMOUNT credits. Top up
-- the pool.": the end without its sentence, less the amount's digits and
-- points, ends in " with ".
UPDATE notifications SET named = (
	SELECT substr(s, length('The pool has too few credits to recharge ') + 1,
		length(s) - length('The pool has too few credits to recharge ') - length(' with '))
	FROM (SELECT rtrim(substr(body, 1, length(body) - length(' credits. Top up the pool.')), '0123456789.') AS s))
WHERE kind = 'recharge' AND named = '' AND title = 'Auto-recharge failed'
	AND body GLOB 'The pool has too few credits to recharge ?* with [0-9]* credits. Top up the pool.'
	AND rtrim(substr(body, 1, length(body) - length(' credits. Top up the pool.')), '0123456789.') GLOB '* with ';

-- "NAME reached its auto-recharge cap of CAP credits for YYYY-MM; no more
-- automatic recharges this month.": the same, from " credits for YYYY-MM;".
UPDATE notifications SET named = (
	SELECT substr(s, 1, length(s) - length(' reached its auto-recharge cap of '))
	FROM (SELECT rtrim(substr(body, 1, length(body) - length(' credits for 2026-01; no more automatic recharges this month.')),
		'0123456789.') AS s))
WHERE kind = 'recharge' AND named = '' AND title = 'Auto-recharge cap reached'
	AND body GLOB '?* reached its auto-recharge cap of [0-9]* credits for [0-9][0-9][0-9][0-9]-[0-9][0-9]; no more automatic recharges this month.'
	AND rtrim(substr(body, 1, length(body) - length(' credits for 2026-01; no more automatic recharges this month.')), '0123456789.')
		GLOB '?* reached its auto-recharge cap of ';
