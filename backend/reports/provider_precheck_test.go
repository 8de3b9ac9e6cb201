package reports

import (
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/access"
)

// TestProviderFilterWithDatesKnowsNamesOfOtherDays: the check of a name
// no provider has now (a removed one's) before the roll-ups are caught up
// reads the range's names first, then every day's: a name charged on
// another day only is known (it finds none in the range), rolled up or
// not; a member is refused a name only another member's charges read as,
// without it being named, with dates too. (A member's range where their
// own removed provider has no charge: TestProviderFilterWithNoChargesFindsNone.)
func TestProviderFilterWithDatesKnowsNamesOfOtherDays(t *testing.T) {
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
	for round := 0; round < 2; round++ { // not rolled up yet, then rolled up
		for _, c := range []struct {
			who      string
			provider string
			from, to string
			refused  bool
			items    int
		}{
			{"ann", "Secret Lab (since removed)", "2025-03-03", "2025-03-03", true, 0},
			{"ann", "Secret Lab (since removed)", "2025-03-04", "2025-03-05", true, 0},
			{"ann", "mine (since removed)", "2025-03-02", "2025-03-02", false, 1},
			{"admin", "Secret Lab (since removed)", "2025-03-01", "2025-03-02", false, 0},
			{"admin", "mine (since removed)", "2025-03-03", "", false, 0},
			{"admin", "Secret Lab (since removed)", "", "2025-03-05", false, 1},
		} {
			ctx := f.ctx
			if c.who == "ann" {
				ctx = ann
			}
			p, err := f.svc.History(ctx, Filter{Provider: c.provider, From: c.from, To: c.to})
			switch {
			case c.refused && (!errors.Is(err, ErrUnknownProvider) || !strings.Contains(err.Error(), "(known: Lab, Mine (since removed), OpenAI)")):
				t.Errorf("round %d, %s %+v: %v; want refused, Secret Lab not named", round, c.who, c, err)
			case !c.refused && (err != nil || len(p.Items) != c.items):
				t.Errorf("round %d, %s %+v: %v, %d items; want known, %d", round, c.who, c, err, len(p.Items), c.items)
			}
		}
	}
}
