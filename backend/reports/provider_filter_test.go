package reports

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/access"
)

// TestHistoryByProvider: the history filters by provider as "By model"
// names it, so the drill-down of "gpt-4o · Lab" finds Lab's gpt-4o charges
// and not OpenAI's of the same model name: a page, the export (Each) and
// the count agree, for an admin and for a member (who sees only their own).
// A provider renamed since (Lab2 → Lab) is found by its name now, its
// charges under both names; one removed by "Old (since removed)"; a charge
// naming none by "provider unknown"; a name is matched as names are ("lab").
// A provider here with no charges, or none in the dates asked, finds none;
// an unknown name is refused naming the known ones (all of them, whatever
// the dates).
func TestHistoryByProvider(t *testing.T) {
	f := newFixture(t)
	err := f.db.Write(f.ctx, func(q *sql.Tx) error {
		var id int64
		if err := q.QueryRow("SELECT id FROM providers WHERE name = 'Lab'").Scan(&id); err != nil {
			return err
		}
		_, err := q.Exec(`INSERT INTO audit_log(at, actor_name, action, target, before_json, after_json)
			VALUES ('2025-03-03T00:00:00.000Z', 'admin', 'provider.update', ?, '{"name":"Lab2"}', '{"name":"Lab"}')`, fmt.Sprint("provider:", id))
		if err != nil {
			return err
		}
		_, err = q.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, created_at, updated_at)
			VALUES ('Idle', 'openai', 'https://x.example/v1', 'ref9', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	u := func(amount, user int64, model, provider, at string) tx {
		return tx{op: "usage", from: "pool", to: "sys:usage", amount: amount, user: user, model: model, provider: provider, conv: 1, at: at}
	}
	f.add(t,
		tx{op: "topup", from: "sys:topup", to: "pool", amount: 100 * c, at: "2025-03-01 09:00"},
		u(1, 1, "gpt-4o", "OpenAI", "2025-03-02 10:00"),                                            // id 2
		u(2, 1, "gpt-4o", "Lab2", "2025-03-02 11:00"),                                              // 3: before the rename
		u(3, 2, "gpt-4o", "Lab", "2025-03-04 11:00"),                                               // 4
		u(4, 1, "gpt-4o", "lab", "2025-03-04 12:00"),                                               // 5: the name key matches
		u(5, 1, "o3", "Lab", "2025-03-04 13:00"),                                                   // 6
		u(6, 2, "gpt-4o", "OpenAI", "2025-03-05 10:00"),                                            // 7
		u(7, 1, "gpt-4o", "Old", "2025-03-05 11:00"),                                               // 8: a provider since removed
		u(8, 1, "gpt-4o", "", "2025-03-05 12:00"),                                                  // 9: names none
		tx{op: "transfer", from: "pool", to: "user:1", amount: c, user: 1, at: "2025-03-06 09:00"}, // 10
	)
	ann := access.WithActor(f.ctx, access.Actor{UserID: 1, Role: access.RoleMember})
	for _, tc := range []struct {
		name    string
		ctx     bool // as ann, a member
		filter  Filter
		want    []int64 // ids, newest first
		wantErr string
	}{
		{name: "gpt-4o at Lab", filter: Filter{Model: "gpt-4o", Provider: "Lab"}, want: []int64{5, 4, 3}},
		{name: "gpt-4o at OpenAI", filter: Filter{Model: "gpt-4o", Provider: "OpenAI"}, want: []int64{7, 2}},
		{name: "gpt-4o everywhere", filter: Filter{Model: "gpt-4o"}, want: []int64{9, 8, 7, 5, 4, 3, 2}},
		{name: "every model at Lab", filter: Filter{Provider: "Lab"}, want: []int64{6, 5, 4, 3}},
		{name: "typed in another case", filter: Filter{Model: "gpt-4o", Provider: " lab "}, want: []int64{5, 4, 3}},
		{name: "with a type and dates", filter: Filter{Types: []string{TypeUsage, TypeTransfer}, Provider: "Lab", From: "2025-03-04", To: "2025-03-04"}, want: []int64{6, 5, 4}},
		{name: "removed", filter: Filter{Model: "gpt-4o", Provider: "Old (since removed)"}, want: []int64{8}},
		{name: "unknown", filter: Filter{Provider: "provider unknown"}, want: []int64{9}},
		{name: "no charges yet", filter: Filter{Provider: "Idle"}, want: []int64{}},
		{name: "no charges in the range", filter: Filter{Provider: "Old (since removed)", From: "2025-03-02", To: "2025-03-04"}, want: []int64{}},
		{name: "renamed, in a range of the old name", filter: Filter{Provider: "Lab", To: "2025-03-02"}, want: []int64{3}},
		{name: "member's own at Lab", ctx: true, filter: Filter{Model: "gpt-4o", Provider: "Lab"}, want: []int64{5, 3}},
		{name: "member's own at OpenAI", ctx: true, filter: Filter{Provider: "OpenAI"}, want: []int64{2}},
		{name: "not a provider", filter: Filter{Model: "gpt-4o", Provider: "Nope"},
			wantErr: `unknown provider: no provider named "Nope" (known: Idle, Lab, Old (since removed), OpenAI, provider unknown)`},
		{name: "an old name", filter: Filter{Provider: "Lab2"}, wantErr: `no provider named "Lab2"`},
		{name: "not a provider, with a range", filter: Filter{Provider: "Nope", From: "2025-03-02", To: "2025-03-02"}, wantErr: `no provider named "Nope" (known: Idle, Lab, Old (since removed), OpenAI, provider unknown)`},
		{name: "removed, not so named", filter: Filter{Provider: "Old"}, wantErr: `no provider named "Old"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := f.ctx
			if tc.ctx {
				ctx = ann
			}
			// A member's rows are read by the walks or by the OR (plan):
			// both find the same rows.
			for _, share := range []float64{2, 0} {
				defer func(a, b float64) { walkShare, walkPageShare = a, b }(walkShare, walkPageShare)
				walkShare, walkPageShare = share, share
				p, err := f.svc.History(ctx, tc.filter)
				n, cerr := f.svc.Count(ctx, tc.filter)
				each := []int64{}
				eerr := f.svc.Each(ctx, tc.filter, func(r Row) error { each = append([]int64{r.ID}, each...); return nil })
				if tc.wantErr != "" {
					for _, e := range []error{err, cerr, eerr} {
						if e == nil || !strings.Contains(e.Error(), tc.wantErr) || !errors.Is(e, ErrUnknownProvider) {
							t.Errorf("error %v, want %q", e, tc.wantErr)
						}
					}
					return
				}
				if err != nil || cerr != nil || eerr != nil {
					t.Fatal(err, cerr, eerr)
				}
				got := []int64{}
				for _, r := range p.Items {
					got = append(got, r.ID)
				}
				if !slices.Equal(got, tc.want) || !slices.Equal(each, tc.want) || n != int64(len(tc.want)) {
					t.Errorf("share %v: page %v, export %v, count %d; want %v", share, got, each, n, tc.want)
				}
			}
		})
	}
}
