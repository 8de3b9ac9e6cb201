package statements

import (
	"context"
	"io"
	"strings"

	"meterdesk/backend/money"
)

// invoiceTitle is "Invoice INV-000001" or "Credit note CN-000001".
func invoiceTitle(inv Invoice) string {
	if inv.Kind == "credit_note" {
		return "Credit note " + inv.Number
	}
	return "Invoice " + inv.Number
}

// partyLines are a party's printed lines: name, address (one line per
// line typed), tax id and e-mail; "Not given" when nothing is set.
func partyLines(p Party) []KV {
	var kv []KV
	add := func(key, v string) {
		if v = strings.TrimSpace(v); v != "" {
			kv = append(kv, KV{Key: key, Value: v})
		}
	}
	add("Name", p.Name)
	for i, line := range strings.Split(strings.ReplaceAll(p.Address, "\r\n", "\n"), "\n") {
		key := ""
		if i == 0 {
			key = "Address"
		}
		if line = strings.TrimSpace(line); line != "" {
			kv = append(kv, KV{Key: key, Value: line})
		}
	}
	add("Tax id", p.TaxID)
	add("E-mail", p.Email)
	if len(kv) == 0 {
		kv = []KV{{Key: "Not given", Value: "—"}}
	}
	return kv
}

// WriteInvoicePDF renders one invoice or credit note as it was issued: its
// number and date, the seller and buyer stored with it, the item and the
// net, tax and gross amounts (exact, in the currency's places, thousands
// grouped as the window's invoice list groups them). A credit
// note names the invoice it corrects and why.
func (s *Service) WriteInvoicePDF(_ context.Context, inv Invoice, w io.Writer) error {
	p := NewPDF(PDFOptions{Title: invoiceTitle(inv), Subtitle: "Issued " + inv.IssueDate + " · amounts in " + inv.Currency,
		Created: s.clock()})
	head := []KV{{Key: "Number", Value: inv.Number}, {Key: "Issue date", Value: inv.IssueDate}}
	if inv.Kind == "credit_note" {
		head = append(head, KV{Key: "Corrects invoice", Value: inv.Corrects}, KV{Key: "Reason", Value: inv.Reason})
	}
	p.KeyValues(head)
	p.Heading("Seller")
	p.KeyValues(partyLines(inv.Seller))
	p.Heading("Buyer")
	p.KeyValues(partyLines(inv.Buyer))
	p.Heading("Item")
	p.Table([]Column{{"Description", 110, Left}, {"Credits", 30, Right}, {"Net (" + inv.Currency + ")", 40, Right}})
	// Currency amounts grouped in their own places, never re-rounded ("1,190,000.50"), as the
	// window's invoice list shows them (money.GroupDecimal, formatCurrencyAmount).
	p.Row(inv.Description, money.DisplayString(inv.Credits), money.GroupDecimal(inv.Net))
	p.Heading("Total")
	p.KeyValues([]KV{
		{Key: "Net", Value: money.GroupDecimal(inv.Net) + " " + inv.Currency},
		{Key: "Tax (" + inv.TaxRate + " %)", Value: money.GroupDecimal(inv.Tax) + " " + inv.Currency},
		{Key: "Total", Value: money.GroupDecimal(inv.Gross) + " " + inv.Currency, Bold: true},
	})
	return p.Output(w)
}
