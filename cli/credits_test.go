package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"meterdesk/backend/ledger"
	"meterdesk/backend/providers/fake"
)

func TestCreditsCommands(t *testing.T) {
	dir := newDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	code, out, errs := run(t, d("--json", "credits", "packages")...)
	var pkgs []struct {
		ID      int64
		Credits string
		Price   string
	}
	if code != 0 || json.Unmarshal([]byte(out), &pkgs) != nil || len(pkgs) != 5 || pkgs[0].Credits != "1000" || pkgs[0].Price != "10.00" {
		t.Fatalf("packages: %d %s %s", code, out, errs)
	}
	if code, out, errs := run(t, d("credits", "topup", "--package", "2", "--tax", "0.19", "--id", "t1")...); code != 0 || !strings.Contains(out, "5,000.00 credits for 50.00 EUR") {
		t.Fatalf("topup package: %d %q %q", code, out, errs)
	}
	// The same id again returns the first result instead of topping up twice.
	if code, _, errs := run(t, d("credits", "topup", "--package", "2", "--tax", "0.19", "--id", "t1")...); code != 0 {
		t.Fatalf("topup retry: %d %s", code, errs)
	}
	if code, _, errs := run(t, d("credits", "topup", "--amount", "0.0000025", "--price", "0.01")...); code != 0 {
		t.Fatalf("topup custom: %d %s", code, errs)
	}
	code, out, _ = run(t, d("--json", "credits", "balance")...)
	var bal struct{ Account, Balance, Available string }
	if code != 0 || json.Unmarshal([]byte(out), &bal) != nil || bal.Account != "pool" || bal.Balance != "5000.0000025" {
		t.Fatalf("balance: %d %s", code, out)
	}
	code, out, _ = run(t, d("credits", "history", "--op", "topup", "--limit", "1")...)
	if code != 0 || !strings.Contains(out, "0.0000025") || !strings.Contains(out, "more: --before") {
		t.Fatalf("history: %d\n%s", code, out)
	}
	if code, out, _ := run(t, d("credits", "verify")...); code != 0 || !strings.Contains(out, "ledger ok") {
		t.Fatalf("verify: %d %s", code, out)
	}
	for name, args := range map[string][]string{
		"NaN amount":      {"credits", "topup", "--amount", "NaN"},
		"negative amount": {"credits", "topup", "--amount", "-5"},
		"over-precise":    {"credits", "topup", "--amount", "0.0000000001"},
		"unknown account": {"credits", "balance", "user:99"},
		"malformed":       {"credits", "balance", "bank"},
		"id conflict":     {"credits", "topup", "--package", "3", "--id", "t1"},
		"insufficient":    {"credits", "transfer", "--from", "pool", "--to", "sys:adjust", "--amount", "999999", "--op", "adjustment"},
		"bad policy":      {"credits", "policy", "pool", "--kind", "lenient"},
		"both or neither": {"credits", "topup"},
		"unknown sub":     {"credits", "steal"},
		"negative limit":  {"credits", "history", "--limit", "-3"},
		"negative cursor": {"credits", "history", "--before", "-1"},
	} {
		if code, _, _ := run(t, d(args...)...); code == 0 {
			t.Errorf("%s: exit 0", name)
		}
	}
	code, out, _ = run(t, d("--json", "credits", "balance")...)
	if code != 0 || !strings.Contains(out, `"balance": "5000.0000025"`) {
		t.Fatalf("a rejected command changed the balance: %s", out)
	}
}

// TestAmountsPriceAndCreditValueOneRule: --amount, --price and
// --credit-value are typed by one rule (money.CheckPlain): a leading '+' is
// refused everywhere ("write it without a '+' sign"), a comma everywhere
// with "use a point for decimals"; nothing is written.
func TestAmountsPriceAndCreditValueOneRule(t *testing.T) {
	dir := teamWorkspace(t)
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	before := dbDump(t, dir)
	const plus, comma = "write it without a '+' sign", "use a point for decimals (1.5)"
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"credits", "topup", "--amount", "+10", "--price", "1"}, `"+10": not a decimal number: ` + plus},
		{[]string{"credits", "topup", "--amount", "10", "--price", "+10"}, `price "+10": not a decimal number: ` + plus},
		{[]string{"credits", "topup", "--amount", "1,5", "--price", "1"}, `"1,5": not a decimal number: ` + comma},
		{[]string{"credits", "topup", "--amount", "10", "--price", "1,5"}, `price "1,5": not a decimal number: ` + comma},
		{[]string{"credits", "topup", "--amount", "10", "--price", "-1"}, `price -1 is negative`},
		{[]string{"credits", "value", "--set", "+0.01", "--currency", "EUR"}, `credit value "+0.01" must be a positive decimal with at most 12 decimal places (write it without a '+' sign)`},
		{[]string{"workspace", "update", "--credit-value", "+0.01"}, `(write it without a '+' sign)`},
		{[]string{"workspace", "update", "--credit-value", "0,01"}, `(use a point for decimals (1.5)`},
		{[]string{"departments", "allocate", "1", "+5"}, plus},
		{[]string{"limits", "set", "bob", "daily", "+5"}, plus},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(errs, c.says) {
			t.Errorf("%v: exit %d %q; want 2 and %q", c.args, code, errs, c.says)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused amount was written")
	}
}

// The history shows a top-up's and a move's note, times in the workspace's
// zone (named in the header), filters by member with --member (--user is
// the global sign-in); commands that take flags only refuse a stray
// argument with exit 2 and write nothing.
func TestCreditsHistoryNotesMemberFilterAndStrayArguments(t *testing.T) {
	dir := teamWorkspace(t) // Europe/Berlin; bob is user 2
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100", "--price", "0", "--note", "March budget")
	admin("credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "5", "--op", "grant")
	out := admin("credits", "history")
	if !strings.Contains(out, "TIME (Europe/Berlin)") || !strings.Contains(out, "March budget") {
		t.Fatalf("history:\n%s", out)
	}
	var page struct{ Items []struct{ To string } }
	if err := json.Unmarshal([]byte(admin("--json", "credits", "history", "--member", "2")), &page); err != nil {
		t.Fatal(err)
	}
	for _, it := range page.Items {
		if it.To != "user:2" {
			t.Fatalf("--member 2 listed a transfer to %s", it.To)
		}
	}
	before := dbDump(t, dir)
	for _, args := range [][]string{
		{"credits", "topup", "5", "--amount", "10", "--price", "0"},
		{"credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "1", "extra"},
		{"credits", "packages", "save", "--name", "X", "--credits", "1", "--price", "1", "oops"},
		{"credits", "history", "2"},
		{"credits", "value", "0.5"},
		{"credits", "validity", "6"},
		{"departments", "list", "Research"},
		{"invoice", "list", "2026"},
		{"settings", "list", "workspace.name"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code != 2 || !strings.Contains(errs, "argument") {
			t.Errorf("%v: exit %d (%q), want 2 naming the stray argument", args, code, errs)
		}
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"credits", "value", "--currency", "USD"}, 2},                   // --currency without --set
		{[]string{"credits", "transfer", "--to", "user:2", "--amount", "1"}, 2},  // no --from
		{[]string{"credits", "transfer", "--from", "pool", "--to", "user:2"}, 2}, // no --amount
		{[]string{"invoice", "credit-note", "1"}, 2},                             // no --reason
		{[]string{"invoice", "credit-note", "--reason", "typo"}, 2},              // no number
		{[]string{"invoice", "credit-note", "1", "2", "--reason", "typo"}, 2},    // two numbers
		{[]string{"credits", "validity", "--set", "-1"}, 2},                      // refused, not read as "not given"
	} {
		if code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, c.args...)...); code != c.code {
			t.Errorf("%v: exit %d (%q), want %d", c.args, code, errs, c.code)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused command wrote")
	}
	// A currency code is read in any case, as workspace setup reads it.
	if out := admin("credits", "topup", "--amount", "1", "--price", "0.5", "--currency", "eur"); !strings.Contains(out, "EUR") {
		t.Fatalf("topup with a lower-case currency: %q", out)
	}
}

// credits balance with no account shows the account the signed-in member's
// sends are charged to — the pool, their department's credits or their
// wallet — and says so: the account the window's header shows
// (core.Backend.MyBalance), for an admin as for a member.
func TestCreditsBalanceDefaultsToWhereSendsAreCharged(t *testing.T) {
	dir := teamWorkspace(t) // bob (user 2) is pool-funded
	admin := asAlice(t, dir)
	bob := func() string {
		t.Helper()
		t.Setenv("METERDESK_PASSWORD", "1234")
		defer t.Setenv("METERDESK_PASSWORD", "correct horse")
		code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "balance")
		if code != 0 {
			t.Fatalf("bob's balance: exit %d: %s", code, errs)
		}
		return out
	}
	if out := bob(); !strings.HasPrefix(out, "pool (the workspace pool, where your sends are charged)\n") {
		t.Fatalf("pool-funded bob:\n%s", out)
	}
	admin("users", "update", "bob", "--department", "1")
	if out := bob(); !strings.HasPrefix(out, "dept:1 (the Research department, where your sends are charged)\n") {
		t.Fatalf("bob in Research:\n%s", out)
	}
	admin("users", "update", "bob", "--funding", "wallet")
	if out := bob(); !strings.HasPrefix(out, "user:2 (your wallet, where your sends are charged)\n") {
		t.Fatalf("wallet-funded bob:\n%s", out)
	}
	// An admin's default follows her funding as the header does: the pool
	// without a department, her department's credits in one, her wallet.
	for _, c := range []struct {
		update []string
		want   string
	}{
		{nil, "pool (the workspace pool, where your sends are charged)\n"},
		{[]string{"--department", "1"}, "dept:1 (the Research department, where your sends are charged)\n"},
		{[]string{"--funding", "wallet"}, "user:1 (your wallet, where your sends are charged)\n"},
		{[]string{"--funding", "pool", "--department", "0"}, "pool (the workspace pool, where your sends are charged)\n"},
	} {
		if c.update != nil {
			admin(append([]string{"users", "update", "alice"}, c.update...)...)
		}
		if out := admin("credits", "balance"); !strings.HasPrefix(out, c.want) {
			t.Errorf("admin after %v:\n%s\nwant it to start %q", c.update, out, c.want)
		}
	}
	if out := admin("credits", "balance", "dept:1"); !strings.HasPrefix(out, "dept:1 (Research)\n") {
		t.Fatalf("named account:\n%s", out)
	}
}

// credits transfer's default op is grant (admin only): a member refused for
// it is told to give --op transfer, and nothing is written.
func TestCreditsTransferDefaultOpHintsTransferToMembers(t *testing.T) {
	dir := teamWorkspace(t) // bob (user 2), PIN 1234
	admin := asAlice(t, dir)
	admin("credits", "topup", "--amount", "100", "--price", "0")
	admin("credits", "transfer", "--from", "pool", "--to", "user:2", "--amount", "10")
	t.Setenv("METERDESK_PASSWORD", "1234")
	before := dbDump(t, dir)
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "transfer", "--from", "user:2", "--to", "user:3", "--amount", "1")
	if code != ExitRefused || !strings.Contains(errs, "admin only") || !strings.Contains(errs, "give --op transfer") {
		t.Fatalf("member, default op: exit %d %q", code, errs)
	}
	code, _, errs = runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "transfer", "--op", "adjustment", "--from", "user:2", "--to", "sys:adjust", "--amount", "1")
	if code != ExitRefused || strings.Contains(errs, "--op transfer") {
		t.Fatalf("member, --op adjustment given: exit %d %q (no hint: they chose the op)", code, errs)
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused transfer wrote")
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "transfer", "--op", "transfer", "--from", "user:2", "--to", "user:3", "--amount", "1"); code != 0 || !strings.Contains(out, "transfer 1.00: user:2 -> user:3") {
		t.Fatalf("member, --op transfer: exit %d %q %q", code, out, errs)
	}
	if !strings.Contains(admin("help", "credits"), "--op defaults to grant, admin only") {
		t.Fatal("help does not give the default op")
	}
}

// A member's credits transfer from their own wallet without --to lists where
// they may give credits, by the rule the Credits page offers them
// (team.Service.GiveTargets: the pool, their department, the other active
// members), and writes nothing; one from another account lists nothing.
func TestCreditsTransferWithoutToListsWhereAMemberMayGive(t *testing.T) {
	dir := teamWorkspace(t) // bob (user 2), PIN 1234; carol (user 3)
	t.Setenv("METERDESK_PASSWORD", "1234")
	before := dbDump(t, dir)
	for _, args := range [][]string{
		{"credits", "transfer", "--op", "transfer", "--from", "user:2", "--amount", "1"},
		{"credits", "transfer", "--op", "transfer", "--amount", "1"},
	} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "bob"}, args...)...)
		want := "meterdesk credits transfer: give --from, --to and --amount; from your wallet (--op transfer --from user:2) you may give to: " +
			"pool (Workspace pool), user:1 (alice), user:3 (carol)\n"
		if code != ExitUsage || !strings.HasPrefix(errs, want) {
			t.Fatalf("%v: exit %d\n%q\nwant %q", args, code, errs, want)
		}
	}
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "transfer", "--from", "pool", "--amount", "1"); code != ExitUsage ||
		strings.Contains(errs, "you may give") {
		t.Fatalf("from the pool: exit %d %q", code, errs)
	}
	if dbDump(t, dir) != before {
		t.Fatal("a transfer without --to wrote")
	}
}

// A chat charge (a posted hold) is usage: credits history --op usage lists
// it, as the Usage page does; --member takes a name as well as an id.
func TestCreditsHistoryUsageListsChatChargesAndMemberByName(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	defer srv.Close()
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	t.Setenv("METERDESK_API_KEY", "sk-test-0123456789")
	admin("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL())
	admin("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008", "--reasoning", "0.008")
	admin("credits", "topup", "--amount", "100", "--price", "0")
	t.Setenv("METERDESK_PASSWORD", "1234")
	if code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "chat", "--model", "gpt-4o", "Hello"); code != 0 {
		t.Fatalf("bob's chat: %d %q %q", code, out, errs)
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	usage := admin("credits", "history", "--op", "usage")
	if !strings.Contains(usage, "  Usage  ") || !strings.Contains(usage, "sys:usage") || !strings.Contains(usage, "gpt-4o") {
		t.Fatalf("--op usage lists no chat charge:\n%s", usage)
	}
	// The charge's OP reads as the window's Credits → History and Usage page say it (ledger.OpLabel), not its code.
	if strings.Contains(usage, "  post  ") {
		t.Fatalf("--op usage names the charge by its code:\n%s", usage)
	}
	byName := admin("credits", "history", "--op", "usage", "--member", "Bob")
	if byName != admin("credits", "history", "--op", "usage", "--member", "2") || !strings.Contains(byName, "gpt-4o") {
		t.Fatalf("--member Bob:\n%s", byName)
	}
	if out := admin("credits", "history", "--op", "usage", "--member", "carol"); strings.Contains(out, "gpt-4o") {
		t.Fatalf("--member carol lists bob's charge:\n%s", out)
	}
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "credits", "history", "--member", "nobody"); code != ExitNotFound || !strings.Contains(errs, "nobody") {
		t.Fatalf("--member nobody: exit %d %q", code, errs)
	}
}

// TestHistoryNoteSaysReservationsAreNotCharges: a send's hold and the void
// that releases it move no money; beside the usage charge they must
// not read as further debits.
func TestHistoryNoteSaysReservationsAreNotCharges(t *testing.T) {
	for _, tc := range []struct {
		t    ledger.Transfer
		want string
	}{
		{ledger.Transfer{Op: ledger.OpHold, Dims: ledger.Dims{Model: "gpt-4o"}, Status: "posted"}, "gpt-4o; reserved, then settled: not charged (the usage charge is what was taken)"},
		{ledger.Transfer{Op: ledger.OpHold, Dims: ledger.Dims{Model: "gpt-4o"}, Status: "voided"}, "gpt-4o; reserved, then released: not charged"},
		{ledger.Transfer{Op: ledger.OpHold, Dims: ledger.Dims{Model: "gpt-4o"}, Status: "pending"}, "gpt-4o; reserved while the reply is written: not charged yet"},
		{ledger.Transfer{Op: ledger.OpVoid, Dims: ledger.Dims{Model: "gpt-4o"}}, "gpt-4o; reservation released: not charged"},
		{ledger.Transfer{Op: ledger.OpPost, Dims: ledger.Dims{Model: "gpt-4o"}}, "gpt-4o"},
	} {
		if got := historyNote(tc.t); got != tc.want {
			t.Errorf("%s/%s: %q, want %q", tc.t.Op, tc.t.Status, got, tc.want)
		}
	}
}

// A member reads their own department's credits, not another's: `credits
// balance dept:N` of a department they are not in is refused (exit 3) with
// the reason, and nothing is written; an admin reads any.
func TestCreditsBalanceOfAnotherDepartmentIsRefused(t *testing.T) {
	dir := teamWorkspace(t) // bob (user 2), PIN 1234; Research is dept:1
	admin := asAlice(t, dir)
	admin("departments", "add", "Sales")
	admin("credits", "topup", "--amount", "100", "--price", "0")
	admin("credits", "transfer", "--from", "pool", "--to", "dept:2", "--amount", "7")
	admin("users", "update", "bob", "--department", "1")
	t.Setenv("METERDESK_PASSWORD", "1234")
	bob := func(args ...string) (int, string, string) {
		t.Helper()
		return runIn(t, "", append([]string{"--data-dir", dir, "--user", "bob"}, args...)...)
	}
	if code, out, errs := bob("credits", "balance", "dept:1"); code != 0 || !strings.HasPrefix(out, "dept:1 (Research") {
		t.Fatalf("bob reads his department: exit %d %q %q", code, out, errs)
	}
	before := dbDump(t, dir)
	for _, args := range [][]string{{"credits", "balance", "dept:2"}, {"--json", "credits", "balance", "dept:2"}} {
		code, out, errs := bob(args...)
		if code != ExitRefused || !strings.Contains(errs, "own department") || strings.Contains(out, "7") {
			t.Errorf("bob reads Sales (%v): exit %d %q %q", args, code, out, errs)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused read wrote")
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	if out := admin("credits", "balance", "dept:2"); !strings.Contains(out, "balance    7") {
		t.Fatalf("admin reads Sales:\n%s", out)
	}
}

// TestCreditsHistoryMemberNamesOnlyThemselves: a member's --member is
// themselves (by name, display name or id) or refused (exit 3), in the
// same words whether the member named exists or not: another member, a
// name nobody has and an id no member has read alike, so the answer does
// not tell which members exist. Before, --member carol was refused (3) but
// --member nobody and --member 999 were "no such member" (5). An admin is
// still told the member does not exist.
func TestCreditsHistoryMemberNamesOnlyThemselves(t *testing.T) {
	dir := teamWorkspace(t)
	t.Setenv("METERDESK_PASSWORD", "1234")
	var refusal string
	for _, who := range []string{"carol", "3", "nobody", "999", "Carol", "1"} {
		code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "history", "--member", who)
		if code != ExitRefused || out != "" || !strings.Contains(errs, "members see only their own transfers") || strings.Contains(errs, who) {
			t.Errorf("bob, --member %s: exit %d %q %q; want %d, refused", who, code, out, errs, ExitRefused)
		}
		if refusal == "" {
			refusal = errs
		} else if errs != refusal {
			t.Errorf("bob, --member %s: %q, want the same words as for carol: %q", who, errs, refusal)
		}
	}
	for _, self := range []string{"bob", "Bob", "2"} {
		if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "history", "--member", self); code != 0 {
			t.Errorf("bob, --member %s: exit %d %q", self, code, errs)
		}
	}
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "alice", "credits", "history", "--member", "999"); code != ExitNotFound {
		t.Errorf("alice, --member 999: exit %d %q, want %d", code, errs, ExitNotFound)
	}
}

// TestCreditsTopUpTaxPercent: `credits topup --tax 19%` is 19 %, recorded
// as 0.19, as the window's Tax rate field takes it (ledger.ParseTaxRate);
// a bare 19 is refused saying how 19% is written, nothing topped up.
func TestCreditsTopUpTaxPercent(t *testing.T) {
	dir := newDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	if code, out, errs := run(t, d("credits", "topup", "--package", "2", "--tax", "19")...); code == 0 || out != "" ||
		!strings.Contains(errs, `tax rate "19" must be a fraction from 0 to 1: for 19%, type 0.19 or 19%`) {
		t.Fatalf("topup --tax 19: %d %q %q", code, out, errs)
	}
	if code, out, errs := run(t, d("credits", "topup", "--package", "2", "--tax", "19%")...); code != 0 || !strings.Contains(out, "for 50.00 EUR net + 9.50 EUR tax (19 %) = 59.50 EUR\n") {
		t.Fatalf("topup --tax 19%%: %d %q %q", code, out, errs)
	}
	if code, out, _ := run(t, d("--json", "credits", "balance")...); code != 0 || !strings.Contains(out, `"5000"`) {
		t.Fatalf("balance after one top-up: %d %s", code, out)
	}
}

// A member's refused give from their own wallet reads as they see their
// accounts (team.Service.Transfer, the window's words too): "your wallet",
// never "insufficient funds: user:2 …", nor a transfer's random id; the exit
// code stays the refusal's class, and nothing is written. A give to an
// account the member may not give to lists where they may (it listed that
// only when --to was left out).
func TestCreditsTransferAMembersRefusedGiveNamesYourWallet(t *testing.T) {
	dir := teamWorkspace(t) // bob (user 2), PIN 1234; carol (user 3); Research (dept:1), not bob's
	t.Setenv("METERDESK_PASSWORD", "1234")
	before := dbDump(t, dir)
	const elsewhere = "credits from your wallet go only to the workspace pool, your department's credits or another active member's wallet, not to "
	// Where the member may give, listed as a transfer without --to lists
	// it (team.Service.GiveTargets, the Credits page's give form's list);
	// a refusal of a give to one of those places lists nothing.
	const mayGive = "; you may give to: pool (Workspace pool), user:1 (alice), user:3 (carol)"
	for _, c := range []struct {
		to   string
		code int
		want string
	}{
		{"user:3", ExitRefused, "your wallet is short by 1.00 credits: nothing in it can move now"},
		{"user:2", ExitUsage, "credits from your wallet cannot go to your wallet itself"},
		{"dept:1", ExitRefused, elsewhere + "dept:1" + mayGive},
		{"nope", ExitNotFound, elsewhere + "nope" + mayGive},
	} {
		code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "transfer", "--op", "transfer",
			"--from", "user:2", "--to", c.to, "--amount", "1")
		if want := "meterdesk credits transfer: " + c.want + "\n"; code != c.code || errs != want {
			t.Fatalf("give 1 to %s: exit %d\n%q\nwant exit %d\n%q", c.to, code, errs, c.code, want)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused give wrote")
	}
}

// TestCreditsTransferAGiveStopsAtMovable: bob's wallet of 5 credits with an
// overdraft of 10 says "5.00 credits can move now", yet `credits transfer`
// from it gave 12 and left it at -7. A give moves at most what can move:
// 12 and 5.000000001 are refused in the line's words (exit 3: refused),
// nothing written; 5 goes through and leaves the wallet at 0.
func TestCreditsTransferAGiveStopsAtMovable(t *testing.T) {
	dir := teamWorkspace(t) // bob is user 2
	t.Setenv("METERDESK_PASSWORD", "correct horse")
	for _, args := range [][]string{
		{"credits", "topup", "--account", "user:2", "--amount", "5", "--price", "0"},
		{"credits", "policy", "user:2", "--kind", "overdraft", "--limit", "10"},
	} {
		if code, out, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...); code != 0 {
			t.Fatalf("%v: exit %d %q %q", args, code, out, errs)
		}
	}
	t.Setenv("METERDESK_PASSWORD", "1234")
	give := func(amount string) (int, string, string) {
		return runIn(t, "", "--data-dir", dir, "--user", "bob", "credits", "transfer", "--op", "transfer",
			"--from", "user:2", "--to", "pool", "--amount", amount)
	}
	before := dbDump(t, dir)
	for _, c := range []struct{ amount, short string }{{"12", "7.00"}, {"5.000000001", "0.000000001"}} {
		code, out, errs := give(c.amount)
		want := "meterdesk credits transfer: your wallet is short by " + c.short + " credits: 5.00 credits can move now\n"
		if code != ExitRefused || out != "" || errs != want {
			t.Errorf("give %s: exit %d %q\n%q\nwant exit %d\n%q", c.amount, code, out, errs, ExitRefused, want)
		}
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused give wrote")
	}
	if code, out, errs := give("5"); code != 0 {
		t.Fatalf("give 5 of 5: exit %d %q %q", code, out, errs)
	}
	code, out, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "--json", "credits", "balance", "user:2")
	if code != 0 || !strings.Contains(out, `"balance": "0"`) {
		t.Fatalf("the wallet after giving 5: exit %d %s %s", code, out, errs)
	}
}
