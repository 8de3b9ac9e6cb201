package chat_test

import (
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/metering"
)

// TestCappedSummaryInAMembersWords: the cost line under a reply (the
// window, `meterdesk chat`, the export) says why a capped charge is less
// than its usage in words a member reads, without the ledger's "hold".
func TestCappedSummaryInAMembersWords(t *testing.T) {
	bd := metering.Breakdown{Lines: []metering.Line{{Kind: metering.LineInput, Quantity: 1200, Amount: "9.1"}}}
	for _, tc := range []struct {
		name, amount, hold string
		capped             bool
		want               string
	}{
		{"not capped", "9.1", "12", false, "gpt-4o · input 1,200 tokens (9.10 credits) · total 9.10 credits"},
		{"capped at the hold", "8", "8", true,
			"gpt-4o · input 1,200 tokens (9.10 credits) · total 8.00 credits (charged up to the amount set aside for this reply; the usage came to 9.10 credits)"},
		{"a reply that outlived its hold, capped lower", "5", "8", true,
			"gpt-4o · input 1,200 tokens (9.10 credits) · total 5.00 credits (charged only what the paying account and the spending limits still allowed; the usage came to 9.10 credits)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := chat.Summary(&chat.Charge{Model: "gpt-4o", Breakdown: bd, Amount: tc.amount, Hold: tc.hold, Price: "9.1", Capped: tc.capped})
			if got != tc.want {
				t.Fatalf("summary\n %q\nwant\n %q", got, tc.want)
			}
			if strings.Contains(got, "hold") || strings.Contains(got, "policy") {
				t.Fatalf("summary %q speaks the ledger's words", got)
			}
		})
	}
}

// TestSummaryCountsOneToken: a line of one token says "1 token", as a
// person writes it; every other count says "tokens".
func TestSummaryCountsOneToken(t *testing.T) {
	for _, tc := range []struct {
		quantity int64
		want     string
	}{
		{0, "output 0 tokens (0.00 credits)"},
		{1, "output 1 token (0.01 credits)"},
		{2, "output 2 tokens (0.01 credits)"},
		{1001, "output 1,001 tokens (0.01 credits)"},
	} {
		bd := metering.Breakdown{Lines: []metering.Line{{Kind: metering.LineOutput, Quantity: tc.quantity, Amount: "0.01"}}}
		if tc.quantity == 0 {
			bd.Lines[0].Amount = "0"
		}
		got := chat.Summary(&chat.Charge{Model: "m", Breakdown: bd, Amount: "0.01", Price: "0.01"})
		if !strings.Contains(got, tc.want) {
			t.Errorf("summary %q, want it to hold %q", got, tc.want)
		}
	}
}
