package team

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/namekey"
	"meterdesk/backend/store"
	"meterdesk/backend/textcheck"
)

// Department is a cost centre with its own ledger account dept:<id>, funded
// from the pool. Members funded by the organisation spend their department's
// credits; Budget is only the alert budget.
type Department struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Account   string    `json:"account"`   // dept:<id>
	Budget    string    `json:"budget"`    // reference for percent alerts: balance after the last allocation
	Overdraft string    `json:"overdraft"` // how far below zero it may go; "0" = overdraft protection on
	Balance   string    `json:"balance"`
	Available string    `json:"available"`
	Members   int       `json:"members"`
	Archived  bool      `json:"archived"`
	CreatedAt time.Time `json:"createdAt"`
	// AccountName names its account as a heading or a table does
	// (DepartmentCredits: "Research department's credits", "Department 3's
	// credits"); the window's Team → Members says who pays with it.
	AccountName string `json:"accountName"`
	// AccountPhrase is AccountName within a sentence
	// (DepartmentCreditsPhrase: "the Research department's credits", but
	// "Department 3's credits"), as Team → Members asks "Pay bob's usage
	// from …?".
	AccountPhrase string `json:"accountPhrase"`
}

// DepartmentInput creates or changes a department.
type DepartmentInput struct {
	Name string `json:"name"`
	// Overdraft: credits it may go below zero, "0" = overdraft protection.
	// "" is 0 for a new department and refused on an update (give the
	// amount it has to keep it).
	Overdraft string `json:"overdraft"`
	Budget    string `json:"budget"` // "" = unchanged (0 for a new department)
}

// noOverdraft is why a blank overdraft is refused on an update: it
// used to set 0 (overdraft protection) without a word.
const noOverdraft = "the overdraft needs an amount; 0 means no overdraft"

// noBudget is why a blank alert budget is refused where one is asked for
// (DepartmentAmountProblem; DepartmentInput takes "" as "unchanged").
const noBudget = "the alert budget needs an amount; 0 means none"

// Department amount fields DepartmentAmountProblem checks.
const (
	FieldOverdraft = "overdraft"
	FieldBudget    = "budget"
)

// DepartmentAmountProblem says what is wrong with a department's overdraft
// or alert budget (field FieldOverdraft, FieldBudget) as typed, in the
// words ChangeDepartment refuses it with, as a sentence ("Budget -5 is
// negative", `Budget: "1,5": not a decimal number: use a point for
// decimals (1.5), and no thousands separators`), which `meterdesk
// departments update` prints too; a blank one is refused as asked for
// ("The alert budget needs an amount; 0 means none"); "" when it would be
// taken, or for another field.
func DepartmentAmountProblem(field, s string) string {
	var err error
	switch {
	case field != FieldOverdraft && field != FieldBudget:
		return ""
	case strings.TrimSpace(s) != "":
		_, err = parseCredits(field, s)
	case field == FieldOverdraft:
		err = inputerr.New(ErrInvalid, "%s", noOverdraft)
	default:
		err = inputerr.New(ErrInvalid, "%s", noBudget)
	}
	return inputerr.Sentence(err)
}

// deptName validates a department name and returns it as stored (NFKC,
// backend/namekey): 1 to 100 characters on one line, no word mixing Latin,
// Cyrillic and Greek letters. saved is the name the department has: kept
// as it is, so a name saved before a rule was added stays usable.
func deptName(in, saved string) (string, error) {
	if strings.TrimSpace(in) == saved && saved != "" {
		return saved, nil
	}
	name := namekey.Clean(in)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return "", inputerr.New(ErrInvalid, "a department name has 1 to 100 characters")
	}
	if err := textcheck.Line(name); err != nil {
		return "", inputerr.New(ErrInvalid, "the department name: %v", err)
	}
	if word, a, b, mixed := namekey.MixedScripts(name); mixed {
		return "", inputerr.New(ErrInvalid, "the department name %q mixes %s and %s letters in one word, so it can pass for another name; write each word in one alphabet",
			word, a, b)
	}
	return name, nil
}

// normalize checks in for a new department (update false) or a change to
// one whose name is saved.
func (in DepartmentInput) normalize(saved string, update bool) (name string, overdraft int64, budget int64, setBudget bool, err error) {
	if name, err = deptName(in.Name, saved); err != nil {
		return "", 0, 0, false, err
	}
	if update && strings.TrimSpace(in.Overdraft) == "" {
		return "", 0, 0, false, inputerr.New(ErrInvalid, "%s", noOverdraft)
	}
	if overdraft, err = parseCredits(FieldOverdraft, in.Overdraft); err != nil {
		return "", 0, 0, false, err
	}
	if strings.TrimSpace(in.Budget) != "" {
		if budget, err = parseCredits(FieldBudget, in.Budget); err != nil {
			return "", 0, 0, false, err
		}
		setBudget = true
	}
	return name, overdraft, budget, setBudget, nil
}

// reasonError is a refusal said in plain words (a department's name, not
// its account code or a sentinel's text) that still matches its sentinel
// with errors.Is.
type reasonError struct {
	kind error
	msg  string
	text string // Go's text when it is not msg (taken); "" for msg
	// nameFirst: msg starts with a name (a member's, a department's),
	// which the window's sentence never re-cases (inputerr.Sentence).
	nameFirst bool
}

func (e *reasonError) Error() string {
	if e.text != "" {
		return e.text
	}
	return e.msg
}
func (e *reasonError) Unwrap() error { return e.kind }

// Reason is the refusal in plain words, without the operation a caller
// wraps it in: what the window shows (app.FormatError).
func (e *reasonError) Reason() string { return e.msg }

// NameFirst reports whether the reason starts with a name: the window shows
// "alice has no limit for gpt-4o", never "Alice has …" (inputerr.Sentence).
func (e *reasonError) NameFirst() bool { return e.nameFirst }

func reasonf(kind error, format string, args ...any) error {
	return &reasonError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// namedf is reasonf for a reason that starts with a name, as spelt
// (NameFirst): "alice has no limit for gpt-4o", "lab has only 5 credits
// available…". A sentence that starts with departmentPhrase is one when
// the phrase has no article (departmentArticle): "Department 3 is
// archived", but "the Research department is archived" starts with "the".
func namedf(nameFirst bool, kind error, format string, args ...any) error {
	return &reasonError{kind: kind, msg: fmt.Sprintf(format, args...), nameFirst: nameFirst}
}

// taken refuses name for a what's (a department's, a member's): taken
// is the name as the other has it, asked the name as it was asked for,
// which the names rule (backend/namekey) says is the same. Go's text (the
// CLI's) is "already exists: a department named "Eng"" (ErrExists); the
// window's words say it as a sentence: "a department named "Eng" already
// exists", or for a name taken in another case, width or look-alike
// letters, ""ＥＮＧ" is taken: a department named "Eng" already exists
// (names are compared …)".
func taken(what, taken, asked string) error {
	const rule = "(names are compared regardless of case, width and look-alike letters)"
	if taken != asked {
		return &reasonError{kind: ErrExists,
			text: fmt.Sprintf("%v: a %s named %q, which %q is taken for %s", ErrExists, what, taken, asked, rule),
			msg:  fmt.Sprintf("%q is taken: a %s named %q already exists %s", asked, what, taken, rule)}
	}
	return &reasonError{kind: ErrExists, text: fmt.Sprintf("%v: a %s named %q", ErrExists, what, taken),
		msg: fmt.Sprintf("a %s named %q already exists", what, taken)}
}

// checkDepartment refuses a department that does not exist or is archived
// (ErrNotFound), naming it.
func checkDepartment(ctx context.Context, q queryer, id int64) error {
	if id == 0 {
		return nil
	}
	var archived bool
	var name string
	err := q.QueryRowContext(ctx, "SELECT archived, name FROM departments WHERE id = ?", id).Scan(&archived, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return reasonf(ErrNotFound, "there is no department %d", id)
	}
	if err == nil && archived {
		return namedf(departmentArticle(departmentName(name)) == "", ErrNotFound, "%s is archived", departmentPhrase(name))
	}
	return err
}

func getDepartment(ctx context.Context, q queryer, id int64) (Department, error) {
	d := Department{ID: id, Account: deptAccount(id)}
	var budget, overdraft int64
	var created string
	err := q.QueryRowContext(ctx, `SELECT name, budget_minor, overdraft_minor, archived, created_at,
		(SELECT count(*) FROM users u WHERE u.department_id = departments.id AND u.status <> 'removed'),
		COALESCE((SELECT balance_minor FROM ledger_accounts WHERE code = ?), 0),
		COALESCE((SELECT balance_minor - pending_minor FROM ledger_accounts WHERE code = ?), 0)
		FROM departments WHERE id = ?`, d.Account, d.Account, id).Scan(&d.Name, &budget, &overdraft, &d.Archived, &created,
		&d.Members, &budget2{&d.Balance}, &budget2{&d.Available})
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("department %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("department %d: %w", id, err)
	}
	d.Budget, d.Overdraft, d.CreatedAt = money.MinorString(budget), money.MinorString(overdraft), parseTS(created)
	d.AccountName, d.AccountPhrase = DepartmentCredits(d.Name), DepartmentCreditsPhrase(d.Name)
	return d, nil
}

// budget2 scans minor units into a decimal string.
type budget2 struct{ dst *string }

func (b *budget2) Scan(v any) error {
	n, ok := v.(int64)
	if !ok {
		return fmt.Errorf("want integer minor units, got %T", v)
	}
	*b.dst = money.MinorString(n)
	return nil
}

// Department returns one department (admins, and members of it).
func (s *Service) Department(ctx context.Context, id int64) (Department, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return Department{}, fmt.Errorf("read department %d: %w", id, err)
	}
	if !a.IsAdmin() {
		m, err := getMember(ctx, s.db.Read(), a.UserID)
		if err != nil || m.DepartmentID != id {
			return Department{}, fmt.Errorf("read department %d: %w", id, access.ErrForbidden)
		}
	}
	return getDepartment(ctx, s.db.Read(), id)
}

// ListDepartments returns every department with its balance (admin only).
func (s *Service) ListDepartments(ctx context.Context, includeArchived bool) ([]Department, error) {
	if _, err := access.RequireAdmin(ctx, "list departments"); err != nil {
		return nil, err
	}
	q := "SELECT id FROM departments"
	if !includeArchived {
		q += " WHERE archived = 0"
	}
	rows, err := s.db.Read().QueryContext(ctx, q+" ORDER BY name COLLATE NOCASE, id")
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list departments: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	out := []Department{}
	for _, id := range ids {
		d, err := getDepartment(ctx, s.db.Read(), id)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// CreateDepartment adds a department and its ledger account (admin only, audited).
func (s *Service) CreateDepartment(ctx context.Context, in DepartmentInput) (Department, error) {
	a, err := access.RequireAdmin(ctx, "create a department")
	if err != nil {
		return Department{}, err
	}
	name, overdraft, budget, _, err := in.normalize("", false)
	if err != nil {
		return Department{}, fmt.Errorf("create a department: %w", err)
	}
	var d Department
	err = s.write(ctx, func(tx *sql.Tx) error {
		if err := deptNameFree(ctx, tx, name, 0); err != nil {
			return err
		}
		now := store.FormatTimeNano(s.now())
		res, err := tx.ExecContext(ctx, `INSERT INTO departments(name, budget_minor, overdraft_minor, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?)`, name, budget, overdraft, now, now)
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		if d, err = getDepartment(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "department.create", d.Account, nil, d)
	})
	if err != nil {
		return Department{}, fmt.Errorf("create department %q: %w", name, err)
	}
	if err := s.ensureAccounts(ctx, d.Account); err != nil {
		return d, err
	}
	if err := s.applyDeptPolicy(ctx, d.ID, overdraft); err != nil {
		return d, err
	}
	return getDepartment(ctx, s.db.Read(), d.ID)
}

// deptNameFree refuses a name that is another active department's by the
// names rule (backend/namekey: case, width and look-alike letters aside),
// naming it.
func deptNameFree(ctx context.Context, tx *sql.Tx, name string, except int64) error {
	var other string
	err := tx.QueryRowContext(ctx, "SELECT name FROM departments WHERE "+keyTaken+" AND archived = 0 AND id <> ?2 ORDER BY id LIMIT 1",
		namekey.Key(name), except).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	return taken("department", other, name)
}

// DepartmentChange is what ChangeDepartment did: the department as it is
// now, and whether the change asked for is what it had already, so nothing
// was written or audited.
type DepartmentChange struct {
	Department Department `json:"department"`
	Unchanged  bool       `json:"unchanged"`
}

// UpdateDepartment renames a department or changes its overdraft or budget
// (admin only, audited): ChangeDepartment without its report.
func (s *Service) UpdateDepartment(ctx context.Context, id int64, in DepartmentInput) (Department, error) {
	ch, err := s.ChangeDepartment(ctx, id, in)
	return ch.Department, err
}

// ChangeDepartment renames a department or changes its overdraft or budget
// (admin only), audited as department.update with the department before and
// after. An input that, normalised as it would be stored (the name cleaned,
// amounts in minor units: 500 and 500.00 alike), is what the department has
// already is checked as any other, then written and audited not at all
// (Unchanged).
func (s *Service) ChangeDepartment(ctx context.Context, id int64, in DepartmentInput) (DepartmentChange, error) {
	a, err := access.RequireAdmin(ctx, "change a department")
	if err != nil {
		return DepartmentChange{}, err
	}
	saved := "" // the name it has is kept as it is (see deptName)
	if d, err := getDepartment(ctx, s.db.Read(), id); err == nil {
		saved = d.Name
	}
	name, overdraft, budget, setBudget, err := in.normalize(saved, true)
	if err != nil {
		return DepartmentChange{}, fmt.Errorf("change department %d: %w", id, err)
	}
	var out DepartmentChange
	overdraftChanged := false
	err = s.write(ctx, func(tx *sql.Tx) error {
		before, err := getDepartment(ctx, tx, id)
		if err != nil {
			return err
		}
		if was, err := parseMin(before.Overdraft); err != nil || was != overdraft {
			overdraftChanged = true
		}
		if before.Archived {
			return namedf(departmentArticle(departmentName(before.Name)) == "", ErrNotFound, "%s is archived", departmentPhrase(before.Name))
		}
		budgetChanged := false
		if was, err := parseCredits("budget", before.Budget); setBudget && (err != nil || was != budget) {
			budgetChanged = true
		}
		if name == before.Name && !overdraftChanged && !budgetChanged {
			out = DepartmentChange{Department: before, Unchanged: true}
			return nil // nothing to write, nothing to log
		}
		if name != before.Name {
			if err := deptNameFree(ctx, tx, name, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE departments SET name = ?, overdraft_minor = ?,
			budget_minor = CASE WHEN ? THEN ? ELSE budget_minor END, updated_at = ? WHERE id = ?`,
			name, overdraft, setBudget, budget, store.FormatTimeNano(s.now()), id); err != nil {
			return err
		}
		if out.Department, err = getDepartment(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "department.update", out.Department.Account, before, out.Department)
	})
	if err != nil {
		return DepartmentChange{}, fmt.Errorf("change department %d: %w", id, err)
	}
	// Only a changed overdraft sets the department's policy: one set with
	// `credits policy` survives a rename or a new budget.
	if overdraftChanged {
		if err := s.applyDeptPolicy(ctx, id, overdraft); err != nil {
			return out, err
		}
	}
	return out, nil
}

// ArchiveDepartment retires an empty department (no members, zero balance;
// admin only, audited): one with members, credits or a debt is refused
// with ErrNotEmpty, one a send in progress holds credits on with ErrBusy. Its ledger history stays. Its account ends with it,
// in the same transaction, as a removed member's wallet does
// (endAccountTx): its overdraft ends (policy blocked, logged as
// credits.policy when it changes; the department's overdraft becomes 0),
// its auto-recharge rule is removed (recharge.remove) and its alerts stop.
func (s *Service) ArchiveDepartment(ctx context.Context, id int64) error {
	a, err := access.RequireAdmin(ctx, "archive a department")
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		before, err := getDepartment(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Archived {
			return nil
		}
		if before.Members > 0 {
			if before.Members == 1 {
				return reasonf(ErrNotEmpty, "move its member to another department first")
			}
			return reasonf(ErrNotEmpty, "move its %d members to another department first", before.Members)
		}
		// The debt and the balance below are amounts to move: they stay
		// canonical (money.Parse reads them; a grouped 1,250.00 it refuses).
		if strings.HasPrefix(before.Balance, "-") {
			return reasonf(ErrNotEmpty, "it owes %s credits: move that much from the pool to it first", strings.TrimPrefix(before.Balance, "-"))
		}
		if reserved := reservedOf(before); reserved.Sign() > 0 {
			// A send's hold: the balance cannot be moved while it lasts,
			// and archiving would leave the send's charge nowhere.
			return reasonf(ErrBusy, "a send in progress has %s credits reserved; try again when it ends", money.Display(reserved))
		}
		if before.Balance != "0" {
			return reasonf(ErrNotEmpty, "move its balance of %s credits back to the pool first", before.Balance)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE departments SET archived = 1, overdraft_minor = 0, updated_at = ? WHERE id = ?",
			store.FormatTimeNano(s.now()), id); err != nil {
			return err
		}
		after := before
		after.Archived, after.Overdraft = true, "0"
		if err := s.audit(ctx, tx, a, "department.archive", before.Account, before, after); err != nil {
			return err
		}
		return s.endAccountTx(ctx, tx, a, before.Account)
	})
	if err != nil {
		return fmt.Errorf("archive department %d: %w", id, err)
	}
	return nil
}

// reservedOf is what a department's pending holds reserve: its balance
// less what is available.
func reservedOf(d Department) decimal.Decimal {
	bal, err1 := decimal.NewFromString(d.Balance)
	avail, err2 := decimal.NewFromString(d.Available)
	if err1 != nil || err2 != nil {
		return decimal.Zero
	}
	return bal.Sub(avail)
}

func (s *Service) applyDeptPolicy(ctx context.Context, id int64, overdraftMinor int64) error {
	p := ledger.Policy{Kind: ledger.PolicyBlocked, Limit: money.Zero}
	if overdraftMinor > 0 {
		p = ledger.Policy{Kind: ledger.PolicyOverdraft, Limit: money.FromMinor(overdraftMinor)}
	}
	if err := s.led.SetPolicy(access.WithActor(ctx, access.System), deptAccount(id), p); err != nil {
		return fmt.Errorf("overdraft of department %d: %w", id, err)
	}
	return nil
}

// MoveRequest moves credits between the pool and departments (a ledger
// transfer). A zero department id means the pool.
type MoveRequest struct {
	ID     string `json:"id"` // idempotency id (a UUID); "" = generated
	From   int64  `json:"from"`
	To     int64  `json:"to"`
	Amount string `json:"amount"`
	Note   string `json:"note"`
}

// Allocate moves amount from the pool to a department's credits (admin
// only, audited). The department's alert budget (the reference for percent
// alerts) becomes what it has to spend afterwards: its balance after the
// allocation, the debt it repaid not counted. An allocation that leaves the
// balance at or below zero (it only reduced a debt) keeps the alert budget
// it had, so that it is never negative and percent alerts keep working.
func (s *Service) Allocate(ctx context.Context, deptID int64, amount, id string) (ledger.Transfer, error) {
	return s.MoveCredits(ctx, MoveRequest{ID: id, From: 0, To: deptID, Amount: amount})
}

// MoveCredits transfers credits pool->department, department->department or
// department->pool as one ledger transfer (admin only, audited in the same
// transaction).
func (s *Service) MoveCredits(ctx context.Context, in MoveRequest) (ledger.Transfer, error) {
	a, err := access.RequireAdmin(ctx, "move credits between departments")
	if err != nil {
		return ledger.Transfer{}, err
	}
	amt, err := money.ParsePositive(in.Amount)
	if err != nil {
		return ledger.Transfer{}, fmt.Errorf("move credits: %w", inputerr.New(ErrInvalid, "%v", err))
	}
	if in.From == in.To {
		return ledger.Transfer{}, fmt.Errorf("move credits: %w", inputerr.New(ErrInvalid, "from and to are the same account"))
	}
	if utf8.RuneCountInString(in.Note) > 500 {
		return ledger.Transfer{}, fmt.Errorf("move credits: %w", inputerr.New(ErrInvalid, "a note has at most 500 characters"))
	}
	if err := textcheck.Line(in.Note); err != nil {
		return ledger.Transfer{}, fmt.Errorf("move credits: %w", inputerr.New(ErrInvalid, "the note: %v", err))
	}
	// A replay of a move already made is answered by the ledger as before,
	// even if a department has been archived since; a new move needs both
	// departments open.
	replay := false
	if in.ID != "" {
		replay, _ = s.led.Seen(ctx, in.ID)
	}
	for _, id := range []int64{in.From, in.To} {
		if replay {
			break
		}
		if err := checkDepartment(ctx, s.db.Read(), id); err != nil {
			return ledger.Transfer{}, fmt.Errorf("move credits: %w", err)
		}
	}
	acct := func(id int64) string {
		if id == 0 {
			return ledger.AccountPool
		}
		return deptAccount(id)
	}
	from, to := acct(in.From), acct(in.To)
	if in.ID == "" {
		in.ID = newID("move")
	}
	meta, _ := json.Marshal(map[string]string{"note": in.Note, "by": a.Name})
	t, err := s.led.Transfer(ctx, ledger.TransferRequest{
		ID: in.ID, Op: ledger.OpTransfer, From: from, To: to, Amount: amt,
		Dims: ledger.Dims{DepartmentID: in.To}, Meta: meta, Audited: true, // credits.move below
		Attach: func(ctx context.Context, tx *sql.Tx, t ledger.Transfer) error {
			if in.To != 0 && in.From == 0 { // an allocation: see Allocate
				if _, err := tx.ExecContext(ctx, `UPDATE departments SET budget_minor = b.balance, updated_at = ?
					FROM (SELECT balance_minor AS balance FROM ledger_accounts WHERE code = ?) AS b
					WHERE id = ? AND b.balance > 0`,
					store.FormatTimeNano(s.now()), to, in.To); err != nil {
					return err
				}
			}
			return s.audit(ctx, tx, a, "credits.move", to, map[string]string{"from": from},
				map[string]string{"from": from, "to": to, "amount": money.String(amt), "note": in.Note})
		},
	})
	if errors.Is(err, ledger.ErrInsufficientFunds) {
		return ledger.Transfer{}, s.shortOf(ctx, in.From, from, amt, err)
	}
	if err != nil {
		return ledger.Transfer{}, fmt.Errorf("move %s credits from %s to %s: %w", in.Amount,
			sideName(ctx, s.db.Read(), in.From), sideName(ctx, s.db.Read(), in.To), err)
	}
	// The side the credits left may have fallen below a threshold and the
	// side they reached be above one again: the ledger's move hook
	// (AfterMove) evaluated both once the move committed (a replay moved
	// nothing, and evaluates nothing).
	return t, nil
}

// sideName is how a move names one side: "the pool" or the department's
// name ("department N" when it cannot be read).
func sideName(ctx context.Context, q queryer, id int64) string {
	if id == 0 {
		return "the pool"
	}
	var name string
	if q.QueryRowContext(ctx, "SELECT name FROM departments WHERE id = ?", id).Scan(&name) != nil {
		return fmt.Sprintf("department %d", id)
	}
	return name
}

// shortOf says why a move was refused for want of credits in plain words:
// "Research has only 112 credits available; this move needs 500". What is
// available is what the account's policy lets it spend now: its balance,
// less what sends in progress reserve, plus its overdraft. err (the
// ledger's, with the account code and policy) stays what errors.Is sees.
func (s *Service) shortOf(ctx context.Context, id int64, account string, amount decimal.Decimal, err error) error {
	name := sideName(ctx, s.db.Read(), id)
	if id == 0 {
		name = "The pool"
	}
	var available, limit int64
	var policy string
	if s.db.Read().QueryRowContext(ctx, "SELECT balance_minor - pending_minor, policy, limit_minor FROM ledger_accounts WHERE code = ?",
		account).Scan(&available, &policy, &limit) != nil {
		return namedf(id != 0, err, "%s has too few credits available; this move needs %s", name, money.Display(amount))
	}
	switch ledger.PolicyKind(policy) {
	case ledger.PolicyOverdraft:
		available += limit
	case ledger.PolicyMinimum:
		available -= limit
	}
	if available <= 0 {
		return namedf(id != 0, err, "%s has no credits available; this move needs %s", name, money.Display(amount))
	}
	return namedf(id != 0, err, "%s has only %s credits available; this move needs %s", name, money.DisplayMinor(available), money.Display(amount))
}

// newID returns a random idempotency id with a prefix.
func newID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + ":" + hex.EncodeToString(b)
}
