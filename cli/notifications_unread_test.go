package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// TestCLINotificationsSayHowManyAreUnread: under the list, `alerts
// notifications` says how many notifications are unread in all, however
// many the list shows (it stops at --limit, 50 by default): 260 unread with
// the newest 50 listed says "260 unread in all"; with all of them listed,
// "260 unread"; none unread, nothing. A --limit outside 1 to 1000 is
// refused (exit 2), where before it silently listed 200. `alerts unread`
// says the count alone ({"unread": N} with --json, which the list's --json,
// an array, cannot carry), and takes no other argument.
func TestCLINotificationsSayHowManyAreUnread(t *testing.T) {
	dir := teamWorkspace(t)
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for range 260 {
		if _, err := db.Writer().Exec(`INSERT INTO notifications(created_at, kind, level, account, title, body)
			VALUES ('2026-06-15T12:00:00.000000000Z', 'alert', 'warning', 'pool', 'Low balance', 'The pool is below 100 credits.')`); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	admin := asAlice(t, dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "260 unread in all; the newest 50 notifications are shown (--limit N, up to 1000, shows more)\n"},
		{[]string{"--limit", "1000"}, "\n260 unread\n"},
		{[]string{"--unread", "--limit", "200"}, "260 unread in all; the newest 200 notifications are shown"},
	} {
		out := admin(append([]string{"alerts", "notifications"}, c.args...)...)
		if !strings.HasSuffix(out, c.want) && !strings.Contains(out, c.want) {
			t.Errorf("alerts notifications %v ends %q, want %q", c.args, out[max(0, len(out)-120):], c.want)
		}
	}
	for _, limit := range []string{"0", "1001", "-5"} {
		code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "alerts", "notifications", "--limit", limit)
		if code != 2 || !strings.Contains(errs, "list 1 to 1000 notifications") {
			t.Errorf("--limit %s: exit %d: %s", limit, code, errs)
		}
	}
	// The count for scripts: `alerts unread` (its --json an object), while
	// the list's --json stays the list (an array), as documented.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"alerts", "unread"}, "260 unread\n"},
		{[]string{"--json", "alerts", "unread"}, "{\n  \"unread\": 260\n}\n"},
	} {
		if out := admin(c.args...); out != c.want {
			t.Errorf("%v: %q, want %q", c.args, out, c.want)
		}
	}
	var list []map[string]any
	if out := admin("--json", "alerts", "notifications", "--limit", "3"); json.Unmarshal([]byte(out), &list) != nil || len(list) != 3 {
		t.Errorf("alerts notifications --json is no longer the list: %q", out)
	}
	for _, args := range [][]string{{"alerts", "unread", "7"}, {"alerts", "unread", "--limit", "5"}, {"alerts", "unread", "--unread"}} {
		if code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...); code != ExitUsage || !strings.Contains(errs, "usage: meterdesk alerts unread") {
			t.Errorf("%v: exit %d %q, want 2 with the usage", args, code, errs)
		}
	}
	admin("alerts", "read")
	if out := admin("alerts", "notifications"); strings.Contains(out, "unread") {
		t.Fatalf("all read, yet: %q", out[max(0, len(out)-120):])
	}
	if out := admin("--json", "alerts", "unread"); out != "{\n  \"unread\": 0\n}\n" {
		t.Fatalf("all read: %q", out)
	}
}

// TestCLINotificationsBefore: at the most one list shows (--limit 1000)
// the line under `alerts notifications` still said "--limit N, up to
// 1000, shows more", which could not show more. It names the cursor
// instead, and --before ID (the window's Show more cursor) lists the
// older ones, page by page, until none is left; a negative one is refused
// (exit 2).
func TestCLINotificationsBefore(t *testing.T) {
	dir := teamWorkspace(t)
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var first int64
	if err := db.Writer().QueryRow(`SELECT COALESCE(MAX(id), 0) FROM notifications`).Scan(&first); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 1100)
		INSERT INTO notifications(created_at, kind, level, account, title, body)
		SELECT '2026-06-15T12:00:00.000000000Z', 'alert', 'warning', 'pool', 'Low balance', 'The pool is below 100 credits.' FROM n`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	total := first + 1100 // every notification unread: the workspace's own ones too
	admin := asAlice(t, dir)
	top := first + 1100      // the newest id
	cursor := top - 1000 + 1 // the oldest of the newest 1000
	rest := int(cursor - 1)  // older than it
	lines := strings.Split(strings.TrimSpace(admin("alerts", "notifications", "--limit", "1000")), "\n")
	if len(lines) != 1001 {
		t.Fatalf("%d lines", len(lines))
	}
	want := fmt.Sprintf("%d unread in all; the newest 1000 notifications are shown (--before %d lists older ones)", total, cursor)
	if last := lines[len(lines)-1]; last != want {
		t.Fatalf("at the maximum: %q, want %q", last, want)
	}
	if out := admin("alerts", "notifications", "--limit", "010"); !strings.HasSuffix(out, "(--limit N, up to 1000, shows more)\n") {
		t.Errorf("below the maximum: %q", out[max(0, len(out)-120):])
	}
	lines = strings.Split(strings.TrimSpace(admin("alerts", "notifications", "--before", fmt.Sprint(cursor), "--limit", "60")), "\n")
	if !strings.HasPrefix(lines[0], fmt.Sprintf("* %d ", cursor-1)) || len(lines) != 61 {
		t.Fatalf("--before %d: first %q, %d lines", cursor, lines[0], len(lines))
	}
	want = fmt.Sprintf("%d unread in all; the 60 notifications older than %d are shown (--before %d lists older ones)", total, cursor, cursor-60)
	if last := lines[len(lines)-1]; last != want {
		t.Errorf("a page of older ones: %q, want %q", last, want)
	}
	lines = strings.Split(strings.TrimSpace(admin("alerts", "notifications", "--before", fmt.Sprint(cursor), "--limit", "1000")), "\n")
	want = fmt.Sprintf("%d unread in all; the %d notifications older than %d are shown", total, rest, cursor)
	if len(lines) != rest+1 || lines[len(lines)-1] != want {
		t.Errorf("the oldest page: %d lines, last %q, want %q", len(lines), lines[len(lines)-1], want)
	}
	var list []map[string]any
	if out := admin("--json", "alerts", "notifications", "--before", fmt.Sprint(cursor), "--limit", "2"); json.Unmarshal([]byte(out), &list) != nil ||
		len(list) != 2 || list[0]["id"] != float64(cursor-1) {
		t.Errorf("--json --before: %q", out)
	}
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "alerts", "notifications", "--before", "-1")
	if code != ExitUsage || !strings.Contains(errs, "before -1") {
		t.Errorf("--before -1: exit %d %q", code, errs)
	}
}
