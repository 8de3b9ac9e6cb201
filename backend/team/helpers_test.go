package team

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// fakeClock is a settable clock shared by the ledger and the team service.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	t     testing.TB
	db    *store.DB
	led   *ledger.Service
	svc   *Service
	rec   *events.Recorder
	clock *fakeClock
	admin access.Actor
}

// cheap argon2 parameters keep the tests fast; one test uses the defaults.
var testHash = HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newEnv(t *testing.T) *env { return newEnvTB(t) }

// newEnvTB is newEnv for benchmarks too.
func newEnvTB(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)}
	rec := &events.Recorder{}
	led := ledger.New(db, rec, clock.Now)
	svc := New(db, led, rec, clock.Now)
	led.SetMoveHook(svc.AfterMove) // as core.Open wires it
	svc.SetHashParams(testHash)
	t.Cleanup(func() { led.Close(); db.Close() })
	return &env{t: t, db: db, led: led, svc: svc, rec: rec, clock: clock}
}

// setup runs the first-run wizard with admin "alice" in zone tz.
func (e *env) setup(tz string) *env {
	e.t.Helper()
	a, err := e.svc.Setup(context.Background(), WorkspaceSetup{
		Workspace: Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: tz},
		AdminName: "alice", SecretKind: SecretPassword, Secret: "correct horse",
	})
	if err != nil {
		e.t.Fatal(err)
	}
	e.admin = a
	return e
}

func (e *env) as(a access.Actor) context.Context { return access.WithActor(context.Background(), a) }
func (e *env) adminCtx() context.Context         { return e.as(e.admin) }

func (e *env) addMember(name string, mod func(*NewMember)) Member {
	e.t.Helper()
	in := NewMember{Name: name, Role: access.RoleMember, SecretKind: SecretPIN, Secret: "1234"}
	if mod != nil {
		mod(&in)
	}
	m, err := e.svc.AddMember(e.adminCtx(), in)
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

func actorFor(m Member) access.Actor { return access.Actor{UserID: m.ID, Name: m.Name, Role: m.Role} }

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var idSeq struct {
	sync.Mutex
	n int
}

func nextID(p string) string {
	idSeq.Lock()
	defer idSeq.Unlock()
	idSeq.n++
	return fmt.Sprintf("%s-%d", p, idSeq.n)
}

// topUp issues credits to an account.
func (e *env) topUp(account, credits string) {
	e.t.Helper()
	sys := access.WithActor(context.Background(), access.System)
	if err := e.led.EnsureAccount(sys, account); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.led.TopUp(sys, ledger.TopUpRequest{ID: nextID("top"), Account: account, Credits: d(credits), Price: "0"}); err != nil {
		e.t.Fatal(err)
	}
}

// use posts usage of credits by member m on model from account.
func (e *env) use(m Member, account, model, credits string) error {
	ctx := e.as(actorFor(m))
	_, err := e.led.Transfer(ctx, ledger.TransferRequest{ID: nextID("use"), Op: ledger.OpUsage, From: account,
		To: ledger.AccountUsage, Amount: d(credits), Dims: ledger.Dims{UserID: m.ID, Model: model}})
	return err
}

// hold takes a hold through the member's limit guard.
func (e *env) hold(m Member, account, model, credits string) error {
	ctx := e.as(actorFor(m))
	_, err := e.led.Hold(ctx, ledger.HoldRequest{ID: nextID("hold"), From: account, Amount: d(credits),
		Dims: ledger.Dims{UserID: m.ID, Model: model}, Guard: e.svc.LimitGuard(m.ID, model, d(credits))})
	return err
}

func (e *env) balance(account string) string {
	e.t.Helper()
	var n int64
	if err := e.db.Read().QueryRow("SELECT balance_minor FROM ledger_accounts WHERE code = ?", account).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return money.MinorString(n)
}

// dump renders every table's rows, for "nothing changed" comparisons.
func dump(t *testing.T, db *store.DB) string {
	t.Helper()
	out, err := db.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// reopenAfter runs queries on e's database (putting it back as an earlier
// version left it: a migration undone and forgotten) and opens it again as
// the next start would, which migrates it. The caller closes it.
func (e *env) reopenAfter(queries ...string) *store.DB {
	e.t.Helper()
	for _, q := range queries {
		if _, err := e.db.Writer().Exec(q); err != nil {
			e.t.Fatalf("%s: %v", q, err)
		}
	}
	db, err := store.Open(context.Background(), filepath.Dir(e.db.Path))
	if err != nil {
		e.t.Fatalf("reopen: %v", err)
	}
	return db
}

// afterCharge runs AfterCharge for acct as a chat settlement does, having
// first asked AfterChargeNeeded in a write transaction as the settlement
// asks it in its posting's: whenever AfterCharge then changes anything (a
// notification, an alert's state, a transfer such as a recharge),
// AfterChargeNeeded must have said so. It returns what it said.
func (e *env) afterCharge(t *testing.T, acct string) bool {
	t.Helper()
	ctx := context.Background()
	var needed bool
	if err := e.db.Write(ctx, func(tx *sql.Tx) error {
		needed = e.svc.AfterChargeNeeded(ctx, tx, acct)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before := e.afterChargeState(t)
	e.svc.AfterCharge(ctx, acct)
	if after := e.afterChargeState(t); after != before && !needed {
		t.Fatalf("AfterCharge(%s) changed %q to %q, but AfterChargeNeeded said there was nothing to do", acct, before, after)
	}
	return needed
}

// afterChargeState is what AfterCharge may change, as one string.
func (e *env) afterChargeState(t *testing.T) string {
	t.Helper()
	var s string
	if err := e.db.Read().QueryRow(`SELECT (SELECT count(*) FROM notifications) || '/' ||
		(SELECT COALESCE(group_concat(account || ':' || threshold || ':' || crossed_at, ','), '') FROM alert_state) || '/' ||
		(SELECT count(*) FROM ledger_transfers)`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// department creates a department named name, failing the test if it
// cannot: a department that was never made has ID 0 and an empty
// account, which some checks would take for "none" and pass.
func (e *env) department(name string) Department {
	e.t.Helper()
	dep, err := e.svc.CreateDepartment(e.adminCtx(), DepartmentInput{Name: name})
	if err != nil {
		e.t.Fatal(err)
	}
	return dep
}

// notes lists what ctx's member may see (only unread ones if unread),
// failing the test if the list is refused, so that "none" means none.
func (e *env) notes(ctx context.Context, unread bool) []Notification {
	e.t.Helper()
	list, err := e.svc.Notifications(ctx, unread, 0)
	if err != nil {
		e.t.Fatalf("notifications: %v", err)
	}
	return list
}
