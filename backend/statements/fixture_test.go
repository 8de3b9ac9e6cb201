package statements

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/money"
	"meterdesk/backend/reports"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

// The fixture writes ledger rows with SQL in the ledger's schema
// (migrations 0100) rather than through ledger.Service, so that a month of
// 10,000 (or a benchmark's 1,000,000) entries is generated in seconds.
// Statements read only ledger_transfers/ledger_accounts/ledger_topups, so
// this exercises exactly what they read; balances are recomputed from the
// transfers at the end, as the ledger keeps them.

type env struct {
	ctx context.Context
	db  *store.DB
	rep *reports.Service
	st  *Service
	ids map[string]int64 // account code -> id
	seq int
}

// nastyName is a member name that tries to break CSV and PDF output.
const nastyName = "=HYPERLINK(\"x\"),\n\"Jürgen\" Groß; Дмитрий Ωmega 🚀"

var fixedNow = time.Date(2025, 5, 2, 12, 0, 0, 0, time.UTC)

func newEnv(t testing.TB) *env { return newEnvIn(t, t.TempDir()) }

func reportsFor(db *store.DB) *reports.Service {
	return reports.New(db, nil, func() time.Time { return fixedNow })
}

func newEnvIn(t testing.TB, dir string) *env {
	ctx := access.WithActor(context.Background(), access.System)
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := func() time.Time { return fixedNow }
	rep := reports.New(db, nil, clock)
	e := &env{ctx: ctx, db: db, rep: rep, st: New(rep, nil, clock), ids: map[string]int64{}}
	err = db.Write(ctx, func(tx *sql.Tx) error {
		now := "2025-01-01T00:00:00.000Z"
		for i, n := range []string{"Research & Development, \"R&D\"", "Vertrieb €"} {
			if _, err := tx.Exec(`INSERT INTO departments(id, name, created_at, updated_at) VALUES (?,?,?,?)`, i+1, n, now, now); err != nil {
				return err
			}
		}
		for i, n := range []string{"alice", nastyName, "Αλέξης"} {
			if _, err := tx.Exec(`INSERT INTO users(id, name, role, secret_kind, secret_hash, department_id, created_at, updated_at)
				VALUES (?,?,?,?,?,?,?,?)`, i+1, n, "member", "pin", "x", i%2+1, now, now); err != nil {
				return err
			}
		}
		for _, c := range []string{"dept:1", "dept:2", "user:1", "user:2", "user:3"} {
			kind := map[byte]string{'d': "dept", 'u': "user"}[c[0]]
			if _, err := tx.Exec(`INSERT INTO ledger_accounts(code, kind, policy, created_at) VALUES (?,?,'overdraft',?)`, c, kind, now); err != nil {
				return err
			}
		}
		rows, err := tx.Query("SELECT code, id FROM ledger_accounts")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c string
			var id int64
			rows.Scan(&c, &id)
			e.ids[c] = id
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	e.setZone(t, "UTC") // the tests' months do not depend on the machine's zone
	return e
}

// setZone sets the workspace zone (backend/workzone).
func (e *env) setZone(t testing.TB, zone string) {
	if err := e.db.SetSetting(e.ctx, workzone.Key, zone); err != nil {
		t.Fatal(err)
	}
}

func mustMinor(s string) int64 {
	d, err := money.Parse(s)
	if err != nil {
		panic(fmt.Sprintf("%q: %v", s, err))
	}
	return money.MustMinor(d)
}

// entry is one transfer to insert.
type entry struct {
	op, from, to string
	amount       int64
	user, dept   int64
	model        string
	conv         int64
	meta         string
	at           time.Time
	price        int64 // top-ups: price in cents
}

// insert writes entries (and top-up records) and recomputes balances.
func (e *env) insert(t testing.TB, es []entry) {
	err := e.db.Write(e.ctx, func(tx *sql.Tx) error {
		ins, err := tx.Prepare(`INSERT INTO ledger_transfers(request_id, leg, input_hash, op, kind, debit_id, credit_id, amount_minor,
			user_id, department_id, model, source, conversation_id, meta, created_at) VALUES (?,0,'h',?,'posted',?,?,?,?,?,?,'ui',?,?,?)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		for _, x := range es {
			e.seq++
			meta := x.meta
			if meta == "" {
				meta = "{}"
			}
			res, err := ins.Exec(fmt.Sprintf("r%d", e.seq), x.op, e.ids[x.from], e.ids[x.to], x.amount, nz(x.user), nz(x.dept), x.model, nz(x.conv), meta,
				store.FormatTime(x.at))
			if err != nil {
				return err
			}
			if x.op == "topup" {
				id, _ := res.LastInsertId()
				if _, err := tx.Exec(`INSERT INTO ledger_topups(transfer_id, account_id, credits_minor, price_minor, currency, tax_rate, lot_expires_at, created_at)
					VALUES (?,?,?,?,'EUR','0.19','9999-12-31T23:59:59.999Z',?)`, id, e.ids[x.to], x.amount, x.price, store.FormatTime(x.at)); err != nil {
					return err
				}
			}
		}
		_, err = tx.Exec(`UPDATE ledger_accounts SET
			balance_minor = COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers WHERE credit_id = ledger_accounts.id), 0)
				- COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers WHERE debit_id = ledger_accounts.id), 0),
			used_minor = COALESCE((SELECT SUM(amount_minor) FROM ledger_transfers WHERE debit_id = ledger_accounts.id
				AND credit_id = (SELECT id FROM ledger_accounts WHERE code = 'sys:usage')), 0)`)
		return err
	})
	if err != nil {
		if t == nil {
			panic(err)
		}
		t.Fatal(err)
	}
}

func nz(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// gen makes n mixed entries spread evenly over [from, to).
func gen(n int, from, to time.Time, seed uint64) []entry {
	r := rand.New(rand.NewPCG(seed, 7))
	models := []string{"gpt-4o", "claude-sonnet", "deepseek-chat", "gemini-flash", ""}
	payers := []string{"pool", "dept:1", "dept:2", "user:2"}
	step := to.Sub(from) / time.Duration(n+1)
	out := make([]entry, 0, n)
	for j := 0; j < n; j++ {
		x := entry{amount: 1 + r.Int64N(2_000_000_000), user: int64(r.IntN(4)), dept: int64(r.IntN(3)), at: from.Add(step * time.Duration(j+1))}
		switch k := r.IntN(1000); {
		case k < 5:
			x.op, x.from, x.to, x.user, x.dept = "topup", "sys:topup", payers[r.IntN(4)], 0, 0
			x.amount, x.price = 1000_000_000_000+r.Int64N(1000)*1_000_000_000, 1000+r.Int64N(100000)
		case k < 850:
			meta, _ := json.Marshal(map[string]any{"usage": map[string]any{"input": r.IntN(5000), "cacheRead": r.IntN(100),
				"output": r.IntN(900), "reasoning": r.IntN(50), "toolCalls": r.IntN(3)}})
			x.op, x.from, x.to, x.model, x.conv, x.meta = "usage", payers[r.IntN(4)], "sys:usage", models[r.IntN(len(models))], int64(1+r.IntN(40)), string(meta)
		case k < 920:
			x.op, x.from, x.to = "transfer", "pool", payers[1+r.IntN(3)]
		case k < 960:
			x.op, x.from, x.to = "refund", "sys:refund", payers[r.IntN(4)]
		case k < 970:
			x.op, x.from, x.to = "expiry", payers[r.IntN(4)], "sys:expiry"
		default:
			x.op, x.from, x.to = "adjustment", "sys:adjust", payers[r.IntN(4)]
			if k%2 == 0 {
				x.from, x.to = x.to, x.from
			}
		}
		out = append(out, x)
	}
	return out
}

// populate writes opening history in February, n entries in March 2025 and
// some in April.
func (e *env) populate(t testing.TB, n int) {
	feb := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	mar := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	apr := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	es := []entry{{op: "topup", from: "sys:topup", to: "pool", amount: 500_000_000_000_000, price: 4_500_000, at: feb}}
	es = append(es, gen(200, feb, mar, 1)...)
	es = append(es, gen(n, mar, apr, 2)...)
	es = append(es, gen(50, apr, apr.AddDate(0, 0, 20), 3)...)
	e.insert(t, es)
}
