-- When each member was in which department, so that a member sees a
-- department's notifications raised while they were in it, not those raised
-- before they joined or after they left (team.Service.Notifications).
--
-- Append-only: a row says "from `since` on, member user_id is in department
-- department_id" (NULL: in none); the member's department at a moment is that
-- of their latest row at or before it (ties: the later id). AddMember and
-- UpdateMember (the window's and the CLI's one code path) add a row when a
-- member is added to a department or their department changes, in the same
-- transaction as the change. Rows are never updated or deleted.
CREATE TABLE member_department_history (
	id            INTEGER PRIMARY KEY,
	user_id       INTEGER NOT NULL REFERENCES users(id),
	department_id INTEGER REFERENCES departments(id), -- NULL: no department
	since         TEXT NOT NULL                       -- store.TimeLayoutNano (UTC, fixed width)
);
-- The notifications query's lookup: a member's latest row at or before a
-- notification's created_at.
CREATE INDEX member_department_history_user_since ON member_department_history(user_id, since);

CREATE TRIGGER member_department_history_no_update BEFORE UPDATE ON member_department_history
BEGIN SELECT RAISE(ABORT, 'member_department_history is append-only'); END;
CREATE TRIGGER member_department_history_no_delete BEFORE DELETE ON member_department_history
BEGIN SELECT RAISE(ABORT, 'member_department_history is append-only'); END;

-- Back-fill, 1: the audit log. Every member.add and member.update has been
-- logged in the transaction that made it, with the member before and after
-- (JSON, departmentId 0 = none), so the moments members joined and left
-- departments are known: each entry whose department differs from the one
-- before is a row, at the entry's time.
INSERT INTO member_department_history(user_id, department_id, since)
SELECT u.id, NULLIF(a.dept_after, 0), a.at
FROM (SELECT id, at, CAST(substr(target, 6) AS INTEGER) AS uid,
		COALESCE(json_extract(before_json, '$.departmentId'), 0) AS dept_before,
		COALESCE(json_extract(after_json, '$.departmentId'), 0) AS dept_after
	FROM audit_log
	WHERE action IN ('member.add', 'member.update') AND target LIKE 'user:%'
		AND json_valid(before_json) AND json_valid(after_json)) a
JOIN users u ON u.id = a.uid
WHERE a.dept_after IS NOT a.dept_before
	AND (a.dept_after = 0 OR a.dept_after IN (SELECT id FROM departments))
ORDER BY a.id;

-- Back-fill, 2: a member whose department the log does not end on (a
-- database edited by hand, say) is in it from their creation when the log
-- has nothing about them, else from the last change to their row (at or
-- after the change the log missed).
INSERT INTO member_department_history(user_id, department_id, since)
SELECT u.id, u.department_id,
	CASE WHEN h.since IS NULL THEN u.created_at ELSE max(u.updated_at, h.since) END
FROM users u
LEFT JOIN member_department_history h ON h.id = (SELECT id FROM member_department_history
	WHERE user_id = u.id ORDER BY since DESC, id DESC LIMIT 1)
WHERE COALESCE(u.department_id, 0) <> COALESCE(h.department_id, 0)
ORDER BY u.id;
