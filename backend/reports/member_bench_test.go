package reports

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/ledger"
)

// Reproduce: go test -run '^$' -bench MemberActivity1M -benchtime 10x -v ./backend/reports

const (
	benchMembers   = 200
	benchTransfers = 1_000_000
)

// seedMembers writes n transfers among members wallets (user:1 .. user:m)
// in the ledger's schema with one recursive-CTE insert, and fills the debit
// index as the ledger's writer would in the background: a tenth are
// grants from the pool to a wallet (no user id), 45% usage from the
// member's wallet and 45% usage from the pool made for a member (user id,
// wallet untouched), one in a hundred a top-up of the pool, a year of them.
func (f *fixture) seedMembers(b testing.TB, m, n int) {
	err := f.db.Write(f.ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			// The team's quarter-hour usage is not read here: its trigger
			// would double the seeding time (a throwaway database).
			`DROP TRIGGER team_usage_quarters_count`,
			fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM s WHERE i < %d)
				INSERT INTO ledger_accounts(code, kind, policy, created_at) SELECT 'user:' || i, 'user', 'overdraft', '2025-01-01T00:00:00.000Z' FROM s`, m),
			`CREATE TEMP TABLE bench_acct(member INTEGER PRIMARY KEY, id INTEGER NOT NULL)`,
			`INSERT INTO bench_acct SELECT CAST(substr(code, 6) AS INTEGER), id FROM ledger_accounts WHERE code LIKE 'user:%'`,
			fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %[1]d),
				acct(code, id) AS (SELECT code, id FROM ledger_accounts WHERE kind = 'system' OR kind = 'pool')
			INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor,
				user_id, department_id, model, source, conversation_id, created_at)
			SELECT 'm' || i, 'h',
				CASE WHEN i %% 100 = 1 THEN 'topup' WHEN i %% 10 = 0 THEN 'grant' ELSE 'usage' END, 'posted',
				CASE WHEN i %% 100 = 1 THEN (SELECT id FROM acct WHERE code = 'sys:topup')
				     WHEN i %% 10 = 0 OR (i / 3) %% 2 = 1 THEN (SELECT id FROM acct WHERE code = 'pool')
				     ELSE (SELECT id FROM bench_acct WHERE member = k) END,
				CASE WHEN i %% 100 = 1 THEN (SELECT id FROM acct WHERE code = 'pool')
				     WHEN i %% 10 = 0 THEN (SELECT id FROM bench_acct WHERE member = k)
				     ELSE (SELECT id FROM acct WHERE code = 'sys:usage') END,
				1 + (i * 7919) %% 3000000,
				CASE WHEN i %% 100 = 1 OR i %% 10 = 0 THEN NULL ELSE k END,
				NULL, CASE i %% 3 WHEN 0 THEN 'gpt-4o' WHEN 1 THEN 'claude' ELSE 'gemini' END, 'ui', 1 + i / 50,
				strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', '2025-03-20', '-' || (365 * 86400 - (i * 365 * 86400) / %[1]d) || ' seconds')
			FROM (SELECT i, 1 + ((i * 2654435761) %% 4294967296) %% %[2]d AS k FROM s)`, n, m),
			`INSERT INTO ledger_debit_index(account_id, transfer_id)
				SELECT debit_id, id FROM ledger_transfers WHERE id > (SELECT debits_through FROM ledger_index_state WHERE id = 1)
				ORDER BY debit_id, id`,
			`UPDATE ledger_index_state SET debits_through = (SELECT MAX(id) FROM ledger_transfers) WHERE id = 1`,
			`DROP TABLE bench_acct`,
		} {
			if _, err := tx.Exec(q); err != nil {
				return fmt.Errorf("seed members: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkMemberActivity1M measures what reads a member's transactions
// (ledger.MemberActivity: made for them, or on their wallet either side)
// among 1,000,000 transfers of 200 members, old (the OR in the WHERE
// clause, query.orScan) and new (index walks, query.find) alternately: the
// Usage page's first page, an old page (before a cursor a tenth of the way
// in), grants only (few of theirs), a month, the count a CSV export's
// progress starts with, and the export's stream of every row.
func BenchmarkMemberActivity1M(b *testing.B) {
	f := newFixture(b)
	start := time.Now()
	f.seedMembers(b, benchMembers, benchTransfers)
	b.Logf("seeded %d transfers of %d members in %s", benchTransfers, benchMembers, time.Since(start).Round(time.Second))
	const member = 7
	sc := Scope{UserID: member}
	compile := func(b *testing.B, fl Filter, old bool) query {
		q, err := f.svc.compile(f.ctx, fl, sc)
		if err != nil {
			b.Fatal(err)
		}
		if old {
			return q.orScan()
		}
		return q
	}
	n, _, _, err := f.svc.span(f.ctx, compile(b, Filter{}, false), true)
	if err != nil || n == 0 {
		b.Fatal(n, err)
	}
	b.Logf("member %d: %d of %d transfers", member, n, benchTransfers)
	for _, old := range []bool{false, true} {
		q := compile(b, Filter{}, old)
		where, args := q.find(ledger.Walk{Limit: 101})
		plan, err := f.db.QueryPlan(f.ctx, rowSelect+where+" ORDER BY t.id DESC LIMIT 101", append([]any{0}, args...)...)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("plan (old %v):\n  %s", old, strings.Join(plan, "\n  "))
	}
	cases := []struct {
		name string
		f    Filter
	}{
		{"page", Filter{}},
		{"old-page", Filter{Before: benchTransfers / 10}},
		{"grants", Filter{Types: []string{TypeGrant}}},
		{"month", Filter{From: "2025-02-01", To: "2025-02-28"}},
	}
	for round := range 2 {
		for _, c := range cases {
			for _, old := range []bool{true, false} {
				q := compile(b, c.f, old)
				b.Run(fmt.Sprintf("history/%s/%s/%d", c.name, oldNew(old), round), func(b *testing.B) {
					for b.Loop() {
						if p, err := f.svc.history(f.ctx, q, c.f); err != nil || len(p.Items) == 0 {
							b.Fatal(len(p.Items), err)
						}
					}
				})
			}
		}
		for _, old := range []bool{true, false} {
			q := compile(b, Filter{}, old)
			b.Run(fmt.Sprintf("count/%s/%d", oldNew(old), round), func(b *testing.B) {
				for b.Loop() {
					if got, err := f.svc.count(f.ctx, q); err != nil || got != n {
						b.Fatal(got, n, err)
					}
				}
			})
		}
		for _, old := range []bool{true, false} {
			q := compile(b, Filter{}, old)
			b.Run(fmt.Sprintf("export/%s/%d", oldNew(old), round), func(b *testing.B) {
				for b.Loop() {
					rows := int64(0)
					if err := f.svc.stream(f.ctx, q, nil, func(*Row) error { rows++; return nil }); err != nil || rows != n {
						b.Fatal(rows, n, err)
					}
				}
			})
		}
	}
}

func oldNew(old bool) string {
	if old {
		return "old"
	}
	return "new"
}

// BenchmarkMemberActivityTeam measures the same reads on the ledger of a
// small team, where each member holds a large share of the transfers:
// 300,000 transfers over a year among 20, 5 and 2 members (a member holds
// ~5%, ~20% and ~50% of them), the first page, the count and the export
// (Stream), each for every row and for one month (April), old and new
// alternated in one run; and a page of a wide range (April to February),
// its id bounds read before and now (seekIDRange).
//
//	go test -run '^$' -bench MemberActivityTeam -benchtime 3x -v ./backend/reports
func BenchmarkMemberActivityTeam(b *testing.B) {
	const transfers = 300_000
	for _, members := range []int{20, 5, 2} {
		f := newFixture(b)
		f.seedMembers(b, members, transfers)
		const member = 1
		sc := Scope{UserID: member}
		for _, r := range []struct {
			name string
			f    Filter
		}{{"all", Filter{}}, {"april", Filter{From: "2024-04-01", To: "2024-04-30"}}} {
			q, err := f.svc.compile(f.ctx, r.f, sc)
			if err != nil {
				b.Fatal(err)
			}
			n, _, _, err := f.svc.span(f.ctx, q.orScan(), true)
			if err != nil || n == 0 {
				b.Fatal(n, err)
			}
			b.Logf("%d members, %s: member %d has %d of %d transfers", members, r.name, member, n, transfers)
			for _, old := range []bool{true, false} {
				q := q
				if old {
					q = q.orScan()
				}
				name := fmt.Sprintf("members=%d/%s/%%s/%s", members, r.name, oldNew(old))
				b.Run(fmt.Sprintf(name, "page"), func(b *testing.B) {
					for b.Loop() {
						if p, err := f.svc.history(f.ctx, q, r.f); err != nil || len(p.Items) == 0 {
							b.Fatal(len(p.Items), err)
						}
					}
				})
				b.Run(fmt.Sprintf(name, "count"), func(b *testing.B) {
					for b.Loop() {
						if got, err := f.svc.count(f.ctx, q); err != nil || got != n {
							b.Fatal(got, n, err)
						}
					}
				})
				b.Run(fmt.Sprintf(name, "export"), func(b *testing.B) {
					for b.Loop() {
						rows := int64(0)
						if err := f.svc.stream(f.ctx, q, nil, func(*Row) error { rows++; return nil }); err != nil || rows != n {
							b.Fatal(rows, n, err)
						}
					}
				})
			}
		}
		// A page of a wide range (most of the year), first and second,
		// with the id bounds read as before (MIN(id), MAX(id) through the
		// date index, every entry of the range) and now (idRange's seeks),
		// alternated in one run.
		wide := Filter{From: "2024-04-01", To: "2025-02-28"}
		q, err := f.svc.compile(f.ctx, wide, sc)
		if err != nil {
			b.Fatal(err)
		}
		first, err := f.svc.history(f.ctx, q, wide)
		if err != nil || first.Next == 0 {
			b.Fatal(first.Next, err)
		}
		second := wide
		second.Before = first.Next
		for round := range 2 {
			for _, seek := range []bool{false, true} {
				for _, pf := range []Filter{wide, second} {
					name := "first"
					if pf.Before != 0 {
						name = "second"
					}
					b.Run(fmt.Sprintf("members=%d/wide/%s/seek=%v/%d", members, name, seek, round), func(b *testing.B) {
						defer func(v bool) { seekIDRange = v }(seekIDRange)
						seekIDRange = seek
						for b.Loop() {
							if p, err := f.svc.history(f.ctx, q, pf); err != nil || len(p.Items) == 0 {
								b.Fatal(len(p.Items), err)
							}
						}
					})
				}
			}
		}
	}
}
