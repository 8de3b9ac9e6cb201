package team

import (
	"database/sql"
	"fmt"
	"testing"
	"time"
)

// auditTargetsDistinctSQL is how ListAuditTargets read the targets before
// migration 0985 (every entry read): BenchmarkAuditByTarget's "old".
const auditTargetsDistinctSQL = "SELECT DISTINCT target FROM audit_log WHERE target <> ''"

// BenchmarkAuditByTarget measures the audit log by target at 100,000
// entries of ~600 bytes each (200 members' entries, 50 rate tables,
// settings, five providers with 20 removals and re-adds): the window's
// Target filter (ListAuditTargets), `meterdesk audit list --target "rate
// table v7"` (ResolveAuditTarget, then ListAudit of that target: its 500
// newest entries) and the same for user:7's 125 entries, without the
// indexes of migration 0985 and the old DISTINCT ("old") and with them
// ("new"), alternated twice in one run (docs/benchmarks.md).
//
//	go test -run '^$' -bench AuditByTarget -benchtime 10x -v ./backend/team/
func BenchmarkAuditByTarget(b *testing.B) {
	e := newEnvTB(b).setup("UTC")
	ctx := e.adminCtx()
	seedAuditLog(b, e, 100000)
	defer func(q string) { auditTargetsSQL = q }(auditTargetsSQL)
	newSQL := auditTargetsSQL
	set := func(b *testing.B, old bool) {
		stmts := []string{"CREATE INDEX IF NOT EXISTS audit_log_target ON audit_log(target, id)",
			"CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log(action, id)"}
		auditTargetsSQL = newSQL
		if old {
			stmts = []string{"DROP INDEX IF EXISTS audit_log_target", "DROP INDEX IF EXISTS audit_log_action"}
			auditTargetsSQL = auditTargetsDistinctSQL
		}
		if err := e.db.Write(ctx, func(tx *sql.Tx) error {
			for _, q := range stmts {
				if _, err := tx.Exec(q); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	listTarget := func(b *testing.B, name string, want int) {
		target, err := e.svc.ResolveAuditTarget(ctx, name)
		if err != nil {
			b.Fatal(err)
		}
		entries, err := e.svc.ListAudit(ctx, AuditFilter{Target: target})
		if err != nil || len(entries) != want {
			b.Fatal(target, len(entries), err)
		}
	}
	var targets int
	defer func() { b.Logf("%d targets", targets) }()
	for round := range 2 {
		for _, old := range []bool{true, false} {
			set(b, old)
			label := fmt.Sprintf("%s/%d", map[bool]string{true: "old", false: "new"}[old], round)
			b.Run("targets/"+label, func(b *testing.B) {
				for b.Loop() {
					ts, err := e.svc.ListAuditTargets(ctx)
					if err != nil || (targets != 0 && len(ts) != targets) {
						b.Fatal(len(ts), targets, err)
					}
					targets = len(ts)
				}
			})
			b.Run("list-target-rates/"+label, func(b *testing.B) {
				for b.Loop() {
					listTarget(b, "rate table v7", 500)
				}
			})
			b.Run("list-target-member/"+label, func(b *testing.B) {
				for b.Loop() {
					listTarget(b, "user:7", 125)
				}
			})
		}
	}
}

// seedAuditLog inserts n audit entries of ~600 bytes in one statement, one
// every 5 minutes from 2025-01-01: a quarter each member actions
// (member.update, member.add, member.disable in turn) on 200 members, rate
// tables (rates.set on 50 versions), settings (settings.set) and provider
// updates on five providers, and every 5,000th a provider.remove then a
// provider.add of provider:1.
func seedAuditLog(b *testing.B, e *env, n int) {
	b.Helper()
	start := time.Now()
	err := e.db.Write(e.adminCtx(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
			INSERT INTO audit_log(at, actor_id, actor_name, action, target, before_json, after_json)
			SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2025-01-01', '+' || (i * 300) || ' seconds'), 1, 'alice',
				CASE WHEN i % 5000 = 2500 THEN 'provider.remove' WHEN i % 5000 = 2501 THEN 'provider.add'
				     WHEN i % 4 = 0 THEN 'member.' || CASE (i / 4) % 3 WHEN 0 THEN 'update' WHEN 1 THEN 'add' ELSE 'disable' END
				     WHEN i % 4 = 1 THEN 'rates.set' WHEN i % 4 = 2 THEN 'settings.set'
				     ELSE 'provider.update' END,
				CASE WHEN i % 5000 IN (2500, 2501) THEN 'provider:1'
				     WHEN i % 4 = 0 THEN 'user:' || (1 + (i / 4) % 200) WHEN i % 4 = 1 THEN 'rates:v' || (1 + (i / 4) % 50)
				     WHEN i % 4 = 2 THEN CASE i % 3 WHEN 0 THEN 'workspace' WHEN 1 THEN 'alerts' ELSE 'ui.theme' END
				     ELSE 'provider:' || (1 + i % 5) END,
				json_object('name', 'Provider ' || (i % 5), 'note', printf('%.250c', 'x')),
				json_object('name', 'Provider ' || (i % 5), 'note', printf('%.250c', 'y'))
			FROM s`, n)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d audit entries in %s", n, time.Since(start).Round(time.Millisecond))
}

// BenchmarkAuditByAction measures the audit log by action prefix and by
// actor at 200,000 entries (seedAuditLog): `meterdesk audit list --action
// P` (its 500 newest entries) for a prefix of a quarter of the log
// ("member.", three actions), of 40 entries ("provider.re"), of none
// ("credits."), the window's first page of "rates." (101 entries),
// "member." in 2025-03 (--since/--until), user:7's 250 "member." entries
// (--target); and with --actor, bob (actor 2: a tenth of member.update and
// member.add, no member.disable) and alice (every other entry): bob's 500
// newest "member." entries and his window page of them, his "member."
// entries of user:7, his "member.disable" (none), alice's 40
// "provider.re", and --actor alone (bob's and alice's 500 newest, bob's in
// 2025-03).
//
// The ways: "old", the prefix as read before migration 0985
// (substr(action, 1, n) = ?, no index: the log newest first, the prefix and
// actor checked on each row); "new", as read now (the walks of each action,
// on audit_log(actor_id, action, id) for an actor; with dates or a target
// the prefix checked on their rows). With --actor also "before", the tree
// before migration 0996 (its index dropped: the walks on audit_log(action,
// id), the actor checked on each row), and "unpinned", the index there and
// the actor's reads left to SQLite's choice (auditActorOffIndex off). The
// ways alternate twice in one run (docs/benchmarks.md, "The audit log by
// action", "The audit log by actor and action").
//
//	go test -run '^$' -bench AuditByAction -benchtime 10x -v ./backend/team/
func BenchmarkAuditByAction(b *testing.B) {
	e := newEnvTB(b).setup("UTC")
	ctx := e.adminCtx()
	seedAuditLog(b, e, 200000)
	if err := e.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE audit_log SET actor_id = 2, actor_name = 'bob'
			WHERE action IN ('member.update', 'member.add') AND (id / 4) % 10 = 0`)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	defer func() { auditActionOld, auditActorOffIndex = false, true }()
	index := func(b *testing.B, on bool) {
		stmt := "CREATE INDEX IF NOT EXISTS audit_log_actor_action ON audit_log(actor_id, action, id)"
		if !on {
			stmt = "DROP INDEX IF EXISTS audit_log_actor_action"
		}
		if err := e.db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(stmt)
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	march, april := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		f    AuditFilter
		want int // -1: as many as the first way read
	}{
		{"member", AuditFilter{Action: "member."}, 500},
		{"provider-re", AuditFilter{Action: "provider.re"}, 40},
		{"none", AuditFilter{Action: "credits."}, 0},
		{"page-rates", AuditFilter{Action: "rates.", Limit: AuditPageSize + 1}, AuditPageSize + 1},
		{"member-march", AuditFilter{Action: "member.", Since: march, Until: april}, 500},
		{"member-target", AuditFilter{Action: "member.", Target: "user:7"}, 250},
		{"member-actor", AuditFilter{Action: "member.", ActorID: 2}, 500},
		{"page-member-actor", AuditFilter{Action: "member.", ActorID: 2, Limit: AuditPageSize + 1}, AuditPageSize + 1},
		{"member-target-actor", AuditFilter{Action: "member.", ActorID: 2, Target: "user:7"}, -1},
		{"member-disable-actor", AuditFilter{Action: "member.disable", ActorID: 2}, 0},
		{"provider-re-actor", AuditFilter{Action: "provider.re", ActorID: 1}, 40},
		{"actor-bob", AuditFilter{ActorID: 2}, 500},
		{"actor-alice", AuditFilter{ActorID: 1}, 500},
		{"actor-bob-march", AuditFilter{ActorID: 2, Since: march, Until: april}, -1},
	}
	wants := map[string]int{}
	for round := range 2 {
		for _, way := range []string{"old", "before", "new", "unpinned"} {
			auditActionOld, auditActorOffIndex = way == "old", way != "unpinned"
			index(b, way != "before")
			for _, c := range cases {
				if c.f.ActorID == 0 && (way == "before" || way == "unpinned") {
					continue // as "new": migration 0996 serves actors only
				}
				b.Run(fmt.Sprintf("%s/%s/%d", c.name, way, round), func(b *testing.B) {
					for b.Loop() {
						got, err := e.svc.ListAudit(ctx, c.f)
						want, seen := wants[c.name]
						if !seen {
							want = c.want
						}
						if err != nil || (want >= 0 && len(got) != want) {
							b.Fatal(len(got), want, err)
						}
						wants[c.name] = len(got)
					}
				})
			}
		}
	}
}
