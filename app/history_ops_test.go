package app

import (
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/ledger"
)

// TestCreditsHistoryGivesGosOps: the Credits page's history reads the
// operation types its filter offers, which rows are a reservation's, and
// which are left out unless "Show reservations" is ticked from Go
// (ledger.Ops, ledger.ReservationOps), as `meterdesk credits history`
// does; the window kept copies of both lists, which could drift from Go's.
func TestCreditsHistoryGivesGosOps(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: decimal.RequireFromString("100"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	// A send's reservation, released: a hold and its void.
	if _, err := b.Ledger.Hold(alice, ledger.HoldRequest{ID: "h1", From: ledger.AccountPool, Amount: decimal.RequireFromString("2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.Void(alice, "v1", "h1"); err != nil {
		t.Fatal(err)
	}
	c := &Credits{app: a}
	for _, tc := range []struct {
		name string
		in   HistoryInput
		want []string // the rows' operations, newest first
	}{
		{"no operation picked", HistoryInput{}, []string{ledger.OpTopUp}},
		{"with reservations", HistoryInput{Reservations: true}, []string{ledger.OpVoid, ledger.OpHold, ledger.OpTopUp}},
		{"a reservation's operation picked", HistoryInput{Ops: []string{ledger.OpHold}}, []string{ledger.OpHold}},
		{"another picked, with reservations", HistoryInput{Ops: []string{ledger.OpTopUp}, Reservations: true}, []string{ledger.OpTopUp}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := c.History(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			// Every operation but post, which usage selects too (both read "Usage", ledger.OpLabel).
			if !slices.Equal(p.Ops, ledger.FilterOps()) {
				t.Fatalf("the filter's operations %v, want Go's %v", p.Ops, ledger.FilterOps())
			}
			var got []string
			for _, r := range p.Items {
				got = append(got, r.Op)
				if r.Reservation != slices.Contains(ledger.ReservationOps, r.Op) {
					t.Errorf("%s row: reservation %v", r.Op, r.Reservation)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("rows %v, want %v", got, tc.want)
			}
		})
	}
}
