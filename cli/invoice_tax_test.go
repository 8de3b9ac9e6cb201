package cli

import (
	"strings"
	"testing"
)

// TestPricesIncludeTax: an admin says top-up prices are gross with
// `workspace update --prices-include-tax` (audited); an invoice then splits
// the price paid into net and tax (net + tax = the price) instead of adding
// tax on top, and --prices-include-tax=false goes back to net prices. The
// setting is not a preference: `settings set` says where it is changed.
func TestPricesIncludeTax(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	if out := admin("workspace", "show"); !strings.Contains(out, "prices:      net (tax is added on top)\n") {
		t.Fatalf("workspace show before:\n%s", out)
	}
	if out := admin("workspace", "update", "--prices-include-tax"); !strings.Contains(out, "prices:      include tax\n") {
		t.Fatalf("workspace update --prices-include-tax:\n%s", out)
	}
	// An unrelated change keeps it.
	if out := admin("workspace", "update", "--name", "Acme GmbH"); !strings.Contains(out, "prices:      include tax\n") {
		t.Fatalf("workspace update --name dropped the setting:\n%s", out)
	}
	if out := admin("--json", "audit", "list", "--action", "workspace.update"); !strings.Contains(out, `"pricesIncludeTax": true`) {
		t.Errorf("the change is not in the audit log:\n%s", out)
	}
	// 10.00 paid at 19 %: net 8.40 + tax 1.60 = 10.00 (1.5966 rounded).
	admin("credits", "topup", "--amount", "1000", "--price", "10.00", "--currency", "EUR", "--tax", "0.19")
	if out := admin("invoice", "show", "INV-000001"); !strings.Contains(out, "Net 8.40 EUR, tax 19% 1.60, gross 10.00 EUR\n") {
		t.Errorf("gross price, invoice:\n%s", out)
	}
	// 11.90 paid at 19 %: exactly 10.00 + 1.90.
	admin("credits", "topup", "--amount", "1000", "--price", "11.90", "--currency", "EUR", "--tax", "0.19")
	if out := admin("invoice", "show", "INV-000002"); !strings.Contains(out, "Net 10.00 EUR, tax 19% 1.90, gross 11.90 EUR\n") {
		t.Errorf("gross price, invoice:\n%s", out)
	}
	admin("workspace", "update", "--prices-include-tax=false")
	admin("credits", "topup", "--amount", "1000", "--price", "10.00", "--currency", "EUR", "--tax", "0.19")
	if out := admin("invoice", "show", "INV-000003"); !strings.Contains(out, "Net 10.00 EUR, tax 19% 1.90, gross 11.90 EUR\n") {
		t.Errorf("net price, invoice:\n%s", out)
	}
	// Issued invoices keep their split.
	if out := admin("invoice", "show", "INV-000001"); !strings.Contains(out, "gross 10.00 EUR\n") {
		t.Errorf("an issued invoice changed:\n%s", out)
	}
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "settings", "set", "invoice.prices_include_tax", "true")
	if code != ExitUsage || !strings.Contains(errs, "workspace update --prices-include-tax") {
		t.Errorf("settings set invoice.prices_include_tax: exit %d %q", code, errs)
	}
}
