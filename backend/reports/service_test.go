package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

// tx is one ledger transfer written by the fixture in the ledger's schema.
type tx struct {
	op, from, to string
	amount       int64
	user, dept   int64
	model        string
	provider     string // the posting's meta "provider" ("" = none)
	conv         int64
	at           string // YYYY-MM-DD hh:mm
}

type fixture struct {
	ctx context.Context
	db  *store.DB
	svc *Service
	rec *events.Recorder
	ids map[string]int64
	n   int
}

var now = time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)

func newFixture(t testing.TB) *fixture {
	ctx := access.WithActor(context.Background(), access.System)
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rec := &events.Recorder{}
	f := &fixture{ctx: ctx, db: db, svc: New(db, rec, func() time.Time { return now }), rec: rec, ids: map[string]int64{}}
	err = db.Write(ctx, func(t *sql.Tx) error {
		ts := "2025-01-01T00:00:00.000Z"
		t.Exec(`INSERT INTO departments(id, name, created_at, updated_at) VALUES (1, 'Research', ?, ?)`, ts, ts)
		// Two providers that may serve one model name (a usage charge
		// names its provider in its posting's meta).
		for i, p := range []struct{ name, kind, url string }{{"OpenAI", "openai", "https://api.openai.com/v1"},
			{"Lab", "openai_compatible", "http://10.0.0.5:8000/v1"}} {
			if _, err := t.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, created_at, updated_at) VALUES (?,?,?,?,?,?)`,
				p.name, p.kind, p.url, fmt.Sprint("ref", i), ts, ts); err != nil {
				return err
			}
		}
		for i, n := range []string{"ann", "bob"} {
			if _, err := t.Exec(`INSERT INTO users(id, name, role, secret_kind, secret_hash, created_at, updated_at) VALUES (?,?,'member','pin','x',?,?)`, i+1, n, ts, ts); err != nil {
				return err
			}
		}
		for _, c := range []string{"user:1", "user:2", "dept:1"} {
			if _, err := t.Exec(`INSERT INTO ledger_accounts(code, kind, policy, created_at) VALUES (?, ?, 'overdraft', ?)`, c, map[byte]string{'u': "user", 'd': "dept"}[c[0]], ts); err != nil {
				return err
			}
		}
		rows, _ := t.Query("SELECT code, id FROM ledger_accounts")
		defer rows.Close()
		for rows.Next() {
			var c string
			var id int64
			rows.Scan(&c, &id)
			f.ids[c] = id
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.setZone(t, "UTC") // the tests' dates do not depend on the machine's zone
	return f
}

// setZone sets the workspace zone (backend/workzone).
func (f *fixture) setZone(t testing.TB, zone string) {
	t.Helper()
	if err := f.db.SetSetting(f.ctx, workzone.Key, zone); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) add(t testing.TB, txs ...tx) {
	err := f.db.Write(f.ctx, func(q *sql.Tx) error {
		st, err := q.Prepare(`INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor,
			user_id, department_id, model, source, conversation_id, created_at, meta) VALUES (?,'h',?,'posted',?,?,?,?,?,?,'ui',?,?,?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, x := range txs {
			f.n++
			at, _ := time.Parse("2006-01-02 15:04", x.at)
			meta := "{}"
			if x.provider != "" {
				b, _ := json.Marshal(map[string]string{"provider": x.provider})
				meta = string(b)
			}
			if _, err := st.Exec(fmt.Sprint("r", f.n), x.op, f.ids[x.from], f.ids[x.to], x.amount, nz(x.user), nz(x.dept), x.model, nz(x.conv),
				at.Format("2006-01-02T15:04:05.000Z"), meta); err != nil {
				return err
			}
		}
		_, err = q.Exec(`UPDATE ledger_accounts SET
			balance_minor = COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers WHERE credit_id = ledger_accounts.id), 0)
				- COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers WHERE debit_id = ledger_accounts.id), 0),
			used_minor = COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers WHERE debit_id = ledger_accounts.id
				AND credit_id = (SELECT id FROM ledger_accounts WHERE code = 'sys:usage')), 0)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func nz(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

const c = 1_000_000_000 // one credit

func TestDashboardScopesAndTotals(t *testing.T) {
	f := newFixture(t)
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 1000 * c, at: "2025-03-01 09:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 2 * c, user: 1, dept: 1, model: "gpt-4o", conv: 7, at: "2025-03-02 10:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 3, user: 2, model: "claude", provider: "Anthropic", conv: 8, at: "2025-03-02 11:00"},
		tx{op: "usage", from: "user:1", to: "sys:usage", amount: 5 * c, user: 1, model: "claude", provider: "Anthropic", conv: 7, at: "2025-03-04 10:00"},
		tx{op: "transfer", from: "pool", to: "dept:1", amount: 10 * c, at: "2025-03-05 10:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 9 * c, user: 1, model: "gpt-4o", at: "2025-04-01 00:00"},
	)
	d, err := f.svc.Dashboard(f.ctx, Range{From: "2025-03-01", To: "2025-03-31"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d.Total != "7.000000003" || len(d.ByDay) != 31 || d.ByDay[1].Amount != "2.000000003" || d.ByDay[3].Amount != "5" {
		t.Fatalf("admin dashboard total %s, %d days, %+v", d.Total, len(d.ByDay), d.ByDay[:4])
	}
	if d.ByModel[0].Key != "claude · Anthropic (since removed)" || d.ByModel[0].Model != "claude" || d.ByModel[0].Amount != "5.000000003" || d.ByMember[0].Label != "ann" || d.ByDepartment[0].Label != "(no department)" {
		t.Errorf("groups: %+v %+v %+v", d.ByModel, d.ByMember, d.ByDepartment)
	}
	if d.ByDay[3].Share != 1000 || d.ByDay[1].Share != 400 || d.ByDay[0].Share != 0 {
		t.Errorf("shares %d %d %d", d.ByDay[3].Share, d.ByDay[1].Share, d.ByDay[0].Share)
	}
	if d.Conversations[0].ID != 7 || d.Conversations[0].Amount != "7" {
		t.Errorf("conversations %+v", d.Conversations)
	}
	if d.Balance != "978.999999997" || d.BalanceAccount != "pool" || d.LifetimeUsed != "16.000000003" || d.Last == nil || d.Last.Type != TypeUsage || d.Last.Amount != "9" {
		t.Errorf("headline: balance %s used %s last %+v", d.Balance, d.LifetimeUsed, d.Last)
	}
	// A member sees only their own usage and cannot ask for someone else's.
	ann := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	d, err = f.svc.Dashboard(ann, Range{From: "2025-03-01", To: "2025-03-31"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d.Total != "7" || len(d.ByMember) != 1 || d.Balance != "-5" || !strings.HasPrefix(d.BalanceAccount, "user:") {
		t.Errorf("member dashboard total %s members %+v balance %s of %q", d.Total, d.ByMember, d.Balance, d.BalanceAccount)
	}
	if _, err := f.svc.Dashboard(ann, Range{From: "2025-03-01", To: "2025-03-31"}, 2); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("member read another member: %v", err)
	}
	if _, err := f.svc.Dashboard(context.Background(), Range{From: "2025-03-01", To: "2025-03-31"}, 0); !errors.Is(err, access.ErrUnauthenticated) {
		t.Errorf("anonymous dashboard: %v", err)
	}
	for _, r := range []Range{{"2025-03-31", "2025-03-01"}, {"2025-3-1", "2025-03-31"}, {"", ""}, {"2000-01-01", "2020-01-01"}} {
		if _, err := f.svc.Dashboard(f.ctx, r, 0); !errors.Is(err, ErrBadRange) {
			t.Errorf("range %+v: %v", r, err)
		}
	}
	if _, _, err := f.svc.UsageBy(f.ctx, Range{"2025-03-01", "2025-03-31"}, "colour", 0); !errors.Is(err, ErrBadGroup) {
		t.Errorf("bad group: %v", err)
	}
	pts, total, err := f.svc.UsageBy(f.ctx, Range{"2025-03-01", "2025-04-30"}, ByMember, 0)
	if err != nil || total != "16.000000003" || len(pts) != 2 {
		t.Errorf("usage by member: %+v %s %v", pts, total, err)
	}
}

func TestHistoryFilters(t *testing.T) {
	f := newFixture(t)
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 100 * c, at: "2025-03-01 09:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 2 * c, user: 1, dept: 1, model: "gpt-4o", at: "2025-03-02 10:00"},
		tx{op: "post", from: "pool", to: "sys:usage", amount: 3 * c, user: 2, model: "claude", at: "2025-03-03 10:00"},
		tx{op: "refund", from: "sys:refund", to: "user:1", amount: 1 * c, user: 1, at: "2025-03-04 10:00"},
		tx{op: "adjustment", from: "pool", to: "sys:adjust", amount: 1, at: "2025-03-05 10:00"},
		tx{op: "transfer", from: "pool", to: "dept:1", amount: 4 * c, at: "2025-03-06 10:00"},
	)
	count := func(ctx context.Context, fl Filter) int {
		p, err := f.svc.History(ctx, fl)
		if err != nil {
			t.Fatalf("%+v: %v", fl, err)
		}
		return len(p.Items)
	}
	tests := []struct {
		name string
		f    Filter
		want int
	}{
		{"all", Filter{}, 6},
		{"usage includes posted holds", Filter{Types: []string{"usage"}}, 2},
		{"top-up and refund", Filter{Types: []string{"topup", "refund"}}, 2},
		{"member", Filter{UserID: 1}, 2},
		{"department", Filter{DepartmentID: 1}, 1},
		{"model", Filter{Model: "claude"}, 1},
		{"dates inclusive", Filter{From: "2025-03-02", To: "2025-03-04"}, 3},
		{"adjustment", Filter{Types: []string{"adjustment"}}, 1},
	}
	for _, tc := range tests {
		if got := count(f.ctx, tc.f); got != tc.want {
			t.Errorf("%s: %d rows, want %d", tc.name, got, tc.want)
		}
	}
	// Paging: newest first, cursor continues.
	p, _ := f.svc.History(f.ctx, Filter{Limit: 4})
	if len(p.Items) != 4 || p.Next == 0 || p.Items[0].Op != "transfer" {
		t.Fatalf("page 1: %+v", p)
	}
	p2, _ := f.svc.History(f.ctx, Filter{Limit: 4, Before: p.Next})
	if len(p2.Items) != 2 || p2.Next != 0 {
		t.Fatalf("page 2: %+v", p2)
	}
	for _, bad := range []Filter{{Limit: -3}, {Before: -1}} {
		if _, err := f.svc.History(f.ctx, bad); !errors.Is(err, ErrBadPage) {
			t.Errorf("history %+v: %v, want ErrBadPage", bad, err)
		}
	}
	ann := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	if got := count(ann, Filter{}); got != 2 {
		t.Errorf("member sees %d rows, want their 2", got)
	}
	for _, bad := range []Filter{{Types: []string{"gift"}}, {From: "03/01/2025"}, {From: "2025-03-05", To: "2025-03-01"}} {
		if _, err := f.svc.History(f.ctx, bad); err == nil {
			t.Errorf("filter %+v accepted", bad)
		}
	}
	n := 0
	if err := f.svc.Each(f.ctx, Filter{Types: []string{"usage"}}, func(r Row) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("each: %d %v", n, err)
	}
}

func TestAnomaliesAndNotification(t *testing.T) {
	f := newFixture(t)
	var txs []tx
	day := time.Date(2025, 2, 15, 10, 0, 0, 0, time.UTC)
	for d := 0; d < 34; d++ {
		at := day.AddDate(0, 0, d).Format("2006-01-02 15:04")
		txs = append(txs, tx{op: "usage", from: "pool", to: "sys:usage", amount: int64(10+d%3) * c, user: 1, model: "gpt-4o", conv: int64(d + 1), at: at})
	}
	// Yesterday (2025-03-19) bob runs away in one conversation on one model.
	txs = append(txs, tx{op: "usage", from: "pool", to: "sys:usage", amount: 400 * c, user: 2, model: "o1", conv: 99, at: "2025-03-19 15:00"})
	f.add(t, txs...)
	got, err := f.svc.CheckAnomalies(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, a := range got {
		kinds[a.Kind] = true
	}
	for _, k := range []string{"day", "member", "conversation"} {
		if !kinds[k] {
			t.Errorf("no %s anomaly in %+v", k, got)
		}
	}
	if f.rec.Count(events.Notification) != len(got) || len(got) == 0 {
		t.Errorf("%d notifications for %d anomalies", f.rec.Count(events.Notification), len(got))
	}
	// The notification is for people: its amounts follow the display rule
	// (money.Display, as the window writes credits), "400.00 credits", where
	// the anomaly's fields stay canonical ("400").
	said := false
	for _, ev := range f.rec.Events() {
		n, ok := ev.Payload.(Notification)
		if !ok || ev.Name != events.Notification {
			continue
		}
		if n.Anomaly.Kind == "member" {
			said = true
			if n.Anomaly.Amount != "400" || !strings.HasPrefix(n.Message, "400.00 credits against a usual ") {
				t.Errorf("member anomaly %+v says %q, want it to start \"400.00 credits against a usual \"", n.Anomaly, n.Message)
			}
		}
	}
	if !said {
		t.Error("no notification of the member anomaly")
	}
	again, err := f.svc.CheckAnomalies(f.ctx)
	if err != nil || len(again) != 0 {
		t.Errorf("re-notified: %+v %v", again, err)
	}
	member := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	if _, err := f.svc.CheckAnomalies(member); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("member ran the anomaly job: %v", err)
	}
	fc, err := f.svc.Forecast(f.ctx, 0)
	if err != nil || fc.WindowDays != 28 || fc.MonthToDate == "0" || fc.MonthEnd == "" {
		t.Errorf("forecast %+v %v", fc, err)
	}
}

// TestEmptyDashboardHasListsNotNulls: with no usage the frontend gets empty
// lists, never null.
// With a payer function (backend/core wires team's funding rules), a
// member's balance is the account their sends are charged to, as in the
// header; a failure to find it is an error, not a silent zero.
func TestMemberDashboardShowsThePayersBalance(t *testing.T) {
	f := newFixture(t)
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 1000 * c, at: "2025-03-01 09:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 2 * c, user: 1, model: "gpt-4o", at: "2025-03-02 10:00"},
	)
	ann := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	asked := []int64{}
	payer, payerErr := "pool", error(nil)
	f.svc.SetPayer(func(ctx context.Context, userID int64) (string, error) {
		asked = append(asked, userID)
		return payer, payerErr
	})
	d, err := f.svc.Dashboard(ann, Range{From: "2025-03-01", To: "2025-03-31"}, 0)
	if err != nil || d.Balance != "998" || d.BalanceAccount != "pool" || d.Total != "2" {
		t.Fatalf("member paid by the pool: balance %s of %q total %s (%v)", d.Balance, d.BalanceAccount, d.Total, err)
	}
	for _, id := range asked {
		if id != 1 {
			t.Fatalf("payer asked for %v", asked)
		}
	}
	// The workspace view is the pool's whatever the function says.
	payer, before := "user:1", len(asked)
	if d, err := f.svc.Dashboard(f.ctx, Range{From: "2025-03-01", To: "2025-03-31"}, 0); err != nil || d.Balance != "998" || len(asked) != before {
		t.Fatalf("workspace: balance %s (%v), payer asked %v", d.Balance, err, asked)
	}
	if d, err := f.svc.Dashboard(ann, Range{From: "2025-03-01", To: "2025-03-31"}, 0); err != nil || d.Balance != "0" {
		t.Fatalf("member with an empty wallet: balance %s (%v)", d.Balance, err)
	}
	payerErr = errors.New("member 1 not found")
	if _, err := f.svc.Dashboard(ann, Range{From: "2025-03-01", To: "2025-03-31"}, 0); err == nil || !strings.Contains(err.Error(), "member 1 not found") {
		t.Fatalf("payer error: %v", err)
	}
}

func TestEmptyDashboardHasListsNotNulls(t *testing.T) {
	f := newFixture(t)
	d, err := f.svc.Dashboard(f.ctx, Range{From: "2025-03-01", To: "2025-03-31"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"byModel", "byMember", "byDepartment", "conversations", "anomalies"} {
		if !strings.Contains(string(b), `"`+k+`":[]`) {
			t.Errorf("%s is not an empty list in %s", k, b)
		}
	}
}

// TestNoAnomaliesOnAWorkspacesFirstDays: the first days of a new workspace's
// usage are not "unusual" against a run of zeros; a week later they can be.
func TestNoAnomaliesOnAWorkspacesFirstDays(t *testing.T) {
	f := newFixture(t)
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 1000 * c, at: "2025-03-01 09:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 200 * c, user: 1, model: "gpt-4o", conv: 7, at: "2025-03-20 10:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 3 * c, user: 2, model: "claude", conv: 8, at: "2025-03-21 11:00"},
	)
	d, err := f.svc.Dashboard(f.ctx, Range{From: "2025-03-15", To: "2025-03-21"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Anomalies) != 0 {
		t.Fatalf("a new workspace's first days flagged: %+v", d.Anomalies)
	}
	// A week of ordinary use, then a spike: flagged.
	var txs []tx
	for day := 22; day <= 29; day++ {
		txs = append(txs, tx{op: "usage", from: "pool", to: "sys:usage", amount: 2 * c, user: 1, model: "gpt-4o", conv: 9,
			at: fmt.Sprintf("2025-03-%02d 10:00", day)})
	}
	txs = append(txs, tx{op: "usage", from: "pool", to: "sys:usage", amount: 400 * c, user: 1, model: "gpt-4o", conv: 10, at: "2025-03-30 10:00"})
	f.add(t, txs...)
	d, err = f.svc.Dashboard(f.ctx, Range{From: "2025-03-30", To: "2025-03-30"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Anomalies) == 0 {
		t.Fatal("a spike after a week of history was not flagged")
	}
}
