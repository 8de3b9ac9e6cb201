package cli

import (
	"strings"
	"testing"
)

// users remove and users update --funding pool say what the member's wallet
// holds and where it stays; --return-credits moves it back to the pool in
// the same operation; --return-credits elsewhere is refused with nothing
// written.
func TestCLIUsersReturnWalletCredits(t *testing.T) {
	dir := teamWorkspace(t) // bob is user 2, carol user 3
	admin := asAlice(t, dir)
	admin("users", "update", "bob", "--funding", "wallet")
	admin("users", "update", "carol", "--funding", "wallet")
	admin("credits", "transfer", "--op", "grant", "--from", "sys:adjust", "--to", "user:2", "--amount", "50")
	admin("credits", "transfer", "--op", "grant", "--from", "sys:adjust", "--to", "user:3", "--amount", "20")

	// Refused: the flag on another command, or on an update that keeps the wallet in use.
	before := dbDump(t, dir)
	for _, args := range [][]string{
		{"users", "disable", "carol", "--return-credits"},
		{"users", "update", "carol", "--display", "Carol", "--return-credits"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code == 0 || !(strings.Contains(errs, "--return-credits goes with") || strings.Contains(errs, "credits go back to the pool only when carol stops paying")) {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused command wrote")
	}

	// Without the flag: the balance is named, and stays.
	out := admin("users", "remove", "bob")
	if !strings.Contains(out, "bob was removed with a wallet (user:2) holding 50.00 credits, which stay there") ||
		!strings.Contains(out, "--return-credits") || !strings.Contains(out, "credits transfer --op transfer --from user:2 --to pool --amount 50") {
		t.Fatalf("remove without returning:\n%s", out)
	}
	if out := admin("credits", "balance", "user:2"); !strings.Contains(out, "balance    50.00\n") {
		t.Fatalf("bob's wallet after the removal:\n%s", out)
	}
	// With it: moved back to the pool, in the same command.
	out = admin("users", "update", "carol", "--funding", "pool", "--return-credits")
	if !strings.Contains(out, "20.00 credits moved from carol's wallet (user:3) back to the pool (transfer ") {
		t.Fatalf("funding change with returning:\n%s", out)
	}
	if out := admin("credits", "balance", "user:3"); !strings.Contains(out, "balance    0.00\n") {
		t.Fatalf("carol's wallet:\n%s", out)
	}
	if out := admin("credits", "balance", "pool"); !strings.Contains(out, "balance    20.00\n") {
		t.Fatalf("pool:\n%s", out)
	}
	if out := admin("audit", "list", "--action", "credits.transfer", "--json"); !strings.Contains(out, `"from": "user:3"`) {
		t.Fatalf("the return is not in the audit log:\n%s", out)
	}
}
