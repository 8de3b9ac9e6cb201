package cli

import (
	"strings"
	"testing"
)

// credits transfer reads --amount as the window's amount fields are checked
// (ledger.ParseCredits, Credits.AmountProblem) and as credits topup reads
// its --amount: a negative or zero amount is refused in those words before a
// transfer is made, not as "transfer 2056e57b…: invalid amount: …" naming
// the transfer's random id; nothing is written, and the exit code is
// topup's for the same text.
func TestCreditsTransferRefusesAnAmountAsTopUpDoes(t *testing.T) {
	dir := teamWorkspace(t) // bob (user 2)
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100", "--price", "0")
	before := dbDump(t, dir)
	for _, c := range []struct{ typed, words string }{
		{"-3", "invalid amount: amount -3 is negative"},
		{"0", "invalid amount: amount must be greater than zero"},
		{"1,5", `invalid amount: "1,5": not a decimal number: use a point for decimals (1.5), and no thousands separators`},
		{"1.0000000001", `invalid amount: "1.0000000001": more than 9 decimal places`},
	} {
		code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", c.typed)
		if want := "meterdesk credits transfer: " + c.words + "\n"; errs != want {
			t.Errorf("transfer --amount %s: %q, want %q", c.typed, errs, want)
		}
		topCode, _, topErrs := runIn(t, "", "--data-dir", dir, "--user", "alice", "credits", "topup", "--amount", c.typed)
		if !strings.HasSuffix(topErrs, ": "+c.words+"\n") || topCode != code {
			t.Errorf("topup --amount %s: exit %d %q; transfer's exit %d", c.typed, topCode, topErrs, code)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused amount wrote")
	}
}
