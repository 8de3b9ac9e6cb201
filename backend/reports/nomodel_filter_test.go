package reports

import (
	"slices"
	"testing"

	"meterdesk/backend/ledger"
)

// TestByModelBarsDrillDownToTheirCharges: every "By model" bar's drill-down
// (the Usage page's: usage, the bar's dates, its model, or ledger.NoModel
// for a "(no model)" bar, and its provider) finds exactly the charges the
// bar adds up: its page, the CSV export (Each) and the count. The "(no
// model)" bars sent an empty model, read as "any model", so "(no model) ·
// Lab" listed Lab's gpt-4o charges too and "(no model)" every charge
// naming no provider. NoModel is not a model name here: with no provider
// it is every transfer with no model (a top-up too), as `credits history
// --model "(no model)"` lists them.
func TestByModelBarsDrillDownToTheirCharges(t *testing.T) {
	f := newFixture(t)
	u := func(amount int64, model, provider, at string) tx {
		return tx{op: "usage", from: "pool", to: "sys:usage", amount: amount, user: 1, model: model, provider: provider, conv: 1, at: at}
	}
	f.add(t,
		// id 1: a top-up, no model
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 100 * c, at: "2025-03-01 09:00"},
		u(1, "gpt-4o", "Lab", "2025-03-02 10:00"), // 2
		u(2, "", "Lab", "2025-03-02 11:00"),       // 3: Lab's, no model
		u(3, "", "", "2025-03-03 10:00"),          // 4: no model, no provider
		u(4, "gpt-4o", "", "2025-03-03 11:00"),    // 5: gpt-4o, no provider
		u(5, "", "Lab", "2025-03-04 10:00"),       // 6
		u(6, "o3", "OpenAI", "2025-03-04 11:00"),  // 7
	)
	r := Range{From: "2025-03-01", To: "2025-03-10"}
	d, err := f.svc.Dashboard(f.ctx, r, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int64{ // the bar → its charges, newest first
		"gpt-4o · Lab":              {2},
		"(no model) · Lab":          {6, 3},
		"(no model)":                {4},
		"gpt-4o · provider unknown": {5},
		"o3 · OpenAI":               {7},
	}
	if len(d.ByModel) != len(want) {
		t.Fatalf("bars %+v, want %d", d.ByModel, len(want))
	}
	for _, p := range d.ByModel {
		model := p.Model
		if model == "" {
			model = ledger.NoModel // as the Usage page's drill-down sends it
		}
		fl := Filter{Types: []string{TypeUsage}, Model: model, Provider: p.Provider, From: r.From, To: r.To}
		page, err := f.svc.History(f.ctx, fl)
		n, cerr := f.svc.Count(f.ctx, fl)
		var each []int64
		eerr := f.svc.Each(f.ctx, fl, func(r Row) error { each = append([]int64{r.ID}, each...); return nil })
		if err != nil || cerr != nil || eerr != nil {
			t.Fatalf("%s: %v %v %v", p.Label, err, cerr, eerr)
		}
		var got []int64
		for _, r := range page.Items {
			got = append(got, r.ID)
		}
		if !slices.Equal(got, want[p.Label]) || !slices.Equal(each, want[p.Label]) || n != p.Count || int(p.Count) != len(got) {
			t.Errorf("bar %q (%d charges; filter %+v): page %v, export %v, count %d; want %v", p.Label, p.Count, fl, got, each, n, want[p.Label])
		}
	}
	// Without a type or a provider, NoModel is every transfer with no
	// model: the top-up too, and never a charge of a model.
	page, err := f.svc.History(f.ctx, Filter{Model: ledger.NoModel})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, r := range page.Items {
		got = append(got, r.ID)
	}
	if !slices.Equal(got, []int64{6, 4, 3, 1}) {
		t.Errorf("every transfer with no model: %v, want [6 4 3 1]", got)
	}
}
