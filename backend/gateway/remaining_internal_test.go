package gateway

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// TestRemainingIsTheLedgersAvailable: the credits-remaining figure read
// with one cached query equals ledger.Balance's Available (balance less
// pending holds) as the account moves; unknown accounts read as "".
func TestRemainingIsTheLedgersAvailable(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	led := ledger.New(db, nil, nil)
	defer led.Close()
	s := New(db, Deps{Ledger: led})
	const acct = "user:1"
	if err := led.EnsureAccount(ctx, acct); err != nil {
		t.Fatal(err)
	}
	if err := led.SetPolicy(ctx, acct, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: decimal.RequireFromString("5")}); err != nil {
		t.Fatal(err)
	}
	check := func(step string) {
		t.Helper()
		b, err := led.Balance(ctx, acct)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := s.remaining(ctx, acct), money.String(b.Available); got != want {
			t.Fatalf("%s: remaining %q, ledger available %q", step, got, want)
		}
	}
	check("empty")
	if _, err := led.TopUp(ctx, ledger.TopUpRequest{ID: "t1", Account: acct, Credits: decimal.RequireFromString("12.5"),
		Price: "0", Currency: "USD", Source: "system"}); err != nil {
		t.Fatal(err)
	}
	check("topped up")
	if _, err := led.Hold(ctx, ledger.HoldRequest{ID: "h1", From: acct, Amount: decimal.RequireFromString("0.000000001"), TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	check("one minor unit held")
	if _, err := led.Hold(ctx, ledger.HoldRequest{ID: "h2", From: acct, Amount: decimal.RequireFromString("15"), TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	check("held into the overdraft")
	if got := s.remaining(ctx, "user:404"); got != "" {
		t.Fatalf("unknown account: %q", got)
	}
}
