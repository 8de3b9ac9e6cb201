package cli

import "testing"

// TestCreditsIDOfAnotherMembersRequestIsRefused: `credits transfer --id`
// with the id of a transfer someone else made is refused, even with the
// same flags: the member is not told that the admin's transfer is done (it
// is not theirs), nothing is written, and the words say the id was used
// and what to do (exit 6, a conflict). The same member's own retry with the
// same id still returns the first result.
func TestCreditsIDOfAnotherMembersRequestIsRefused(t *testing.T) {
	dir := teamWorkspace(t) // alice admin (user 1), bob member (user 2, PIN 1234)
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100", "--price", "0")
	admin("credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "20", "--op", "grant")
	move := []string{"credits", "transfer", "--op", "transfer", "--from", "user:2", "--to", "pool", "--amount", "5"}
	admin(append(move, "--id", "move-1")...)
	bob := func(args ...string) (int, string, string) {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", "1234")
		return runIn(t, "", append([]string{"--data-dir", dir, "--user", "bob"}, args...)...)
	}
	before := dbDump(t, dir)
	code, out, errs := bob(append(move, "--id", "move-1")...)
	const says = `meterdesk credits transfer: transfer move-1: idempotency id already used for another request: "move-1"; ` +
		"run it with another --id (or none, for a new random one)\n"
	if code != ExitConflict || out != "" || errs != says {
		t.Fatalf("bob replaying alice's id: exit %d %q %q; want %d and %q", code, out, errs, ExitConflict, says)
	}
	if dbDump(t, dir) != before {
		t.Fatal("the refused replay wrote something")
	}
	// bob's own give, and his own retry of it.
	code, first, errs := bob(append(move, "--id", "give-1")...)
	if code != 0 {
		t.Fatalf("bob's give: %d %s", code, errs)
	}
	if code, again, errs := bob(append(move, "--id", "give-1")...); code != 0 || again != first {
		t.Fatalf("bob's retry: %d %q %s; want %q", code, again, errs, first)
	}
}
