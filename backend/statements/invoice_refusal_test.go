package statements

import (
	"context"
	"errors"
	"testing"

	"meterdesk/backend/access"
)

// A member who asks to list or read invoices (`invoice list`, `invoice
// show`, `invoice pdf`, the window's Statements.Invoices) is refused in the
// words of what they asked: "list invoices", "read invoice", as the window's
// invoice pages are ("list invoices"). They were told "issue invoices: not
// allowed for your role", the pending invoices the list issues first, which
// they had not asked for.
func TestInvoiceReadsRefuseAMemberInTheirOwnWords(t *testing.T) {
	e := newEnv(t)
	bob := access.WithActor(context.Background(), access.Actor{UserID: 2, Name: "bob", Role: access.RoleMember})
	for _, c := range []struct {
		what string
		call func() error
		want string
	}{
		{"Invoices", func() error { _, err := e.st.Invoices(bob); return err }, "list invoices: not allowed for your role (admin only)"},
		{"Invoice", func() error { _, err := e.st.Invoice(bob, "INV-000001"); return err }, "read invoice: not allowed for your role (admin only)"},
		{"InvoicesPage", func() error { _, err := e.st.InvoicesPage(bob, 0, 10); return err }, "list invoices: not allowed for your role (admin only)"},
	} {
		err := c.call()
		if !errors.Is(err, access.ErrForbidden) || err.Error() != c.want {
			t.Errorf("%s by a member: %v, want %q", c.what, err, c.want)
		}
	}
}
