package cli

import (
	"strings"
	"testing"
)

// An archived department's account ends with it, as a removed member's
// wallet does: `departments archive` removes its auto-recharge rule (no
// longer in `alerts recharge list`) and ends its overdraft; `credits
// policy` then refuses a minimum balance, an overdraft or carry on it, and
// on a removed member's wallet, with the reason (exit 5, the owner is gone,
// as a credit to such an account is; it was exit 2, "invalid input: ...";
// nothing written); blocked is still accepted.
func TestCLIEndedAccountsKeepBlockedPolicy(t *testing.T) {
	dir := teamWorkspace(t) // bob is user 2, carol user 3; Research is dept:1, with a rule
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100", "--price", "0")
	admin("departments", "update", "1", "--overdraft", "10")
	admin("users", "update", "carol", "--funding", "wallet")
	admin("credits", "transfer", "--from", "pool", "--to", "user:3", "--amount", "30")
	admin("users", "remove", "carol")

	if out := admin("alerts", "recharge", "list"); !strings.Contains(out, "dept:1") {
		t.Fatalf("before the archive:\n%s", out)
	}
	admin("departments", "archive", "1")
	if out := admin("alerts", "recharge", "list"); strings.Contains(out, "dept:1") {
		t.Fatalf("the archived department's rule is still listed:\n%s", out)
	}
	if out := admin("credits", "balance", "dept:1"); !strings.Contains(out, "policy     blocked\n") {
		t.Fatalf("the archived department's account:\n%s", out)
	}

	before := dbDump(t, dir)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"user:3", "--kind", "minimum", "--limit", "30"},
			"user:3 cannot take the minimum policy: carol was removed, and their wallet keeps the blocked policy"},
		{[]string{"user:3", "--kind", "overdraft", "--limit", "50"},
			"user:3 cannot take the overdraft policy: carol was removed"},
		{[]string{"dept:1", "--kind", "overdraft", "--limit", "10"},
			"dept:1 cannot take the overdraft policy: the Research department is archived, and its account keeps the blocked policy"},
		{[]string{"dept:1", "--kind", "carry"}, "the Research department is archived"},
	} {
		code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice", "credits", "policy"}, c.args...)...)
		if code != ExitNotFound || out != "" || !strings.Contains(errs, c.want) ||
			strings.Contains(errs, "invalid input:") || strings.Contains(errs, "not found:") {
			t.Errorf("credits policy %v: exit %d: %s", c.args, code, errs)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused policy wrote something")
	}
	// All of carol's credits still go back to the pool; blocked is accepted.
	admin("credits", "transfer", "--op", "transfer", "--from", "user:3", "--to", "pool", "--amount", "30")
	admin("credits", "policy", "user:3", "--kind", "blocked")
	admin("credits", "policy", "user:2", "--kind", "minimum", "--limit", "5") // bob is still a member
	admin("credits", "verify")
}
