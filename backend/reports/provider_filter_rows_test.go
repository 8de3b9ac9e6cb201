package reports

import (
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
)

// TestHistoryByProviderIsTheRowsCount: the drill-down of each "By model" row
// finds exactly the charges the row adds up, count and sum, where two removed
// providers' names differ only in case ("old", "Old": two rows, "old (since
// removed)" and "Old (since removed)"): a name is matched as the row reads
// it, and only a name no row reads exactly is matched as names are compared
// ("OLD (since removed)" is both).
func TestHistoryByProviderIsTheRowsCount(t *testing.T) {
	f := newFixture(t)
	u := func(amount, user int64, provider, at string) tx {
		return tx{op: "usage", from: "pool", to: "sys:usage", amount: amount, user: user, model: "gpt-4o", provider: provider, conv: 1, at: at}
	}
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 100 * c, at: "2025-03-01 09:00"},
		u(1, 1, "old", "2025-03-02 10:00"), // 2
		u(2, 1, "Old", "2025-03-03 10:00"), // 3
		u(4, 1, "Old", "2025-03-04 10:00"), // 4
	)
	pts, _, err := f.svc.UsageBy(f.ctx, Range{From: "2025-03-01", To: "2025-03-31"}, ByModel, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 {
		t.Fatalf("rows %+v, want two", pts)
	}
	for _, p := range pts {
		for _, r := range []struct{ from, to string }{{"", ""}, {"2025-03-01", "2025-03-31"}, {"2025-03-02", "2025-03-02"}} {
			fl := Filter{Types: []string{TypeUsage}, Model: p.Model, Provider: p.Provider, From: r.from, To: r.to}
			n, err := f.svc.Count(f.ctx, fl)
			if err != nil {
				t.Fatal(err)
			}
			sum := int64(0)
			if err := f.svc.Each(f.ctx, fl, func(row Row) error { sum += row.AmountMinor; return nil }); err != nil {
				t.Fatal(err)
			}
			if r.from == "2025-03-02" {
				if want := map[string]int64{"old (since removed)": 1, "Old (since removed)": 0}[p.Provider]; n != want {
					t.Errorf("%s on 2025-03-02: %d charges, want %d", p.Label, n, want)
				}
				continue
			}
			if n != p.Count || sum != p.minor {
				t.Errorf("%s (%s..%s): drill-down %d charges, %d; the row %d, %d", p.Label, r.from, r.to, n, sum, p.Count, p.minor)
			}
		}
	}
	if n, err := f.svc.Count(f.ctx, Filter{Provider: "OLD (since removed)"}); err != nil || n != 3 {
		t.Errorf("OLD (since removed): %d, %v; want 3 (both, typed as neither reads)", n, err)
	}
}

// TestHistoryByProviderMemberReadsOwnNames: a member refused a provider name
// is told the providers' names now (which a member may read) and those of
// their own charges, not the removed providers only other members were
// charged at; such a name is refused them as unknown, as it is to them.
func TestHistoryByProviderMemberReadsOwnNames(t *testing.T) {
	f := newFixture(t)
	u := func(amount, user int64, provider, at string) tx {
		return tx{op: "usage", from: "pool", to: "sys:usage", amount: amount, user: user, model: "gpt-4o", provider: provider, conv: 1, at: at}
	}
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 100 * c, at: "2025-03-01 09:00"},
		u(1, 1, "Mine", "2025-03-02 10:00"),
		u(2, 2, "Secret Lab", "2025-03-03 10:00"),
	)
	ann := access.WithActor(f.ctx, access.Actor{UserID: 1, Role: access.RoleMember})
	_, err := f.svc.History(ann, Filter{Provider: "Nope"})
	if err == nil || !errors.Is(err, ErrUnknownProvider) || strings.Contains(err.Error(), "Secret Lab") || !strings.Contains(err.Error(), "Mine (since removed)") {
		t.Errorf("member's refusal: %v; want their own names, not Secret Lab", err)
	}
	if _, err := f.svc.History(ann, Filter{Provider: "Secret Lab (since removed)"}); !errors.Is(err, ErrUnknownProvider) || !strings.Contains(err.Error(), "(known: Lab, Mine (since removed), OpenAI)") {
		t.Errorf("member asking for another's removed provider: %v; want refused as unknown, not named", err)
	}
	_, err = f.svc.History(f.ctx, Filter{Provider: "Nope"})
	if err == nil || !strings.Contains(err.Error(), "Secret Lab (since removed)") {
		t.Errorf("admin's refusal: %v; want every name", err)
	}
}
