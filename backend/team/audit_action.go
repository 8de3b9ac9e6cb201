package team

import (
	"context"
	"strings"

	"meterdesk/backend/store"
)

// The audit log by action prefix (AuditFilter.Action, `meterdesk audit list
// --action`, the window's "Action starts with"). The prefix match was
// substr(action, 1, n) = prefix, which no index serves: a list read the log
// backwards until it had its entries, all of it for a prefix with few or
// none. Alone or with an actor, it is now read through the index
// audit_log(action, id) of migration 0985: the actions that start with the
// prefix are found by a skip over the index (auditActions: one search per
// action, and there are a few dozen), and each action's entries are walked
// newest first on it, stopping after the read's limit (auditSelect), so a
// prefix shared by many entries ("member.") reads a page per action, and
// one shared by few reads only those. One range of the index instead
// (action >= ? AND action < ?, sorted by id) read every entry of a common
// prefix: 0.9 to 2 s at 200,000 entries. With a target or dates the rows
// are found by their index (audit_log_target, audit_log_at) and the prefix
// is checked on each, as before: a walk per action would read each
// action's entries down to the dates or the target's (docs/benchmarks.md,
// "The audit log by action"). With an actor, each walk searches
// audit_log(actor_id, action, id) of migration 0996 instead, reading only
// the actor's entries (auditSelect, auditActorTerm).
//
// The match is exact, byte for byte, as strings.HasPrefix: case counts,
// and '%' or '_' are characters like any other (no LIKE). The actions that
// start with p are those in [p, successor(p)) in SQLite's BINARY order.

// auditMaxActionWalks is the most actions read by a walk each; a prefix
// that more actions start with is checked on each entry (auditSelect's
// other way). The code logs far fewer actions than that.
var auditMaxActionWalks = 64

// auditActionOld reads the prefix as it was read before (substr(action, 1,
// n) = ?): BenchmarkAuditByAction's "old" only.
var auditActionOld = false

// prefixSuccessor returns the least string above every string that starts
// with p, in byte order, and false when there is none (p is empty or all
// 0xFF bytes: every string at or above p starts with it).
func prefixSuccessor(p string) (string, bool) {
	b := []byte(p)
	for len(b) > 0 && b[len(b)-1] == 0xFF {
		b = b[:len(b)-1]
	}
	if len(b) == 0 {
		return "", false
	}
	b[len(b)-1]++
	return string(b), true
}

// actionRange returns the SQL term (on column) and its arguments for the
// actions starting with prefix.
func actionRange(column, prefix string) (string, []any) {
	if hi, ok := prefixSuccessor(prefix); ok {
		return column + " >= ? AND " + column + " < ?", []any{prefix, hi}
	}
	return column + " >= ?", []any{prefix}
}

// auditActions returns the distinct actions of the audit log that start
// with prefix, at most auditMaxActionWalks+1, by a skip over the index
// audit_log_action (one search per action).
func auditActions(ctx context.Context, q store.Prepared, prefix string) ([]string, error) {
	stmt, args := auditActionsSQL(prefix)
	rows, err := q.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// auditActionsSQL is auditActions' statement: a recursive skip over the
// index, each step the least action above the last one.
func auditActionsSQL(prefix string) (string, []any) {
	upper, args := "", []any{prefix}
	hi, bounded := prefixSuccessor(prefix)
	if bounded {
		upper, args = " AND action < ?", []any{prefix, hi, hi} // the first search's bounds, then each next one's
	}
	return `WITH RECURSIVE a(action) AS (
		SELECT (SELECT MIN(action) FROM audit_log WHERE action >= ?` + upper + `)
		UNION ALL
		SELECT (SELECT MIN(action) FROM audit_log WHERE action > a.action` + upper + `) FROM a WHERE a.action IS NOT NULL)
	SELECT action FROM a WHERE action IS NOT NULL LIMIT ?`, append(args, auditMaxActionWalks+1)
}

// auditColumns are the columns ListAudit reads of each entry. The actor as
// logged (a sign-in name, which never changes), marked by backend/people's
// rule once the member is removed: "bob (removed)" is told from the bob
// added since.
const auditColumns = `SELECT id, at, COALESCE(actor_id, 0),
		md_member_label(actor_name, '', COALESCE((SELECT u.status FROM users u WHERE u.id = audit_log.actor_id), '')),
		action, target, before_json, after_json FROM audit_log`

// auditWalks reports whether a read by action prefix walks each action
// (auditSelect): when no target or date narrows it, whose indexes find the
// rows better. With an actor too: each walk then searches
// audit_log(actor_id, action, id) (migration 0996) and reads at most the
// read's limit of the actor's entries in that action (docs/benchmarks.md,
// "The audit log by actor and action").
func auditWalks(f AuditFilter) bool {
	return f.Action != "" && !auditActionOld && f.Target == "" && f.Since.IsZero() && f.Until.IsZero()
}

// auditActorOffIndex keeps the actor's reads other than the walks off the
// index audit_log_actor_action ("+actor_id"): alone, with a target or with
// dates. On it SQLite reads every entry of the actor and sorts them by id,
// all of a busy actor's log for a page; without it the log is read newest
// first (or by the target's or the dates' index) until the page is full.
// False only in BenchmarkAuditByAction's "unpinned", which measures the
// planner's own choice.
var auditActorOffIndex = true

// auditActorTerm returns the SQL term for the entries of actor: on the
// index audit_log_actor_action when walk (one action's walk), kept off it
// otherwise (auditActorOffIndex).
func auditActorTerm(walk bool) string {
	if walk || !auditActorOffIndex {
		return "actor_id = ?"
	}
	return "+actor_id = ?"
}

// auditMerges reports whether auditSelect merges a walk of each of
// actions (under prefix), in a statement whose text varies with their
// number.
func auditMerges(prefix string, actions []string) bool {
	return prefix != "" && !auditActionOld && len(actions) > 0 && len(actions) <= auditMaxActionWalks
}

// auditSelect returns ListAudit's statement: the entries of actor (0 =
// anyone's) matching where (with args: every term but the actor's and the
// action's) whose action starts with prefix ("" = any), newest first, at
// most limit. actions are the actions that start with prefix
// (auditActions): each is walked newest first, up to limit entries, and
// the walks are merged; a walk searches audit_log(action, id), or
// audit_log(actor_id, action, id) for an actor's entries. With none (a
// target or dates, auditWalks), or more than auditMaxActionWalks, the
// prefix is checked on each row the other terms find ("+action": kept off
// the action index, whose range would be read whole and sorted; the actor
// likewise, auditActorTerm). The merge's text varies with the number of
// actions: ListAudit runs it unprepared (auditMerges), not filling the
// statement cache with one text per count.
func auditSelect(actor int64, where []string, args []any, prefix string, actions []string, limit int) (string, []any) {
	where, args = append([]string(nil), where...), append([]any(nil), args...)
	merges := auditMerges(prefix, actions)
	if actor != 0 {
		where, args = append([]string{auditActorTerm(merges)}, where...), append([]any{actor}, args...)
	}
	switch {
	case prefix == "":
	case auditActionOld:
		where, args = append(where, "substr(action, 1, ?) = ?"), append(args, len(prefix), prefix)
	case merges:
		rest := ""
		if len(where) > 0 {
			rest = " AND " + strings.Join(where, " AND ")
		}
		arms := make([]string, len(actions))
		var armArgs []any
		for i, a := range actions {
			arms[i] = "SELECT id FROM (SELECT id FROM audit_log WHERE action = ?" + rest + " ORDER BY id DESC LIMIT ?)"
			armArgs = append(append(append(armArgs, a), args...), limit)
		}
		where, args = []string{"id IN (" + strings.Join(arms, " UNION ALL ") + ")"}, armArgs
	default:
		term, termArgs := actionRange("+action", prefix)
		where, args = append(where, term), append(args, termArgs...)
	}
	q := auditColumns
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " ORDER BY id DESC LIMIT ?", append(args, limit)
}
