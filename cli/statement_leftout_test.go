package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/statements"
	"meterdesk/backend/store"
)

// TestPrintStatementLeavesOutAnEmptyOwnAccount: the printed summary of
// `statement` follows Statement.AccountLeftOut, the rule the Statements
// page, the PDF and the CSV follow: no "Opening balance 0.00 … Closing
// balance 0.00" for an own account with nothing in it; what was used,
// whoever paid, leads. Its words are Go's for the PDF and the page: the
// attributed table's heading, the summary rows' labels and signed amounts
// (it printed "usage attributed to bob (any payer)" and "opening …  usage
// 2.50  closing …" of its own).
func TestPrintStatementLeavesOutAnEmptyOwnAccount(t *testing.T) {
	// The rows and table Go sends (statements.Statement.Summary, AttributedUsage), as Build makes them.
	summary := func(acct, opening, usage, closing string) []statements.SummaryRow {
		usageLabel := "Usage"
		if acct != "" {
			usageLabel = "Usage paid from " + acct
		}
		return []statements.SummaryRow{{Key: "opening", Label: "Opening balance", Amount: opening, Balance: true}, {Key: "topUps", Label: "Top-ups", Amount: "0"},
			{Key: "usage", Label: usageLabel, Amount: usage}, {Key: "refunds", Label: "Refunds", Amount: "0"},
			{Key: "transfersIn", Label: "Transfers in", Amount: "0"}, {Key: "transfersOut", Label: "Transfers out", Amount: "0"},
			{Key: "adjustments", Label: "Adjustments", Amount: "0"}, {Key: "expiry", Label: "Expired", Amount: "0"},
			{Key: "closing", Label: "Closing balance", Amount: closing, Balance: true}}
	}
	zeros := statements.Statement{Month: "2025-10", Scope: "member", ScopeName: "bob", Opening: "0", TopUps: "0", Usage: "0", Closing: "0",
		Summary: summary("bob's wallet", "0", "0", "0"), AttributedUsage: &statements.Breakdown{Heading: "Usage attributed to bob (any payer)", Total: "0"}}
	cases := []struct {
		name      string
		edit      func(*statements.Statement)
		want, not []string
	}{
		{"pool-paid member", func(s *statements.Statement) {
			s.AccountLeftOut = true
			s.Attributed = []statements.Line{{Name: "gpt-4o", Amount: "1250.5", Count: 3}}
			s.AttributedTotal = "1250.5"
			s.AttributedUsage = &statements.Breakdown{Heading: "Usage attributed to bob (any payer)", Lines: s.Attributed, Total: "1250.5"}
			s.Message = "No movements in bob's wallet; their usage was paid from the workspace pool."
		}, []string{
			"member statement 2025-10 (bob) written to s.pdf\n",
			"  Usage attributed to bob (any payer) 1,250.50\n",
			"  note: No movements in bob's wallet; their usage was paid from the workspace pool.\n",
		}, []string{"Opening", "Closing"}},
		{"no activity at all", func(s *statements.Statement) {
			s.AccountLeftOut = true
			s.Message = "No activity in this period."
		}, []string{"  note: No activity in this period.\n"}, []string{"Opening", "attributed"}},
		{"wallet with a balance", func(s *statements.Statement) {
			s.Opening, s.Closing, s.Summary = "5", "5", summary("bob's wallet", "5", "0", "5")
		}, []string{"  Opening balance 5.00  Top-ups 0.00  Usage paid from bob's wallet 0.00  Closing balance 5.00\n"}, []string{"attributed"}},
		{"workspace", func(s *statements.Statement) {
			s.Scope, s.ScopeName, s.AttributedUsage = "workspace", "Acme", nil
			s.Usage, s.Summary = "2.5", summary("", "0", "-2.5", "-2.5")
		}, []string{"workspace statement 2025-10 (Acme)", "  Opening balance 0.00  Top-ups 0.00  Usage -2.50  Closing balance -2.50\n"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := zeros
			c.edit(&st)
			var b bytes.Buffer
			printStatement(&b, &st, "s.pdf")
			got := b.String()
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("printed %q, want %q in it", got, w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(got, n) {
					t.Errorf("printed %q, want no %q", got, n)
				}
			}
		})
	}
}

// TestCLIStatementOfAPoolPaidMember: through the real command, bob (paid
// for by the pool) reads his usage and who paid, no balances of zeros;
// --json keeps the balances for scripts and says "accountLeftOut": true;
// carol, whose wallet was given credits, keeps her balances.
func TestCLIStatementOfAPoolPaidMember(t *testing.T) {
	dir := teamWorkspace(t) // alice 1, bob 2, carol 3
	admin := asAlice(t, dir)
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Writer().Exec(`INSERT INTO ledger_transfers(request_id, input_hash, op, kind, debit_id, credit_id, amount_minor, user_id, model, source, created_at)
		VALUES ('october-usage', 'h', 'usage', 'posted', (SELECT id FROM ledger_accounts WHERE code = 'pool'),
			(SELECT id FROM ledger_accounts WHERE code = 'sys:usage'), 1250500000000, 2, 'gpt-4o-mini', 'ui', '2025-10-15T10:00:00.000Z'),
		('october-gift', 'h', 'transfer', 'posted', (SELECT id FROM ledger_accounts WHERE code = 'pool'),
			(SELECT id FROM ledger_accounts WHERE code = 'user:3'), 5000000000, NULL, '', 'ui', '2025-10-16T10:00:00.000Z')`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "s.csv")
	bob := admin("statement", "--month", "2025-10", "--member", "bob", "--format", "csv", "--out", out)
	if strings.Contains(bob, "Opening") || !strings.Contains(bob, "  Usage attributed to bob (any payer) 1,250.50\n") ||
		!strings.Contains(bob, "their usage was paid from the workspace pool") {
		t.Errorf("bob's statement printed %q: want his usage and who paid, no balances", bob)
	}
	var res struct {
		Statement struct {
			Opening, Closing string
			AccountLeftOut   bool
		} `json:"statement"`
	}
	if err := json.Unmarshal([]byte(admin("--json", "statement", "--month", "2025-10", "--member", "bob", "--format", "csv", "--out", out)), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Statement.AccountLeftOut || res.Statement.Opening != "0" || res.Statement.Closing != "0" {
		t.Errorf("bob --json: %+v, want the balances kept and accountLeftOut true", res.Statement)
	}
	if carol := admin("statement", "--month", "2025-10", "--member", "carol", "--format", "csv", "--out", out); !strings.Contains(carol, "  Opening balance 0.00  Top-ups 0.00  Usage paid from carol's wallet 0.00  Closing balance 5.00\n") {
		t.Errorf("carol's statement printed %q: want her wallet's balances", carol)
	}
}
