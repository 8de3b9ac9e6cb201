package cli

import (
	"encoding/json"
	"regexp"
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

// credits transfer says what moved in the words of the Credits page's toast
// (team.TransferReceipt.Summary) under the line it printed before (the
// operation and the accounts by code), which stays the first line, as a
// script reads it; --json carries the words as "summary" beside every field
// it had. The sentence came first, so a script reading the first line read
// it in place of 'grant 25.00: pool -> user:2 (transfer 1)'.
func TestCreditsTransferSaysWhatMovedAsTheWindow(t *testing.T) {
	dir := teamWorkspace(t) // bob (user 2), PIN 1234; carol (user 3)
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100", "--price", "0")
	out := admin("credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "25")
	first, rest, _ := strings.Cut(out, "\n")
	if !regexp.MustCompile(`^grant 25\.00: pool -> user:2 \(transfer \d+\)$`).MatchString(first) ||
		rest != "Gave 25.00 credits from the workspace pool to bob's wallet\n" {
		t.Fatalf("admin's give:\n%s\nwant 'grant 25.00: pool -> user:2 (transfer N)', then the sentence", out)
	}
	out = admin("credits", "transfer", "--op", "transfer", "--from", "user:2", "--to", "pool", "--amount", "5")
	if _, rest, _ := strings.Cut(out, "\n"); !strings.HasPrefix(out, "transfer 5.00: user:2 -> pool (transfer ") ||
		rest != "Moved 5.00 credits from bob's wallet back to the workspace pool\n" {
		t.Fatalf("move back:\n%s", out)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(admin("--json", "credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "1")), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "requestId", "op", "kind", "from", "to", "amount", "createdAt"} {
		if _, ok := got[k]; !ok {
			t.Errorf("--json lacks %q: %v", k, got)
		}
	}
	if got["summary"] != "Gave 1.00 credits from the workspace pool to bob's wallet" || got["amount"] != "1" {
		t.Fatalf("--json: %v", got)
	}
	t.Setenv("METERDESK_PASSWORD", "1234")
	code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "transfer", "--op", "transfer", "--from", "user:2", "--to", "user:3", "--amount", "2")
	if _, rest, _ := strings.Cut(out, "\n"); code != 0 || !strings.HasPrefix(out, "transfer 2.00: user:2 -> user:3 (transfer ") ||
		rest != "Gave 2.00 credits from your wallet to carol\n" {
		t.Fatalf("member's give: exit %d %q %q", code, out, errs)
	}
}
