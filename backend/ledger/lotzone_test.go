package ledger

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/workzone"
)

// TestLotExpiryCountsMonthsInTheWorkspaceZone: a lot's validity is
// calendar months from the top-up at the same time of day as the
// workspace's zone reads them (docs/ledger.md, "Lots and expiry"; the
// CLI prints the expiry in that zone). Before, the months were counted in
// UTC: in Pacific/Kiritimati (+14) a top-up at 10:00 on 31 January expired
// at 10:00 on 1 March (the UTC date was 30 January), in New York one at
// 20:00 on 28 February expired on 31 March, not 28 March, and one made in
// winter expired at 11:00 in summer, not at 10:00.
func TestLotExpiryCountsMonthsInTheWorkspaceZone(t *testing.T) {
	for _, c := range []struct {
		zone   string
		at     string // the top-up, local
		months int
		want   string // the lot's expiry, local
	}{
		{"Pacific/Kiritimati", "2026-01-31 10:00", 1, "2026-02-28 10:00"},
		{"Pacific/Kiritimati", "2028-01-31 10:00", 1, "2028-02-29 10:00"}, // leap day
		{"Pacific/Kiritimati", "2026-03-01 10:00", 1, "2026-04-01 10:00"},
		{"Asia/Kathmandu", "2026-03-01 05:00", 1, "2026-04-01 05:00"},   // 23:15 UTC the day before
		{"America/New_York", "2026-02-28 20:00", 1, "2026-03-28 20:00"}, // 01:00 UTC on 1 March
		{"America/New_York", "2026-01-31 21:00", 1, "2026-02-28 21:00"},
		{"America/New_York", "2026-02-10 10:00", 1, "2026-03-10 10:00"},        // EST to EDT: same local time
		{"America/New_York", "2026-10-01 10:00", 2, "2026-12-01 10:00"},        // EDT to EST
		{"America/New_York", "2026-10-01 01:30", 1, "2026-11-01 01:30 -04:00"}, // 01:30 happens twice that day: the first
		{"America/New_York", "2026-02-08 02:30", 1, "2026-03-08 03:30"},        // 02:30 is skipped that day: an hour on
		{"Europe/London", "2026-08-31 23:30", 6, "2027-02-28 23:30"},
		{"Australia/Lord_Howe", "2026-03-31 23:45", 1, "2026-04-30 23:45"}, // +11 to +10:30
		{"Australia/Lord_Howe", "2026-09-04 02:15", 1, "2026-10-04 02:45"}, // 02:00–02:29 skipped: half an hour on
		{"America/Santiago", "2026-08-06 00:30", 1, "2026-09-06 01:30"},    // midnight's hour skipped
		{"UTC", "2026-01-31 23:30", 1, "2026-02-28 23:30"},
		// A DST change on the 1st of the later month moved every day of it
		// (the date was counted from the 1st at that time of day).
		{"Australia/Sydney", "2027-10-15 02:30", 12, "2028-10-15 02:30"}, // 1 Oct 2028 skips 02:00–02:59
		{"Pacific/Easter", "2029-08-02 22:00", 1, "2029-09-02 22:00"},    // 1 Sep 2029 skips 22:00–22:59
		// A time of day the clocks repeat is the first of the two.
		{"Europe/Berlin", "2026-09-25 02:30", 1, "2026-10-25 02:30 +02:00"},
		{"Australia/Lord_Howe", "2027-03-04 01:45", 1, "2027-04-04 01:45 +11:00"},
	} {
		t.Run(fmt.Sprintf("%s %s +%d", c.zone, c.at, c.months), func(t *testing.T) {
			e := newEnv(t)
			loc, err := workzone.Location(c.zone)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.db.SetSetting(context.Background(), workzone.Key, c.zone); err != nil {
				t.Fatal(err)
			}
			if err := e.s.SetLotValidity(adminCtx, c.months); err != nil {
				t.Fatal(err)
			}
			at, _ := time.ParseInLocation(workzone.Minutes, c.at, loc)
			e.clk.Set(at)
			tu := e.fund(t, "pool", "5")
			if tu.LotExpiresAt == nil {
				t.Fatal("no lot expiry")
			}
			got := workzone.LocalTime(*tu.LotExpiresAt, loc, workzone.Minutes)
			if got != c.want {
				t.Errorf("expires %s (%s), want %s", got, tu.LotExpiresAt.UTC().Format(time.RFC3339), c.want)
			}
			b := e.balance(t, "pool")
			if len(b.Lots) != 1 || b.Lots[0].ExpiresAt == nil || !b.Lots[0].ExpiresAt.Equal(*tu.LotExpiresAt) {
				t.Errorf("lots %+v, want one expiring %s", b.Lots, tu.LotExpiresAt)
			}
		})
	}
}

// TestLotExpiryRefusesAZoneThatDoesNotLoad: a workspace zone this computer
// cannot load (a zone its zone data lacks) refuses the top-up in words
// that say where to set another, and writes nothing. It read "lot expiry:
// time zone "Nowhere/Zone": unknown time zone Nowhere/Zone".
func TestLotExpiryRefusesAZoneThatDoesNotLoad(t *testing.T) {
	e := newEnv(t)
	if err := e.db.SetSetting(context.Background(), workzone.Key, "Nowhere/Zone"); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetLotValidity(adminCtx, 12); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.TopUp(adminCtx, TopUpRequest{ID: "bad-zone", Account: "pool", Credits: d("5"), Price: "0"})
	if err == nil {
		t.Fatal("top-up with a zone that does not load: no error")
	}
	want := "cannot work out when these credits expire: the workspace time zone \"Nowhere/Zone\" cannot be loaded on this computer; " +
		"set another in Settings → General → Time zone and lock (or `meterdesk workspace update --timezone ZONE`)"
	if !strings.HasSuffix(err.Error(), want) || strings.Contains(err.Error(), "unknown time zone") {
		t.Errorf("error %q, want it to end %q", err, want)
	}
	e.wantBalance(t, "pool", "0", "0")
	if h, err := e.s.History(adminCtx, Filter{Account: "pool"}); err != nil || len(h.Items) != 0 {
		t.Errorf("history %+v (%v), want nothing written", h.Items, err)
	}
}
