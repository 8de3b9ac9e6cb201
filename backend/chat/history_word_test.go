package chat

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/ledger"
	"meterdesk/backend/metering"
)

// TestHistoryWordSaysFreeAsTheChatDoes: the credits history wrote a free
// reply's charge as "0.00 credits" (window) and "0.00" (CLI) while the
// chat says "free". HistoryWord is the one rule both read: "free" for a
// charge of nothing whose recorded breakdown is Free's, "" (the number)
// for every other row.
func TestHistoryWordSaysFreeAsTheChatDoes(t *testing.T) {
	metaHeld := func(rate string, capped bool, hold string) json.RawMessage {
		b, _ := json.Marshal(postMeta{Breakdown: metering.Breakdown{Lines: []metering.Line{
			{Kind: metering.LineInput, Quantity: 9, Rate: rate, Amount: "0"},
			{Kind: metering.LineOutput, Quantity: 2, Rate: rate, Amount: "0"},
		}, Total: "0"}, Capped: capped, Hold: hold})
		return b
	}
	meta := func(rate string, capped bool) json.RawMessage { return metaHeld(rate, capped, "0") }
	charge := func(op, amount string, m json.RawMessage) ledger.Transfer {
		return ledger.Transfer{Op: op, From: "pool", To: ledger.AccountUsage, Amount: decimal.RequireFromString(amount), Meta: m}
	}
	noLines, _ := json.Marshal(postMeta{})
	for _, c := range []struct {
		name string
		t    ledger.Transfer
		want string
	}{
		{"a free reply's charge (a posted hold)", charge(ledger.OpPost, "0", meta("0", false)), FreeWord},
		{"a free reply's charge (a usage transfer)", charge(ledger.OpUsage, "0", meta("0", false)), FreeWord},
		{"rated, nothing used came to 0 (capped at nothing)", charge(ledger.OpPost, "0", meta("0", true)), ""},
		{"a rated line", charge(ledger.OpPost, "0", meta("0.002", false)), ""},
		{"no usage at all", charge(ledger.OpPost, "0", noLines), ""},
		// A model rated 0 for input only whose reply generated nothing: its one
		// line, input, is rated 0, but its output budget was held (the chat:
		// "total 0.00 credits").
		{"every line used rated 0, output held", charge(ledger.OpPost, "0", metaHeld("0", false, "0.08")), ""},
		{"every line used rated 0, recorded before its hold was", charge(ledger.OpPost, "0", metaHeld("0", false, "")), ""},
		{"a paid charge", charge(ledger.OpPost, "0.034", meta("0", false)), ""},
		{"no meta", charge(ledger.OpPost, "0", nil), ""},
		{"a hold of nothing (a reservation, not the charge)", charge(ledger.OpHold, "0", meta("0", false)), ""},
		{"not into sys:usage", ledger.Transfer{Op: ledger.OpPost, From: "pool", To: "sys:adjust", Amount: decimal.Zero, Meta: meta("0", false)}, ""},
		{"a grant of nothing", ledger.Transfer{Op: ledger.OpGrant, From: "pool", To: "user:2", Amount: decimal.Zero}, ""},
	} {
		if got := HistoryWord(c.t); got != c.want {
			t.Errorf("%s: HistoryWord = %q, want %q", c.name, got, c.want)
		}
	}
	if FreeWord != "free" {
		t.Errorf("FreeWord = %q", FreeWord)
	}
}
