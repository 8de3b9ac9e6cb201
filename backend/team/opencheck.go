package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/people"
)

// AcceptsCredits is the ledger's OpenCheck (ledger.SetOpenCheck, wired by
// core): amount credits may go to a member's wallet while the member exists
// and is not removed, and to a department while it exists and is not
// archived. A removed member's wallet, or an archived department's account,
// takes only what settles its debt: at most what it owes (its balance below
// zero, read in tx), so that a debt left at the end (a removal with an
// overdraft used, or an archive by an earlier version, which kept the
// overdraft) can be paid (from the pool, by any transfer or a top-up) and
// nothing beyond it reaches an account no one uses. A disabled
// member's wallet still takes credits (they may be enabled again). It runs
// in the ledger's write transaction (tx).
func (s *Service) AcceptsCredits(ctx context.Context, tx *sql.Tx, code string, amount decimal.Decimal) error {
	o, err := ownerOf(ctx, tx, code)
	switch {
	case err != nil || !o.team:
		return err
	case !o.found:
		return fmt.Errorf("%w: credits cannot go to %s: there is no %s %d", ErrNotFound, code, o.noun, o.id)
	case o.ended:
		return settlesDebt(ctx, tx, code, o.why, o.whose, amount)
	}
	return nil
}

// accountOwner is who owns a team account (ownerOf).
type accountOwner struct {
	team  bool   // a member's wallet (user:N) or a department's account (dept:N)
	noun  string // "member", "department"
	id    int64
	found bool   // the member or department exists
	ended bool   // removed or archived
	why   string // the end, in words: "Robert was removed", "the Eng department is archived"
	whose string // the account, in words: "their wallet", "its account"
}

// ownerOf reads, on tx (the ledger's write transaction, or the store), the
// owner of code (team false: not a team account).
func ownerOf(ctx context.Context, tx queryer, code string) (accountOwner, error) {
	kind, idText, _ := strings.Cut(code, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || kind != "user" && kind != "dept" {
		return accountOwner{}, nil // the ledger judges it
	}
	o := accountOwner{team: true, id: id, noun: "member"}
	var name string
	if kind == "user" {
		var status, display string
		err = tx.QueryRowContext(ctx, `SELECT name, display_name, status FROM users WHERE id = ?`, id).Scan(&name, &display, &status)
		// Named as Removed names them: "Robert was removed", never "member bob".
		o.ended, o.why, o.whose = status == StatusRemoved, people.Member(name, display, false)+" was removed", "their wallet"
	} else {
		var archived bool
		err = tx.QueryRowContext(ctx, `SELECT name, archived FROM departments WHERE id = ?`, id).Scan(&name, &archived)
		o.noun, o.ended, o.why, o.whose = "department", archived, departmentPhrase(name)+" is archived", "its account"
	}
	if errors.Is(err, sql.ErrNoRows) {
		return o, nil
	}
	if err != nil {
		return accountOwner{}, fmt.Errorf("check %s: %w", code, err)
	}
	o.found = true
	return o, nil
}

// settlesDebt allows amount to go to code, an ended account (why: "Robert
// was removed", "the Eng department is archived"; whose: "their wallet",
// "its account"), only when it pays no more than the account owes. A
// refusal is ErrNotFound, as every refusal for a removed member or an
// archived department is (checkDepartment: `departments allocate` to an
// archived one): the CLI's exit 5, the owner is gone.
func settlesDebt(ctx context.Context, tx *sql.Tx, code, why, whose string, amount decimal.Decimal) error {
	var balance int64
	err := tx.QueryRowContext(ctx, "SELECT balance_minor FROM ledger_accounts WHERE code = ?", code).Scan(&balance)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check %s: %w", code, err)
	}
	debt := max(-balance, 0)
	if debt == 0 {
		return reasonf(ErrNotFound, "credits cannot go to %s: %s, and %s owes nothing", code, why, whose)
	}
	if want, err := money.ToMinor(amount); err != nil || want > debt {
		// The debt is what may be typed back as the amount: canonical.
		return reasonf(ErrNotFound, "credits cannot go to %s: %s; only %s's debt may be settled, "+
			"at most %s (asked for %s)", code, why, whose, money.Credits(money.MinorString(debt)), money.String(amount))
	}
	return nil
}

// AcceptsPolicy is the ledger's PolicyCheck (ledger.SetPolicyCheck, wired
// by core): a removed member's wallet and an archived department's account
// keep the blocked policy their end gave them (endAccountTx, migrations
// 0760 and 0790). A minimum balance would strand the credits still in a
// removed member's wallet (they can only go back to the pool), and an
// overdraft (or carry) would let a transfer out of it or of an archived
// department's account leave a debt there, which only credits from
// elsewhere could settle. Setting
// blocked again is allowed (it changes nothing); any other policy is
// refused with the reason as ErrNotFound, as every other refusal for a
// removed member or an archived department is (settlesDebt,
// checkDepartment): the CLI's exit 5, the owner is gone. It runs in the
// ledger's write transaction (tx), so a removal or an archive cannot slip
// in between.
func (s *Service) AcceptsPolicy(ctx context.Context, tx *sql.Tx, code string, p ledger.Policy) error {
	if p.Kind == ledger.PolicyBlocked {
		return nil
	}
	o, err := ownerOf(ctx, tx, code)
	if err != nil || !o.found || !o.ended {
		return err
	}
	why := "(no overdraft: it takes no debts)"
	if o.noun == "member" {
		why = "(no minimum balance keeps its credits from going back to the pool, no overdraft takes it below zero)"
	}
	return reasonf(ErrNotFound, "%s cannot take the %s policy: %s, and %s keeps the blocked policy %s",
		code, p.Kind, o.why, o.whose, why)
}

// InDepartment implements ledger.ReadCheck: whether member userID is in the
// department whose account is code (dept:N) now, so may read its balance,
// overdraft and lots (the header and Credits show a member the department
// that pays for their sends). A member of another department, or of none,
// is refused by the ledger.
func (s *Service) InDepartment(ctx context.Context, userID int64, code string) (bool, error) {
	kind, idText, _ := strings.Cut(code, ":")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || kind != "dept" {
		return false, nil
	}
	var one int
	err = s.db.Read().QueryRowContext(ctx, `SELECT 1 FROM users WHERE id = ? AND department_id = ?`, userID, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("member %d's department: %w", userID, err)
	}
	return true, nil
}
