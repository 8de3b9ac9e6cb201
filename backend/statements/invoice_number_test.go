package statements

import (
	"errors"
	"strings"
	"testing"
)

// TestInvoiceNumberAsTyped: an invoice or credit note number is found
// however its letters are typed and with spaces around it ("inv-000001",
// " INV-000001 "), where small letters were "no such invoice"; a credit note
// for it names the invoice as stored ("Credit note for INV-000001: …"), and
// a number no invoice has is still refused.
func TestInvoiceNumberAsTyped(t *testing.T) {
	e := newEnv(t)
	e.insert(t, []entry{{op: "topup", from: "sys:topup", to: "pool", amount: 100_000_000, price: 1000, at: fixedNow}})
	if _, err := e.st.IssuePending(e.ctx); err != nil {
		t.Fatal(err)
	}
	for _, typed := range []string{"INV-000001", "inv-000001", " Inv-000001 ", "\tinv-000001\n"} {
		inv, err := e.st.Invoice(e.ctx, typed)
		if err != nil || inv.Number != "INV-000001" {
			t.Errorf("Invoice(%q): %q %v", typed, inv.Number, err)
		}
	}
	for _, typed := range []string{"inv-000002", "INV-1", "", "cn-000001"} {
		if _, err := e.st.Invoice(e.ctx, typed); !errors.Is(err, ErrUnknownInvoice) {
			t.Errorf("Invoice(%q): %v, want no such invoice", typed, err)
		}
	}
	cn, err := e.st.CreditNote(e.ctx, " inv-000001 ", "wrong buyer")
	if err != nil {
		t.Fatal(err)
	}
	if cn.Corrects != "INV-000001" || !strings.HasPrefix(cn.Description, "Credit note for INV-000001: ") {
		t.Errorf("credit note: corrects %q, description %q", cn.Corrects, cn.Description)
	}
	if got, err := e.st.Invoice(e.ctx, strings.ToLower(cn.Number)); err != nil || got.Number != cn.Number {
		t.Errorf("the credit note in small letters: %q %v", got.Number, err)
	}
	if _, err := e.st.CreditNote(e.ctx, "INV-000001", "again"); !errors.Is(err, ErrAlreadyCredited) {
		t.Errorf("credited twice by another spelling: %v", err)
	}
}
