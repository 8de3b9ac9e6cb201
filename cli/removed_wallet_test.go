package cli

import (
	"bytes"
	"strings"
	"testing"

	"meterdesk/backend/team"
)

// A removed member's wallet keeps no minimum balance: users remove
// --return-credits moves all of it back to the pool, and what a removal
// without it leaves can all be moved later; the auto-recharge rule of the
// wallet goes with the member (alerts recharge list).
func TestCLIRemovedWalletKeepsNoMinimum(t *testing.T) {
	dir := teamWorkspace(t) // bob is user 2, carol user 3
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "2000", "--price", "0")
	admin("users", "update", "bob", "--funding", "wallet", "--min-balance", "100")
	admin("users", "update", "carol", "--funding", "wallet", "--min-balance", "100")
	admin("credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "500")
	admin("credits", "transfer", "--from", "pool", "--to", "user:3", "--amount", "500")
	admin("alerts", "recharge", "set", "user:3", "--threshold", "5", "--amount", "10", "--cap", "100")

	out := admin("users", "remove", "bob", "--return-credits")
	if !strings.Contains(out, "500.00 credits moved from bob's wallet (user:2) back to the pool (transfer ") || strings.Contains(out, "stay in the wallet") {
		t.Fatalf("remove --return-credits:\n%s", out)
	}
	if out := admin("credits", "balance", "user:2"); !strings.Contains(out, "balance    0.00\n") || !strings.Contains(out, "policy     blocked\n") {
		t.Fatalf("bob's wallet:\n%s", out)
	}

	out = admin("users", "remove", "carol")
	if !strings.Contains(out, "carol was removed with a wallet (user:3) holding 500.00 credits") {
		t.Fatalf("remove:\n%s", out)
	}
	if out := admin("alerts", "recharge", "list"); strings.Contains(out, "user:3") || !strings.Contains(out, "dept:1") {
		t.Fatalf("the removed wallet's rule is still listed:\n%s", out)
	}
	// All of it moves, the 100 of the old minimum included.
	admin("credits", "transfer", "--op", "transfer", "--from", "user:3", "--to", "pool", "--amount", "400")
	out = admin("credits", "transfer", "--op", "transfer", "--from", "user:3", "--to", "pool", "--amount", "100")
	if !strings.Contains(out, "transfer 100.00: user:3 -> pool") {
		t.Fatalf("the old minimum:\n%s", out)
	}
	if out := admin("credits", "balance", "pool"); !strings.Contains(out, "balance    2,000.00\n") {
		t.Fatalf("pool:\n%s", out)
	}
	admin("credits", "verify")
}

// A removed member's debt can be settled, from the pool, up to what it
// owes: the removal says how; more is refused (exit 5, the member is gone,
// as for every refusal for a removed member or an archived department) with the reason and
// nothing written; the command it names settles it.
func TestCLIRemovedWalletDebtSettled(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100", "--price", "0")
	admin("users", "update", "carol", "--funding", "wallet")
	admin("credits", "policy", "user:3", "--kind", "overdraft", "--limit", "500")
	admin("credits", "transfer", "--op", "transfer", "--from", "user:3", "--to", "pool", "--amount", "18")

	out := admin("users", "remove", "carol")
	const settle = "meterdesk credits transfer --op transfer --from pool --to user:3 --amount 18"
	if !strings.Contains(out, "carol was removed with a wallet (user:3) that owes 18.00 credits; to settle it from the pool: "+settle+
		` (in the window: Credits, account "carol (removed) · wallet", Settle the debt)`) {
		t.Fatalf("remove:\n%s", out)
	}
	before := dbDump(t, dir)
	for _, args := range [][]string{
		{"credits", "transfer", "--from", "pool", "--to", "user:3", "--amount", "19"},
		{"credits", "transfer", "--op", "adjustment", "--from", "sys:adjust", "--to", "user:3", "--amount", "18.5"},
		{"credits", "topup", "--account", "user:3", "--amount", "20", "--price", "0"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code != ExitNotFound || !strings.Contains(errs, "carol was removed; only their wallet's debt may be settled, at most 18 credits") {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused credit wrote something")
	}
	admin(strings.Fields(strings.TrimPrefix(settle, "meterdesk "))...)
	if out := admin("credits", "balance", "user:3"); !strings.Contains(out, "balance    0.00\n") {
		t.Fatalf("carol's wallet:\n%s", out)
	}
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "credits", "transfer", "--from", "pool", "--to", "user:3", "--amount", "1")
	if code != ExitNotFound || !strings.Contains(errs, "their wallet owes nothing") {
		t.Fatalf("past the debt: exit %d: %s", code, errs)
	}
	admin("credits", "verify")
}

// A removal (or funding change) with --return-credits that could move
// nothing (all of the wallet reserved by a send still being settled, or
// its minimum balance) says so and how to move the credits later; it does
// not tell the admin to add the --return-credits they gave. (A pending
// send cannot be kept across the CLI's start, which voids holds left by a
// process that is gone, so the change is given as the backend returns it.)
func TestCLIReturnCreditsThatCouldMoveNothing(t *testing.T) {
	for _, c := range []struct {
		name   string
		status string
		how    string
		asked  bool
		want   string
	}{
		{"removed, asked", team.StatusRemoved, "was removed with", true,
			"bob was removed with a wallet (user:2) holding 30.00 credits (reserved for a send still being settled): none could move back to the pool now; " +
				"later: meterdesk credits transfer --op transfer --from user:2 --to pool --amount N (N: what 'meterdesk credits balance user:2' " +
				"shows available, without its commas)"},
		{"funding changed, asked", team.StatusActive, "stops paying from", true,
			"bob stops paying from a wallet (user:2) holding 30.00 credits (its minimum balance, or reserved for a send still being settled): none could move back"},
		{"removed, not asked", team.StatusRemoved, "was removed with", false,
			// the command keeps the canonical amount, as money.Parse reads it
			"holding 30.00 credits, which stay there: add --return-credits to move them back to the pool, " +
				"or later: meterdesk credits transfer --op transfer --from user:2 --to pool --amount 30\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out bytes.Buffer
			env := &Env{Out: &out, Err: &out}
			ch := team.MemberChange{Member: team.Member{ID: 2, Name: "bob", Status: c.status},
				Wallet: &team.WalletCredits{Account: "user:2", Balance: "30", Returned: "0", Left: "30"}}
			if err := printMemberChange(env, ch, c.how, c.asked); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), c.want) || c.asked && strings.Contains(out.String(), "add --return-credits") {
				t.Fatalf("printed:\n%s\nwant %q", out.String(), c.want)
			}
		})
	}
}

// TestCLIEndedAccountRefusalsAgree: credits for an account whose owner is
// gone (a removed member's wallet, an archived department's account) are
// refused with one exit code, 5 (not found: the owner is gone), whichever
// command asks: `credits transfer` and `credits topup` exited 2 (invalid
// input) where `departments allocate` to the same archived department
// exited 5, and `credits policy` on either account exited 2 ("invalid
// input: ..."). Nothing is written.
func TestCLIEndedAccountRefusalsAgree(t *testing.T) {
	dir := teamWorkspace(t) // carol is user 3, Research department 1
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100", "--price", "0")
	admin("departments", "add", "Legal") // department 2
	admin("departments", "archive", "2")
	admin("users", "remove", "carol")
	before := dbDump(t, dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"departments", "allocate", "2", "5"}, "the Legal department is archived"},
		{[]string{"departments", "move", "pool", "2", "5"}, "the Legal department is archived"},
		{[]string{"credits", "transfer", "--from", "pool", "--to", "dept:2", "--amount", "5"}, "the Legal department is archived, and its account owes nothing"},
		{[]string{"credits", "transfer", "--op", "transfer", "--from", "pool", "--to", "dept:2", "--amount", "5"}, "the Legal department is archived, and its account owes nothing"},
		{[]string{"credits", "topup", "--account", "dept:2", "--amount", "5", "--price", "0"}, "the Legal department is archived, and its account owes nothing"},
		{[]string{"credits", "transfer", "--from", "pool", "--to", "user:3", "--amount", "5"}, "carol was removed, and their wallet owes nothing"},
		{[]string{"credits", "topup", "--account", "user:3", "--amount", "5", "--price", "0"}, "carol was removed, and their wallet owes nothing"},
		{[]string{"credits", "policy", "dept:2", "--kind", "overdraft", "--limit", "5"}, "dept:2 cannot take the overdraft policy: the Legal department is archived"},
		{[]string{"credits", "policy", "user:3", "--kind", "minimum", "--limit", "1"}, "user:3 cannot take the minimum policy: carol was removed"},
	} {
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		if code != ExitNotFound || out != "" || !strings.Contains(errs, c.want) ||
			strings.Contains(errs, "not found:") || strings.Contains(errs, "invalid input:") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, errs, ExitNotFound, c.want)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused credit wrote something")
	}
}
