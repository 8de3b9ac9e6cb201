package chat_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/events"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

var (
	adminCtx  = access.WithActor(context.Background(), access.Actor{UserID: 0, Name: "owner", Role: access.RoleAdmin})
	systemCtx = access.WithActor(context.Background(), access.System)
)

// testRates are the per-token rates (credits) the tests price with.
var testRates = []rates.Row{
	{Provider: rates.OpenAI, Model: "gpt-4o", Input: "0.002", Output: "0.008", CacheRead: "0.001", Reasoning: "0.01", PerToolCall: "0.5"},
	{Provider: rates.DeepSeek, Model: "deepseek-chat", Input: "0.0005", Output: "0.002", CacheRead: "0.0001"},
	{Provider: rates.Anthropic, Model: "claude-sonnet-4-20250514", Input: "0.003", Output: "0.015", CacheRead: "0.0003", CacheWrite: "0.00375"},
	{Provider: rates.Gemini, Model: "gemini-2.5-flash", Input: "0.0003", Output: "0.0025", CacheRead: "0.000075"},
	{Provider: rates.Local, Model: "llama3.2", Input: "0", Output: "0"},
}

// env is a chat service on a fresh database with rates and a funded pool.
type env struct {
	t     testing.TB
	db    *store.DB
	led   *ledger.Service
	rates *rates.Service
	svc   *chat.Service
	rec   *events.Recorder
	res   *resolver
}

// resolver is a StaticResolver that tests extend per case. slashTo, when
// set, is where a send naming no provider goes with a model name holding a
// '/', as the providers service routes one to its OpenAI-compatible server.
type resolver struct {
	chat.StaticResolver
	slashTo string
}

// Resolve implements chat.Resolver.
func (r *resolver) Resolve(ctx context.Context, provider, model string) (chat.Target, error) {
	if provider == "" && r.slashTo != "" && strings.Contains(model, "/") {
		provider = r.slashTo
	}
	return r.StaticResolver.Resolve(ctx, provider, model)
}

func newEnv(t *testing.T, funder chat.Funder) *env { return newEnvWith(t, funder) }

func newEnvTB(t testing.TB) *env { return newEnvWith(t, nil) }

func newEnvWith(t testing.TB, funder chat.Funder) *env { return newEnvAt(t, funder, nil) }

// newEnvAt is newEnvWith whose ledger and chat read the time from now
// (nil: the real clock).
func newEnvAt(t testing.TB, funder chat.Funder, now func() time.Time) *env {
	t.Helper()
	return newEnvIn(t, t.TempDir(), funder, now)
}

// newEnvIn is newEnvAt on the data folder dir (a second one on the same
// folder is another process's view of it, with its own ledger instance).
func newEnvIn(t testing.TB, dir string, funder chat.Funder, now func() time.Time) *env {
	t.Helper()
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	led := ledger.New(db, nil, now)
	t.Cleanup(led.Close)
	rs := rates.New(db, nil, nil)
	if _, err := rs.Apply(adminCtx, rates.Change{Rows: testRates, Reason: "test rates"}); err != nil {
		t.Fatalf("rates: %v", err)
	}
	rec := &events.Recorder{}
	res := &resolver{}
	e := &env{t: t, db: db, led: led, rates: rs, rec: rec, res: res}
	e.svc = chat.New(db, led, rs, funder, res, rec, now)
	if err := led.EnsureAccount(systemCtx, ledger.AccountPool); err != nil {
		t.Fatalf("pool: %v", err)
	}
	return e
}

// add registers a provider served by srv (or at baseURL when srv is nil).
func (e *env) add(name string, kind providers.Kind, rateProvider, baseURL string, idle time.Duration) {
	e.t.Helper()
	c, err := providers.New(providers.Config{Kind: kind, BaseURL: baseURL, APIKey: "sk-test", IdleTimeout: idle})
	if err != nil {
		e.t.Fatalf("client: %v", err)
	}
	e.res.StaticResolver = append(e.res.StaticResolver, chat.StaticEntry{
		Info: chat.TargetInfo{Name: name, RateProvider: rateProvider, Local: providers.IsLocal(baseURL), SelfHosted: providers.SelfHosted(baseURL), Kind: kind}, Client: c})
}

// fund tops the pool up by credits.
func (e *env) fund(credits string) {
	e.t.Helper()
	if _, err := e.led.TopUp(systemCtx, ledger.TopUpRequest{ID: "topup-" + chat.NewID(), Account: ledger.AccountPool,
		Credits: decimal.RequireFromString(credits), Price: "0", Currency: "USD", Source: "system"}); err != nil {
		e.t.Fatalf("top up: %v", err)
	}
}

// balance returns an account's balance as a canonical string.
func (e *env) balance(code string) string {
	e.t.Helper()
	b, err := e.led.Balance(systemCtx, code)
	if err != nil {
		e.t.Fatalf("balance: %v", err)
	}
	return b.Balance.String()
}

// conversation creates a conversation using model.
func (e *env) conversation(provider, model, system string) chat.Conversation {
	e.t.Helper()
	return e.conversationAs(adminCtx, provider, model, system)
}

// conversationAs creates a conversation owned by ctx's actor.
func (e *env) conversationAs(ctx context.Context, provider, model, system string) chat.Conversation {
	e.t.Helper()
	c, err := e.svc.CreateConversation(ctx, chat.ConversationInput{Provider: &provider, Model: &model, SystemPrompt: &system})
	if err != nil {
		e.t.Fatalf("create conversation: %v", err)
	}
	return c
}

// checkLedger asserts the ledger invariants and that no hold is left.
func (e *env) checkLedger() {
	e.t.Helper()
	if err := e.led.Verify(context.Background()); err != nil {
		e.t.Fatalf("ledger invariants: %v", err)
	}
	var n int
	if err := e.db.Read().QueryRow(`SELECT count(*) FROM ledger_holds WHERE status = 'pending'`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	if n != 0 {
		e.t.Fatalf("%d holds left pending", n)
	}
}

// charged returns the sum posted to sys:usage.
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

// limitFunder is a team-like Funder: a payer account and a limit guard.
type limitFunder struct {
	payer string
	limit string // refuse holds above this (credits); "" = no limit
	after int
}

func (f *limitFunder) Funding(ctx context.Context, userID int64) (team.Funding, error) {
	return team.Funding{PayerAccount: f.payer, DepartmentID: 7}, nil
}

func (f *limitFunder) LimitGuard(userID int64, model string, amount decimal.Decimal) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		if f.limit != "" && amount.GreaterThan(decimal.RequireFromString(f.limit)) {
			return &team.LimitError{Limit: team.LimitDaily, Amount: f.limit, Used: "0", Requested: amount.String(),
				ResetsAt: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), RetryAt: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), TimeZone: "UTC"}
		}
		return nil
	}
}

func (f *limitFunder) LimitRoom(userID int64, model string) func(ctx context.Context, tx *sql.Tx, at time.Time, want decimal.Decimal) (decimal.Decimal, error) {
	return func(ctx context.Context, tx *sql.Tx, at time.Time, want decimal.Decimal) (decimal.Decimal, error) {
		if err := f.LimitGuard(userID, model, want)(ctx, tx); err != nil {
			return decimal.RequireFromString(f.limit), err
		}
		return want, nil
	}
}

func (f *limitFunder) AfterCharge(ctx context.Context, payer string) { f.after++ }

func memberCtx(id int64) context.Context {
	return access.WithActor(context.Background(), access.Actor{UserID: id, Name: fmt.Sprint("m", id), Role: access.RoleMember})
}

// openAI starts a fake OpenAI server answering with script, registers it
// as the provider "openai" (rates.OpenAI) and closes it with the test.
func (e *env) openAI(script fake.Script) *fake.Server {
	e.t.Helper()
	srv := fake.NewOpenAI(script)
	e.t.Cleanup(srv.Close)
	e.add("openai", providers.KindOpenAI, rates.OpenAI, srv.BaseURL(), 0)
	return srv
}

// newTeam sets a workspace up on e's database with the real team service
// (admin "alice"), as backend/core wires it beside chat, and returns the
// service and the admin's context.
func newTeam(t testing.TB, e *env) (*team.Service, context.Context) {
	t.Helper()
	tm := team.New(e.db, e.led, nil, nil)
	tm.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := tm.Setup(context.Background(), team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatalf("set the workspace up: %v", err)
	}
	return tm, access.WithActor(context.Background(), admin)
}

// stopWhileThinking presses Stop on send id once its first reasoning text
// has arrived and its reply row is stored (the hold is in: the request
// starts while the hold is written, and a Stop before the hold is a refused
// send, not a stop). The provider must be the last one added. The wait reads
// the database itself, not with e.count: t.Fatal must not run outside the
// test's goroutine.
func (e *env) stopWhileThinking(id string) {
	t := e.t
	entry := &e.res.StaticResolver[len(e.res.StaticResolver)-1]
	watch := &thinkingWatch{Client: entry.Client, thought: make(chan struct{})}
	entry.Client = watch
	go func() {
		<-watch.thought
		stored := func() bool {
			var n int
			return e.db.Read().QueryRow(`SELECT count(*) FROM chat_messages WHERE uid = ?`, id).Scan(&n) == nil && n > 0
		}
		for deadline := time.Now().Add(10 * time.Second); !stored(); {
			if time.Now().After(deadline) {
				t.Error("the hold never came")
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
		if !e.svc.Stop(adminCtx, id) {
			t.Error("Stop found no running send")
		}
	}()
}
