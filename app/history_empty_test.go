package app

import (
	"testing"

	"meterdesk/backend/ledger"
)

// TestCreditsHistorySaysWhyItIsEmptyInGosWords: an empty first page of
// Credits.History carries what it says instead of rows
// (ledger.EmptyHistoryFor, the words `meterdesk credits history` prints):
// the window's default filter (no operation picked, the reservations shown
// or not; every operation but the reservations, usage standing for the
// posted holds) is no filter, one operation or a date is.
func TestCreditsHistorySaysWhyItIsEmptyInGosWords(t *testing.T) {
	a, _, _, _ := adminApp(t)
	c := &Credits{app: a}
	windowDefault := []string{"topup", "usage", "transfer", "refund", "expiry", "adjustment", "grant"}
	for _, tc := range []struct {
		name string
		in   HistoryInput
		want string
	}{
		{"default", HistoryInput{}, "No credits have moved yet. A top-up or a chat's charge appears here."},
		{"reservations shown", HistoryInput{Reservations: true}, "No credits have moved yet. A top-up or a chat's charge appears here."},
		{"every operation but the reservations", HistoryInput{Ops: windowDefault}, "No credits have moved yet. A top-up or a chat's charge appears here."},
		{"one operation", HistoryInput{Ops: []string{ledger.OpRefund}}, "Nothing matches these filters yet."},
		{"a date", HistoryInput{Ops: windowDefault, From: "2020-01-01"}, "Nothing matches these filters yet."},
		{"an account", HistoryInput{Ops: windowDefault, Account: ledger.AccountPool}, "No credits have moved in or out of this account yet."},
	} {
		p, err := c.History(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if p.Empty == nil || p.Empty.Description != tc.want {
			t.Errorf("%s: %+v, want %q", tc.name, p.Empty, tc.want)
		}
	}
	if p, err := c.History(HistoryInput{Before: 5}); err != nil || p.Empty != nil {
		t.Errorf("a later page: %+v %v, want no empty words", p.Empty, err)
	}
}
