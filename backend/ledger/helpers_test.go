package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

var (
	adminCtx  = access.WithActor(context.Background(), access.Actor{UserID: 1, Name: "ada", Role: access.RoleAdmin})
	systemCtx = access.WithActor(context.Background(), access.System)
)

func memberCtx(id int64) context.Context {
	return access.WithActor(context.Background(), access.Actor{UserID: id, Name: fmt.Sprint("m", id), Role: access.RoleMember})
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// env is a ledger on a fresh database in t.TempDir().
type env struct {
	s   *Service
	db  *store.DB
	clk *clock
	rec *events.Recorder
	dir string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvIn(t, t.TempDir())
}

// fastDir is a folder on tmpfs when there is one (no fsync cost), for the
// fuzzer, which checks invariants rather than durability.
func fastDir(t testing.TB) string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		dir, err := os.MkdirTemp("/dev/shm", "meterdesk-fuzz-")
		if err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}

func newEnvIn(t testing.TB, dir string) *env {
	t.Helper()
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	// Lots' months are counted in the workspace's zone: UTC, so that the
	// tests' expiries do not depend on the machine's zone.
	if err := db.SetSetting(context.Background(), workzone.Key, "UTC"); err != nil {
		t.Fatal(err)
	}
	e := &env{db: db, clk: newClock(), rec: &events.Recorder{}, dir: dir}
	e.s = New(db, e.rec, e.clk.Now)
	t.Cleanup(func() {
		e.s.Close()
		db.Close()
	})
	return e
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func (e *env) ensure(t testing.TB, codes ...string) {
	t.Helper()
	for _, c := range codes {
		if err := e.s.EnsureAccount(adminCtx, c); err != nil {
			t.Fatal(err)
		}
	}
}

var topupSeq int

func (e *env) fund(t testing.TB, code, amount string) TopUp {
	t.Helper()
	topupSeq++
	tu, err := e.s.TopUp(adminCtx, TopUpRequest{ID: fmt.Sprintf("fund-%d", topupSeq), Account: code, Credits: d(amount), Price: "0"})
	if err != nil {
		t.Fatal(err)
	}
	return tu
}

func (e *env) balance(t testing.TB, code string) Balance {
	t.Helper()
	b, err := e.s.Balance(systemCtx, code)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *env) wantBalance(t testing.TB, code, bal, avail string) {
	t.Helper()
	b := e.balance(t, code)
	if !b.Balance.Equal(d(bal)) || !b.Available.Equal(d(avail)) {
		t.Fatalf("%s: balance %s available %s, want %s / %s", code, b.Balance, b.Available, bal, avail)
	}
}

func (e *env) verify(t testing.TB) {
	t.Helper()
	if err := e.s.Verify(context.Background()); err != nil {
		t.Fatalf("ledger invariants broken:\n%v", err)
	}
}

// snapshot dumps every ledger table and the settings, to prove that a
// rejected request wrote nothing.
func (e *env) snapshot(t testing.TB) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range []string{"ledger_accounts", "ledger_transfers", "ledger_holds", "ledger_lots", "ledger_topups", "ledger_packages", "ledger_debit_index", "ledger_index_state", "settings"} {
		rows, err := e.db.Read().Query("SELECT * FROM " + tbl + " ORDER BY 1")
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %v\n", tbl, vals)
		}
		rows.Close()
	}
	return b.String()
}

func count(t testing.TB, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
