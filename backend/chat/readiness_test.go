package chat_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// steps renders a checklist as "id:done" pairs, in order.
func steps(r chat.Readiness) []string {
	var out []string
	for _, s := range r.Steps {
		mark := "todo"
		switch {
		case s.Done:
			mark = "done"
		case s.Warning:
			mark = "warn"
		}
		out = append(out, s.ID+":"+mark)
	}
	return out
}

// The checklist follows the workspace from a fresh set-up to ready: a
// provider, credits in the payer's account, and (optional, admins only)
// a second member. A member sees the same two required steps, phrased as
// something an admin does.
func TestReadinessFollowsTheWorkspace(t *testing.T) {
	e := newEnvWith(t, nil)
	tm, alice := newTeam(t, e)
	svc := chat.New(e.db, e.led, e.rates, tm, e.res, nil, nil) // as backend/core wires it

	check := func(ctx context.Context, want []string, ready bool) chat.Readiness {
		t.Helper()
		r, err := svc.Readiness(ctx)
		if err != nil {
			t.Fatalf("readiness: %v", err)
		}
		if got := steps(r); !slices.Equal(got, want) || r.Ready != ready {
			t.Fatalf("steps %v ready %v, want %v ready %v (%+v)", got, r.Ready, want, ready, r)
		}
		return r
	}

	r := check(alice, []string{"provider:todo", "credits:todo", "team:todo"}, false)
	if !r.Admin || r.Steps[0].Title != "Add a provider" || r.Steps[1].Detail != "The workspace pool has 0.00 credits available." || !r.Steps[2].Optional ||
		r.Heading != "Getting started" || r.Summary != "A few steps before the first metered reply." {
		t.Fatalf("fresh workspace: %+v", r)
	}

	// A local server whose models are all priced (llama3.2 at 0) needs no
	// rates step; a free model needs no credits either
	// (TestReadinessSaysAFreeModelNeedsNoCredits).
	e.res.StaticResolver = chat.StaticResolver{{Info: chat.TargetInfo{Name: "ollama", RateProvider: rates.Local, Local: true, Models: []string{"llama3.2"}}}}
	r = check(alice, []string{"provider:done", "rates:done", "credits:done", "team:todo"}, true)
	if r.Steps[1].Detail != "Every model of the configured providers has rates of its own." {
		t.Fatalf("rates step, all priced: %+v", r.Steps[1])
	}

	// A model the local server reports without a rate (Ollama's gpt-4o) is
	// priced under the rate-table provider "local", whatever the server is
	// called: the step names that row, as the Rates page and `meterdesk
	// rates set local gpt-4o` do, and where the page lists it.
	if err := e.rates.AddModel(adminCtx, rates.Local, "gpt-4o"); err != nil {
		t.Fatal(err)
	}
	e.res.StaticResolver[0].Info.Models = []string{"llama3.2", "gpt-4o"}
	r = check(alice, []string{"provider:done", "rates:warn", "credits:warn", "team:todo"}, true)
	if r.Steps[1].Title != "1 model is charged the default rate (local/gpt-4o)" ||
		!strings.HasSuffix(r.Steps[1].Detail, "Its row is under Local (OpenAI-compatible) on the Rates page.") ||
		!slices.Equal(r.Steps[1].Rows, []chat.RateRow{{Provider: rates.Local, Model: "gpt-4o"}}) {
		t.Fatalf("rates step, a local model unpriced: %+v", r.Steps[1])
	}
	e.res.StaticResolver = nil

	e.add("openai", providers.KindOpenAI, rates.OpenAI, "https://api.openai.com/v1", 0)
	r = check(alice, []string{"provider:done", "rates:warn", "credits:todo", "team:todo"}, false)
	if r.Steps[0].Detail != "1 configured: openai." {
		t.Fatalf("provider step: %+v", r.Steps[0])
	}
	// The OpenAI catalogue's models but gpt-4o (tests price only it) are
	// charged the factory default: a warning that names the rows, not a
	// blocker (they can chat, at that rate).
	if r.Steps[1].Title != "15 models are charged the default rate (openai/gpt-5, openai/gpt-5-mini, openai/gpt-5-nano and 12 more)" ||
		r.Steps[1].Detail != "They cost the default 1 credit per token until you set theirs; chatting works meanwhile. Their rows are under OpenAI on the Rates page." ||
		r.Steps[1].Optional || len(r.Steps[1].Rows) != 15 || r.Steps[1].Rows[0] != (chat.RateRow{Provider: rates.OpenAI, Model: "gpt-5"}) {
		t.Fatalf("rates step: %+v", r.Steps[1])
	}

	e.fund("250.5")
	// Provider and credits are enough: models at the default rate can chat.
	check(alice, []string{"provider:done", "rates:warn", "credits:done", "team:todo"}, true)
	// Defaults an admin chose are a price: the step is done and says so.
	if _, err := e.rates.Apply(adminCtx, rates.Change{Defaults: &rates.Defaults{Input: "0.000002", Output: "0.000008"}, Reason: "defaults"}); err != nil {
		t.Fatal(err)
	}
	r = check(alice, []string{"provider:done", "rates:done", "credits:done", "team:todo"}, true)
	if r.Steps[1].Detail != "openai/gpt-5, openai/gpt-5-mini, openai/gpt-5-nano and 12 more use the default rate you set: 0.000002 credits per input token and 0.000008 per output token." {
		t.Fatalf("rates step, chosen defaults: %+v", r.Steps[1])
	}
	if _, err := e.rates.Apply(adminCtx, rates.Change{Defaults: &rates.FactoryDefaults, Reason: "factory"}); err != nil {
		t.Fatal(err)
	}
	// No rates at all (no model offered has any of its own) still blocks.
	e.res.StaticResolver[0].Info.Models = []string{"gpt-4o-mini"}
	r = check(alice, []string{"provider:done", "rates:todo", "credits:done", "team:todo"}, false)
	if r.Steps[1].Title != "Set rates for openai/gpt-4o-mini" ||
		r.Steps[1].Detail != "No model has rates of its own yet: it costs the default 1 credit per token until you do. Its row is under OpenAI on the Rates page." {
		t.Fatalf("rates step, no rates at all: %+v", r.Steps[1])
	}
	// One priced beside it: a warning, ready.
	e.res.StaticResolver[0].Info.Models = []string{"gpt-4o", "gpt-4o-mini"}
	r = check(alice, []string{"provider:done", "rates:warn", "credits:done", "team:todo"}, true)
	if r.Steps[1].Title != "1 model is charged the default rate (openai/gpt-4o-mini)" ||
		r.Steps[1].Detail != "It costs the default 1 credit per token until you set its own; chatting works meanwhile. Its row is under OpenAI on the Rates page." {
		t.Fatalf("rates step, one model: %+v", r.Steps[1])
	}
	// Pricing the models the provider offers finishes the step.
	if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: []rates.Row{{Provider: rates.OpenAI, Model: "gpt-4o-mini", Input: "0.00015", Output: "0.0006"}}, Reason: "mini"}); err != nil {
		t.Fatal(err)
	}
	r = check(alice, []string{"provider:done", "rates:done", "credits:done", "team:todo"}, true)
	if len(r.Steps[1].Rows) != 0 {
		t.Fatalf("rates step, all priced: %+v", r.Steps[1])
	}

	bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatalf("add bob: %v", err)
	}
	r = check(alice, []string{"provider:done", "rates:done", "credits:done", "team:done"}, true)
	if r.Steps[3].Detail != "2 active members." {
		t.Fatalf("team step: %+v", r.Steps[3])
	}

	// Bob pays from the pool like alice; he has no rates or team step and cannot act.
	e.res.StaticResolver[0].Info.Models = nil // unpriced models again: still not bob's step
	bobCtx := access.WithActor(context.Background(), access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	r = check(bobCtx, []string{"provider:done", "credits:done"}, true)
	if r.Admin || r.PayerName != "the workspace pool" || r.Steps[1].Title != "Credits to spend" || r.Steps[1].Detail != "The workspace pool has 250.50 credits available." {
		t.Fatalf("member: %+v", r)
	}

	// A member paying from an empty wallet is told who can help.
	if _, err := tm.UpdateMember(alice, bob.ID, team.MemberUpdate{Role: access.RoleMember, Funding: team.FundWallet}); err != nil {
		t.Fatalf("wallet: %v", err)
	}
	r = check(bobCtx, []string{"provider:done", "credits:todo"}, false)
	if r.PayerName != "your wallet" || r.Steps[1].Detail != "Your wallet has 0.00 credits available: ask an admin for credits." {
		t.Fatalf("member with an empty wallet: %+v", r.Steps[1])
	}

	// No provider, seen by a member.
	e.res.StaticResolver = nil
	r = check(bobCtx, []string{"provider:todo", "credits:todo"}, false)
	if r.Steps[0].Title != "A provider is needed" || r.Steps[0].Detail != "Ask an admin to add one in Settings → Providers." {
		t.Fatalf("member without a provider: %+v", r.Steps[0])
	}

	// Nobody signed in: refused.
	if _, err := svc.Readiness(context.Background()); !errors.Is(err, access.ErrUnauthenticated) {
		t.Fatalf("signed out: %v", err)
	}
}

// A member whose daily or monthly spending limit is used up is not ready
// to chat: every send is refused until it resets, so the checklist (the
// chat page's Getting started, `meterdesk status`) says so in the
// refusal's words, where it said "Ready to chat: yes" above a send that
// could not pass. A model's limit used up leaves the other models (gpt-4o
// here; with none left, TestReadinessSaysEveryModelIsOverItsLimit), and a
// limit with room left stands in no way: neither adds a step.
func TestReadinessSaysASpendingLimitIsUsedUp(t *testing.T) {
	e := newEnvWith(t, nil)
	tm, alice := newTeam(t, e)
	svc := chat.New(e.db, e.led, e.rates, tm, e.res, nil, nil) // as backend/core wires it
	// Priced: a free model's send holds nothing (TestReadinessSaysAFreeModelPassesALimitOf0).
	priceLocal(t, e, "llama3.2", "gpt-4o")
	e.res.StaticResolver = chat.StaticResolver{{Info: chat.TargetInfo{Name: "ollama", RateProvider: rates.Local, Local: true, Models: []string{"llama3.2", "gpt-4o"}}}}
	e.fund("100")
	bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	bobCtx := access.WithActor(context.Background(), access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	check := func(want []string, ready bool) chat.Readiness {
		t.Helper()
		r, err := svc.Readiness(bobCtx)
		if err != nil {
			t.Fatalf("readiness: %v", err)
		}
		if got := steps(r); !slices.Equal(got, want) || r.Ready != ready {
			t.Fatalf("steps %v ready %v, want %v ready %v (%+v)", got, r.Ready, want, ready, r)
		}
		return r
	}
	for _, l := range []team.Limit{
		{UserID: bob.ID, Kind: team.LimitDaily, Amount: "5"},                    // room left
		{UserID: bob.ID, Kind: team.LimitModel, Model: "llama3.2", Amount: "0"}, // one model's, used up
	} {
		if _, err := tm.SetLimit(alice, l); err != nil {
			t.Fatal(err)
		}
	}
	if r := check([]string{"provider:done", "credits:done"}, true); r.Heading != "Ready to chat" ||
		r.Summary != "Every reply is metered and charged to the workspace pool, and shows what it cost." {
		t.Fatalf("ready: %q / %q", r.Heading, r.Summary)
	}

	if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: team.LimitMonthly, Amount: "0"}); err != nil {
		t.Fatal(err)
	}
	r := check([]string{"provider:done", "credits:done", "limit:todo"}, false)
	s := r.Steps[2]
	// A limit of 0, an admin's block: its reset does not help, and neither
	// the step nor the card over it says it does; no time it may clear.
	if s.Title != "Spending limit reached" || s.Detail != "Monthly limit is 0 credits, so no paid send fits it until an admin raises it (its reset does not help)." ||
		s.Optional || s.Warning || s.RetryAt != nil {
		t.Fatalf("limit step: %+v", s)
	}
	// The card over it says what blocks now, not "A few steps before the
	// first metered reply" to a member who could chat.
	if r.Heading != "Chat is paused" || r.Summary != "Your spending limit is 0: replies can be sent again once an admin raises it." {
		t.Fatalf("limit of 0 only: %q / %q", r.Heading, r.Summary)
	}
	// A limit used up (not 0): the step says when it may clear by itself,
	// the reset (the window reads the checklist again then), and so does
	// the card.
	if _, err := e.led.Transfer(systemCtx, ledger.TransferRequest{ID: "bob-used", Op: ledger.OpUsage,
		From: "pool", To: ledger.AccountUsage, Amount: decimal.RequireFromString("1"), Dims: ledger.Dims{UserID: bob.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: team.LimitMonthly, Amount: "0.5"}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	next := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	r = check([]string{"provider:done", "credits:done", "limit:todo"}, false)
	if s := r.Steps[2]; !strings.HasPrefix(s.Detail, "Monthly limit of 0.50 credits reached (used 1.00); it resets ") || s.RetryAt == nil ||
		!s.RetryAt.Equal(next) && !s.RetryAt.Equal(next.AddDate(0, 1, 0)) {
		t.Fatalf("limit step, used up: %+v (retryAt %v), want %v", s, s.RetryAt, next)
	}
	if r.Heading != "Chat is paused" || r.Summary != "Your spending limit is used up: replies can be sent again once it resets." {
		t.Fatalf("limit used up only: %q / %q", r.Heading, r.Summary)
	}
	// The payer's credits spent too: both are said.
	if _, err := e.led.Transfer(systemCtx, ledger.TransferRequest{ID: "bob-used-all", Op: ledger.OpUsage,
		From: "pool", To: ledger.AccountUsage, Amount: decimal.RequireFromString("98"), Dims: ledger.Dims{UserID: bob.ID}}); err != nil {
		t.Fatal(err)
	}
	// (alice has had a reply too, charged to the same pool.)
	admin, err := access.Current(alice)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.led.Transfer(systemCtx, ledger.TransferRequest{ID: "alice-used", Op: ledger.OpUsage,
		From: "pool", To: ledger.AccountUsage, Amount: decimal.RequireFromString("1"), Dims: ledger.Dims{UserID: admin.UserID}}); err != nil {
		t.Fatal(err)
	}
	r = check([]string{"provider:done", "credits:todo", "limit:todo"}, false)
	if r.Heading != "Chat is paused" || r.Summary != "The workspace pool has no credits available and your spending limit is used up: "+
		"replies can be sent again once an admin adds credits and the limit resets." {
		t.Fatalf("credits and limit: %q / %q", r.Heading, r.Summary)
	}
	// Credits alone, for a member who has chatted: paused, not "a few steps
	// before the first metered reply".
	for _, kind := range []string{team.LimitMonthly, team.LimitDaily} {
		if err := tm.RemoveLimit(alice, bob.ID, kind, ""); err != nil {
			t.Fatal(err)
		}
	}
	r = check([]string{"provider:done", "credits:todo"}, false)
	if r.Heading != "Chat is paused" || r.Summary != "The workspace pool has no credits available: replies can be sent again once an admin adds credits." {
		t.Fatalf("credits only, bob has chatted: %q / %q", r.Heading, r.Summary)
	}
	// The same for an admin who has chatted: theirs to top up.
	if r, err := svc.Readiness(alice); err != nil || r.Heading != "Chat is paused" ||
		r.Summary != "The workspace pool has no credits available: replies can be sent again once you top it up." {
		t.Fatalf("credits only, alice has chatted: %+v %v", r, err)
	}
	// A member who has never had a reply: still the steps before the first.
	carol, err := tm.AddMember(alice, team.NewMember{Name: "carol", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "5678"})
	if err != nil {
		t.Fatal(err)
	}
	carolCtx := access.WithActor(context.Background(), access.Actor{UserID: carol.ID, Name: "carol", Role: access.RoleMember})
	if r, err := svc.Readiness(carolCtx); err != nil || r.Heading != "Getting started" || r.Summary != "A few steps before the first metered reply." {
		t.Fatalf("credits only, carol never chatted: %+v %v", r, err)
	}
	if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: team.LimitMonthly, Amount: "0"}); err != nil {
		t.Fatal(err)
	}
	// An admin's own checklist is theirs: bob's limit is not on it.
	if r, err := svc.Readiness(alice); err != nil || slices.ContainsFunc(r.Steps, func(s chat.ReadyStep) bool { return s.ID == chat.StepLimit }) {
		t.Fatalf("alice's checklist: %+v %v", r, err)
	}
}

// A member whose model limits are used up on every model the providers
// offer cannot send at all, as one whose daily limit is used up cannot:
// the checklist says so in the refusal's words, where it said "Ready to
// chat: yes" because a model's limit "leaves the other models", which
// here there are none of. A model with room left (or no limit) is ready.
func TestReadinessSaysEveryModelIsOverItsLimit(t *testing.T) {
	e := newEnvWith(t, nil)
	tm, alice := newTeam(t, e)
	svc := chat.New(e.db, e.led, e.rates, tm, e.res, nil, nil) // as backend/core wires it
	// Priced: a free model's send holds nothing (TestReadinessSaysAFreeModelPassesALimitOf0).
	priceLocal(t, e, "llama3.2", "gpt-4o")
	e.res.StaticResolver = chat.StaticResolver{{Info: chat.TargetInfo{Name: "ollama", RateProvider: rates.Local, Local: true, Models: []string{"llama3.2"}}}}
	e.fund("100")
	bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	bobCtx := access.WithActor(context.Background(), access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	check := func(want []string, ready bool) chat.Readiness {
		t.Helper()
		r, err := svc.Readiness(bobCtx)
		if err != nil {
			t.Fatalf("readiness: %v", err)
		}
		if got := steps(r); !slices.Equal(got, want) || r.Ready != ready {
			t.Fatalf("steps %v ready %v, want %v ready %v (%+v)", got, r.Ready, want, ready, r)
		}
		return r
	}
	// One limit on the only model offered, used up (a limit of 0).
	if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: team.LimitModel, Model: "llama3.2", Amount: "0"}); err != nil {
		t.Fatal(err)
	}
	r := check([]string{"provider:done", "credits:done", "limit:todo"}, false)
	if s := r.Steps[2]; s.Title != "Spending limit reached" ||
		s.Detail != "Limit for llama3.2 is 0 credits, so no paid send fits it until an admin raises it (its reset does not help)." || s.RetryAt != nil {
		t.Fatalf("limit step: %+v", s)
	}
	// A second model without a limit: bob can chat with it.
	e.res.StaticResolver[0].Info.Models = []string{"llama3.2", "gpt-4o"}
	check([]string{"provider:done", "credits:done"}, true)
	// Its limit used up too: none is left. The step names every model's.
	if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: team.LimitModel, Model: "gpt-4o", Amount: "0"}); err != nil {
		t.Fatal(err)
	}
	r = check([]string{"provider:done", "credits:done", "limit:todo"}, false)
	if s := r.Steps[2]; !strings.HasPrefix(s.Detail, "Every model's limit is reached: limit for ") || !strings.HasSuffix(s.Detail, "(its reset does not help).") ||
		!strings.Contains(s.Detail, "limit for llama3.2 is 0 credits, so no paid send fits it until an admin raises it") ||
		!strings.Contains(s.Detail, "limit for gpt-4o is 0 credits, so no paid send fits it until an admin raises it") || s.RetryAt != nil {
		t.Fatalf("limit step, two models: %+v", s)
	}
	// A limit with room left on one of them: ready again.
	if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: team.LimitModel, Model: "gpt-4o", Amount: "5"}); err != nil {
		t.Fatal(err)
	}
	check([]string{"provider:done", "credits:done"}, true)
}

// TestReadinessSaysAFreeModelPassesALimitOf0: a send to a free model holds
// nothing, so a limit its period's use does not exceed lets it through, a
// limit of 0 (an admin's block of paid spending) too; Getting started said
// "Chat is paused: Your spending limit is 0 …" and "no send fits it" to a
// member who could chat with a free local model. Once they have used
// something in the period (a limit lowered to 0 after), the free model is
// refused too, and the step says so.
func TestReadinessSaysAFreeModelPassesALimitOf0(t *testing.T) {
	e := newEnvWith(t, nil)
	tm, alice := newTeam(t, e)
	svc := chat.New(e.db, e.led, e.rates, tm, e.res, nil, nil) // as backend/core wires it
	if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: []rates.Row{{Provider: rates.Local, Model: "paid", Input: "0.001", Output: "0.002"}},
		Reason: "a priced local model"}); err != nil {
		t.Fatal(err)
	}
	e.res.StaticResolver = chat.StaticResolver{{Info: chat.TargetInfo{Name: "ollama", RateProvider: rates.Local, Local: true, Models: []string{"paid", "llama3.2"}}}}
	e.fund("100")
	bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	bobCtx := access.WithActor(context.Background(), access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	check := func(want []string, ready bool) chat.Readiness {
		t.Helper()
		r, err := svc.Readiness(bobCtx)
		if err != nil {
			t.Fatalf("readiness: %v", err)
		}
		if got := steps(r); !slices.Equal(got, want) || r.Ready != ready {
			t.Fatalf("steps %v ready %v, want %v ready %v (%+v)", got, r.Ready, want, ready, r)
		}
		return r
	}
	zero := "Daily limit is 0 credits, so no paid send fits it until an admin raises it (its reset does not help)."
	for _, l := range []team.Limit{{UserID: bob.ID, Kind: team.LimitDaily, Amount: "0"},
		{UserID: bob.ID, Kind: team.LimitModel, Model: "llama3.2", Period: team.PeriodDay, Amount: "0"}} {
		if _, err := tm.SetLimit(alice, l); err != nil {
			t.Fatal(err)
		}
		check([]string{"provider:done", "credits:done"}, true)
	}
	// The priced model alone: no send passes.
	e.res.StaticResolver[0].Info.Models = []string{"paid"}
	if s := check([]string{"provider:done", "credits:done", "limit:todo"}, false).Steps[2]; s.Detail != zero || s.RetryAt != nil {
		t.Fatalf("limit step, priced model alone: %+v", s)
	}
	// The free model again, but bob used something today: it is refused too.
	e.res.StaticResolver[0].Info.Models = []string{"paid", "llama3.2"}
	if err := tm.RemoveLimit(alice, bob.ID, team.LimitModel, "llama3.2"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.led.Transfer(systemCtx, ledger.TransferRequest{ID: "bob-used", Op: ledger.OpUsage,
		From: "pool", To: ledger.AccountUsage, Amount: decimal.RequireFromString("1"), Dims: ledger.Dims{UserID: bob.ID}}); err != nil {
		t.Fatal(err)
	}
	// Then the words say no send fits, not only no paid one.
	if s := check([]string{"provider:done", "credits:done", "limit:todo"}, false).Steps[2]; s.Detail != strings.Replace(zero, "no paid send", "no send", 1) || s.RetryAt != nil {
		t.Fatalf("limit step, used today: %+v", s)
	}
}

// priceLocal gives local models a rate, so that a send to them holds
// something (a free model's holds nothing, and passes a limit of 0).
func priceLocal(t *testing.T, e *env, models ...string) {
	t.Helper()
	var rows []rates.Row
	for _, m := range models {
		rows = append(rows, rates.Row{Provider: rates.Local, Model: m, Input: "0.001", Output: "0.002"})
	}
	if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: rows, Reason: "priced local models"}); err != nil {
		t.Fatal(err)
	}
}

// TestReadinessSaysWhoLiftsThePause: the line under "Chat is paused" says
// what lets replies go again in the reader's words: an admin does it
// themself (tops up, raises their own limit of 0), a member waits for an
// admin; a used-up limit's reset is the same for both. An admin whose own
// limit was 0 read "once an admin raises it", as if someone else had to.
func TestReadinessSaysWhoLiftsThePause(t *testing.T) {
	for _, tc := range []struct {
		name    string
		admin   bool
		blocked string // "credits", "used up" or "zero"
		want    string
	}{
		{"member, credits", false, "credits", "The workspace pool has no credits available: replies can be sent again once an admin adds credits."},
		{"admin, credits", true, "credits", "The workspace pool has no credits available: replies can be sent again once you top it up."},
		{"member, limit used up", false, "used up", "Your spending limit is used up: replies can be sent again once it resets."},
		{"admin, limit used up", true, "used up", "Your spending limit is used up: replies can be sent again once it resets."},
		{"member, limit of 0", false, "zero", "Your spending limit is 0: replies can be sent again once an admin raises it."},
		{"admin, limit of 0", true, "zero", "Your spending limit is 0: replies can be sent again once you raise it."},
		{"member, credits and limit of 0", false, "credits+zero",
			"The workspace pool has no credits available and your spending limit is 0: replies can be sent again once an admin adds credits and raises the limit."},
		{"admin, credits and limit of 0", true, "credits+zero",
			"The workspace pool has no credits available and your spending limit is 0: replies can be sent again once you top it up and raise the limit."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvWith(t, nil)
			tm, alice := newTeam(t, e)
			svc := chat.New(e.db, e.led, e.rates, tm, e.res, nil, nil) // as backend/core wires it
			priceLocal(t, e, "llama3.2")
			e.res.StaticResolver = chat.StaticResolver{{Info: chat.TargetInfo{Name: "ollama", RateProvider: rates.Local, Local: true, Models: []string{"llama3.2"}}}}
			ctx := alice
			if !tc.admin {
				bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
				if err != nil {
					t.Fatal(err)
				}
				ctx = access.WithActor(context.Background(), access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
			}
			me, err := access.Current(ctx)
			if err != nil {
				t.Fatal(err)
			}
			e.fund("10")
			used := "1"
			if strings.HasPrefix(tc.blocked, "credits") {
				used = "10" // every credit spent, on a reply of theirs
			}
			if _, err := e.led.Transfer(systemCtx, ledger.TransferRequest{ID: "used", Op: ledger.OpUsage,
				From: "pool", To: ledger.AccountUsage, Amount: decimal.RequireFromString(used), Dims: ledger.Dims{UserID: me.UserID}}); err != nil {
				t.Fatal(err)
			}
			limit := ""
			switch {
			case strings.HasSuffix(tc.blocked, "zero"):
				limit = "0"
			case tc.blocked == "used up":
				limit = "0.5"
			}
			if limit != "" {
				if _, err := tm.SetLimit(alice, team.Limit{UserID: me.UserID, Kind: team.LimitMonthly, Amount: limit}); err != nil {
					t.Fatal(err)
				}
			}
			r, err := svc.Readiness(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if r.Ready || r.Heading != "Chat is paused" || r.Summary != tc.want {
				t.Fatalf("%q / %q, want Chat is paused / %q (%+v)", r.Heading, r.Summary, tc.want, r.Steps)
			}
		})
	}
}

// TestReadinessSaysAFreeModelNeedsNoCredits: a send to a free model holds
// nothing, and a hold of nothing is never refused for the balance, so a
// member with no credits can still chat with one. Getting started said
// "Chat is paused: The workspace pool has no credits available" (or, before
// a first reply, "A few steps before the first metered reply") above a
// free model that would reply. With every model offered free the credits
// step is done; with priced ones beside them it is a warning naming the
// free ones (ready); with priced models alone it is open, as before.
func TestReadinessSaysAFreeModelNeedsNoCredits(t *testing.T) {
	e := newEnvWith(t, nil)
	tm, alice := newTeam(t, e)
	svc := chat.New(e.db, e.led, e.rates, tm, e.res, nil, nil) // as backend/core wires it
	priceLocal(t, e, "paid")
	if _, err := e.rates.Apply(adminCtx, rates.Change{Rows: []rates.Row{{Provider: rates.Local, Model: "qwen3", Input: "0", Output: "0"}},
		Reason: "a second free model"}); err != nil {
		t.Fatal(err)
	}
	e.res.StaticResolver = chat.StaticResolver{{Info: chat.TargetInfo{Name: "ollama", RateProvider: rates.Local, Local: true, Models: []string{"paid", "llama3.2"}}}}
	bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	bobCtx := access.WithActor(context.Background(), access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	// bob had a reply that spent the last credit.
	e.fund("1")
	if _, err := e.led.Transfer(systemCtx, ledger.TransferRequest{ID: "bob-used", Op: ledger.OpUsage,
		From: "pool", To: ledger.AccountUsage, Amount: decimal.RequireFromString("1"), Dims: ledger.Dims{UserID: bob.ID}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		models  []string
		want    []string
		ready   bool
		title   string
		detail  string
		heading string
	}{
		{"member, free and priced", bobCtx, []string{"paid", "llama3.2"}, []string{"provider:done", "credits:warn"}, true, "Credits to spend",
			"The workspace pool has 0.00 credits available: only free models can reply (llama3.2) until an admin adds credits.", "Ready to chat"},
		{"admin, free and priced", alice, []string{"paid", "llama3.2", "qwen3"}, []string{"provider:done", "rates:done", "credits:warn", "team:done"}, true, "Top up credits",
			"The workspace pool has 0.00 credits available: only free models can reply (llama3.2 and qwen3) until you top it up.", "Ready to chat"},
		{"member, free alone", bobCtx, []string{"llama3.2"}, []string{"provider:done", "credits:done"}, true, "Credits to spend",
			"The workspace pool has 0.00 credits available: llama3.2 is free, so it replies without credits.", "Ready to chat"},
		{"admin, free alone", alice, []string{"llama3.2", "qwen3"}, []string{"provider:done", "rates:done", "credits:done", "team:done"}, true, "Top up credits",
			"The workspace pool has 0.00 credits available: llama3.2 and qwen3 are free, so they reply without credits.", "Ready to chat"},
		{"member, priced alone", bobCtx, []string{"paid"}, []string{"provider:done", "credits:todo"}, false, "Credits to spend",
			"The workspace pool has 0.00 credits available: ask an admin for credits.", "Chat is paused"},
		{"admin, priced alone", alice, []string{"paid"}, []string{"provider:done", "rates:done", "credits:todo", "team:done"}, false, "Top up credits",
			"The workspace pool has 0.00 credits available.", "Getting started"}, // alice has had no reply
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.res.StaticResolver[0].Info.Models = tc.models
			r, err := svc.Readiness(tc.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := steps(r); !slices.Equal(got, tc.want) || r.Ready != tc.ready {
				t.Fatalf("steps %v ready %v, want %v ready %v (%+v)", got, r.Ready, tc.want, tc.ready, r)
			}
			i := slices.IndexFunc(r.Steps, func(s chat.ReadyStep) bool { return s.ID == chat.StepCredits })
			if s := r.Steps[i]; s.Title != tc.title || s.Detail != tc.detail || r.Heading != tc.heading {
				t.Fatalf("credits step %q: %q under %q, want %q: %q under %q", s.Title, s.Detail, r.Heading, tc.title, tc.detail, tc.heading)
			}
		})
	}
	// A limit of 0 too: the free model passes both (TestReadinessSaysAFreeModelPassesALimitOf0).
	if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: team.LimitMonthly, Amount: "0"}); err != nil {
		t.Fatal(err)
	}
	if err := tm.RemoveLimit(alice, bob.ID, team.LimitMonthly, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: team.LimitModel, Model: "paid", Amount: "0"}); err != nil {
		t.Fatal(err)
	}
	e.res.StaticResolver[0].Info.Models = []string{"paid", "llama3.2"}
	if r, err := svc.Readiness(bobCtx); err != nil || !r.Ready || !slices.Equal(steps(r), []string{"provider:done", "credits:warn"}) {
		t.Fatalf("free model beside a priced one at a limit of 0: %+v %v", r, err)
	}
}
