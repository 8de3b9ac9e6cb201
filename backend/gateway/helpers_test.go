package gateway_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/gateway"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

var systemCtx = access.WithActor(context.Background(), access.System)

// testRates price gpt-4o at 0.002 credits per input and 0.008 per output token.
var testRates = []rates.Row{
	{Provider: rates.OpenAI, Model: "gpt-4o", Input: "0.002", Output: "0.008", CacheRead: "0.001", Reasoning: "0.01"},
	{Provider: rates.OpenAI, Model: "gpt-4o-mini", Input: "0.0001", Output: "0.0004"},
}

// okScript replies "Hello world" with 8 prompt and 2 completion tokens:
// 8*0.002 + 2*0.008 = 0.032 credits.
var okScript = fake.Script{Chunks: []string{"Hello", " world"}, Usage: fake.Usage{Prompt: 8, Completion: 2}}

const okCharge = "0.032"

// clock is a settable clock shared by every service.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Add moves the clock forward by d.
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// env is a gateway on a fresh database: rates, admin alice, member bob
// (pool-funded), a fake OpenAI provider serving gpt-4o and gpt-4o-mini, and
// the gateway's handler on an httptest server.
type env struct {
	t      testing.TB
	dir    string // the data folder
	db     *store.DB
	led    *ledger.Service
	team   *team.Service
	gw     *gateway.Service
	fake   *fake.Server
	srv    *httptest.Server
	clock  *clock
	admin  context.Context
	bob    team.Member
	bobKey string
}

func newEnv(t testing.TB, pool string) *env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)}
	led := ledger.New(db, nil, clk.Now)
	t.Cleanup(led.Close)
	rs := rates.New(db, nil, clk.Now)
	tm := team.New(db, led, nil, clk.Now)
	tm.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := tm.Setup(ctx, team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	adminCtx := access.WithActor(ctx, admin)
	if _, err := rs.Apply(adminCtx, rates.Change{Rows: testRates, Reason: "test rates"}); err != nil {
		t.Fatalf("rates: %v", err)
	}
	bob, err := tm.AddMember(adminCtx, team.NewMember{Name: "bob", Role: access.RoleMember,
		SecretKind: team.SecretPassword, Secret: "another horse battery"})
	if err != nil {
		t.Fatalf("add bob: %v", err)
	}
	fk := fake.NewOpenAI(okScript)
	t.Cleanup(fk.Close)
	gw := newGateway(t, db, led, rs, tm, fk, clk)
	srv := httptest.NewServer(gw.Handler())
	t.Cleanup(srv.Close)
	e := &env{t: t, dir: dir, db: db, led: led, team: tm, gw: gw, fake: fk, srv: srv, clock: clk, admin: adminCtx, bob: bob}
	if err := led.EnsureAccount(systemCtx, ledger.AccountPool); err != nil {
		t.Fatal(err)
	}
	if pool != "" && pool != "0" {
		e.topUp(pool)
	}
	k, err := gw.CreateKey(e.as(bob), bob.ID, "test")
	if err != nil {
		t.Fatalf("create key: %v", err)
	}
	e.bobKey = k.Secret
	return e
}

// newGateway wires a gateway on db as backend/core does, sending to fk.
func newGateway(t testing.TB, db *store.DB, led *ledger.Service, rs *rates.Service, tm *team.Service, fk *fake.Server, clk *clock) *gateway.Service {
	t.Helper()
	client, err := providers.New(providers.Config{Kind: providers.KindOpenAI, BaseURL: fk.BaseURL(), APIKey: "sk-test"})
	if err != nil {
		t.Fatal(err)
	}
	return newGatewayWith(db, led, rs, tm, client, clk)
}

// newGatewayWith is newGateway sending through client.
func newGatewayWith(db *store.DB, led *ledger.Service, rs *rates.Service, tm *team.Service, client providers.Client, clk *clock) *gateway.Service {
	res := chat.StaticResolver{{Info: chat.TargetInfo{Name: "openai", RateProvider: rates.OpenAI,
		Models: []string{"gpt-4o", "gpt-4o-mini"}}, Client: client}}
	meter := chat.New(db, led, rs, tm, res, nil, clk.Now).Meter()
	return gateway.New(db, gateway.Deps{Meter: meter, Team: tm, Ledger: led, Clock: clk.Now})
}

// secondProcess serves the same data folder as another process would
// (the window's API beside `meterdesk serve`): its own database handle,
// ledger writer and gateway, sending to the same fake provider.
func (e *env) secondProcess() *httptest.Server {
	e.t.Helper()
	db, err := store.Open(context.Background(), e.dir)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	led := ledger.New(db, nil, e.clock.Now)
	e.t.Cleanup(led.Close)
	rs := rates.New(db, nil, e.clock.Now)
	tm := team.New(db, led, nil, e.clock.Now)
	srv := httptest.NewServer(newGateway(e.t, db, led, rs, tm, e.fake, e.clock).Handler())
	e.t.Cleanup(srv.Close)
	return srv
}

func (e *env) as(m team.Member) context.Context {
	return access.WithActor(context.Background(), access.Actor{UserID: m.ID, Name: m.Name, Role: m.Role})
}

func (e *env) topUp(credits string) {
	e.t.Helper()
	if _, err := e.led.TopUp(systemCtx, ledger.TopUpRequest{ID: "topup-" + chat.NewID(),
		Account: ledger.AccountPool, Credits: decimal.RequireFromString(credits), Price: "0", Currency: "EUR",
		Source: "system"}); err != nil {
		e.t.Fatalf("top up: %v", err)
	}
}

// post sends a JSON body to path with key (none when "").
func (e *env) post(path, key, body string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

func (e *env) get(path, key string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp
}

// apiErr is the OpenAI error body.
type apiErr struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    *string `json:"code"`
	} `json:"error"`
}

func decode[T any](t *testing.T, r io.Reader) T {
	t.Helper()
	var v T
	if err := json.NewDecoder(r).Decode(&v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return v
}

// charged is the sum of usage charges in the database.
func (e *env) charged() string {
	e.t.Helper()
	var n int64
	if err := e.db.Read().QueryRow(`SELECT COALESCE(SUM(amount_minor),0) FROM chat_charges`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return money.MinorString(n)
}

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.Read().QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// checkLedger asserts the ledger invariants, that no hold is pending, and
// that sys:usage holds exactly the charges recorded.
func (e *env) checkLedger() {
	e.t.Helper()
	if err := e.led.Verify(context.Background()); err != nil {
		e.t.Fatalf("ledger invariants: %v", err)
	}
	if n := e.count(`SELECT count(*) FROM ledger_holds WHERE status = 'pending'`); n != 0 {
		e.t.Fatalf("%d holds left pending", n)
	}
	b, err := e.led.Balance(systemCtx, ledger.AccountUsage)
	if err != nil && !strings.Contains(err.Error(), "unknown account") {
		e.t.Fatal(err)
	}
	if got := b.Balance.String(); err == nil && got != e.charged() {
		e.t.Fatalf("sys:usage holds %s but the charges sum to %s", got, e.charged())
	}
}

func (e *env) poolAvailable() string {
	e.t.Helper()
	b, err := e.led.Balance(systemCtx, ledger.AccountPool)
	if err != nil {
		e.t.Fatal(err)
	}
	return b.Available.String()
}

// sseEvent is one event of a stream: data or a comment.
type sseEvent struct {
	Data    string
	Comment string
}

func readSSE(t *testing.T, r io.Reader) []sseEvent {
	t.Helper()
	var out []sseEvent
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "data: "):
			out = append(out, sseEvent{Data: strings.TrimPrefix(line, "data: ")})
		case strings.HasPrefix(line, ":"):
			out = append(out, sseEvent{Comment: strings.TrimSpace(strings.TrimPrefix(line, ":"))})
		}
	}
	return out
}

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func teamLimit(userID int64, kind, amount string) team.Limit {
	return team.Limit{UserID: userID, Kind: kind, Amount: amount}
}
