package statements

import (
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/audit/audittest"
)

// Saving the invoice parties and issuing a credit note are in the audit log
// (an invoice's correction is an accounting act); refused ones are not.
func TestInvoiceChangesAreAudited(t *testing.T) {
	e := newEnv(t)
	if err := e.st.SetParties(e.ctx, Party{Name: "Seller AG"}, Party{Name: "Buyer Ltd", Email: "ap@buyer.example"}); err != nil {
		t.Fatal(err)
	}
	if err := e.st.SetParties(e.ctx, Party{Name: "  "}, Party{}); !errors.Is(err, ErrBadParty) {
		t.Fatalf("a seller without a name: %v", err)
	}
	e.insert(t, []entry{{op: "topup", from: "sys:topup", to: "pool", amount: 100_000_000, price: 1000, at: fixedNow}})
	if _, err := e.st.IssuePending(e.ctx); err != nil {
		t.Fatal(err)
	}
	cn, err := e.st.CreditNote(e.ctx, "INV-000001", "wrong buyer")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.CreditNote(e.ctx, "INV-000001", "again"); !errors.Is(err, ErrAlreadyCredited) {
		t.Fatalf("credited twice: %v", err)
	}
	got := audittest.Entries(t, e.db)
	want := []audittest.Entry{
		{ActorName: access.System.Name, Action: "invoice.parties", Target: "invoices",
			Before: `{"seller":{"name":"","address":"","taxId":"","email":""},"buyer":{"name":"","address":"","taxId":"","email":""}}`,
			After:  `{"seller":{"name":"Seller AG","address":"","taxId":"","email":""},"buyer":{"name":"Buyer Ltd","address":"","taxId":"","email":"ap@buyer.example"}}`},
		{ActorName: access.System.Name, Action: "invoice.credit_note", Target: "invoice:INV-000001", Before: "null",
			After: `{"number":"` + cn.Number + `","corrects":"INV-000001","reason":"wrong buyer"}`},
	}
	if len(got) != len(want) {
		t.Fatalf("entries %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	if !strings.HasPrefix(cn.Number, "CN-") {
		t.Fatalf("credit note number %q", cn.Number)
	}
}

// A member or department named by a number must exist: a statement for
// "department 99" is refused, not written for nobody.
func TestResolveNumericIDsMustExist(t *testing.T) {
	e := newEnv(t) // departments 1-2, members 1-3
	for _, c := range []struct {
		what    string
		resolve func(string) (int64, error)
		v       string
		want    int64
	}{
		{"member", func(v string) (int64, error) { return e.st.ResolveMember(e.ctx, v) }, "3", 3},
		{"member", func(v string) (int64, error) { return e.st.ResolveMember(e.ctx, v) }, "99", 0},
		{"member", func(v string) (int64, error) { return e.st.ResolveMember(e.ctx, v) }, "alice", 1},
		{"member", func(v string) (int64, error) { return e.st.ResolveMember(e.ctx, v) }, "ＡＬＩＣＥ", 1}, // the names rule (backend/namekey)
		{"member", func(v string) (int64, error) { return e.st.ResolveMember(e.ctx, v) }, "ΑΛΈΞΗΣ", 3},
		{"department", func(v string) (int64, error) { return e.st.ResolveDepartment(e.ctx, v) }, "VERTRIEB €", 2},
		{"department", func(v string) (int64, error) { return e.st.ResolveDepartment(e.ctx, v) }, "Ｖｅｒｔｒｉｅｂ €", 2},
		{"department", func(v string) (int64, error) { return e.st.ResolveDepartment(e.ctx, v) }, "2", 2},
		{"department", func(v string) (int64, error) { return e.st.ResolveDepartment(e.ctx, v) }, "99", 0},
	} {
		id, err := c.resolve(c.v)
		if c.want == 0 {
			if !errors.Is(err, ErrUnknownName) {
				t.Errorf("%s %s: %d, %v; want ErrUnknownName", c.what, c.v, id, err)
			}
			continue
		}
		if err != nil || id != c.want {
			t.Errorf("%s %s: %d, %v; want %d", c.what, c.v, id, err, c.want)
		}
	}
}
