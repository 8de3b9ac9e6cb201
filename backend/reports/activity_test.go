package reports

import (
	"context"
	"slices"
	"testing"

	"meterdesk/backend/access"
)

// A member's transactions (the Usage page's list; its CSV export and count)
// are their account activity: what was charged for them and what moved in
// their wallet, credits an admin gave them included (a transfer into
// user:1 made for nobody, user_id NULL), as their Credits history shows it
// (ledger.MemberActivity). Earlier, only transfers made for them (user_id)
// were listed, and the credits given to them were missing. Another
// member's activity stays out.
func TestMemberTransactionsIncludeCreditsGivenToThem(t *testing.T) {
	f := newFixture(t)
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 100 * c, at: "2025-03-01 09:00"},
		tx{op: "transfer", from: "pool", to: "user:1", amount: 10 * c, at: "2025-03-02 09:00"},   // given to ann
		tx{op: "grant", from: "sys:adjust", to: "user:1", amount: 2 * c, at: "2025-03-02 10:00"}, // a grant to ann
		tx{op: "usage", from: "user:1", to: "sys:usage", amount: 1 * c, user: 1, model: "gpt-4o", at: "2025-03-03 09:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 1 * c, user: 1, model: "gpt-4o", at: "2025-03-03 10:00"},
		tx{op: "transfer", from: "user:1", to: "pool", amount: 3 * c, at: "2025-03-04 09:00"}, // moved back
		tx{op: "transfer", from: "pool", to: "user:2", amount: 5 * c, at: "2025-03-04 10:00"}, // bob's
		tx{op: "usage", from: "user:2", to: "sys:usage", amount: 1 * c, user: 2, model: "gpt-4o", at: "2025-03-04 11:00"},
	)
	ann := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleMember})
	ops := func(ctx context.Context, fl Filter) []string {
		t.Helper()
		p, err := f.svc.History(ctx, fl)
		if err != nil {
			t.Fatalf("%+v: %v", fl, err)
		}
		var out []string
		for _, r := range p.Items {
			out = append(out, r.Type+" "+r.From+">"+r.To)
		}
		slices.Reverse(out)
		return out
	}
	annAll := []string{"transfer pool>user:1", "grant sys:adjust>user:1", "usage user:1>sys:usage", "usage pool>sys:usage", "transfer user:1>pool"}
	for _, tc := range []struct {
		name string
		ctx  context.Context
		f    Filter
		want []string
	}{
		{"ann's own", ann, Filter{}, annAll},
		{"ann's own, dated (the Usage page's range)", ann, Filter{From: "2025-03-01", To: "2025-03-31"}, annAll},
		{"ann's transfers and grants", ann, Filter{Types: []string{"transfer", "grant"}}, []string{"transfer pool>user:1", "grant sys:adjust>user:1", "transfer user:1>pool"}},
		{"ann's usage", ann, Filter{Types: []string{"usage"}}, []string{"usage user:1>sys:usage", "usage pool>sys:usage"}},
		{"an admin filtering by ann", f.ctx, Filter{UserID: 1}, annAll},
	} {
		if got := ops(tc.ctx, tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
		n, err := f.svc.Count(tc.ctx, tc.f)
		if err != nil || n != int64(len(tc.want)) {
			t.Errorf("%s: count %d %v, want %d", tc.name, n, err, len(tc.want))
		}
		each := 0
		if err := f.svc.Each(tc.ctx, tc.f, func(Row) error { each++; return nil }); err != nil || each != len(tc.want) {
			t.Errorf("%s: export %d rows %v, want %d", tc.name, each, err, len(tc.want))
		}
	}
}
