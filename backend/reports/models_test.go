package reports

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// TestUsageByModelAndProvider: one model name at two providers is two rows,
// named as the providers read now, and the rows add up to the ledger's total
// exactly: a local server's gpt-4o (Lab) and OpenAI's are apart; a provider
// renamed since (Lab2 → Lab, audit log provider.update) reads by its name
// now, its charges before and after the rename one row; a provider since
// removed reads "(since removed)", a charge naming none "provider unknown".
func TestUsageByModelAndProvider(t *testing.T) {
	f := newFixture(t)
	err := f.db.Write(f.ctx, func(q *sql.Tx) error {
		var id int64
		if err := q.QueryRow("SELECT id FROM providers WHERE name = 'Lab'").Scan(&id); err != nil {
			return err
		}
		_, err := q.Exec(`INSERT INTO audit_log(at, actor_name, action, target, before_json, after_json)
			VALUES ('2025-03-03T00:00:00.000Z', 'admin', 'provider.update', ?, '{"name":"Lab2"}', '{"name":"Lab"}')`, fmt.Sprint("provider:", id))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	u := func(amount int64, model, provider, at string) tx {
		return tx{op: "usage", from: "pool", to: "sys:usage", amount: amount, user: 1, model: model, provider: provider, conv: 1, at: at}
	}
	f.add(t,
		u(2*c, "gpt-4o", "OpenAI", "2025-03-02 10:00"),
		u(3*c+1, "gpt-4o", "Lab2", "2025-03-02 11:00"), // before the rename
		u(4*c, "gpt-4o", "lab", "2025-03-04 11:00"),    // after it (the name key matches)
		u(5, "gpt-4o", "Old", "2025-03-04 12:00"),
		u(7, "gpt-4o", "", "2025-03-04 13:00"),
		u(1*c, "", "", "2025-03-04 14:00"),
	)
	pts, total, err := f.svc.UsageBy(f.ctx, Range{From: "2025-03-01", To: "2025-03-31"}, ByModel, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pts {
		got = append(got, fmt.Sprintf("%s|%s|%s|%s|%d", p.Key, p.Model, p.Provider, p.Amount, p.Count))
	}
	want := []string{
		"gpt-4o · Lab|gpt-4o|Lab|7.000000001|2",
		"gpt-4o · OpenAI|gpt-4o|OpenAI|2|1",
		"(no model)||provider unknown|1|1",
		"gpt-4o · provider unknown|gpt-4o|provider unknown|0.000000007|1",
		"gpt-4o · Old (since removed)|gpt-4o|Old (since removed)|0.000000005|1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("usage by model:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	all := f.truth(t, func(usageRow, string) string { return "all" }, "2025-03-01", "2025-03-31", 0)
	if total != all["all"] || total != "10.000000013" {
		t.Errorf("total %s, ledger %s", total, all["all"])
	}
}

// TestModelLabelBlankProvider: a provider name of spaces is no provider, as
// providers.ChargeNames reads it ("provider unknown"): a charge with no
// model and such a name is the one "(no model)" row, not a second row
// "(no model) · provider unknown" beside it.
func TestModelLabelBlankProvider(t *testing.T) {
	f := newFixture(t)
	n, err := NewModelNamer(f.ctx, f.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"", " ", "\t "} {
		if got := n.Label("", p); got != "(no model)" {
			t.Errorf("Label(%q, %q) = %q, want (no model)", "", p, got)
		}
	}
	if got := n.Label("gpt-4o", " "); got != "gpt-4o · provider unknown" {
		t.Errorf("Label(gpt-4o, %q) = %q", " ", got)
	}
}
