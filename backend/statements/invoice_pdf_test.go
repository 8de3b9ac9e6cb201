package statements

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/team"
)

// The invoice PDF groups its currency amounts as the window's invoice list
// does (money.GroupDecimal, formatCurrencyAmount): "1,190,000.00 EUR", not
// "1190000.00 EUR", in the item's Net column and in the totals, credit
// notes' negated amounts too.
func TestInvoicePDFGroupsCurrencyAmounts(t *testing.T) {
	e := newEnv(t)
	e.insert(t, []entry{{op: "topup", from: "sys:topup", to: "pool", amount: 1_000_000_000_000, price: 100_000_000, at: fixedNow}})
	if _, err := e.st.IssuePending(e.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.CreditNote(e.ctx, "INV-000001", "wrong buyer"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		number     string
		want, lack []string
	}{
		{"INV-000001", []string{"1,000,000.00 EUR", "190,000.00 EUR", "1,190,000.00 EUR"}, []string{"1000000.00", "190000.00", "1190000.00"}},
		{"CN-000001", []string{"-1,000,000.00 EUR", "-190,000.00 EUR", "-1,190,000.00 EUR"}, []string{"1000000.00", "1190000.00"}},
	} {
		path := filepath.Join(dir, tc.number+".pdf")
		if err := e.st.Export(e.ctx, ExportRequest{Kind: KindInvoicePDF, Invoice: tc.number, Path: path}, nil); err != nil {
			t.Fatalf("export %s: %v", tc.number, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, b)
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: PDF text lacks %q:\n%s", tc.number, w, text)
			}
		}
		for _, w := range tc.lack {
			if strings.Contains(text, w) {
				t.Errorf("%s: PDF text has the ungrouped %q:\n%s", tc.number, w, text)
			}
		}
	}
}

func TestInvoicePDF(t *testing.T) {
	e := newEnv(t)
	if err := e.st.SetParties(e.ctx, Party{Name: "Meterdesk Reseller GmbH", Address: "Hauptstraße 1\n50667 Köln", TaxID: "DE123456789", Email: "billing@example.de"},
		Party{Name: "Ωmega Λtd"}); err != nil {
		t.Fatal(err)
	}
	e.insert(t, []entry{{op: "topup", from: "sys:topup", to: "pool", amount: 1_000_000_000_000, price: 1999, at: fixedNow}})
	if _, err := e.st.IssuePending(e.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.CreditNote(e.ctx, "INV-000001", "wrong buyer"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		number string
		want   []string
	}{
		{"INV-000001", []string{"Invoice INV-000001", "Meterdesk Reseller GmbH", "Hauptstraße 1", "50667 Köln", "DE123456789",
			"billing@example.de", "Ωmega Λtd", "Tax (19 %)", "3.80 EUR", "Total", "23.79 EUR",
			"1,000.00"}}, // the credits, by the display rule (money.Display)
		{"CN-000001", []string{"Credit note CN-000001", "Corrects invoice", "INV-000001", "wrong buyer", "-23.79 EUR"}},
	} {
		path := filepath.Join(dir, tc.number+".pdf")
		if err := e.st.Export(e.ctx, ExportRequest{Kind: KindInvoicePDF, Invoice: tc.number, Path: path}, nil); err != nil {
			t.Fatalf("export %s: %v", tc.number, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, b)
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: PDF text lacks %q:\n%s", tc.number, w, text)
			}
		}
	}

	// Refused: an unknown number, no number, a member; no file is written.
	member := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	for _, tc := range []struct {
		ctx    context.Context
		number string
		want   error
	}{
		{e.ctx, "INV-999999", ErrUnknownInvoice},
		{e.ctx, "", ErrUnknownInvoice},
		{member, "INV-000001", access.ErrForbidden},
	} {
		path := filepath.Join(dir, "refused.pdf")
		err := e.st.Export(tc.ctx, ExportRequest{Kind: KindInvoicePDF, Invoice: tc.number, Path: path}, nil)
		if !errors.Is(err, tc.want) {
			t.Errorf("export %q: %v, want %v", tc.number, err, tc.want)
		}
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("export %q left a file", tc.number)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("%d files in the export folder, want the 2 PDFs", len(entries))
	}
}

func TestInvoicePartiesChecked(t *testing.T) {
	e := newEnv(t)
	good := Party{Name: "Seller AG", Address: "Line 1\r\nLine 2", Email: "a@b.c"}
	if err := e.st.SetParties(e.ctx, good, Party{Name: "  Buyer  "}); err != nil {
		t.Fatal(err)
	}
	seller, buyer, err := e.st.Parties(e.ctx)
	if err != nil || seller.Address != "Line 1\nLine 2" || buyer.Name != "Buyer" {
		t.Fatalf("parties %+v %+v %v", seller, buyer, err)
	}
	long := strings.Repeat("x", 201)
	for _, tc := range []struct {
		name          string
		seller, buyer Party
	}{
		{"seller without a name", Party{Name: "  "}, Party{}},
		{"name too long", Party{Name: long}, Party{}},
		{"name on two lines", Party{Name: "A\nB"}, Party{}},
		{"buyer tax id with a tab", good, Party{TaxID: "DE\t1"}},
		{"e-mail without @", good, Party{Email: "billing.example.de"}},
		{"address of 11 lines", Party{Name: "S", Address: strings.Repeat("l\n", 10) + "l"}, Party{}},
		{"address too long", Party{Name: "S", Address: strings.Repeat("a", 501)}, Party{}},
		{"address with a NUL", Party{Name: "S", Address: "a\x00b"}, Party{}},
	} {
		if err := e.st.SetParties(e.ctx, tc.seller, tc.buyer); !errors.Is(err, ErrBadParty) {
			t.Errorf("%s: %v, want ErrBadParty", tc.name, err)
		}
	}
	member := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	if err := e.st.SetParties(member, good, Party{}); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("member: %v", err)
	}
	if s, b, _ := e.st.Parties(e.ctx); s.Name != "Seller AG" || b.Name != "Buyer" {
		t.Fatalf("refused changes were stored: %+v %+v", s, b)
	}
}

// Until Invoice details are saved, an invoice names the workspace as its
// seller (name, address and tax id from the set-up); once saved, new
// invoices print the saved seller and issued ones keep theirs.
func TestInvoiceSellerDefaultsToWorkspace(t *testing.T) {
	e := newEnv(t)
	for k, v := range map[string]string{team.KeyName: "Acme Research", team.KeyAddress: "Main St 1\n12345 Town", team.KeyTaxID: "DE999"} {
		if err := e.db.SetSetting(e.ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	seller, buyer, err := e.st.Parties(e.ctx)
	if err != nil || seller != (Party{Name: "Acme Research", Address: "Main St 1\n12345 Town", TaxID: "DE999"}) || buyer != (Party{}) {
		t.Fatalf("parties before any are set: %+v %+v %v", seller, buyer, err)
	}
	e.insert(t, []entry{{op: "topup", from: "sys:topup", to: "pool", amount: 100_000_000, price: 1000, at: fixedNow}})
	first, err := e.st.Invoice(e.ctx, "INV-000001")
	if err != nil || first.Seller != seller {
		t.Fatalf("first invoice's seller %+v (%v), want the workspace %+v", first.Seller, err, seller)
	}

	if err := e.st.SetParties(e.ctx, Party{Name: "Seller AG"}, Party{}); err != nil {
		t.Fatal(err)
	}
	e.insert(t, []entry{{op: "topup", from: "sys:topup", to: "pool", amount: 100_000_000, price: 1000, at: fixedNow.Add(time.Minute)}})
	second, err := e.st.Invoice(e.ctx, "INV-000002")
	if err != nil || second.Seller != (Party{Name: "Seller AG"}) {
		t.Fatalf("second invoice's seller %+v (%v)", second.Seller, err)
	}
	if again, _ := e.st.Invoice(e.ctx, "INV-000001"); again.Seller != first.Seller {
		t.Fatalf("the issued invoice's seller changed to %+v", again.Seller)
	}
}

// A workspace value an invoice cannot print (an address longer than an
// invoice's 500 characters) is left out of the default seller.
func TestInvoiceSellerDefaultLeavesOutWhatAnInvoiceCannotPrint(t *testing.T) {
	e := newEnv(t)
	for k, v := range map[string]string{team.KeyName: "Acme", team.KeyAddress: strings.Repeat("a", 600), team.KeyTaxID: "DE999"} {
		if err := e.db.SetSetting(e.ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	seller, _, err := e.st.Parties(e.ctx)
	if err != nil || seller != (Party{Name: "Acme", TaxID: "DE999"}) {
		t.Fatalf("default seller %+v, %v", seller, err)
	}
}
