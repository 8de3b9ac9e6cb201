package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/team"
)

// TestCreditsTransferFundsAWallet: an admin gives a wallet-funded member
// credits from the pool in the window (Credits.Transfer, a ledger transfer);
// the member cannot take from the pool, and a retry moves nothing twice.
func TestCreditsTransferFundsAWallet(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	lee, err := b.Team.AddMember(alice, team.NewMember{Name: "lee", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234",
		Funding: team.FundWallet})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: decimal.RequireFromString("100"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	c := &Credits{app: a}
	wallet := ledger.UserAccount(lee.ID)
	in := TransferInput{ID: "give-1", From: ledger.AccountPool, To: wallet, Amount: "12.5"}
	for range 2 {
		tr, err := c.Transfer(in)
		if err != nil || tr.Op != ledger.OpTransfer || tr.From != "pool" || tr.To != wallet || tr.Amount.String() != "12.5" || tr.Source != "ui" {
			t.Fatalf("give: %+v %v", tr, err)
		}
	}
	for acct, want := range map[string]string{wallet: "12.5", ledger.AccountPool: "87.5"} {
		if bal, err := c.Balance(acct); err != nil || bal.Available.String() != want {
			t.Fatalf("%s: %+v %v, want %s", acct, bal, err, want)
		}
	}
	if _, err := c.Transfer(TransferInput{ID: "give-2", From: ledger.AccountPool, To: wallet, Amount: "1e3"}); err == nil {
		t.Fatal("an amount with an exponent was accepted")
	}

	member, err := b.Team.Authenticate(context.Background(), "lee", "1234")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(member)
	if _, err := c.Transfer(TransferInput{ID: "take-1", From: ledger.AccountPool, To: wallet, Amount: "5"}); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("a member taking from the pool: %v, want ErrForbidden", err)
	}
}

// TestMyBalanceNamesThePayer: the header's balance comes with the account it
// is of (the pool, the member's department by name, their own wallet), and
// the name follows when an admin changes the member's funding.
func TestMyBalanceNamesThePayer(t *testing.T) {
	a, b := openApp(t)
	alice := setUp(t, b)
	research, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(name, funding string, dept int64) access.Actor {
		m, err := b.Team.AddMember(alice, team.NewMember{Name: name, Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234",
			Funding: funding, DepartmentID: dept})
		if err != nil {
			t.Fatal(err)
		}
		return access.Actor{UserID: m.ID, Name: m.Name, Role: m.Role}
	}
	rita, wanda := add("rita", team.FundPool, research.ID), add("wanda", team.FundWallet, 0)
	for acct, credits := range map[string]string{ledger.AccountPool: "123", research.Account: "45", ledger.UserAccount(wanda.UserID): "10"} {
		if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t-" + acct, Account: acct, Credits: decimal.RequireFromString(credits),
			Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
			t.Fatal(err)
		}
	}
	admin, _ := access.FromContext(alice)
	c := &Credits{app: a}
	for _, tc := range []struct {
		who   string
		actor access.Actor
		want  PayerBalance
	}{
		{"an admin without a department", admin, PayerBalance{Account: "pool", Kind: team.PayerPool, Available: "123"}},
		{"a member of Research paid by the organisation", rita, PayerBalance{Account: research.Account, Kind: team.PayerDepartment, Name: "Research", AccountName: "Research department's credits", Available: "45"}},
		{"a member paid by her wallet", wanda, PayerBalance{Account: ledger.UserAccount(wanda.UserID), Kind: team.PayerWallet, Available: "10"}},
	} {
		a.SetActor(tc.actor)
		if got, err := c.MyBalance(); err != nil || got != tc.want {
			t.Errorf("%s: %+v %v, want %+v", tc.who, got, err, tc.want)
		}
	}

	if _, err := b.Team.UpdateMember(alice, rita.UserID, team.MemberUpdate{Role: access.RoleMember, Funding: team.FundWallet,
		DepartmentID: research.ID, MinBalance: "0"}); err != nil {
		t.Fatal(err)
	}
	a.SetActor(rita)
	want := PayerBalance{Account: ledger.UserAccount(rita.UserID), Kind: team.PayerWallet, Available: "0"}
	if got, err := c.MyBalance(); err != nil || got != want {
		t.Errorf("rita after her funding changed: %+v %v, want %+v", got, err, want)
	}
}

// TestTaxRateProblemIsTheTopUpsOwnRefusal: the top-up form's hint under its
// Tax rate field (Credits.TaxRateProblem) is what TopUp would refuse the rate
// with, in the words the window shows for that refusal (FormatError's
// reason), and "" for a rate TopUp takes; signed out, it answers nothing.
func TestTaxRateProblemIsTheTopUpsOwnRefusal(t *testing.T) {
	a, _, _, _ := adminApp(t)
	c := &Credits{app: a}
	for _, tc := range []struct{ typed, want string }{
		{"", ""}, {"0.19", ""}, {"19%", ""}, {"7.5 %", ""}, {"1", ""}, {"0%", ""},
		{"19", `Tax rate "19" must be a fraction from 0 to 1: for 19%, type 0.19 or 19%`},
		// The form's own copy of the rule hinted "for 19%, type 0.19 or 19%" here; the backend refuses the sign.
		{"+19", `Tax rate "+19" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction: write it without a '+' sign`},
		{"7.5", `Tax rate "7.5" must be a fraction from 0 to 1: for 7.5%, type 0.075 or 7.5%`},
		{"abc", `Tax rate "abc" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction`},
		{"19.12345", `Tax rate "19.12345" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction`},
		{"150%", `Tax rate "150%" must be a fraction from 0 to 1 (e.g. 0.19) or a percent from 0% to 100% (e.g. 19%), with at most 6 decimal places as a fraction`},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			id := fmt.Sprintf("tax-%x", tc.typed)
			got, err := c.TaxRateProblem(tc.typed)
			if err != nil || got != tc.want {
				t.Fatalf("TaxRateProblem(%q) = %q, %v; want %q", tc.typed, got, err, tc.want)
			}
			// The same words as TopUp's refusal shows in the window, and nothing written.
			_, err = c.TopUp(TopUpInput{ID: id, Amount: "10", Price: "0", TaxRate: tc.typed})
			if tc.want == "" {
				if err != nil {
					t.Fatalf("TopUp with tax rate %q: %v, want it taken", tc.typed, err)
				}
				return
			}
			r, ok := FormatError(err).(RefusalError)
			if !ok || r.Reason != tc.want {
				t.Fatalf("TopUp with tax rate %q refused with %#v, want the reason %q", tc.typed, FormatError(err), tc.want)
			}
		})
	}
	a.SignOut()
	if got, err := c.TaxRateProblem("19"); !errors.Is(err, access.ErrUnauthenticated) || got != "" {
		t.Fatalf("signed out: %q, %v; want %v", got, err, access.ErrUnauthenticated)
	}
}

var updateTopUpProblems = flag.Bool("update-topup-problems", false, "rewrite testdata/topup_problems.json")

// topUpProblemsFile is the table the window's tests answer Credits.AmountProblem
// and PriceProblem from (frontend/src/test/fakeBridge.ts topUpProblems): each
// text as typed in the top-up form's Credits or Price field (a credit worth
// 0.01 EUR) and the backend's words for it, made here from the real rules.
const topUpProblemsFile = "testdata/topup_problems.json"

// TestTopUpAmountAndPriceProblemsAreTheTopUpsOwnRefusals: the top-up form's
// hints under its Credits and Price fields (Credits.AmountProblem,
// PriceProblem) are what TopUp would refuse the typed text with, in the words
// the window shows for that refusal (FormatError's reason), which are those
// `meterdesk credits topup --amount/--price` prints after its operation and
// kind; "" for what TopUp takes, and nothing refused is written. The window
// said its own words ("Use digits …", "At most 9 decimal places." for a EUR
// price) and let "1.005" EUR through to be refused only after Top up.
// testdata/topup_problems.json is the window's tests' table: go test ./app
// -run TestTopUpAmountAndPriceProblemsAreTheTopUpsOwnRefusals
// -update-topup-problems rewrites it.
func TestTopUpAmountAndPriceProblemsAreTheTopUpsOwnRefusals(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	c := &Credits{app: a}
	type row struct {
		Field   string `json:"field"` // "amount" (the Credits field) or "price"
		Typed   string `json:"typed"`
		Problem string `json:"problem"`
	}
	rows := []row{
		{"amount", "2500", ""}, {"amount", "2500.5", ""}, {"amount", "12.3456789", ""}, {"amount", "100", ""}, {"amount", " 10 ", ""},
		{"amount", "0.000000001", ""},
		// Nothing typed: an empty field's press asks too (the window had its own "Enter an amount.").
		{"amount", "", "Enter an amount"}, {"amount", "  ", "Enter an amount"},
		// As typed in the Credits page's give, move back and settle fields by the window's tests.
		{"amount", "5", ""}, {"amount", " 5 ", ""}, {"amount", "2.5", ""}, {"amount", "18", ""}, {"amount", "19", ""}, {"amount", "25", ""},
		{"amount", "1.1234567891", `"1.1234567891": more than 9 decimal places`},
		{"amount", "abc", `"abc": not a decimal number`},
		{"amount", "1,5", `"1,5": not a decimal number: use a point for decimals (1.5), and no thousands separators`},
		{"amount", "2,5", `"2,5": not a decimal number: use a point for decimals (1.5), and no thousands separators`},
		{"amount", "10,000", `"10,000": not a decimal number: use a point for decimals (1.5), and no thousands separators`},
		{"amount", "1,250.50", `"1,250.50": not a decimal number: use a point for decimals (1.5), and no thousands separators`},
		{"amount", "+10", `"+10": not a decimal number: write it without a '+' sign`},
		{"amount", "1e3", `"1e3": not a decimal number`},
		{"amount", "-1", "Amount -1 is negative"}, {"amount", "-3", "Amount -3 is negative"},
		{"amount", "0", "Amount must be greater than zero"},
		{"amount", "1.0000000001", `"1.0000000001": more than 9 decimal places`},
		{"price", "0", ""}, {"price", "12.50", ""}, {"price", "0.12", ""}, {"price", " 0.12 ", ""}, {"price", "1.000", ""},
		{"price", "abc", `Price "abc": not a decimal number`},
		{"price", " abc ", `Price "abc": not a decimal number`},
		{"price", "1,5", `Price "1,5": not a decimal number: use a point for decimals (1.5), and no thousands separators`},
		{"price", "+1", `Price "+1": not a decimal number: write it without a '+' sign`},
		{"price", "-1", "Price -1 is negative"},
		{"price", "1.005", "Price 1.005 EUR has more than 2 decimal places"},
		{"price", "1.0000000001", "Price 1.0000000001 EUR has more than 2 decimal places"},
		{"price", "10000000000000000", "Price 10000000000000000 EUR is too large"},
	}
	taken := 0
	for i, r := range rows {
		t.Run(fmt.Sprintf("%s/%q", r.Field, r.Typed), func(t *testing.T) {
			ask, in := c.AmountProblem, TopUpInput{ID: fmt.Sprintf("row-%d", i), Amount: r.Typed, Price: "1"}
			if r.Field == "price" {
				ask, in = c.PriceProblem, TopUpInput{ID: fmt.Sprintf("row-%d", i), Amount: "10", Price: r.Typed}
			}
			got, err := ask(r.Typed)
			if err != nil || got != r.Problem {
				t.Fatalf("%s problem of %q = %q, %v; want %q", r.Field, r.Typed, got, err, r.Problem)
			}
			if r.Typed == "" {
				return // no custom amount to TopUp (a package's top-up): the form asks AmountProblem before it sends
			}
			// The window's Top up and the CLI's topup refuse it with the same words, or take it.
			_, err = c.TopUp(in)
			_, cliErr := b.TopUp(alice, ledger.TopUpRequest{ID: in.ID + "-cli", Account: ledger.AccountPool, Amount: in.Amount,
				Price: in.Price, Source: "cli"})
			if r.Problem == "" {
				if err != nil || cliErr != nil {
					t.Fatalf("top-up of %q for %q: window %v, CLI %v; want it taken", in.Amount, in.Price, err, cliErr)
				}
				taken += 2
				return
			}
			if f, ok := FormatError(err).(RefusalError); !ok || f.Reason != r.Problem {
				t.Fatalf("window's TopUp refused %q for %q with %#v, want the reason %q", in.Amount, in.Price, FormatError(err), r.Problem)
			}
			if cliErr == nil || !strings.HasSuffix(strings.ToLower(cliErr.Error()), ": "+strings.ToLower(r.Problem)) {
				t.Fatalf("CLI's topup refused %q for %q with %v, want it to end in %q", in.Amount, in.Price, cliErr, r.Problem)
			}
		})
	}
	if got, err := c.PriceProblem(""); err != nil || got != "" {
		t.Fatalf("no price: %q, %v; want none", got, err)
	}
	// Nothing refused was written.
	p, err := b.Ledger.History(alice, ledger.Filter{Ops: []string{ledger.OpTopUp}, Limit: 100})
	if err != nil || len(p.Items) != taken {
		t.Fatalf("top-ups written: %d, %v; want the %d taken", len(p.Items), err, taken)
	}

	var out bytes.Buffer
	out.WriteString("[\n")
	for i, r := range rows {
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 {
			out.WriteString(",\n")
		}
		out.WriteString("  ")
		out.Write(j)
	}
	out.WriteString("\n]\n")
	if *updateTopUpProblems {
		if err := os.WriteFile(topUpProblemsFile, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if have, err := os.ReadFile(topUpProblemsFile); err != nil || !bytes.Equal(have, out.Bytes()) {
		t.Fatalf("%s is not the top-up's words (%v): run go test ./app -run TestTopUpAmountAndPriceProblemsAreTheTopUpsOwnRefusals -update-topup-problems", topUpProblemsFile, err)
	}

	// A price is read in the currency a credit is valued in, as TopUp reads it.
	if err := b.Ledger.SetCreditValue(alice, ledger.CreditValue{Amount: "1", Currency: "JPY"}); err != nil {
		t.Fatal(err)
	}
	const jpy = "Price 10.5 JPY has more than 0 decimal places"
	if got, err := c.PriceProblem("10.5"); err != nil || got != jpy {
		t.Fatalf("PriceProblem in JPY: %q, %v; want %q", got, err, jpy)
	}
	if _, err := c.TopUp(TopUpInput{ID: "jpy", Amount: "10", Price: "10.5"}); err == nil || FormatError(err).(RefusalError).Reason != jpy {
		t.Fatalf("TopUp in JPY: %v; want %q", err, jpy)
	}
	a.SignOut()
	for _, ask := range []func(string) (string, error){c.AmountProblem, c.PriceProblem} {
		if got, err := ask("abc"); !errors.Is(err, access.ErrUnauthenticated) || got != "" {
			t.Fatalf("signed out: %q, %v; want %v", got, err, access.ErrUnauthenticated)
		}
	}
}

// TestTransferRefusesAnAmountAsAmountProblemSaysIt: the Credits page's give,
// move back and settle fields (and "Give credits from your wallet") say
// Credits.AmountProblem's words as typed, the table the window's tests
// answer it from (testdata/topup_problems.json): Credits.Transfer takes what
// it takes and refuses the rest with those words as the window shows them
// (FormatError's reason), without the transfer's random id, and writes
// nothing for a refusal.
func TestTransferRefusesAnAmountAsAmountProblemSaysIt(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	c := &Credits{app: a}
	research, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.TopUp(TopUpInput{ID: "fund", Amount: "100000", Price: "0"}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(topUpProblemsFile)
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct{ Field, Typed, Problem string }
	if err := json.Unmarshal(raw, &rows); err != nil {
		t.Fatal(err)
	}
	to := ledger.DeptAccount(research.ID)
	taken := 0
	for i, r := range rows {
		if r.Field != "amount" {
			continue
		}
		if got, err := c.AmountProblem(r.Typed); err != nil || got != r.Problem {
			t.Fatalf("AmountProblem(%q) = %q, %v; want %q", r.Typed, got, err, r.Problem)
		}
		_, err := c.Transfer(TransferInput{ID: fmt.Sprintf("give-%d", i), From: ledger.AccountPool, To: to, Amount: r.Typed})
		if r.Problem == "" {
			if err != nil {
				t.Fatalf("Transfer of %q: %v; want it taken", r.Typed, err)
			}
			taken++
			continue
		}
		f, ok := FormatError(err).(RefusalError)
		if !ok || f.Reason != r.Problem || strings.Contains(f.Message, "give-") {
			t.Fatalf("Transfer of %q refused with %#v, want the reason %q and no transfer id", r.Typed, FormatError(err), r.Problem)
		}
	}
	p, err := b.Ledger.History(alice, ledger.Filter{Account: to, Limit: 100})
	if err != nil || len(p.Items) != taken {
		t.Fatalf("transfers written: %d, %v; want the %d taken", len(p.Items), err, taken)
	}
}

// TestMemberGivesFromTheirWallet: Credits → "Give credits from your wallet".
// A member is offered, by name, the pool, their own department's credits and
// the other active members' wallets (Credits.GiveTargets), never another
// department, a disabled or a removed member, nor
// themselves; a give through Credits.Transfer moves exactly what was asked,
// and each bad amount or target is refused in words with nothing written.
func TestMemberGivesFromTheirWallet(t *testing.T) {
	a, b, alice, admin := adminApp(t)
	research, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	sales, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(name, display, funding string, dept int64) team.Member {
		m, err := b.Team.AddMember(alice, team.NewMember{Name: name, DisplayName: display, Role: access.RoleMember, SecretKind: team.SecretPIN,
			Secret: "1234", Funding: funding, DepartmentID: dept})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	lee := add("lee", "Lee Park", team.FundWallet, research.ID)
	bob := add("bob", "Bob Martin", team.FundPool, 0)
	carol := add("carol", "", team.FundPool, sales.ID)
	dina := add("dina", "", team.FundPool, 0)
	rem := add("rem", "", team.FundPool, 0)
	if _, err := b.Team.DisableMember(alice, dina.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team.RemoveMember(alice, rem.ID); err != nil {
		t.Fatal(err)
	}
	wallet := ledger.UserAccount(lee.ID)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: wallet, Credits: decimal.RequireFromString("20"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.ChangePolicy(alice, wallet, ledger.Policy{Kind: ledger.PolicyMinimum, Limit: decimal.RequireFromString("3")}); err != nil {
		t.Fatal(err)
	}
	member, err := b.Team.Authenticate(context.Background(), "lee", "1234")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(member)
	c := &Credits{app: a}

	got, err := c.GiveTargets()
	if err != nil {
		t.Fatal(err)
	}
	want := []team.GiveTarget{
		{Account: "pool", Kind: team.GivePool, Name: "Workspace pool", Phrase: "the workspace pool"},
		{Account: research.Account, Kind: team.GiveDepartment, Name: "Research", Phrase: "the Research department's credits"},
		{Account: ledger.UserAccount(admin.UserID), Kind: team.GiveMember, Name: "alice", Phrase: "alice"},
		{Account: ledger.UserAccount(bob.ID), Kind: team.GiveMember, Name: "Bob Martin", Phrase: "Bob Martin"},
		{Account: ledger.UserAccount(carol.ID), Kind: team.GiveMember, Name: "carol", Phrase: "carol"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("give targets:\n got %v\nwant %v", got, want)
	}

	history := func() int {
		p, err := c.History(HistoryInput{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Items)
	}
	before := history()
	to := ledger.UserAccount(bob.ID)
	for _, bad := range []struct{ to, amount, words string }{
		{to, "0", "Amount must be greater than zero"},
		{to, "-1", "Amount -1 is negative"},
		{to, "1.1234567891", "decimal places"},
		{to, "17.01", "is short by 0.01 credits"}, // 17 can move: 3 stay
		{to, "", "Enter an amount"},               // ledger.ParseCredits: nothing typed
		{wallet, "1", "cannot go to your wallet itself"},
		{ledger.UserAccount(rem.ID), "1", "another active member's wallet, not to " + ledger.UserAccount(rem.ID)},
	} {
		_, err := c.Transfer(TransferInput{ID: "bad-" + bad.to + bad.amount, From: wallet, To: bad.to, Amount: bad.amount})
		if err == nil {
			t.Fatalf("give %q to %s: accepted", bad.amount, bad.to)
		}
		shown := FormatError(err)
		if r, ok := shown.(RefusalError); ok {
			shown = r.Reason
		}
		if s := fmt.Sprint(shown); !strings.Contains(s, bad.words) {
			t.Fatalf("give %q to %s: the window reads %q, want %q in it", bad.amount, bad.to, s, bad.words)
		}
	}
	if n := history(); n != before {
		t.Fatalf("refused gives wrote %d transfers", n-before)
	}

	tr, err := c.Transfer(TransferInput{ID: "give-bob", From: wallet, To: to, Amount: "5"})
	if err != nil || tr.Op != ledger.OpTransfer || tr.Amount.String() != "5" || tr.Source != "ui" {
		t.Fatalf("give 5 to bob: %+v %v", tr, err)
	}
	mine, err := c.Balance("")
	if err != nil || mine.Account != wallet || mine.Available.String() != "15" || mine.Movable.String() != "12" {
		t.Fatalf("lee's wallet after giving 5: %+v %v", mine, err)
	}
	a.SignOut()
	if _, err := c.GiveTargets(); err == nil {
		t.Fatal("give targets answered no one signed in")
	}
	if bal, err := b.Ledger.Balance(alice, to); err != nil || bal.Available.String() != "5" {
		t.Fatalf("bob's wallet: %+v %v", bal, err)
	}
}

// TestMemberGivesOnlyWhereGiveTargetsSays: the backend refuses, in words, a
// member's give from their wallet to an account Credits.GiveTargets does not
// offer them (another department, a disabled, removed or unknown member),
// whatever path sent it; nothing is written. An admin's transfers from their
// own wallet are unchanged, and a replay of an accepted give still answers.
func TestMemberGivesOnlyWhereGiveTargetsSays(t *testing.T) {
	a, b, alice, admin := adminApp(t)
	research, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	sales, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Sales"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(name string, dept int64) team.Member {
		m, err := b.Team.AddMember(alice, team.NewMember{Name: name, Role: access.RoleMember, SecretKind: team.SecretPIN,
			Secret: "1234", Funding: team.FundWallet, DepartmentID: dept})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	lee := add("lee", research.ID)
	bob := add("bob", 0)
	dina := add("dina", 0)
	rem := add("rem", 0)
	if _, err := b.Team.DisableMember(alice, dina.ID); err != nil {
		t.Fatal(err)
	}
	// rem leaves a debt behind, which an admin may settle; a member may not.
	remWallet := ledger.UserAccount(rem.ID)
	if _, err := b.Ledger.ChangePolicy(alice, remWallet, ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: decimal.RequireFromString("5")}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.Transfer(alice, ledger.TransferRequest{ID: "rem-debt", Op: ledger.OpTransfer, From: remWallet,
		To: ledger.AccountPool, Amount: decimal.RequireFromString("2")}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team.RemoveMember(alice, rem.ID); err != nil {
		t.Fatal(err)
	}
	wallet := ledger.UserAccount(lee.ID)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: wallet, Credits: decimal.RequireFromString("20"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	member, err := b.Team.Authenticate(context.Background(), "lee", "1234")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(member)
	c := &Credits{app: a}
	if _, err := c.Transfer(TransferInput{ID: "ok", From: wallet, To: ledger.UserAccount(bob.ID), Amount: "1"}); err != nil {
		t.Fatalf("give 1 to bob: %v", err)
	}
	for _, to := range []string{sales.Account, ledger.UserAccount(dina.ID), remWallet, "user:999", "dept:999"} {
		_, err := c.Transfer(TransferInput{ID: "bad-" + to, From: wallet, To: to, Amount: "1"})
		if !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("a member's give to %s: %v, want refused (forbidden)", to, err)
		}
		shown := fmt.Sprint(FormatError(err).(RefusalError).Reason)
		want := "Credits from your wallet go only to the workspace pool, your department's credits or another active member's wallet, not to " + to
		if shown != want {
			t.Fatalf("a member's give to %s reads %q, want %q", to, shown, want)
		}
	}
	if _, err := c.Transfer(TransferInput{ID: "ok", From: wallet, To: ledger.UserAccount(bob.ID), Amount: "1"}); err != nil {
		t.Fatalf("the accepted give again (a double click): %v", err)
	}
	bal, err := b.Ledger.Balance(alice, wallet)
	if err != nil || bal.Available.String() != "19" {
		t.Fatalf("lee's wallet after refused gives: %+v %v", bal, err)
	}
	for _, code := range []string{sales.Account, ledger.UserAccount(dina.ID)} {
		if bal, err := b.Ledger.Balance(alice, code); err == nil && !bal.Available.IsZero() {
			t.Fatalf("%s took a refused give: %+v", code, bal)
		}
	}
	// An admin gives from their own wallet to any account, as before.
	mine := ledger.UserAccount(admin.UserID)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t2", Account: mine, Credits: decimal.RequireFromString("10"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	a.SetActor(admin)
	for _, to := range []string{sales.Account, ledger.UserAccount(dina.ID), remWallet} {
		if _, err := c.Transfer(TransferInput{ID: "admin-" + to, From: mine, To: to, Amount: "1"}); err != nil {
			t.Fatalf("an admin's transfer to %s: %v", to, err)
		}
	}
}

// TestAMembersRefusedGiveReadsAsTheyKnowTheirWallet: the card's refusals
// name "your wallet" and what can move, as the CLI's do
// (team.Service.Transfer), with the refusal's code kept and nothing written.
func TestAMembersRefusedGiveReadsAsTheyKnowTheirWallet(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	add := func(name string) team.Member {
		m, err := b.Team.AddMember(alice, team.NewMember{Name: name, Role: access.RoleMember, SecretKind: team.SecretPIN,
			Secret: "1234", Funding: team.FundWallet})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	lee, bob := add("lee"), add("bob")
	wallet := ledger.UserAccount(lee.ID)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: wallet, Credits: decimal.RequireFromString("20"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.ChangePolicy(alice, wallet, ledger.Policy{Kind: ledger.PolicyMinimum, Limit: decimal.RequireFromString("3")}); err != nil {
		t.Fatal(err)
	}
	member, err := b.Team.Authenticate(context.Background(), "lee", "1234")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(member)
	c := &Credits{app: a}
	for _, bad := range []struct {
		to, amount, reason string
		kind               error // the refusal's sentinel, kept for the CLI's exit code
	}{
		{ledger.UserAccount(bob.ID), "17.01", "Your wallet is short by 0.01 credits: 17.00 credits can move now (your minimum balance of 3.00 credits stays)", ledger.ErrInsufficientFunds},
		{wallet, "1", "Credits from your wallet cannot go to your wallet itself", ledger.ErrInvalidRequest},
		{"nope", "1", "Credits from your wallet go only to the workspace pool, your department's credits or another active member's wallet, not to nope", ledger.ErrUnknownAccount},
	} {
		_, err := c.Transfer(TransferInput{ID: "x8-" + bad.to, From: wallet, To: bad.to, Amount: bad.amount})
		r, ok := FormatError(err).(RefusalError)
		if !ok || r.Reason != bad.reason || !errors.Is(err, bad.kind) {
			t.Fatalf("give %s to %s: the window reads %#v (%v), want %q (%v)", bad.amount, bad.to, FormatError(err), err, bad.reason, bad.kind)
		}
	}
	if bal, err := c.Balance(""); err != nil || bal.Available.String() != "20" {
		t.Fatalf("lee's wallet after refused gives: %+v %v", bal, err)
	}
}

// TestTwoGivesAtOnce: two gives from a member's wallet at once, which
// together would leave less than its minimum balance: exactly one moves,
// the other is refused in the member's words, and the balances are exact;
// the same give sent twice at once (a double click, one id) moves once.
func TestTwoGivesAtOnce(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	add := func(name string) team.Member {
		m, err := b.Team.AddMember(alice, team.NewMember{Name: name, Role: access.RoleMember, SecretKind: team.SecretPIN,
			Secret: "1234", Funding: team.FundWallet})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	lee, bob := add("lee"), add("bob")
	wallet, to := ledger.UserAccount(lee.ID), ledger.UserAccount(bob.ID)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: wallet, Credits: decimal.RequireFromString("20"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.ChangePolicy(alice, wallet, ledger.Policy{Kind: ledger.PolicyMinimum, Limit: decimal.RequireFromString("3")}); err != nil {
		t.Fatal(err)
	}
	member, err := b.Team.Authenticate(context.Background(), "lee", "1234")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(member)
	c := &Credits{app: a}
	give := func(amount string, ids ...string) []error {
		errs := make([]error, len(ids))
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = c.Transfer(TransferInput{ID: id, From: wallet, To: to, Amount: amount})
			}()
		}
		wg.Wait()
		return errs
	}
	errs := give("10", "g1", "g2")
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("two gives of 10 from 20 (3 kept): %v", errs)
	}
	refused := errs[0]
	if refused == nil {
		refused = errs[1]
	}
	if r, ok := FormatError(refused).(RefusalError); !ok || !errors.Is(refused, ledger.ErrInsufficientFunds) ||
		r.Reason != "Your wallet is short by 3.00 credits: 7.00 credits can move now (your minimum balance of 3.00 credits stays)" {
		t.Fatalf("the refused give: %#v", FormatError(refused))
	}
	if errs := give("5", "g3", "g3"); errs[0] != nil || errs[1] != nil {
		t.Fatalf("one give of 5 twice at once: %v", errs)
	}
	for code, want := range map[string]string{wallet: "5", to: "15"} {
		if bal, err := b.Ledger.Balance(alice, code); err != nil || bal.Available.String() != want {
			t.Fatalf("%s: %+v %v, want %s", code, bal, err, want)
		}
	}
}
