package team

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestAuditReadsByIndex: the audit log's reads by target and by action
// search the indexes of migration 0985 instead of reading every entry, and
// the skip over audit_log_target lists the targets a SELECT DISTINCT lists
// (the empty target left out), on a random log.
func TestAuditReadsByIndex(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	r := rand.New(rand.NewPCG(985, 1))
	targets := []string{"", "workspace", "user:1", "user:10", "user:2", "provider:1", "provider:1#2", "rates:v2", "ui.theme", "Ünicode", "z"}
	err := e.db.Write(ctx, func(tx *sql.Tx) error {
		for i := range 500 {
			if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_id, actor_name, action, target) VALUES (?, 1, 'alice', ?, ?)`,
				fmt.Sprintf("2026-01-01T00:00:%02d.000Z", i%60), []string{"provider.remove", "provider.add", "member.update"}[r.IntN(3)],
				targets[r.IntN(len(targets))]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(q string) []string {
		rows, err := e.db.Read().QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			got = append(got, s)
		}
		slices.Sort(got)
		return got
	}
	if got, want := read(auditTargetsSQL), read(auditTargetsDistinctSQL); !slices.Equal(got, want) {
		t.Errorf("targets by the index %q, by DISTINCT %q", got, want)
	}
	for q, index := range map[string]string{
		auditTargetsSQL: "audit_log_target",
		"SELECT id FROM audit_log WHERE target = 'user:1' AND id < 100 ORDER BY id DESC LIMIT 500":                                   "audit_log_target",
		"SELECT id FROM audit_log WHERE action = 'provider.remove' ORDER BY id":                                                      "audit_log_action",
		"SELECT id FROM audit_log WHERE action = 'provider.add' AND target = 'provider:1' ORDER BY id":                               "audit_log_",
		"SELECT id FROM audit_log WHERE target = 'provider:1' AND id > 0 AND id <= 50 AND action LIKE 'provider.%' ORDER BY id DESC": "audit_log_target",
	} {
		plan, err := e.db.QueryPlan(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(plan, "\n")
		if !strings.Contains(all, "INDEX "+index) || strings.Contains(all, "SCAN audit_log\n") || strings.HasSuffix(all, "SCAN audit_log") {
			t.Errorf("%s\nplan:\n%s", q, all)
		}
	}
}
