package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCLIGroupsCurrencyAmounts: the CLI prints invoice and price amounts
// with their thousands grouped, as the window (formatCurrencyAmount) and the
// invoice PDF (money.GroupDecimal) write them, in the currency's own places
// and never re-rounded; --json keeps them canonical for scripts.
func TestCLIGroupsCurrencyAmounts(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"top-up", []string{"credits", "topup", "--amount", "119000050", "--price", "1190000.50", "--currency", "EUR", "--tax", "0.10"},
			"credits for 1,190,000.50 EUR net + 119,000.05 EUR tax (10 %) = 1,309,000.55 EUR\n"},
		{"invoice show", []string{"invoice", "show", "INV-000001"}, "Net 1,190,000.50 EUR, tax 10% 119,000.05, gross 1,309,000.55 EUR\n"},
		{"invoice list", []string{"invoice", "list"}, "1,309,000.55 EUR"},
		{"credit note", []string{"invoice", "credit-note", "INV-000001", "--reason", "wrong buyer"},
			"Net -1,190,000.50 EUR, tax 10% -119,000.05, gross -1,309,000.55 EUR\n"},
		{"package save", []string{"credits", "packages", "save", "--name", "Big", "--credits", "15000000", "--price", "150000", "--currency", "JPY"},
			"credits for 150,000 JPY\n"},
		{"package list", []string{"credits", "packages"}, "150,000 JPY"},
	}
	for _, c := range cases {
		if got := admin(c.args...); !strings.Contains(got, c.want) {
			t.Errorf("%s: printed\n%s\nwant %q in it", c.name, got, c.want)
		}
	}
	var inv struct{ Net, Tax, Gross string }
	if err := json.Unmarshal([]byte(admin("--json", "invoice", "show", "INV-000001")), &inv); err != nil {
		t.Fatal(err)
	}
	if inv.Net != "1190000.50" || inv.Tax != "119000.05" || inv.Gross != "1309000.55" {
		t.Errorf("invoice show --json: %+v, want canonical amounts", inv)
	}
	if out := admin("--json", "credits", "packages"); !strings.Contains(out, `"price": "150000"`) {
		t.Errorf("credits packages --json: want the canonical price:\n%s", out)
	}
}
