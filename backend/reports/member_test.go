package reports

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/ledger"
)

// seedRandom writes n transfers with every shape a member's activity can
// take, chosen at random (seeded): between members' wallets, the pool, a
// department and the system accounts, made for a member or for nobody, of
// every kind, at times out of id order; the debit index covers the first
// 70% of them and the rest is its unindexed tail.
func (f *fixture) seedRandom(t testing.TB, seed uint64, members, n int) {
	r := rand.New(rand.NewPCG(seed, 1))
	err := f.db.Write(f.ctx, func(tx *sql.Tx) error {
		for i := 3; i <= members; i++ {
			if _, err := tx.Exec(`INSERT INTO ledger_accounts(code, kind, policy, created_at) VALUES (?, 'user', 'overdraft', '2025-01-01T00:00:00.000Z')`,
				fmt.Sprint("user:", i)); err != nil {
				return err
			}
		}
		var accts []int64
		rows, err := tx.Query(`SELECT id FROM ledger_accounts`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			accts = append(accts, id)
		}
		rows.Close()
		ops := []string{"usage", "post", "hold", "void", "topup", "grant", "transfer", "refund", "expiry", "adjustment"}
		kinds := []string{"posted", "post", "pending", "void"}
		models := []string{"gpt-4o", "claude", ""}
		for i := range n {
			debit := accts[r.IntN(len(accts))]
			credit := accts[r.IntN(len(accts))]
			for credit == debit {
				credit = accts[r.IntN(len(accts))]
			}
			var user, dept any
			if r.IntN(3) > 0 {
				user = 1 + r.IntN(members+1) // one more than there are wallets: a member without one
			}
			if r.IntN(2) == 0 {
				dept = 1
			}
			at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(30*24*60)) * time.Minute)
			if _, err := tx.Exec(`INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor,
				user_id, department_id, model, source, created_at) VALUES (?, 'h', ?, ?, ?, ?, ?, ?, ?, ?, 'ui', ?)`,
				fmt.Sprint("r", i), ops[r.IntN(len(ops))], kinds[r.IntN(len(kinds))], debit, credit, 1+r.IntN(1000),
				user, dept, models[r.IntN(len(models))], at.Format("2006-01-02T15:04:05.000Z")); err != nil {
				return err
			}
		}
		_, err = tx.Exec(`INSERT INTO ledger_debit_index(account_id, transfer_id) SELECT debit_id, id FROM ledger_transfers WHERE id <= ?`, n*7/10)
		if err == nil {
			_, err = tx.Exec(`UPDATE ledger_index_state SET debits_through = (SELECT MAX(transfer_id) FROM ledger_debit_index) WHERE id = 1`)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMemberWalkMatchesOR: a member's transactions found by index walks
// (ledger.MemberWalk) are exactly those the OR of ledger.MemberActivity
// finds, on a random ledger, for every member (one without a wallet too)
// and filter: every page of History, Count, Each and Stream, with the
// exports read in their own chunks and in small ones (a member's rows span
// many chunks and windows, some of them empty).
func TestMemberWalkMatchesOR(t *testing.T) {
	f := newFixture(t)
	const members = 6
	f.seedRandom(t, 29, members, 3000)
	for _, c := range []struct {
		each, stream int
		share        float64 // walkShare and walkPageShare; 2: always walk
	}{{eachChunk, streamChunk, 2}, {7, 13, 2}, {7, 13, walkShare}} {
		t.Run(fmt.Sprintf("chunks %d,%d share %v", c.each, c.stream, c.share), func(t *testing.T) {
			defer func(e, s int, w, p float64) {
				eachChunk, streamChunk, walkShare, walkPageShare = e, s, w, p
			}(eachChunk, streamChunk, walkShare, walkPageShare)
			eachChunk, streamChunk = c.each, c.stream
			if c.share == 2 {
				walkShare, walkPageShare = 2, 2
			}
			testMemberWalkMatchesOR(t, f, members, memberFilters, nil)
		})
	}
}

// TestMemberPlan: a member's count and export read the OR when they hold a
// large share of the transfers (a small team) and walk their indexes when
// they hold a small one; a page with a date range always walks.
func TestMemberPlan(t *testing.T) {
	for _, c := range []struct {
		members   int
		walks     bool // count and export
		pageWalks bool // a page without a date range
	}{{2, false, false}, {5, false, false}, {20, true, false}, {200, true, true}} {
		f := newFixture(t)
		f.seedMembers(t, c.members, 20000)
		q, err := f.svc.compile(f.ctx, Filter{}, Scope{UserID: 1})
		if err != nil {
			t.Fatal(err)
		}
		dated, err := f.svc.compile(f.ctx, Filter{From: "2024-06-01", To: "2024-06-30"}, Scope{UserID: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct {
			q     query
			page  bool
			walks bool
		}{{q, false, c.walks}, {q, true, c.pageWalks}, {dated, true, true}} {
			got, err := f.svc.plan(f.ctx, p.q, 0, p.page)
			if err != nil {
				t.Fatal(err)
			}
			if walks := got.member != 0; walks != p.walks {
				t.Errorf("%d members, page %v, dates %v: walks %v, want %v", c.members, p.page, p.q.dates != nil, walks, p.walks)
			}
		}
	}
}

// memberFilters are the filters testMemberWalkMatchesOR reads by default.
var memberFilters = []Filter{
	{},
	{Types: []string{TypeUsage}},
	{Types: []string{TypeGrant, TypeRefund, TypeExpiry}},
	{Types: []string{TypeUsage, TypeTopUp}, DepartmentID: 1},
	{Model: "claude"},
	{From: "2025-03-05", To: "2025-03-12"},
	{Types: []string{TypeTransfer}, From: "2025-03-20", Model: "gpt-4o", Limit: 3},
	{Limit: 7},
}

// testMemberWalkMatchesOR compares, for members 1 to members+1 (the last
// without a wallet) and each filter, History (every page), Count, Each
// and Stream with the OR's. onPage, if not nil, is told each page read
// (the compiled query and the page's filter) before it is compared.
func testMemberWalkMatchesOR(t *testing.T, f *fixture, members int64, filters []Filter, onPage func(q query, pf Filter)) {
	ids := func(rows []Row) []int64 {
		out := make([]int64, len(rows))
		for i, r := range rows {
			out[i] = r.ID
		}
		return out
	}
	for member := int64(1); member <= members+1; member++ {
		for _, fl := range filters {
			fl.UserID = member
			name := fmt.Sprintf("member %d, %+v", member, fl)
			sc, err := ScopeOf(f.ctx, member, "test")
			if err != nil {
				t.Fatal(err)
			}
			q, err := f.svc.compile(f.ctx, fl, sc)
			if err != nil {
				t.Fatal(err)
			}
			if q.member != member {
				t.Fatalf("%s: compiled for member %d", name, q.member)
			}
			old := q.orScan()
			var want []Row
			if err := f.svc.each(f.ctx, old, func(r Row) error { want = append(want, r); return nil }); err != nil {
				t.Fatal(err)
			}
			var got []Row
			if err := f.svc.Each(f.ctx, fl, func(r Row) error { got = append(got, r); return nil }); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
				t.Fatalf("%s: Each\ngot  %v\nwant %v", name, ids(got), ids(want))
			}
			if member <= members && fl.Types == nil && fl.Model == "" && fl.From == "" && len(want) < 100 {
				t.Fatalf("%s: only %d rows: the seed does not exercise the walks", name, len(want))
			}
			n, err := f.svc.Count(f.ctx, fl)
			if err != nil || n != int64(len(want)) {
				t.Fatalf("%s: Count %d, %v; want %d", name, n, err, len(want))
			}
			var streamed []int64
			total := int64(-1)
			if err := f.svc.Stream(f.ctx, fl, func(n int64) { total = n }, func(r *Row) error { streamed = append(streamed, r.ID); return nil }); err != nil {
				t.Fatal(err)
			}
			if total != int64(len(want)) || !slices.Equal(streamed, ids(want)) {
				t.Fatalf("%s: Stream %d rows (said %d), want %d", name, len(streamed), total, len(want))
			}
			// Every page, newest first, as the Usage page walks them.
			var paged []Row
			pf := fl
			for pages := 0; ; pages++ {
				if onPage != nil {
					onPage(q, pf)
				}
				p, err := f.svc.History(f.ctx, pf)
				if err != nil {
					t.Fatal(err)
				}
				op, err := f.svc.history(f.ctx, old, pf)
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprintf("%+v", p) != fmt.Sprintf("%+v", op) {
					t.Fatalf("%s: page before %d\ngot  %v next %d\nwant %v next %d", name, pf.Before, ids(p.Items), p.Next, ids(op.Items), op.Next)
				}
				paged = append(paged, p.Items...)
				if p.Next == 0 || pages > 1000 {
					break
				}
				pf.Before = p.Next
			}
			slices.Reverse(paged)
			if !slices.Equal(ids(paged), ids(want)) {
				t.Fatalf("%s: pages hold %d rows, Each %d", name, len(paged), len(want))
			}
		}
	}
}

// TestMemberWalkPlan: a member's page, count and export chunk read their
// indexes, never every transfer (the OR of ledger.MemberActivity did:
// "SCAN t").
func TestMemberWalkPlan(t *testing.T) {
	f := newFixture(t)
	f.seedRandom(t, 5, 3, 50)
	for _, fl := range []Filter{{UserID: 2}, {UserID: 2, Types: []string{TypeUsage}, From: "2025-03-02", Model: "claude", DepartmentID: 1}} {
		q, err := f.svc.compile(f.ctx, fl, Scope{UserID: fl.UserID})
		if err != nil {
			t.Fatal(err)
		}
		page, pageArgs := q.find(ledger.Walk{Before: 40, Limit: 101})
		chunk, chunkArgs := q.chunk(10, 50, eachChunk)
		arms, countArgs := ledger.MemberWalk(q.member, q.where, q.args, ledger.Walk{})
		for name, c := range map[string]struct {
			sql  string
			args []any
		}{
			"page":  {rowSelect + page + " ORDER BY t.id DESC LIMIT 101", append([]any{0}, pageArgs...)},
			"chunk": {rowSelect + chunk + " ORDER BY t.id LIMIT 2000", append([]any{0}, chunkArgs...)},
			"count": {"SELECT COUNT(*) FROM (" + strings.Join(arms, " UNION ALL ") + ")", countArgs},
		} {
			plan, err := f.db.QueryPlan(f.ctx, c.sql, c.args...)
			if err != nil {
				t.Fatal(name, err)
			}
			for _, step := range plan {
				if strings.HasPrefix(step, "SCAN t") || strings.HasPrefix(step, "SCAN ledger_transfers") {
					t.Errorf("%+v %s reads every transfer:\n%s", fl, name, strings.Join(plan, "\n"))
					break
				}
			}
		}
		if fl.Types != nil {
			continue // the OR reads every usage row instead (the credit index of sys:usage)
		}
		old := q.orScan()
		where, args := old.find(ledger.Walk{Limit: 101})
		if plan, err := f.db.QueryPlan(f.ctx, rowSelect+where+" ORDER BY t.id DESC LIMIT 101", append([]any{0}, args...)...); err != nil || !slices.Contains(plan, "SCAN t") {
			t.Errorf("the OR's plan, this test's reference, changed: %q %v", plan, err)
		}
	}
}

// TestIDRange: a member's id bounds of a date range are the range's lowest
// and highest id (as MIN(id), MAX(id) read them through the date index),
// whichever way they are read (idReadCost 0: by the primary key from the
// ledger's ends; huge: by the date index; 4: chosen), on a ledger whose
// times are out of id order (the date index's ends are not the bounds) and
// on one in order; and a range with nothing inside has none.
func TestIDRange(t *testing.T) {
	defer func(c int64) { idReadCost = c }(idReadCost)
	for _, seed := range []string{"random", "in order"} {
		f := newFixture(t)
		from, to := "2025-03-05", "2025-03-12"
		if seed == "random" {
			f.seedRandom(t, 3, 4, 800)
		} else {
			f.seedMembers(t, 4, 5000)
			from, to = "2024-04-01", "2025-02-28"
		}
		for _, fl := range []Filter{{From: from}, {To: to}, {From: from, To: to}, {From: to, To: to}, {From: "2030-01-01"}, {To: "2000-01-01"}} {
			q, err := f.svc.compile(f.ctx, fl, Scope{UserID: 1})
			if err != nil {
				t.Fatal(err)
			}
			var wantLo, wantHi sql.NullInt64
			if err := f.db.Read().QueryRowContext(f.ctx, "SELECT MIN(t.id), MAX(t.id) FROM ledger_transfers t WHERE "+strings.Join(q.dates, " AND "),
				q.dateArgs...).Scan(&wantLo, &wantHi); err != nil {
				t.Fatal(err)
			}
			var top int64
			f.db.Read().QueryRowContext(f.ctx, "SELECT MAX(id) FROM ledger_transfers").Scan(&top)
			for _, cost := range []int64{0, 4, 1 << 40} {
				idReadCost = cost
				for _, needHi := range []bool{true, false} {
					lo, hi, err := f.svc.idRange(f.ctx, q, needHi)
					if err != nil {
						t.Fatal(err)
					}
					name := fmt.Sprintf("%s, %+v, cost %d, needHi %v", seed, fl, cost, needHi)
					if lo.Valid != wantLo.Valid {
						t.Fatalf("%s: lo %v, want %v", name, lo, wantLo)
					}
					if !lo.Valid {
						continue
					}
					// Without From, lo may be the ledger's first id; without To
					// (or hi not needed), hi the newest: never narrower.
					if fl.From != "" && lo != wantLo || lo.Int64 > wantLo.Int64 {
						t.Errorf("%s: lo %d, want %d", name, lo.Int64, wantLo.Int64)
					}
					switch {
					case fl.To != "" && needHi && hi != wantHi:
						t.Errorf("%s: hi %d, want %d", name, hi.Int64, wantHi.Int64)
					case (fl.To == "" || !needHi) && hi.Int64 != top:
						t.Errorf("%s: hi %d, want the newest %d", name, hi.Int64, top)
					}
				}
			}
		}
	}
}

// TestIDWays: a wide range's id bounds are read by the primary key from
// the ledger's ends (a few rows beyond the range), a narrow one's by the
// date index (its few entries); a bound not needed is not read.
func TestIDWays(t *testing.T) {
	for _, c := range []struct {
		first, top, a, b int64
		from, to         bool
		fromEnd          [2]bool
		index            bool
	}{
		{1, 300000, 30000, 290000, true, true, [2]bool{true, true}, false},    // a year less a month at each end
		{1, 300000, 90000, 115000, true, true, [2]bool{false, false}, true},   // April
		{1, 300000, 1000, 115000, true, true, [2]bool{true, false}, true},     // from near the start, to April
		{1, 300000, 280000, 300000, true, false, [2]bool{false, false}, true}, // the last month, no To
		{1, 300000, 100, 300000, true, false, [2]bool{true, false}, false},    // from the start, no To
		{1, 300000, 1, 250000, false, true, [2]bool{false, true}, false},      // no From
		{1, 300000, 1, 250000, false, false, [2]bool{}, false},                // no From, hi not needed
		{1, 300000, 260000, 40000, true, true, [2]bool{false, false}, true},   // times out of id order
	} {
		fromEnd, index := idWays(c.first, c.top, c.a, c.b, c.from, c.to)
		if fromEnd != c.fromEnd || index != c.index {
			t.Errorf("%+v: fromEnd %v index %v", c, fromEnd, index)
		}
	}
}

// seedShifting writes n transfers, in id order about a month apart from
// first to last (a few out of order), in which members' shares change with
// age: in the older 70% member 2 is in ~35% of them and member 5 (no
// wallet: made for them only) ~12%, member 1 in ~2% (under the 32nd a page
// walks below, yet more than a page of theirs); in the newest 30% member 1
// ~35%, members 2 and 5 ~1%. Each of theirs is on their wallet
// (either side) or made for them, of every op and kind; the rest move
// between member 3's and 4's wallets, the pool, the department and the
// system accounts. The debit index covers the first 70%.
func (f *fixture) seedShifting(t testing.TB, seed uint64, n int) {
	r := rand.New(rand.NewPCG(seed, 2))
	err := f.db.Write(f.ctx, func(tx *sql.Tx) error {
		for i := 3; i <= 4; i++ {
			if _, err := tx.Exec(`INSERT INTO ledger_accounts(code, kind, policy, created_at) VALUES (?, 'user', 'overdraft', '2025-01-01T00:00:00.000Z')`,
				fmt.Sprint("user:", i)); err != nil {
				return err
			}
		}
		acct := map[string]int64{}
		rows, err := tx.Query(`SELECT code, id FROM ledger_accounts`)
		if err != nil {
			return err
		}
		var others []int64
		for rows.Next() {
			var code string
			var id int64
			rows.Scan(&code, &id)
			acct[code] = id
			if code != "user:1" && code != "user:2" {
				others = append(others, id)
			}
		}
		rows.Close()
		ops := []string{"usage", "post", "hold", "void", "topup", "grant", "transfer", "refund", "expiry", "adjustment"}
		kinds := []string{"posted", "posted", "post", "pending", "void"}
		base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			// Whose transfer this is, by age.
			who, p := 0, r.Float64()
			if i < n*7/10 {
				switch {
				case p < 0.35:
					who = 2
				case p < 0.47:
					who = 5
				case p < 0.49:
					who = 1
				}
			} else {
				switch {
				case p < 0.35:
					who = 1
				case p < 0.36:
					who = 2
				case p < 0.37:
					who = 5
				}
			}
			debit, credit := others[r.IntN(len(others))], others[r.IntN(len(others))]
			for credit == debit {
				credit = others[r.IntN(len(others))]
			}
			var user, dept any
			if r.IntN(3) == 0 {
				user = 3 + r.IntN(2)
			}
			if who != 0 {
				wallet, ok := acct[fmt.Sprint("user:", who)]
				switch k := r.IntN(3); {
				case !ok || k == 0:
					user = who
				case k == 1:
					debit = wallet
				default:
					credit = wallet
				}
				if debit == credit {
					credit = acct["pool"]
				}
			}
			if r.IntN(2) == 0 {
				dept = 1
			}
			at := base.Add(time.Duration(i)*30*24*time.Hour/time.Duration(n) + time.Duration(r.IntN(180)-60)*time.Minute)
			if _, err := tx.Exec(`INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor,
				user_id, department_id, model, source, created_at) VALUES (?, 'h', ?, ?, ?, ?, ?, ?, ?, 'gpt-4o', 'ui', ?)`,
				fmt.Sprint("s", i), ops[r.IntN(len(ops))], kinds[r.IntN(len(kinds))], debit, credit, 1+r.IntN(1000),
				user, dept, at.Format("2006-01-02T15:04:05.000Z")); err != nil {
				return err
			}
		}
		_, err = tx.Exec(`INSERT INTO ledger_debit_index(account_id, transfer_id) SELECT debit_id, id FROM ledger_transfers WHERE id <= ?`, n*7/10)
		if err == nil {
			_, err = tx.Exec(`UPDATE ledger_index_state SET debits_through = (SELECT MAX(transfer_id) FROM ledger_debit_index) WHERE id = 1`)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMemberPlanFlips: with the choice as it is (no share forced), on a
// ledger where a member's share changes with age (heavy in the newest
// transfers and light earlier, the reverse, a member without a wallet), a
// member's pages go from the OR to the walks (or back) as the cursor goes
// back, and every page, its Next, the Count and the Stream's total equal the
// OR's: undated, by department, dated, 50 rows a page.
func TestMemberPlanFlips(t *testing.T) {
	f := newFixture(t)
	f.seedShifting(t, 41, 8000)
	filters := []Filter{
		{Limit: 50},
		{Limit: 50, DepartmentID: 1},
		{Limit: 50, From: "2025-03-08", To: "2025-03-24"},
		{Limit: 50, DepartmentID: 1, From: "2025-03-10"},
	}
	ways := map[int64]map[bool]int{} // member's undated pages -> walks -> pages
	testMemberWalkMatchesOR(t, f, 4, filters, func(q query, pf Filter) {
		got, err := f.svc.plan(f.ctx, q, pf.Before, true)
		if err != nil {
			t.Fatal(err)
		}
		if pf.From == "" && pf.DepartmentID == 0 {
			if ways[q.member] == nil {
				ways[q.member] = map[bool]int{}
			}
			ways[q.member][got.member != 0]++
		}
	})
	t.Logf("pages by walks/OR: %v", ways)
	for _, m := range []int64{1, 2, 5} {
		if ways[m][true] == 0 || ways[m][false] == 0 {
			t.Errorf("member %d: pages by the walks %d, by the OR %d: the plan does not flip", m, ways[m][true], ways[m][false])
		}
	}
	// Member 1's count and export read the OR (heavy in the newest), member
	// 2's the walks (light there).
	for m, walks := range map[int64]bool{1: false, 2: true, 5: true} {
		q, err := f.svc.compile(f.ctx, Filter{}, Scope{UserID: m})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.plan(f.ctx, q, 0, false); err != nil || (got.member != 0) != walks {
			t.Errorf("member %d: count walks %v, want %v (%v)", m, got.member != 0, walks, err)
		}
	}
}
