package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// account is an account row as the writer sees it.
type account struct {
	id      int64
	code    string
	kind    string
	policy  PolicyKind
	limit   int64
	balance int64
	pending int64
	lotExp  string // earliest lot expiry ("" = no lots); not loaded for system accounts
	lotID   int64  // the earliest lot (0 = none) and what remains of it
	lotRem  int64
	stale   bool // lots changed in a way lotExp/lotID do not follow (drop from the cache)
}

func (a *account) system() bool { return a.kind == "system" }

// available is balance minus pending debits, in minor units.
func (a *account) available() int64 { return a.balance - a.pending }

// kindOf validates an account code and returns its kind.
// Codes: pool, dept:<id>, user:<id> (id a positive integer), sys:<name>.
func kindOf(code string) (string, error) {
	switch code {
	case AccountPool:
		return "pool", nil
	case AccountTopUp, AccountUsage, AccountExpiry, AccountAdjust, AccountRefund:
		return "system", nil
	}
	prefix, id, ok := strings.Cut(code, ":")
	if ok && (prefix == "dept" || prefix == "user") {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 && strconv.FormatInt(n, 10) == id {
			return prefix, nil
		}
	}
	return "", fmt.Errorf("%w: %q (want pool, dept:<id>, user:<id> or sys:topup|usage|expiry|adjust|refund)", ErrUnknownAccount, code)
}

// UserAccount is the code of user id's personal wallet.
func UserAccount(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// DeptAccount is the code of department id's account.
func DeptAccount(id int64) string { return "dept:" + strconv.FormatInt(id, 10) }

// userOf returns the user id of a user:<id> code, or 0.
func userOf(code string) int64 {
	if id, ok := strings.CutPrefix(code, "user:"); ok {
		n, _ := strconv.ParseInt(id, 10, 64)
		return n
	}
	return 0
}

// EnsureAccount creates the account with this code if it does not exist
// (pool, dept:<id> and user:<id> start with the blocked policy). It is
// idempotent and needs a signed-in actor; creating an empty account moves
// no money.
func (s *Service) EnsureAccount(ctx context.Context, code string) error {
	if _, err := access.Current(ctx); err != nil {
		return fmt.Errorf("ensure account %s: %w", code, err)
	}
	kind, err := kindOf(code)
	if err != nil {
		return fmt.Errorf("ensure account: %w", err)
	}
	policy := PolicyBlocked
	if kind == "system" {
		policy = PolicyUnlimited
	}
	err = s.submit(ctx, func(w *wtx) error {
		_, err := w.exec(`INSERT INTO ledger_accounts(code, kind, policy, created_at) VALUES (?,?,?,?)
			ON CONFLICT(code) DO NOTHING`, code, kind, string(policy), store.FormatTime(w.s.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("ensure account %s: %w", code, err)
	}
	return nil
}

// SetPolicy sets an account's balance policy (admin only): ChangePolicy
// without its report.
func (s *Service) SetPolicy(ctx context.Context, code string, p Policy) error {
	_, err := s.ChangePolicy(ctx, code, p)
	return err
}

// PolicyChange is what ChangePolicy did: the account's policy now (Kind and
// Limit, at the top level of its JSON), the one it had before, and whether
// that was the same, so nothing was written or audited.
type PolicyChange struct {
	Account string `json:"account"`
	Policy
	Before    Policy `json:"before"`
	Unchanged bool   `json:"unchanged"`
}

// ChangePolicy sets an account's balance policy (admin only) and reports
// what it changed. Limit is the overdraft limit (overdraft) or the minimum
// balance (minimum) and must be zero for the other kinds. System accounts
// stay unlimited. A department's or a member's account is first put to the
// installed PolicyCheck (SetPolicyCheck), which may refuse it. A change is
// audited as credits.policy with the policy before and after; a policy the
// account has already (the same kind and limit) is checked as any other,
// then written and audited not at all (Unchanged).
func (s *Service) ChangePolicy(ctx context.Context, code string, p Policy) (PolicyChange, error) {
	actor, err := access.RequireAdmin(ctx, "set balance policy")
	if err != nil {
		return PolicyChange{}, err
	}
	limit, err := checkPolicy(code, p)
	if err != nil {
		return PolicyChange{}, err
	}
	out := PolicyChange{Account: code, Policy: policyOf(string(p.Kind), limit)}
	err = s.submit(ctx, func(w *wtx) error {
		a, err := w.account(code)
		if err != nil {
			return err
		}
		if a.system() {
			return inputerr.New(ErrInvalidRequest, "system account %s is always unlimited", code)
		}
		if err := w.s.allowsPolicy(w.ctx, w.tx, code, Policy{Kind: p.Kind, Limit: money.FromMinor(limit)}); err != nil {
			return err
		}
		out.Before = policyOf(string(a.policy), a.limit)
		if out.Unchanged = a.policy == p.Kind && a.limit == limit; out.Unchanged {
			return nil // nothing to write, nothing to log
		}
		if _, err := w.exec(`UPDATE ledger_accounts SET policy = ?, limit_minor = ? WHERE id = ?`, string(p.Kind), limit, a.id); err != nil {
			return err
		}
		if actor.System {
			return nil // another area's change on a person's behalf, logged there (department.update, member.update)
		}
		return audit.Record(w.ctx, w.tx, w.s.now(), actor, "credits.policy", code, out.Before, out.Policy)
	})
	if err != nil {
		return PolicyChange{}, fmt.Errorf("set policy %s: %w", code, err)
	}
	return out, nil
}

// SetPolicyTx sets the balance policy of account code (not a system
// account's: those stay unlimited) in tx, a write transaction of another
// area, so that the policy changes with what that area changes (the team's
// removal of a member drops their wallet's minimum balance). It checks the
// policy as SetPolicy does, but not the actor, and writes no audit entry:
// the caller does both, in tx. It returns the policy the account had, and
// changed reports whether it differs; an account that was never made has
// nothing to change (ErrUnknownAccount). The writer's account cache sees
// the change (it is dropped when another transaction or job wrote).
func SetPolicyTx(ctx context.Context, tx *sql.Tx, code string, p Policy) (before Policy, changed bool, err error) {
	limit, err := checkPolicy(code, p)
	if err != nil {
		return Policy{}, false, err
	}
	if kind, _ := kindOf(code); kind == "system" {
		return Policy{}, false, fmt.Errorf("set policy: %w", inputerr.New(ErrInvalidRequest, "system account %s is always unlimited", code))
	}
	var was string
	var wasLimit int64
	err = tx.QueryRowContext(ctx, "SELECT policy, limit_minor FROM ledger_accounts WHERE code = ?", code).Scan(&was, &wasLimit)
	if errors.Is(err, sql.ErrNoRows) {
		return Policy{}, false, fmt.Errorf("set policy: %w: %q", ErrUnknownAccount, code)
	}
	if err != nil {
		return Policy{}, false, fmt.Errorf("set policy %s: %w", code, err)
	}
	before = policyOf(was, wasLimit)
	if PolicyKind(was) == p.Kind && wasLimit == limit {
		return before, false, nil
	}
	if _, err := tx.ExecContext(ctx, "UPDATE ledger_accounts SET policy = ?, limit_minor = ? WHERE code = ?", string(p.Kind), limit, code); err != nil {
		return before, false, fmt.Errorf("set policy %s: %w", code, err)
	}
	return before, true, nil
}

// checkPolicy checks a policy for code (SetPolicy, SetPolicyTx) and returns
// its limit in minor units.
func checkPolicy(code string, p Policy) (int64, error) {
	if _, err := kindOf(code); err != nil {
		return 0, fmt.Errorf("set policy: %w", err)
	}
	limit, err := money.ToMinor(p.Limit)
	switch {
	case err != nil:
		return 0, fmt.Errorf("set policy %s: %w", code, inputerr.In("limit", inputerr.New(ErrInvalidAmount, "%v", err)))
	case limit < 0:
		return 0, fmt.Errorf("set policy %s: %w", code, inputerr.New(ErrInvalidAmount, "%v", money.NegativeNamed("limit", p.Limit.String())))
	}
	switch p.Kind {
	case PolicyBlocked, PolicyCarry:
		if limit != 0 {
			return 0, fmt.Errorf("set policy %s: %w", code, inputerr.New(ErrInvalidRequest, "a %s policy takes no limit", p.Kind))
		}
	case PolicyOverdraft, PolicyMinimum:
	default:
		return 0, fmt.Errorf("set policy %s: %w", code, inputerr.New(ErrInvalidRequest, "policy %q (want blocked, overdraft, minimum or carry)", p.Kind))
	}
	return limit, nil
}

// account loads an account row by code inside the write transaction.
// System accounts come from a cache of their (immutable) ids without their
// balance: post updates them relative to the stored value.
func (w *wtx) account(code string) (*account, error) {
	if id, ok := w.s.sysIDs[code]; ok {
		return &account{id: id, code: code, kind: "system", policy: PolicyUnlimited}, nil
	}
	if !w.sp { // fast job: the account cache is valid (see Service.cache)
		if a, ok := w.s.cache[code]; ok {
			return a, nil
		}
	}
	a := &account{code: code}
	var policy string
	err := w.queryRow(`SELECT a.id, a.kind, a.policy, a.limit_minor, a.balance_minor, a.pending_minor,
		COALESCE(l.expires_at, ''), COALESCE(l.id, 0), COALESCE(l.remaining_minor, 0)
		FROM ledger_accounts a
		LEFT JOIN ledger_lots l ON l.id = (SELECT id FROM ledger_lots WHERE account_id = a.id ORDER BY expires_at LIMIT 1)
		WHERE a.code = ?`, code).
		Scan(&a.id, &a.kind, &policy, &a.limit, &a.balance, &a.pending, &a.lotExp, &a.lotID, &a.lotRem)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %q", ErrUnknownAccount, code)
	}
	if err != nil {
		return nil, fmt.Errorf("load account %s: %w", code, err)
	}
	a.policy = PolicyKind(policy)
	if a.kind == "system" {
		w.s.sysIDs[code] = a.id // only the writer goroutine touches sysIDs
	} else if !w.sp && len(w.s.cache) < maxCached {
		w.s.cache[code] = a
	}
	return a, nil
}

// floor is the lowest available balance a debit may leave, and whether the
// policy has one at all.
func (a *account) floor() (int64, bool) {
	switch a.policy {
	case PolicyUnlimited:
		return 0, false
	case PolicyOverdraft:
		return -a.limit, true
	case PolicyMinimum:
		return a.limit, true
	default: // blocked, carry
		return 0, true
	}
}

// movable is what of its own credits may leave the account now (minor
// units): its available balance above the policy's floor, never below
// zero. An overdraft's room is not counted in (it is not the account's).
func (a *account) movable() int64 {
	m := a.available()
	if floor, ok := a.floor(); ok && floor > 0 {
		m -= floor
	}
	return max(m, 0)
}

// room is the most a debit may take under the account's policy (minor
// units): its available balance above the policy's floor, which may be
// zero or less (nothing); money.MaxMinor when the policy has no floor.
func (a *account) room() int64 {
	floor, ok := a.floor()
	if !ok {
		return money.MaxMinor
	}
	return a.available() - floor
}

// checkDebit fails with ErrInsufficientFunds when debiting amount (minor
// units, beyond what is already pending) would leave the account's
// available balance below its policy floor.
func (a *account) checkDebit(amount int64) error {
	floor, ok := a.floor()
	if _, fits := HoldFits(a.available()-floor, ok, 0, amount); fits {
		return nil
	}
	after := a.available() - amount
	return &ShortError{Account: a.code, Short: money.FromMinor(floor - after), Available: money.FromMinor(a.available()),
		Room: money.FromMinor(max(a.available()-floor, 0)), Policy: policyOf(string(a.policy), a.limit),
		text: fmt.Sprintf("%s: %s is short by %s credits (available %s; %s)",
			ErrInsufficientFunds, a.code, money.DisplayMinor(floor-after), money.DisplayMinor(a.available()), policyText(a))}
}

// checkOwnCredits is checkDebit for a member's give from their own wallet
// (transferLeg; Service.memberGive): it moves only the wallet's own
// credits, at most movable. An overdraft lets the wallet's sends (holds,
// usage) run below zero, never a give of credits it does not have; an
// admin's transfer is checkDebit's. Refused, it is a ShortError whose Room
// is movable, what the give form's line says can move (team.GiveRoomLine).
// A floor the wallet keeps of its own (blocked, carry, a minimum: movable
// is then its room) is checkDebit's, figures and all.
func (a *account) checkOwnCredits(amount int64) error {
	if floor, bounded := a.floor(); bounded && floor >= 0 {
		return a.checkDebit(amount)
	}
	movable := a.movable()
	if amount <= movable {
		return nil
	}
	return &ShortError{Account: a.code, Short: money.FromMinor(amount - movable), Available: money.FromMinor(a.available()),
		Room: money.FromMinor(movable), Policy: policyOf(string(a.policy), a.limit),
		text: fmt.Sprintf("%s: %s is short by %s credits (available %s; %s, which a member's give does not draw on: %s can move)",
			ErrInsufficientFunds, a.code, money.DisplayMinor(amount-movable), money.DisplayMinor(a.available()), policyText(a),
			money.DisplayMinor(movable))}
}

// ShortError is checkDebit's refusal of a debit the account's policy does
// not allow (errors.Is ErrInsufficientFunds), with its figures, so that a
// caller may say it in a person's words (team's "your wallet is short by
// …"). Its text is Go's: "insufficient funds: user:2 is short by 0.01
// credits (available 20.00; policy minimum: keeps at least 3.00)".
type ShortError struct {
	Account   string
	Short     decimal.Decimal // what the debit lacks
	Available decimal.Decimal // the available balance (pending holds counted)
	Room      decimal.Decimal // what a debit may take now (the policy's floor kept; an overdraft's room in, except for a member's give: checkOwnCredits), never below zero
	Policy    Policy
	text      string
}

func (e *ShortError) Error() string { return e.text }
func (e *ShortError) Unwrap() error { return ErrInsufficientFunds }

// checkReserve is checkDebit for a nonzero amount that must also leave
// reserve() (HoldRequest.Reserve; nil or non-positive: nothing) available.
func (a *account) checkReserve(amount int64, reserve func() int64) error {
	if amount == 0 || reserve == nil {
		return nil
	}
	r := min(reserve(), money.MaxMinor) // amount + r stays within int64
	if r <= 0 {
		return nil
	}
	floor, ok := a.floor()
	if _, fits := HoldFits(a.available()-floor, ok, r, amount); fits {
		return nil
	}
	return fmt.Errorf("%w; %s of it is promised to holds being taken", a.checkDebit(amount+r), money.DisplayMinor(r))
}

// HoldFits is the one rule by which a debit or hold of amount (minor
// units) fits an account (checkDebit, and checkReserve for a hold beside
// others being taken): it fits when amount is zero, when the account has
// no floor (bounded false), or when it is at most what the account may
// spend (spendable: SpendableMinor, pending holds counted) less reserve,
// the minor units promised to other holds not written yet
// (HoldRequest.Reserve; 0 or less: none). left is that room, never below
// zero (0 when unbounded). Read-only checks that must say what the hold
// will say use it on the figures they read (team's pre-flight, chat's
// estimate and its refusal for want of credits).
func HoldFits(spendable int64, bounded bool, reserve, amount int64) (left int64, fits bool) {
	if !bounded {
		return 0, true
	}
	room := spendable - max(min(reserve, money.MaxMinor), 0)
	return max(room, 0), amount == 0 || amount <= room
}

// policyText says an account's floor in words, for the insufficient-funds
// error: "policy blocked: no overdraft", "policy overdraft: down to -5",
// "policy minimum: keeps at least 1".
func policyText(a *account) string {
	switch a.policy {
	case PolicyOverdraft:
		return "policy overdraft: down to -" + money.DisplayMinor(a.limit)
	case PolicyMinimum:
		return "policy minimum: keeps at least " + money.DisplayMinor(a.limit)
	case PolicyBlocked:
		return "policy blocked: no overdraft"
	}
	return "policy " + string(a.policy)
}

// policyOf renders an account's policy.
func policyOf(kind string, limit int64) Policy {
	return Policy{Kind: PolicyKind(kind), Limit: money.FromMinor(limit)}
}
