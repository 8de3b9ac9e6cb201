package cli

import (
	"strings"
	"testing"
)

// limits list says, below its table, which limits refuse sends and until
// when, in the words the Usage page shows beside them (team.LimitStatus's
// Reached): a limit of 0 waits for an admin to raise it. A limit with room
// left says nothing. Before, the table left the admin to read 0.00 LEFT.
func TestLimitsListSaysWhichLimitsRefuseSends(t *testing.T) {
	dir := teamWorkspace(t) // bob: a daily limit of 50
	admin := asAlice(t, dir)
	admin("limits", "set", "bob", "monthly", "0")
	out := admin("limits", "list", "bob")
	want := "note: monthly limit: a limit of 0: paid sends are refused until an admin raises it\n"
	if !strings.Contains(out, want) {
		t.Fatalf("limits list:\n%s\nwant the line %q", out, want)
	}
	if strings.Contains(out, "daily limit:") || strings.Count(out, "note:") != 1 {
		t.Fatalf("limits list:\n%s\nwant a note for the limit of 0 alone", out)
	}
}
