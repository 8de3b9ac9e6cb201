package team

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestAuditActorFilters: `audit list --actor A` with or without --action,
// --target, dates, a limit and a cursor (and the window's Audit page, the
// same ListAudit) lists the same entries in the same order on the index
// audit_log(actor_id, action, id) of migration 0996 as without it (the
// reads before it), and as the filter says (strings.HasPrefix for the
// action: '%' and '_' are characters), on a log of several actors, the
// system's entries (no actor) among them; through the walks and through
// the range (more actions than walks).
func TestAuditActorFilters(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	actions := []string{"member.add", "member.update", "member_add", "memberXadd", "member%x", "Member.add",
		"provider.remove", "provider_remove", "%x", "a%b.c", "a_b.c", "axb.c", "rates.set"}
	r := rand.New(rand.NewPCG(996, 1))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	err := e.db.Write(ctx, func(tx *sql.Tx) error {
		for i := range 600 {
			var actor any // nil: the system's entry
			if n := r.IntN(10); n < 6 {
				actor = 1 // the busy admin
			} else if n < 8 {
				actor = 2
			} else if n < 9 {
				actor = 3
			}
			if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_id, actor_name, action, target) VALUES (?, ?, 'x', ?, ?)`,
				start.Add(time.Duration(i)*time.Minute).Format("2006-01-02T15:04:05.000000000Z"), actor,
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
	var all []entry // newest first, the setup's entries too
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
		ids := []int64{}
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
	var filters []AuditFilter
	for _, actor := range []int64{0, 1, 2, 3, 4} { // 4: no entries
		for _, p := range []string{"", "member.", "member", "member_", "member%", "%", "_", "a_", "a%b", "a_b.c", "provider_", "nothing."} {
			for _, f := range []AuditFilter{
				{},
				{Limit: 3},
				{Limit: AuditPageSize + 1},
				{Before: mid, Limit: 5},
				{Target: "user:1"},
				{Target: "provider:1", Before: mid, Limit: 4},
				{Since: start.Add(200 * time.Minute)},
				{Since: start.Add(100 * time.Minute), Until: start.Add(250 * time.Minute), Limit: 9},
			} {
				f.ActorID, f.Action = actor, p
				filters = append(filters, f)
			}
		}
	}
	list := func(label string) [][]int64 {
		out := make([][]int64, len(filters))
		for i, f := range filters {
			got, err := e.svc.ListAudit(ctx, f)
			if err != nil {
				t.Fatalf("%s, %+v: %v", label, f, err)
			}
			ids := []int64{}
			for _, x := range got {
				ids = append(ids, x.ID)
			}
			if w := want(f); !slices.Equal(ids, w) {
				t.Errorf("%s, %+v: got %v, want %v", label, f, ids, w)
			}
			out[i] = ids
		}
		return out
	}
	walks := auditMaxActionWalks
	defer func() { auditMaxActionWalks = walks }()
	var withIndex [][][]int64
	for _, max := range []int{walks, 0} { // the walks, then the range
		auditMaxActionWalks = max
		withIndex = append(withIndex, list(fmt.Sprintf("walks %d", max)))
	}
	if n := len(want(AuditFilter{ActorID: 2, Action: "member_"})); n == 0 || n == len(want(AuditFilter{ActorID: 2, Action: "member"})) {
		t.Fatalf("the test's log does not tell '_' from a wildcard for actor 2 (%d)", n)
	}
	// Without the index (the reads before migration 0996): the same lists.
	if err := e.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("DROP INDEX audit_log_actor_action")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for i, max := range []int{walks, 0} {
		auditMaxActionWalks = max
		if before := list(fmt.Sprintf("no index, walks %d", max)); !slices.EqualFunc(before, withIndex[i], slices.Equal) {
			t.Errorf("walks %d: the lists differ with the index and without it", max)
		}
	}
}
