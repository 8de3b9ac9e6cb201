package team

import (
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestAuditActionPrefix: AuditFilter.Action (`audit list --action`, the
// window's "Action starts with") matches exactly what strings.HasPrefix
// does, byte for byte: case counts, '%' and '_' are no wildcards, a whole
// action is its own prefix, a non-ASCII prefix matches (substr counted
// characters, and the prefix's length in bytes), and text that is not
// UTF-8 is refused; alone and with the other filters, a limit and a cursor; through
// the per-action walks and through the range (more actions than walks).
func TestAuditActionPrefix(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	actions := []string{"member.add", "member.update", "member_add", "memberX", "Member.add", "member.",
		"member.add.more", "provider.remove", "%x", "a%b.c", "a_b.c", "axb.c", "Ünicode.x", "Ünicode", "z\u00ff", "~"}
	r := rand.New(rand.NewPCG(994, 1))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := e.db.Write(ctx, func(tx *sql.Tx) error {
		// Entries logged before this test's (the setup's) are left to the
		// reference below, which reads every entry.
		for i := range 400 {
			if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_id, actor_name, action, target) VALUES (?, ?, 'alice', ?, ?)`,
				start.Add(time.Duration(i)*time.Minute).Format("2006-01-02T15:04:05.000000000Z"), 1+r.IntN(2),
				actions[r.IntN(len(actions))], []string{"workspace", "user:1", "provider:1"}[r.IntN(3)]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		id           int64
		actor        int64
		action, targ string
		at           time.Time
	}
	var all []entry // newest first
	rows, err := e.db.Read().QueryContext(ctx, "SELECT id, COALESCE(actor_id, 0), action, target, at FROM audit_log ORDER BY id DESC")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var x entry
		var at string
		if err := rows.Scan(&x.id, &x.actor, &x.action, &x.targ, &at); err != nil {
			t.Fatal(err)
		}
		x.at = parseTS(at)
		all = append(all, x)
	}
	rows.Close()
	want := func(f AuditFilter) []int64 {
		limit := f.Limit
		if limit == 0 {
			limit = AuditListLimit
		}
		var ids []int64
		for _, x := range all {
			if strings.HasPrefix(x.action, f.Action) && (f.ActorID == 0 || x.actor == f.ActorID) &&
				(f.Target == "" || x.targ == f.Target) && (f.Before == 0 || x.id < f.Before) &&
				(f.Since.IsZero() || !x.at.Before(f.Since)) && (f.Until.IsZero() || x.at.Before(f.Until)) && len(ids) < limit {
				ids = append(ids, x.id)
			}
		}
		return ids
	}
	mid := all[len(all)/2].id
	// "z\u00c0" (À, bytes C3 80) shares its first byte with "z\u00ff" (ÿ,
	// C3 BF) but starts no action; the lone byte "z\xc3" is refused below.
	prefixes := []string{"member.", "member", "member_", "member%", "Member.", "MEMBER.", "%", "_", "a%", "a_", "a%b", "a_b.c",
		"member.add", "member.add.", "Ü", "Ünicode", "z\u00ff", "z\u00c0", "~", "\x7f", "nothing.", "."}
	walks := auditMaxActionWalks
	defer func() { auditMaxActionWalks = walks }()
	for _, max := range []int{walks, 0} { // the walks, then the range
		auditMaxActionWalks = max
		for _, p := range prefixes {
			for _, f := range []AuditFilter{
				{Action: p},
				{Action: p, Limit: 3},
				{Action: p, Before: mid, Limit: 5},
				{Action: p, ActorID: 2},
				{Action: p, Target: "user:1", Limit: 7},
				{Action: p, Since: start.Add(200 * time.Minute)},
				{Action: p, Until: start.Add(300 * time.Minute), Limit: 9},
				{Action: p, ActorID: 1, Since: start.Add(100 * time.Minute), Until: start.Add(250 * time.Minute)},
			} {
				got, err := e.svc.ListAudit(ctx, f)
				if err != nil {
					t.Fatalf("walks %d, %+v: %v", max, f, err)
				}
				ids := make([]int64, len(got))
				for i, x := range got {
					ids[i] = x.ID
				}
				if w := want(f); !slices.Equal(ids, w) {
					t.Errorf("walks %d, action %q %+v: got %v, want %v", max, p, f, ids, w)
				}
			}
		}
	}
	if n := len(want(AuditFilter{Action: "member_"})); n == 0 || n == len(want(AuditFilter{Action: "member"})) {
		t.Fatalf("the test's log does not tell '_' from a wildcard (%d)", n)
	}

	// Text that is not UTF-8 is refused, not matched by halves.
	for _, p := range []string{"member\xff", "z\xc3"} { // "z\xc3": ÿ's first byte alone
		if _, err := e.svc.ListAudit(ctx, AuditFilter{Action: p}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "not valid UTF-8") {
			t.Errorf("an action not in UTF-8 (%q): %v", p, err)
		}
	}
}

// TestAuditActionPlan: a read by action prefix searches audit_log_action
// (migration 0985) and never scans the log, alone or below a cursor; of an
// actor, audit_log_actor_action (migration 0996), on the actor and the
// action; with a target or dates, their index, with an actor or not. An
// actor's read without a prefix, or with more actions than walks, never
// searches audit_log_actor_action, which would read all of the actor's
// entries and sort them: the log newest first (below a cursor, from it),
// or a target's or the dates' index. The skip that finds the prefix's
// actions searches audit_log_action.
func TestAuditActionPlan(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	since := "2026-01-01T00:00:00.000000000Z"
	two := []string{"member.add", "member.update"}
	many := make([]string, auditMaxActionWalks+1)
	for i := range many {
		many[i] = fmt.Sprintf("member.a%02d", i)
	}
	const scan, rowid = "SCAN audit_log", "SEARCH audit_log USING INTEGER PRIMARY KEY (rowid<?)"
	for _, c := range []struct {
		name    string
		actor   int64
		prefix  string
		where   []string
		args    []any
		actions []string
		plan    []string // each in the plan, in order
		scans   bool     // reads the log newest first (a whole scan, or from a cursor)
		sorts   bool     // sorts what it finds by id (the dates' entries, as before)
	}{
		{name: "walks", prefix: "member.", actions: two, plan: []string{"audit_log_action (action=?)"}},
		{name: "walks below a cursor", prefix: "member.", where: []string{"id < ?"}, args: []any{1000}, actions: two,
			plan: []string{"audit_log_action (action=? AND id<?)"}},
		{name: "a target's entries", prefix: "member.", where: []string{"target = ?"}, args: []any{"user:1"}, plan: []string{"audit_log_target (target=?)"}},
		{name: "dates", prefix: "member.", where: []string{"at >= ?", "at < ?"}, args: []any{since, "2026-02-01"}, plan: []string{"audit_log_at (at>"}, sorts: true},
		{name: "more actions than walks", prefix: "member.", actions: many, plan: []string{scan}, scans: true},
		{name: "more actions than walks, below a cursor", prefix: "member.", where: []string{"id < ?"}, args: []any{1000}, actions: many,
			plan: []string{rowid}, scans: true},

		{name: "an actor", actor: 2, plan: []string{scan}, scans: true},
		{name: "an actor below a cursor", actor: 2, where: []string{"id < ?"}, args: []any{1000}, plan: []string{rowid}, scans: true},
		{name: "an actor's entries on a target", actor: 2, where: []string{"target = ?"}, args: []any{"user:1"}, plan: []string{"audit_log_target (target=?)"}},
		{name: "an actor's entries in dates", actor: 2, where: []string{"at >= ?", "at < ?"}, args: []any{since, "2026-02-01"}, plan: []string{"audit_log_at (at>"}, sorts: true},
		{name: "walks of an actor", actor: 2, prefix: "member.", actions: two,
			plan: []string{"audit_log_actor_action (actor_id=? AND action=?)", "audit_log_actor_action (actor_id=? AND action=?)"}},
		{name: "walks of an actor below a cursor", actor: 2, prefix: "member.", where: []string{"id < ?"}, args: []any{1000}, actions: two,
			plan: []string{"audit_log_actor_action (actor_id=? AND action=? AND id<?)", "audit_log_actor_action (actor_id=? AND action=? AND id<?)"}},
		{name: "an actor's prefix on a target", actor: 2, prefix: "member.", where: []string{"target = ?"}, args: []any{"user:1"},
			plan: []string{"audit_log_target (target=?)"}},
		{name: "an actor's prefix in dates", actor: 2, prefix: "member.", where: []string{"at >= ?", "at < ?"}, args: []any{since, "2026-02-01"},
			plan: []string{"audit_log_at (at>"}, sorts: true},
		{name: "an actor's prefix of more actions than walks", actor: 2, prefix: "member.", actions: many, plan: []string{scan}, scans: true},
	} {
		q, args := auditSelect(c.actor, c.where, c.args, c.prefix, c.actions, 500)
		plan, err := e.db.QueryPlan(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(plan, "\n")
		rest, ok := all, true
		for _, p := range c.plan {
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		scanned := slices.Contains(plan, scan) || slices.Contains(plan, rowid)
		walked := c.prefix != "" && len(c.actions) > 0 && len(c.actions) <= auditMaxActionWalks
		if !ok || scanned != c.scans || strings.Contains(all, "TEMP B-TREE") != c.sorts ||
			(c.actor != 0) != strings.Contains(all, "audit_log_actor_action") && walked ||
			!walked && strings.Contains(all, "audit_log_actor_action") ||
			!walked && c.prefix != "" && strings.Contains(all, "audit_log_action") ||
			walked != strings.Contains(q, "UNION ALL") {
			t.Errorf("%s: %s\nplan:\n%s", c.name, q, all)
		}
	}
	skip, args := auditActionsSQL("member.")
	plan, err := e.db.QueryPlan(ctx, skip, args...)
	if err != nil {
		t.Fatal(err)
	}
	if all := strings.Join(plan, "\n"); !strings.Contains(all, "audit_log_action") || strings.Contains(all, "SCAN audit_log") {
		t.Errorf("the actions' skip:\n%s", all)
	}
}

// TestPrefixSuccessor: the upper bound of the actions that start with a
// prefix.
func TestPrefixSuccessor(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"member.", "member/", true},
		{"a", "b", true},
		{"a\xff", "b", true},
		{"a\xff\xff", "b", true},
		{"Ü", "Ý", true},
		{"\xff", "", false},
		{"", "", false},
		{"%", "&", true},
		{"_", "`", true},
	} {
		got, ok := prefixSuccessor(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("prefixSuccessor(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestAuditMergeIsNotCached: the merge of the walks under an action prefix
// has a text per number of actions (a UNION arm each), which the read
// pool's statement cache kept one statement each of, never freed, until it
// was full (1,024). It runs unprepared: listings under prefixes that
// distinct numbers of actions start with, and with an actor or a cursor,
// add nothing to the cache once the constant queries are in it; the
// entries are those of the prefix still.
func TestAuditMergeIsNotCached(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	const groups = 12 // prefix "g.N." starts N actions
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := e.db.Write(ctx, func(tx *sql.Tx) error {
		i := 0
		for g := 1; g <= groups; g++ {
			for a := 1; a <= g; a++ {
				i++
				if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_id, actor_name, action, target) VALUES (?, 1, 'alice', ?, 'workspace')`,
					start.Add(time.Duration(i)*time.Minute).Format("2006-01-02T15:04:05.000000000Z"), fmt.Sprintf("g.%d.a%d", g, a)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	list := func(g int, f AuditFilter) {
		t.Helper()
		f.Action = fmt.Sprintf("g.%d.", g)
		got, err := e.svc.ListAudit(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if want := min(g, max(f.Limit, AuditListLimit*boolInt(f.Limit == 0))); len(got) != want {
			t.Fatalf("%+v: %d entries, want %d", f, len(got), want)
		}
		for _, x := range got {
			if !strings.HasPrefix(x.Action, f.Action) {
				t.Fatalf("%+v: entry %+v", f, x)
			}
		}
	}
	filters := []AuditFilter{{}, {ActorID: 1}, {Limit: 100}}
	for _, f := range filters { // the constant queries (the actions' skip, the names) go into the cache
		list(1, f)
	}
	before := e.db.ReadStmts()
	for g := 2; g <= groups; g++ {
		for _, f := range filters {
			list(g, f)
		}
	}
	if grown := e.db.ReadStmts() - before; grown != 0 {
		t.Fatalf("the statement cache grew by %d over %d listings by prefix; want 0", grown, (groups-1)*len(filters))
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
