package statements

import (
	"context"
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

// TestResolveKeptLookAlikesByTheirOwnName: names an earlier version saved
// side by side that the names rule now calls one ("bob" and "Ｂｏｂ"; the
// later keeps a suffixed key, migration 0710) each find their own member
// and department by the name as typed; a third spelling finds the one that
// holds the plain key.
func TestResolveKeptLookAlikesByTheirOwnName(t *testing.T) {
	e := newEnv(t) // departments 1-2, members 1-3
	for _, q := range []string{
		`DROP TRIGGER users_name_key_insert`, `DROP TRIGGER departments_name_key_insert`,
		`INSERT INTO users(id, name, name_key, role, secret_kind, secret_hash, created_at, updated_at)
			VALUES (10, 'bob', md_name_key('bob'), 'member', 'pin', 'x', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
			(11, 'Ｂｏｂ', md_name_key('Ｂｏｂ') || char(1) || 11, 'member', 'pin', 'x', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`,
		`INSERT INTO departments(id, name, name_key, created_at, updated_at)
			VALUES (10, 'Sales', md_name_key('Sales'), '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'),
			(11, 'Ѕales', md_name_key('Ѕales') || char(1) || 11, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`,
	} {
		if _, err := e.db.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, c := range []struct {
		resolve func(context.Context, string) (int64, error)
		v       string
		want    int64
	}{
		{e.st.ResolveMember, "bob", 10},
		{e.st.ResolveMember, "Ｂｏｂ", 11},
		{e.st.ResolveMember, "ｂｏｂ", 10}, // neither exactly: by the names rule, the plain key's holder
		{e.st.ResolveDepartment, "Sales", 10},
		{e.st.ResolveDepartment, "Ѕales", 11}, // Cyrillic Ѕ
	} {
		if id, err := c.resolve(e.ctx, c.v); err != nil || id != c.want {
			t.Errorf("%q: %d, %v; want %d", c.v, id, err, c.want)
		}
	}
}
