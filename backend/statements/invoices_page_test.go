package statements

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"meterdesk/backend/access"
)

// TestInvoicePagesAndState: the Statements page reads invoices a page at a
// time, newest first, the first page issuing what is pending; paging on by
// the cursor gives the whole list; the state moves only when the list can
// have changed (an invoice, a credit note, a top-up still without one).
func TestInvoicePagesAndState(t *testing.T) {
	e := newEnv(t)
	for range 130 {
		e.insert(t, []entry{{op: "topup", from: "sys:topup", to: "pool", amount: 1_000_000_000_000, price: 1999, at: fixedNow}})
	}
	state := func() InvoicesState {
		t.Helper()
		st, err := e.st.InvoicesState(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := state(); st != (InvoicesState{LastID: 0, Pending: 130}) {
		t.Fatalf("before any invoice: %+v", st)
	}
	page, err := e.st.InvoicesPage(e.ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != InvoicePageSize || page.Items[0].Number != "INV-000130" || page.Next != page.Items[InvoicePageSize-1].ID {
		t.Fatalf("first page: %d, first %s, next %d", len(page.Items), page.Items[0].Number, page.Next)
	}
	issued := state()
	if issued.Pending != 0 || issued.LastID != page.Items[0].ID {
		t.Fatalf("after the first page: %+v", issued)
	}
	all, err := e.st.Invoices(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, sizes := page.Items, []int{len(page.Items)}
	for page.Next != 0 {
		if page, err = e.st.InvoicesPage(e.ctx, page.Next, 0); err != nil {
			t.Fatal(err)
		}
		got, sizes = append(got, page.Items...), append(sizes, len(page.Items))
	}
	if !reflect.DeepEqual(sizes, []int{50, 50, 30}) || !reflect.DeepEqual(got, all) {
		t.Fatalf("pages %v; %d invoices, want the list's %d", sizes, len(got), len(all))
	}
	if st := state(); st != issued {
		t.Fatalf("reading changed the state: %+v, was %+v", st, issued)
	}
	// A credit note, then a top-up not invoiced yet (an older version's), move it.
	cn, err := e.st.CreditNote(e.ctx, "INV-000007", "wrong buyer")
	if err != nil {
		t.Fatal(err)
	}
	credited := state()
	if credited.LastID != cn.ID || credited.Pending != 0 {
		t.Fatalf("after a credit note: %+v", credited)
	}
	e.insert(t, []entry{{op: "topup", from: "sys:topup", to: "pool", amount: 1_000_000_000_000, price: 1999, at: fixedNow}})
	if st := state(); st.LastID != credited.LastID || st.Pending != 1 {
		t.Fatalf("after a top-up without its invoice: %+v", st)
	}
	if page, _ = e.st.InvoicesPage(e.ctx, 0, 2); len(page.Items) != 2 || page.Items[0].Number != "INV-000131" || page.Items[1].Number != "CN-000001" {
		t.Fatalf("newest two: %+v", page.Items)
	}
	// The most a page holds; bad input; members.
	if page, err = e.st.InvoicesPage(e.ctx, 0, MaxInvoicePage+5); err != nil || len(page.Items) != 132 || page.Next != 0 {
		t.Fatalf("a large page: %d, next %d, %v", len(page.Items), page.Next, err)
	}
	for _, c := range [][2]int{{-1, 0}, {0, -1}} {
		if _, err := e.st.InvoicesPage(e.ctx, int64(c[0]), c[1]); !errors.Is(err, ErrBadInvoicePage) {
			t.Errorf("before %d limit %d: %v", c[0], c[1], err)
		}
	}
	member := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	if _, err := e.st.InvoicesPage(member, 0, 0); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("a member read a page: %v", err)
	}
	if _, err := e.st.InvoicesState(member); !errors.Is(err, access.ErrForbidden) {
		t.Errorf("a member read the state: %v", err)
	}
}
