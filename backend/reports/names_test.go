package reports

import (
	"slices"
	"strconv"
	"testing"
)

// A removed member and the member who took their name (`users remove bob`,
// `users add bob`), an archived department and the new one of its name, are
// told apart wherever the reports name them, by backend/people's rule: the
// usage by member and by department (the Usage page, `report usage`), the
// transaction history and its CSV stream.
func TestReportsTellEndedNamesApart(t *testing.T) {
	f := newFixture(t) // ann (1), bob (2), Research (1)
	const ts = "'2025-01-01T00:00:00.000Z'"
	for _, q := range []string{
		`UPDATE users SET status = 'removed', removed_at = ` + ts + ` WHERE id = 2`,
		`INSERT INTO users(id, name, role, secret_kind, secret_hash, created_at, updated_at) VALUES (3, 'bob', 'member', 'pin', 'x', ` + ts + `, ` + ts + `)`,
		`UPDATE departments SET name = 'Eng', archived = 1 WHERE id = 1`,
		`INSERT INTO departments(id, name, created_at, updated_at) VALUES (2, 'Eng', ` + ts + `, ` + ts + `)`,
	} {
		if _, err := f.db.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	f.add(t,
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 2 * c, user: 2, dept: 1, model: "m", at: "2025-03-02 10:00"},
		tx{op: "usage", from: "pool", to: "sys:usage", amount: 1 * c, user: 3, dept: 2, model: "m", at: "2025-03-03 10:00"},
	)
	r := Range{From: "2025-03-01", To: "2025-03-31"}
	labels := func(pts []Point) []string {
		var out []string
		for _, p := range pts {
			out = append(out, p.Label)
		}
		return out
	}
	for g, want := range map[Group][]string{ByMember: {"bob (removed)", "bob"}, ByDepartment: {"Eng (archived)", "Eng"}} {
		pts, _, err := f.svc.UsageBy(f.ctx, r, g, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := labels(pts); !slices.Equal(got, want) {
			t.Errorf("usage by %s: %q, want %q", g, got, want)
		}
	}
	d, err := f.svc.Dashboard(f.ctx, r, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := labels(d.ByMember); !slices.Equal(got, []string{"bob (removed)", "bob"}) {
		t.Errorf("dashboard by member: %q", got)
	}
	want := []string{"3 bob / 2 Eng", "2 bob (removed) / 1 Eng (archived)"} // newest first
	p, err := f.svc.History(f.ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range p.Items {
		got = append(got, rowWho(row))
	}
	if !slices.Equal(got, want) {
		t.Errorf("history: %q, want %q", got, want)
	}
	got = nil
	if err := f.svc.Stream(f.ctx, Filter{}, func(int64) {}, func(row *Row) error {
		got = append(got, rowWho(*row))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if slices.Reverse(want); !slices.Equal(got, want) { // oldest first
		t.Errorf("stream: %q, want %q", got, want)
	}
}

// rowWho is a history row's member and department, with their ids.
func rowWho(r Row) string {
	return strconv.FormatInt(r.UserID, 10) + " " + r.Member + " / " + strconv.FormatInt(r.DepartmentID, 10) + " " + r.Department
}
