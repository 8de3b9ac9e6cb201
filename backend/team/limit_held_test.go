package team

import (
	"testing"
	"time"
)

// TestLimitHeldRoom: a refusal says HeldRoom (the local API then leaves
// its 429 to the SDKs' retries) only when the member's pending holds take
// room in every limit the send breaks and, without them, it fits every
// one: one limit full of posted usage keeps it false, whatever the others
// hold.
func TestLimitHeldRoom(t *testing.T) {
	end := time.Date(2031, 1, 2, 0, 0, 0, 0, time.UTC)
	lim := func(kind string, minor, used, pending int64) limitUse {
		return limitUse{limitRow: limitRow{Limit: Limit{Kind: kind, Amount: "x"}, minor: minor},
			period: period{end: end}, used: used, pending: pending}
	}
	for _, c := range []struct {
		name  string
		apply []limitUse
		want  int64
		held  bool
	}{
		{"holds take the room", []limitUse{lim("daily", 100, 10, 60)}, 50, true},
		{"exact fit without the holds", []limitUse{lim("daily", 100, 50, 1)}, 50, true},
		{"one minor unit over without the holds", []limitUse{lim("daily", 100, 51, 60)}, 50, false},
		{"no holds", []limitUse{lim("daily", 100, 60, 0)}, 50, false},
		{"two broken, both held", []limitUse{lim("daily", 100, 10, 60), lim("monthly", 200, 100, 80)}, 50, true},
		{"two broken, one used up", []limitUse{lim("daily", 100, 10, 60), lim("monthly", 200, 190, 80)}, 50, false},
		{"the unbroken one is not asked", []limitUse{lim("daily", 100, 10, 60), lim("monthly", 1000, 0, 0)}, 50, true},
	} {
		le := breaking(c.apply, c.want, time.UTC)
		if le == nil {
			t.Fatalf("%s: not refused", c.name)
		}
		if le.HeldRoom != c.held {
			t.Errorf("%s: HeldRoom %v, want %v", c.name, le.HeldRoom, c.held)
		}
	}
}
