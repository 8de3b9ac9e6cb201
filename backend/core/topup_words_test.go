package core

import (
	"testing"

	"meterdesk/backend/ledger"
	"meterdesk/backend/team"
)

// TestTopUpReceiptSaysNetAndTaxAsTheInvoice: the top-up toast read "Added
// 1,000.00 credits for 9.00 EUR", a net price given as if it were what was
// paid, while the invoice splits it into net, tax and total. The receipt's
// words (Paid, and Summary, the toast's sentence) say the invoice's split:
// net, and tax and the total where there is tax, also when the
// workspace's prices include tax (the price is then the total).
func TestTopUpReceiptSaysNetAndTaxAsTheInvoice(t *testing.T) {
	b, alice := setUpWorkspace(t)
	for i, c := range []struct {
		gross       bool
		price, tax  string
		paid, whole string
	}{
		{false, "9", "19%", "9.00 EUR net + 1.71 EUR tax (19 %) = 10.71 EUR", "Added 1,000.00 credits for 9.00 EUR net + 1.71 EUR tax (19 %) = 10.71 EUR; invoice INV-000001"},
		{false, "9", "", "9.00 EUR net", "Added 1,000.00 credits for 9.00 EUR net; invoice INV-000002"},
		{false, "1234.5", "0.07", "1,234.50 EUR net + 86.42 EUR tax (7 %) = 1,320.92 EUR", "Added 1,000.00 credits for 1,234.50 EUR net + 86.42 EUR tax (7 %) = 1,320.92 EUR; invoice INV-000003"},
		{true, "11.90", "19%", "10.00 EUR net + 1.90 EUR tax (19 %) = 11.90 EUR", "Added 1,000.00 credits for 10.00 EUR net + 1.90 EUR tax (19 %) = 11.90 EUR; invoice INV-000004"},
	} {
		gross := c.gross
		if _, err := b.Team.PatchWorkspace(alice, team.WorkspacePatch{PricesIncludeTax: &gross}); err != nil {
			t.Fatal(err)
		}
		r, err := b.TopUp(alice, ledger.TopUpRequest{ID: "t" + string(rune('a'+i)), Account: ledger.AccountPool, Amount: "1000",
			Price: c.price, Currency: "EUR", TaxRate: c.tax, Source: "cli"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Paid != c.paid || r.Summary != c.whole {
			t.Errorf("price %s, tax %q, gross %v:\npaid    %q\nsummary %q\nwant    %q\n        %q", c.price, c.tax, c.gross, r.Paid, r.Summary, c.paid, c.whole)
		}
	}
}
