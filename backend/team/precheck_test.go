package team

import (
	"errors"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
)

// TestFundingPrecheckReadsAsTheThreeReads: FundingPrecheck answers what
// Funding, PrecheckLimits and ledger.Spendable of the payer answer, for
// payers of every kind and policy (the pool, a department, a wallet with a
// minimum balance or an overdraft, a wallet with no account yet), members
// with and without limits (a daily one, a model one, used up or not), and
// bad input: a member disabled, removed or unknown and another member's
// funding are Funding's errors in its words; an amount that is no amount
// is PrecheckLimits' error.
func TestFundingPrecheckReadsAsTheThreeReads(t *testing.T) {
	e := newEnv(t).setup("Europe/Berlin")
	e.topUp("pool", "100")
	research := e.department("Research")
	bob := e.addMember("bob", nil)
	rita := e.addMember("rita", func(m *NewMember) { m.DepartmentID = research.ID })
	dave := e.addMember("dave", func(m *NewMember) { m.Funding = FundWallet; m.MinBalance = "4" })
	e.topUp(fmt.Sprintf("user:%d", dave.ID), "10")
	erin := e.addMember("erin", func(m *NewMember) { m.Funding = FundWallet })
	if err := e.led.SetPolicy(e.adminCtx(), fmt.Sprintf("user:%d", erin.ID), ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: d("5")}); err != nil {
		t.Fatal(err)
	}
	walt := e.addMember("walt", func(m *NewMember) { m.Funding = FundWallet })
	if _, err := e.db.Writer().Exec(`DELETE FROM ledger_accounts WHERE code = ?`, fmt.Sprintf("user:%d", walt.ID)); err != nil {
		t.Fatal(err) // a wallet whose account is not made yet (the send makes it)
	}
	limitedBob := e.addMember("lim", nil)
	for _, l := range []Limit{{UserID: limitedBob.ID, Kind: "daily", Amount: "3"}, {UserID: limitedBob.ID, Kind: LimitModel, Model: "gpt-4o", Period: "month", Amount: "1"}} {
		if _, err := e.svc.SetLimit(e.adminCtx(), l); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.use(limitedBob, "pool", "gpt-4o", "0.75"); err != nil {
		t.Fatal(err)
	}
	off := e.addMember("off", nil)
	if _, err := e.svc.DisableMember(e.adminCtx(), off.ID); err != nil {
		t.Fatal(err)
	}
	gone := e.addMember("gone", nil)
	if _, err := e.svc.RemoveMember(e.adminCtx(), gone.ID); err != nil {
		t.Fatal(err)
	}
	self := func(m Member) *Member { return &m }
	var refused, overLimit, unknownAccount int // the cases reach each side
	for _, tc := range []struct {
		name   string
		as     *Member // nil: the admin
		userID int64
		model  string
		amount string
	}{
		{"the pool", self(bob), bob.ID, "gpt-4o", "2"},
		{"a department", self(rita), rita.ID, "gpt-4o", "2"},
		{"a wallet with a minimum", self(dave), dave.ID, "gpt-4o", "2"},
		{"a wallet with an overdraft", self(erin), erin.ID, "gpt-4o", "2"},
		{"a wallet with no account yet", self(walt), walt.ID, "gpt-4o", "2"},
		{"limits that fit", self(limitedBob), limitedBob.ID, "gpt-4o", "0.25"},
		{"over the model limit", self(limitedBob), limitedBob.ID, "gpt-4o-2024-08-06", "0.5"},
		{"over the daily limit, another model", self(limitedBob), limitedBob.ID, "deepseek-chat", "2.5"},
		{"the admin for a member", nil, limitedBob.ID, "gpt-4o", "0.1"},
		{"a negative amount", self(limitedBob), limitedBob.ID, "gpt-4o", "-1"},
		{"too fine an amount", self(limitedBob), limitedBob.ID, "gpt-4o", "0.0000000001"},
		{"disabled", self(off), off.ID, "gpt-4o", "1"},
		{"removed", nil, gone.ID, "gpt-4o", "1"},
		{"unknown", nil, 9999, "gpt-4o", "1"},
		{"another member's", self(bob), rita.ID, "gpt-4o", "1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := e.adminCtx()
			if tc.as != nil {
				ctx = e.as(actorFor(*tc.as))
			}
			amount := decimal.RequireFromString(tc.amount)
			got, gerr := e.svc.FundingPrecheck(ctx, tc.userID, tc.model, amount)
			// The estimate's read (one read transaction) answers the same.
			if gerr == nil {
				snap, serr := e.svc.fundingPrecheckSnapshot(ctx, tc.userID, tc.model, amount)
				if serr != nil || snap.Funding != got.Funding || snap.Limited != got.Limited || fmt.Sprint(snap.LimitErr) != fmt.Sprint(got.LimitErr) ||
					snap.Spendable != got.Spendable || snap.Bounded != got.Bounded || snap.Known != got.Known {
					t.Errorf("snapshot %+v, %v; FundingPrecheck %+v", snap, serr, got)
				}
			} else if _, serr := e.svc.fundingPrecheckSnapshot(ctx, tc.userID, tc.model, amount); fmt.Sprint(serr) != fmt.Sprint(gerr) &&
				!errors.Is(gerr, access.ErrForbidden) { // access is the caller's to check
				t.Errorf("snapshot error %v, want %v", serr, gerr)
			}
			f, ferr := e.svc.Funding(ctx, tc.userID)
			if fmt.Sprint(gerr) != fmt.Sprint(ferr) {
				t.Fatalf("error %v, want Funding's %v", gerr, ferr)
			}
			if ferr != nil {
				refused++
				return
			}
			if got.LimitErr != nil && got.Limited {
				overLimit++
			}
			if !got.Known {
				unknownAccount++
			}
			if got.Funding != f {
				t.Errorf("funding %+v, want %+v", got.Funding, f)
			}
			limited, lerr := e.svc.PrecheckLimits(ctx, tc.userID, tc.model, amount)
			if got.Limited != limited || fmt.Sprint(got.LimitErr) != fmt.Sprint(lerr) {
				t.Errorf("limits %v, %v; want %v, %v", got.Limited, got.LimitErr, limited, lerr)
			}
			room, bounded, serr := e.led.Spendable(access.WithActor(ctx, access.System), f.PayerAccount)
			switch {
			case serr != nil:
				if got.Known {
					t.Errorf("spendable read (%d) where Spendable fails: %v", got.Spendable, serr)
				}
			case !got.Known || got.Bounded != bounded || bounded && got.Spendable != money.MustMinor(room):
				t.Errorf("spendable %d, bounded %v, known %v; want %s, %v", got.Spendable, got.Bounded, got.Known, room, bounded)
			}
		})
	}
	if refused != 4 || overLimit != 2 || unknownAccount != 1 {
		t.Errorf("%d refused, %d over a limit, %d with no account; want 4, 2, 1", refused, overLimit, unknownAccount)
	}
}
