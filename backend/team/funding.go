package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/people"
)

// Funding says which ledger account pays for a member's usage.
type Funding struct {
	PayerAccount string `json:"payerAccount"` // pool, dept:<id> or user:<id>
	DepartmentID int64  `json:"departmentId"` // the department the usage is charged to (0 = none)
}

func userAccount(id int64) string { return "user:" + strconv.FormatInt(id, 10) }
func deptAccount(id int64) string { return "dept:" + strconv.FormatInt(id, 10) }

// Funding returns the account that pays for userID's usage: their wallet
// when self-funded, otherwise their department's credits (or the pool when
// they have no department). Disabled and removed members get ErrDisabled.
func (s *Service) Funding(ctx context.Context, userID int64) (Funding, error) {
	if _, err := access.RequireSelfOrAdmin(ctx, userID, "read funding"); err != nil {
		return Funding{}, err
	}
	m, err := getMember(ctx, s.db.Prepared(), userID)
	if err != nil {
		return Funding{}, fmt.Errorf("funding: %w", err)
	}
	if m.Status != StatusActive {
		return Funding{}, fmt.Errorf("funding of member %d: %w", userID, ErrDisabled)
	}
	return fundingOf(m), nil
}

func fundingOf(m Member) Funding {
	f := Funding{DepartmentID: m.DepartmentID}
	switch {
	case m.Funding == FundWallet:
		f.PayerAccount = userAccount(m.ID)
	case m.DepartmentID != 0:
		f.PayerAccount = deptAccount(m.DepartmentID)
	default:
		f.PayerAccount = ledger.AccountPool
	}
	return f
}

// ensureAccounts creates ledger accounts (as the system: it moves no money).
func (s *Service) ensureAccounts(ctx context.Context, codes ...string) error {
	sys := access.WithActor(ctx, access.System)
	for _, c := range codes {
		if err := s.led.EnsureAccount(sys, c); err != nil {
			return fmt.Errorf("create account %s: %w", c, err)
		}
	}
	return nil
}

// applyWalletPolicy keeps the member's wallet at or above their minimum
// balance (ledger policy minimum; blocked when the minimum is zero).
func (s *Service) applyWalletPolicy(ctx context.Context, m Member) error {
	minimum, err := decimal.NewFromString(m.MinBalance)
	if err != nil {
		return fmt.Errorf("wallet policy of member %d: %w", m.ID, err)
	}
	p := ledger.Policy{Kind: ledger.PolicyBlocked, Limit: money.Zero}
	if minimum.Sign() > 0 {
		p = ledger.Policy{Kind: ledger.PolicyMinimum, Limit: minimum}
	}
	if err := s.led.SetPolicy(access.WithActor(ctx, access.System), userAccount(m.ID), p); err != nil {
		return fmt.Errorf("wallet policy of member %d: %w", m.ID, err)
	}
	return nil
}

// MyAccount returns the ledger account that pays for the signed-in actor's
// usage — the balance the window's header shows: the member's wallet, their
// department, or the pool. The system actor (a workspace before set-up, or
// an internal job) is shown the pool.
func (s *Service) MyAccount(ctx context.Context) (string, error) {
	p, err := s.myPayer(ctx, false)
	return p.Account, err
}

// Kinds of account that pay for a member's sends (Payer.Kind).
const (
	PayerPool       = "pool"       // the workspace pool
	PayerDepartment = "department" // the member's department, dept:<id>
	PayerWallet     = "wallet"     // the member's own wallet, user:<id>
)

// Payer is the account that pays for the signed-in actor's sends, with
// what the window needs to name it ("Pool", "Research", "Your wallet").
type Payer struct {
	Account string `json:"account"` // pool, dept:<id> or user:<id>
	Kind    string `json:"kind"`    // PayerPool, PayerDepartment or PayerWallet
	Name    string `json:"name"`    // the department's name (kind department), else ""
	// AccountName names a department's account in a heading or a tooltip,
	// as DepartmentCredits says it ("Research department's credits",
	// "Department 3's credits"), so the window does not build it apart;
	// "" for the pool, a wallet, or a department whose name is unknown.
	AccountName string `json:"accountName"`
}

// PayerOf is the payer an account code is, by the code alone and unnamed:
// pool, dept:<id> (a department) or user:<id> (a wallet); any other code
// has no kind, and its Phrase is the code.
func PayerOf(account string) Payer {
	p := Payer{Account: account}
	switch {
	case account == ledger.AccountPool:
		p.Kind = PayerPool
	case strings.HasPrefix(account, "dept:"):
		p.Kind = PayerDepartment
	case strings.HasPrefix(account, "user:"):
		p.Kind = PayerWallet
	}
	return p
}

// Phrase names the payer as the chat and the CLI say it to the member whose
// sends it pays for: "the workspace pool", "your wallet" or "the Research
// department" ("your department" while its name is unknown; a name that
// already ends in "department" is not doubled, and one that starts with it
// has no "the": "Department 3", departmentPhrase). It reads as the subject of
// "… has 5 credits available" and after "charged to". The window's header
// names the same payer in its own words (frontend/src/lib/balance.svelte.ts).
func (p Payer) Phrase() string {
	switch p.Kind {
	case PayerPool:
		return "the workspace pool"
	case PayerWallet:
		return "your wallet"
	case PayerDepartment:
		if strings.TrimSpace(p.Name) == "" {
			return "your department"
		}
		return departmentPhrase(p.Name)
	}
	return p.Account
}

// departmentPhrase is how a sentence names a department, mid-sentence:
// "the Research department", "the R&D Department" (departmentName's one
// rule, with departmentArticle's "the"), but "Department 3" and
// "department of Physics": a name that starts with the word "department"
// is a name on its own, never "the Department 3". Payer.Phrase and the
// notifications (accountWords) both use it, so a member reads "the
// Research department" wherever a sentence names it, never "Department
// Research", and "Department 3 is running low".
func departmentPhrase(name string) string {
	name = departmentName(name)
	return departmentArticle(name) + name
}

// departmentArticle is the article a sentence puts before a department's
// name in words (departmentName's result, or DepartmentCredits'): "the "
// ("the Research department", "the R&D Department's credits"), or "" when
// the name starts with the word "department" in any case ("Department 3",
// "department of Physics's credits"), which reads as a name of its own.
func departmentArticle(named string) string {
	if startsWithWord(strings.TrimSpace(named), "department") {
		return ""
	}
	return "the "
}

// departmentName is the one rule that names a department in words, for
// sentences, headings and the window alike: "Research" -> "Research
// department"; a name that already starts or ends with the word
// "department", in any case, is not doubled ("Sales Department",
// "Department 3", "department of lab"). The name's own case is never
// changed.
func departmentName(name string) string {
	name = strings.TrimSpace(name)
	if endsWithWord(name, "department") || startsWithWord(name, "department") {
		return name
	}
	return name + " department"
}

// DepartmentCredits names a department's account in a heading or a table,
// where no article goes: "Research department's credits", as the header's
// tooltip ("Research department's credits, which pay for your messages")
// and Team → Members' Pays from name it; a name that already says
// "department" at its start or end is not doubled ("Sales Department's
// credits", "Department 3's credits"), and an archived department's mark
// (people.ArchivedMark) goes last: "Eng department's credits (archived)".
// A sentence puts "the" before it.
func DepartmentCredits(label string) string {
	name, mark := departmentNoun(label)
	return name + "'s credits" + mark
}

// DepartmentCreditsPhrase is DepartmentCredits within a sentence, with
// the article departmentArticle gives: "the Research department's
// credits", "the R&D Department's credits (archived)", but "Department 3's
// credits" (never "the Department 3's credits"). Statements' sentences and
// Team → Members' question (Department.AccountPhrase) use it.
func DepartmentCreditsPhrase(label string) string {
	credits := DepartmentCredits(label)
	return departmentArticle(credits) + credits
}

// DepartmentTitle names a department in a title, where no article goes:
// "Research department", "Sales Department", "Eng department (archived)"
// (the statement's "Statement — Research department", which read
// "Statement — department Research").
func DepartmentTitle(label string) string {
	name, mark := departmentNoun(label)
	return name + mark
}

// departmentNoun splits a department's label (people.Department) into
// "Research department" (the word added unless the name starts or ends
// with it) and its archived mark ("" or people.ArchivedMark).
func departmentNoun(label string) (string, string) {
	name, archived := strings.CutSuffix(strings.TrimSpace(label), people.ArchivedMark)
	name = departmentName(name)
	if archived {
		return name, people.ArchivedMark
	}
	return name, ""
}

// startsWithWord reports whether s starts with the word w in any case:
// "Department 3", not "Departmental".
func startsWithWord(s, w string) bool {
	if len(s) < len(w) || !strings.EqualFold(s[:len(w)], w) {
		return false
	}
	after, _ := utf8.DecodeRuneInString(s[len(w):])
	return after == utf8.RuneError || !(unicode.IsLetter(after) || unicode.IsDigit(after) || after == '_')
}

// endsWithWord reports whether s ends with the word w in any case: "Sales
// Department" ends with "department", "Subdepartment" does not (as the
// header's /\bdepartment$/i).
func endsWithWord(s, w string) bool {
	if len(s) < len(w) || !strings.EqualFold(s[len(s)-len(w):], w) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(s[:len(s)-len(w)])
	return before == utf8.RuneError || !(unicode.IsLetter(before) || unicode.IsDigit(before) || before == '_')
}

// PhraseStart is a payer's Phrase where it begins a sentence: the word the
// rule put before the name capitalised ("The workspace pool", "Your
// wallet", "The Research department", "Your department"), a name never
// ("Department 3", "department of Physics": departmentPhrase adds no
// article to them, and a name's case is its own).
func PhraseStart(phrase string) string {
	for _, w := range []string{"the ", "your "} {
		if rest, ok := strings.CutPrefix(phrase, w); ok {
			return strings.ToUpper(w[:1]) + w[1:] + rest
		}
	}
	return phrase
}

// MyPayer returns the account MyAccount returns, with its kind and, for a
// department, the department's name (a member may always read their own
// department's name). The window's header names its balance with it, so
// it follows a change of funding or department at the next read.
func (s *Service) MyPayer(ctx context.Context) (Payer, error) {
	return s.myPayer(ctx, true)
}

func (s *Service) myPayer(ctx context.Context, named bool) (Payer, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return Payer{}, fmt.Errorf("my account: %w", err)
	}
	if a.System || a.UserID <= 0 {
		return Payer{Account: ledger.AccountPool, Kind: PayerPool}, nil
	}
	f, err := s.Funding(ctx, a.UserID)
	if err != nil {
		return Payer{}, err
	}
	return s.payerFor(ctx, f, named)
}

// payerFor is the payer of funding f: its account and kind, and for a
// department, when named, the department's name.
func (s *Service) payerFor(ctx context.Context, f Funding, named bool) (Payer, error) {
	p := Payer{Account: f.PayerAccount, Kind: PayerWallet}
	switch {
	case f.PayerAccount == ledger.AccountPool:
		p.Kind = PayerPool
	case f.DepartmentID != 0 && f.PayerAccount == deptAccount(f.DepartmentID):
		p.Kind = PayerDepartment
		if named {
			err := s.db.Read().QueryRowContext(ctx, "SELECT name FROM departments WHERE id = ?", f.DepartmentID).Scan(&p.Name)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return Payer{}, fmt.Errorf("my account: the name of department %d: %w", f.DepartmentID, err)
			}
			if strings.TrimSpace(p.Name) != "" {
				p.AccountName = DepartmentCredits(p.Name)
			}
		}
	}
	return p, nil
}
