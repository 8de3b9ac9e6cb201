package team

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/people"
	"meterdesk/backend/store"
)

// KeyAlerts is the settings key holding AlertSettings as JSON.
const KeyAlerts = "team.alerts"

// AlertSettings are the balance thresholds that raise a notification, once
// per crossing (re-armed when the balance rises above the threshold again).
type AlertSettings struct {
	Absolute []string `json:"absolute"` // credits, e.g. ["100", "10"]
	Percent  []string `json:"percent"`  // percent of the budget or the last credit funding the account (lastFunding), e.g. ["20", "10"]
	Depleted bool     `json:"depleted"` // alert when the balance reaches zero
	Desktop  bool     `json:"desktop"`  // also show an OS desktop notification
}

// DefaultAlertSettings: 100 and 10 credits, 20% and 10%, depleted, desktop on.
func DefaultAlertSettings() AlertSettings {
	return AlertSettings{Absolute: []string{"100", "10"}, Percent: []string{"20", "10"}, Depleted: true, Desktop: true}
}

// thresholdSeparators is why a comma in a list of thresholds is refused:
// "2,500" may be two thresholds or two and a half thousand, "12,5" twelve
// and a half or two thresholds.
const thresholdSeparators = "use a point for decimals and spaces or ';' between thresholds"

// ParseThresholds reads a list of thresholds as a person types it, the
// window and the CLI alike: separated by white space or ';' ("100 10",
// "100; 10"). A comma is refused, being neither a separator nor a decimal
// point. Each threshold is checked by SetAlertSettings.
func ParseThresholds(s string) ([]string, error) {
	if strings.Contains(s, ",") {
		return nil, inputerr.New(ErrInvalid, "thresholds %q: %s", strings.TrimSpace(s), thresholdSeparators)
	}
	out := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || unicode.IsSpace(r) })
	if out == nil {
		out = []string{}
	}
	return out, nil
}

// normalize checks the settings and returns them as they are stored: each
// list with its repeats dropped (100 and 100.00 are one threshold) and
// sorted from the highest threshold down, so that the same thresholds
// given in another order ("10 100" for "100 10") are the same settings.
// The order never mattered: each crossing is evaluated on its own
// (thresholds).
func (a AlertSettings) normalize() (AlertSettings, error) {
	out := AlertSettings{Depleted: a.Depleted, Desktop: a.Desktop, Absolute: []string{}, Percent: []string{}}
	for _, v := range append(append([]string{}, a.Absolute...), a.Percent...) {
		if strings.Contains(v, ",") {
			return out, inputerr.New(ErrInvalid, "threshold %q: %s", v, thresholdSeparators)
		}
	}
	var abs, pct []decimal.Decimal
	for _, v := range a.Absolute {
		d, err := money.ParsePositive(v)
		if err != nil {
			return out, inputerr.New(ErrInvalid, "%v", money.Named("absolute threshold", err))
		}
		abs = append(abs, d)
	}
	for _, v := range a.Percent {
		d, err := money.ParsePositive(v)
		if err != nil || d.GreaterThan(decimal.NewFromInt(100)) || d.Exponent() < -2 {
			return out, inputerr.New(ErrInvalid, "percent threshold %q (want more than 0 and at most 100, two decimals)", v)
		}
		pct = append(pct, d)
	}
	out.Absolute, out.Percent = thresholdList(abs), thresholdList(pct)
	if len(out.Absolute) > 10 || len(out.Percent) > 10 {
		return out, inputerr.New(ErrInvalid, "at most 10 thresholds of each kind")
	}
	return out, nil
}

// thresholdList is ds as AlertSettings stores a list: highest first, each
// value once, in its shortest form ("100", not "100.00").
func thresholdList(ds []decimal.Decimal) []string {
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].GreaterThan(ds[j]) })
	out := []string{}
	for i, d := range ds {
		if i > 0 && d.Equal(ds[i-1]) {
			continue
		}
		out = append(out, d.String())
	}
	return out
}

// AlertSettings returns the alert settings (any signed-in actor).
func (s *Service) AlertSettings(ctx context.Context) (AlertSettings, error) {
	if _, err := access.Current(ctx); err != nil {
		return AlertSettings{}, fmt.Errorf("read alert settings: %w", err)
	}
	return s.alertSettings(ctx, s.db.Read())
}

func (s *Service) alertSettings(ctx context.Context, q queryer) (AlertSettings, error) {
	var raw string
	err := q.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", KeyAlerts).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultAlertSettings(), nil
	}
	if err != nil {
		return AlertSettings{}, fmt.Errorf("read alert settings: %w", err)
	}
	var a AlertSettings
	if err := json.Unmarshal([]byte(raw), &a); err != nil {
		return AlertSettings{}, fmt.Errorf("read alert settings: %w", err)
	}
	return a, nil
}

// SetAlertSettings changes the thresholds (admin only, audited as
// alerts.update): ChangeAlertSettings without its report.
func (s *Service) SetAlertSettings(ctx context.Context, in AlertSettings) (AlertSettings, error) {
	ch, err := s.ChangeAlertSettings(ctx, in)
	return ch.AlertSettings, err
}

// AlertSettingsChange is what ChangeAlertSettings did: the settings as they
// are now (at the top level of its JSON) and whether they were in force
// already, so nothing was written or audited.
type AlertSettingsChange struct {
	AlertSettings
	Unchanged bool `json:"unchanged"`
}

// ChangeAlertSettings changes the thresholds (admin only, audited as
// alerts.update) and reports what it did. Each list is stored normalised
// (normalize: repeats dropped, highest first), so the settings in force
// already (100 and 100.00 alike, "10 100" for "100 10", the defaults before
// any save) are checked as any other, then written and audited not at all
// (Unchanged). An invalid threshold is refused with nothing written.
func (s *Service) ChangeAlertSettings(ctx context.Context, in AlertSettings) (AlertSettingsChange, error) {
	a, err := access.RequireAdmin(ctx, "change alert settings")
	if err != nil {
		return AlertSettingsChange{}, err
	}
	n, err := in.normalize()
	if err != nil {
		return AlertSettingsChange{}, fmt.Errorf("change alert settings: %w", err)
	}
	raw, _ := json.Marshal(n)
	unchanged := false
	err = s.write(ctx, func(tx *sql.Tx) error {
		unchanged = false
		before, err := s.alertSettings(ctx, tx)
		if err != nil {
			return err
		}
		if was, err := before.normalize(); err == nil {
			if wasRaw, _ := json.Marshal(was); string(wasRaw) == string(raw) {
				unchanged = true
				return nil // the settings it has already: nothing to write, nothing to log
			}
		}
		if err := store.SetSettingTx(ctx, tx, KeyAlerts, string(raw)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "alerts.update", "alerts", before, n)
	})
	if err != nil {
		return AlertSettingsChange{}, fmt.Errorf("change alert settings: %w", err)
	}
	return AlertSettingsChange{AlertSettings: n, Unchanged: unchanged}, nil
}

// threshold is one armed level for one account.
type threshold struct {
	key      string // stored in alert_state
	minor    int64  // crossed when the balance is below it (depleted: at or below 0)
	label    string
	level    string
	depleted bool
}

func (t threshold) crossed(balance int64) bool {
	if t.depleted {
		return balance <= 0
	}
	return balance < t.minor
}

// thresholds lists the account's thresholds, most severe last.
func thresholds(set AlertSettings, reference int64) []threshold {
	var out []threshold
	for _, v := range set.Absolute {
		d, err := money.Parse(v)
		if err != nil {
			continue
		}
		out = append(out, threshold{key: "abs:" + d.String(), minor: money.MustMinor(d), label: money.Display(d) + " credits", level: LevelWarning})
	}
	if reference > 0 {
		for _, v := range set.Percent {
			p, err := money.Parse(v)
			if err != nil {
				continue
			}
			m := money.FromMinor(reference).Mul(p).Div(decimal.NewFromInt(100))
			out = append(out, threshold{key: "pct:" + p.String(), minor: money.MustMinor(money.Round(m)),
				label: p.String() + "% of " + money.DisplayMinor(reference) + " credits", level: LevelWarning})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].minor > out[j].minor })
	if set.Depleted {
		out = append(out, threshold{key: "depleted", label: "zero", level: LevelCritical, depleted: true})
	}
	return out
}

// accountState reads an account's balance and the reference for percent
// alerts: a department's alert budget when it has one above zero (set by an
// allocation from the pool; a negative one stored by an earlier version
// counts as none), otherwise the amount of the last credit that funded the
// account (lastFunding).
func accountState(ctx context.Context, q queryer, account string) (balance, reference int64, err error) {
	var id int64
	err = q.QueryRowContext(ctx, "SELECT id, balance_minor FROM ledger_accounts WHERE code = ?", account).Scan(&id, &balance)
	if err != nil {
		return 0, 0, fmt.Errorf("balance of %s: %w", account, err)
	}
	if strings.HasPrefix(account, "dept:") {
		err = q.QueryRowContext(ctx, "SELECT budget_minor FROM departments WHERE 'dept:' || id = ?", account).Scan(&reference)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, 0, fmt.Errorf("budget of %s: %w", account, err)
		}
	}
	if reference <= 0 {
		if reference, err = lastFunding(ctx, q, account, id); err != nil {
			return 0, 0, err
		}
	}
	return balance, reference, nil
}

// lastFunding is the amount of the latest posted credit that funded the
// account (0 when none): a top-up, a grant, or, for a department or a
// wallet, a transfer into it (credits given from the pool, a move from
// another department, an auto-recharge, a member's transfer). Credits that
// reached the pool by a transfer are departments' credits coming back, not
// funding, so the pool's reference stays its last top-up or grant.
// Refunds and adjustments are corrections, not funding. The account's
// credits are read newest first by ledger_transfers_credit (an account's
// sends debit it, so the first match is found at once).
func lastFunding(ctx context.Context, q queryer, account string, id int64) (int64, error) {
	ops := "'topup', 'grant', 'transfer'"
	if account == "pool" {
		ops = "'topup', 'grant'"
	}
	var amount int64
	err := q.QueryRowContext(ctx, `SELECT amount_minor FROM ledger_transfers
		WHERE credit_id = ? AND kind = 'posted' AND op IN (`+ops+`) ORDER BY id DESC LIMIT 1`, id).Scan(&amount)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("last credit of %s: %w", account, err)
	}
	return amount, nil
}

// accountWords is how a notification names an account in its sentences:
// start where the name begins a sentence ("The Research department is
// running low"), mid within one ("Moved 10.00 credits from the pool to the
// Research department."). A member's wallet is "bob's wallet" in both (a
// name is never re-cased), and the wallet's owner reads "Your wallet" /
// "your wallet" (yourWallet).
type accountWords struct{ start, mid string }

// yourWallet names a member's wallet to the member themself.
var yourWallet = accountWords{start: "Your wallet", mid: "your wallet"}

// wordsOf is the words of an account named by a phrase that reads
// mid-sentence with a leading "the " ("the workspace pool", "the Research
// department"), capitalised at a sentence's start.
func wordsOf(mid string) accountWords {
	if rest, ok := strings.CutPrefix(mid, "the "); ok {
		return accountWords{start: "The " + rest, mid: mid}
	}
	return accountWords{start: mid, mid: mid}
}

// beginsSentence reports whether what follows before begins a sentence:
// before is empty or ends with a full stop (and spaces).
func beginsSentence(before string) bool {
	before = strings.TrimRight(before, " ")
	return before == "" || strings.HasSuffix(before, ".")
}

// replaceName puts w wherever old stands in text: its start form where
// it begins a sentence, its mid form elsewhere. old is the name as the text
// was written with it, in whichever form (and earlier versions' "Department
// Research" alike), so a notification stored once reads right after a
// rename and for each reader.
func replaceName(text, old string, w accountWords) string {
	if old == "" {
		return text
	}
	var b strings.Builder
	for {
		i := strings.Index(text, old)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		if beginsSentence(b.String()) {
			b.WriteString(w.start)
		} else {
			b.WriteString(w.mid)
		}
		text = text[i+len(old):]
	}
}

// accountName is how notifications name an account: "The workspace pool",
// "The Research department" ("the Research department" mid-sentence, as
// Payer.Phrase names a member's own department to them), "Robert's
// wallet", the department and the member named by people's rule
// ("The Research department (archived)", "bob (removed)'s wallet"); the
// account's code when it names no department or member.
func accountName(ctx context.Context, q queryer, account string) accountWords {
	if w, ok := accountLabel(ctx, q, account); ok {
		return w
	}
	return accountWords{start: account, mid: account}
}

// accountLabel is accountName, false when the account names no
// department or member (or they cannot be read).
func accountLabel(ctx context.Context, q queryer, account string) (accountWords, bool) {
	switch {
	case account == "pool":
		return wordsOf("the workspace pool"), true
	case strings.HasPrefix(account, "dept:"):
		var name string
		var archived bool
		if q.QueryRowContext(ctx, "SELECT name, archived <> 0 FROM departments WHERE 'dept:' || id = ?", account).Scan(&name, &archived) == nil {
			w := wordsOf(departmentPhrase(name))
			if archived {
				w.start += people.ArchivedMark
				w.mid += people.ArchivedMark
			}
			return w, true
		}
	case strings.HasPrefix(account, "user:"):
		var name string
		if q.QueryRowContext(ctx, "SELECT md_member_label(name, display_name, status) FROM users WHERE 'user:' || id = ?",
			account).Scan(&name) == nil {
			return accountWords{start: name + "'s wallet", mid: name + "'s wallet"}, true
		}
	}
	return accountWords{}, false
}

// evaluate fires the alerts the account's balance has newly crossed (one
// notification for the most severe) and re-arms those it is above again.
// With catchUp (CatchUpAlerts) it only fires, and only a threshold the
// account's last debit crossed (missed).
func (s *Service) evaluate(ctx context.Context, account string, catchUp bool) error {
	s.alertMu.Lock()
	defer s.alertMu.Unlock()
	set, err := s.alertSettings(ctx, s.db.Prepared())
	if err != nil {
		return err
	}
	if !s.alertsMayChange(ctx, s.db.Prepared(), set, account, catchUp) {
		return nil // nothing to fire or re-arm: no write transaction
	}
	var fired []Notification
	err = s.write(ctx, func(tx *sql.Tx) error {
		st, err := readAlertAccount(ctx, s.db.PreparedTx(tx), account)
		if err != nil {
			return err
		}
		if st.ended {
			return nil // removed or archived meanwhile: its alerts ended with it
		}
		balance, state, last := st.balance, st.state, st.last
		reference := st.reference
		var worst *threshold
		for _, t := range thresholds(set, reference) {
			t := t
			_, fired := state[t.key]
			switch {
			case t.fires(balance, state[t.key], last) && (!catchUp || t.missed(last)):
				if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO alert_state(account, threshold, crossed_at) VALUES (?, ?, ?)",
					account, t.key, store.FormatTimeNano(s.now())); err != nil {
					return err
				}
				worst = &t
			case catchUp:
				// fires only: re-arming is left to the next charge or move
			case !t.crossed(balance) && fired:
				if _, err := tx.ExecContext(ctx, "DELETE FROM alert_state WHERE account = ? AND threshold = ?", account, t.key); err != nil {
					return err
				}
			}
			delete(state, t.key)
		}
		for k := range state { // thresholds no longer configured (left as they are on a catch-up)
			if catchUp {
				break
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM alert_state WHERE account = ? AND threshold = ?", account, k); err != nil {
				return err
			}
		}
		if worst == nil {
			return nil
		}
		name := accountName(ctx, tx, account).start // both sentences begin with it
		n := Notification{Kind: KindAlert, Level: worst.level, Account: account, named: name}
		if worst.depleted {
			n.Title = name + " is out of credits"
			n.Body = fmt.Sprintf("%s has %s credits left. %s", name, money.DisplayMinor(balance), adminTopUpOrMove)
		} else {
			n.Title = name + " is running low"
			n.Body = fmt.Sprintf("%s has %s credits left, below %s.", name, money.DisplayMinor(balance), worst.label)
		}
		n, err = s.insertNotification(ctx, tx, n)
		if err != nil {
			return err
		}
		fired = append(fired, n)
		return nil
	})
	if err != nil {
		return fmt.Errorf("evaluate alerts for %s: %w", account, err)
	}
	s.emit(fired, set.Desktop)
	return nil
}

// AfterCharge is called by chat after a settlement: it runs auto-recharge
// for the payer account, then evaluates its alerts (and the pool's, which a
// recharge draws on), once each: the recharge's transfer is kept from the
// move hook (ledger.TransferRequest.Unhooked), which would evaluate the
// same two accounts again. It runs as the system and never fails the
// caller; problems become notifications where useful.
func (s *Service) AfterCharge(ctx context.Context, payerAccount string) {
	sys := access.WithActor(context.WithoutCancel(ctx), access.System)
	_ = s.recharge(sys, payerAccount)
	accounts := []string{payerAccount}
	if payerAccount != "pool" {
		accounts = append(accounts, "pool")
	}
	s.checkAlerts(sys, accounts)
}

// AfterMove is the ledger's move hook (ledger.MoveHook, installed by core.Open):
// after a transfer, a grant, a refund, an adjustment or an expiry commits,
// it evaluates the alerts of the accounts it moved credits between, as
// AfterCharge does after a charge, so a wallet, a department or the pool a
// move took below a threshold warns at once (and one lifted above it again
// is re-armed), not at its next charge. It runs as the system and never
// fails the caller.
func (s *Service) AfterMove(ctx context.Context, accounts []string) {
	s.checkAlerts(access.WithActor(context.WithoutCancel(ctx), access.System), accounts)
}

// checkAlerts evaluates the balance alerts of each account in turn (the
// check after a charge and after any other move alike); an account's
// failure does not stop the others.
func (s *Service) checkAlerts(ctx context.Context, accounts []string) {
	for _, a := range accounts {
		evaluating(a)
		_ = s.evaluate(ctx, a, false)
	}
}

// CatchUpAlerts raises the balance alerts a crash kept from being raised:
// AfterMove and AfterCharge run after their move's commit, so a process
// ended between the two (killed, a power cut) committed a move that took an
// account below a threshold and told no one. core.Open calls it once, at
// start-up: for each pool, department and wallet account whose last
// balance change was a debit, a threshold that debit crossed (the balance
// before it at or above, after it below) fires now unless it fired after
// that debit (alert_state's crossed_at: the alert was raised, by the hook,
// the charge's check or an earlier start). So a missed crossing is raised
// once, at the next start of any Meterdesk process, and one raised already
// is not raised again. The rule reads only the last debit and the fired
// alerts, not when a threshold was configured: a threshold set (setting it
// evaluates nothing) after the debit that went across it is raised at the
// next start too, once, as the next charge would raise it. It only fires:
// re-arming, and dropping the state of thresholds no longer configured,
// are left to the next charge or move, so a start writes only the alerts
// it raises, and one with none to raise writes nothing. The accounts are
// found in one statement that returns only those with a crossing to raise
// (missedAlerts), so a start pays one read, not one per account.
// It runs as the system and reports no failure (an account that cannot be
// read is skipped).
func (s *Service) CatchUpAlerts(ctx context.Context) {
	sys := access.WithActor(context.WithoutCancel(ctx), access.System)
	set, err := s.alertSettings(sys, s.db.Prepared())
	if err != nil {
		return
	}
	for _, a := range s.missedAlerts(sys, set) {
		evaluating(a)
		_ = s.evaluate(sys, a, true) // decides again, under alertMu, in its write transaction
	}
}

// missedAlerts lists, in one statement on the read pool, the accounts with
// a missed crossing to raise (CatchUpAlerts): of the pool, departments and
// wallets whose last transfer debited them, those for which missedCrossing
// holds. The statement returns only the accounts whose last debit went
// across a configured threshold (crossingFilter), so an ordinary start,
// with none, reads no account's row into Go, however large the team (it
// read each account in a statement of its own before). missedCrossing then
// decides on those few, with the fired alerts.
func (s *Service) missedAlerts(ctx context.Context, set AlertSettings) []string {
	filter, args := crossingFilter(set)
	if filter == "" {
		return nil // no threshold configured: nothing can be missed
	}
	rows, err := s.db.Read().QueryContext(ctx, alertAccountSelect+lastDebitJoin+
		`WHERE (a.code = 'pool' OR a.code LIKE 'dept:%' OR a.code LIKE 'user:%') AND t.amount_minor > 0 AND (`+filter+`)
		ORDER BY a.id`, args...)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		code, st, err := scanAlertAccount(rows)
		if err == nil && missedCrossing(set, st) {
			out = append(out, code)
		}
	}
	return out
}

// crossingFilter is SQL for missedAlerts' WHERE (on a, the account, and t,
// its last debit): true when that debit took the balance from at or above
// one of set's thresholds to below it (depleted: from above zero to zero or
// less), whatever was fired since. It keeps every account missedCrossing
// may pick, and more only where a percent threshold's rounding is in doubt:
// a percent threshold is the reference times p/100 rounded to the minor
// unit, which lies between F = floor(reference * p / 100) and F + 1, so
// the filter asks for balance <= F <= balance + debit, F computed in
// integers without overflow. A percent with more than two decimals (which
// SetAlertSettings refuses) leaves the percent thresholds unfiltered (any
// reference above zero). "" when set has no threshold.
func crossingFilter(set AlertSettings) (string, []any) {
	var or []string
	var args []any
	for _, t := range thresholds(set, 0) { // the absolute ones and depleted
		if t.depleted {
			or = append(or, "(a.balance_minor <= 0 AND a.balance_minor + t.amount_minor > 0)")
			continue
		}
		or = append(or, "(a.balance_minor < ? AND a.balance_minor + t.amount_minor >= ?)")
		args = append(args, t.minor, t.minor)
	}
	var pct []string
	for _, v := range set.Percent {
		p, err := money.Parse(v)
		if err != nil {
			continue // as thresholds: not a threshold
		}
		h := p.Shift(2) // hundredths of a percent: reference * h / 10000
		if !h.IsInteger() || h.Sign() <= 0 || h.GreaterThan(decimal.NewFromInt(10000)) {
			pct = []string{"TRUE"}
			break
		}
		f := fmt.Sprintf("((r / 10000) * %[1]d + ((r %% 10000) * %[1]d) / 10000)", h.IntPart())
		pct = append(pct, "(a.balance_minor <= "+f+" AND "+f+" <= a.balance_minor + t.amount_minor)")
	}
	if len(pct) > 0 {
		// The reference is read once per account: LIMIT 1 keeps SQLite
		// from copying its subquery into each use of r.
		or = append(or, "EXISTS (SELECT 1 FROM (SELECT "+alertReference+" AS r LIMIT 1) WHERE r > 0 AND ("+strings.Join(pct, " OR ")+"))")
	}
	return strings.Join(or, " OR "), args
}

// missedCrossing reports whether the account's last debit crossed a
// threshold whose alert was not raised after it (fires and missed): what
// a catch-up evaluation would fire.
func missedCrossing(set AlertSettings, st alertAccount) bool {
	if st.ended {
		return false // a removed member's wallet or an archived department raises no alerts
	}
	for _, t := range thresholds(set, st.reference) {
		if t.fires(st.balance, st.state[t.key], st.last) && t.missed(st.last) {
			return true
		}
	}
	return false
}

// evaluating is told each account checkAlerts evaluates (tests count them).
var evaluating = func(account string) {}

// alertsMayChange reports, from q (the read pool, or a posting's
// transaction), whether evaluate would fire or re-arm any alert of account
// (true on any doubt, e.g. a read error). After most charges nothing
// crosses a threshold, and this spares every send a write transaction
// (evaluate holds alertMu, so no evaluation of this process runs between
// its check and its write).
func (s *Service) alertsMayChange(ctx context.Context, q queryer, set AlertSettings, account string, catchUp bool) bool {
	st, err := readAlertAccount(ctx, q, account)
	if err != nil {
		return true
	}
	if catchUp {
		return missedCrossing(set, st)
	}
	if st.ended {
		return false // a removed member's wallet or an archived department raises no alerts
	}
	for _, t := range thresholds(set, st.reference) {
		_, fired := st.state[t.key]
		if t.crossed(st.balance) != fired || t.fires(st.balance, st.state[t.key], st.last) {
			return true
		}
		delete(st.state, t.key)
	}
	return len(st.state) > 0 // thresholds no longer configured are removed
}

// alertAccount is what an alert evaluation reads of one account
// (readAlertAccount).
type alertAccount struct {
	// ended: the wallet of a removed member or the account of an archived
	// department. Such an account raises no balance alerts: no one spends
	// from it, and its state was dropped when it ended (endAccountTx); a
	// send that settles after the removal, or credits moved out of it,
	// warn no one.
	ended     bool
	balance   int64
	reference int64             // for percent alerts (accountState's)
	state     map[string]string // the balance alerts (not auto-recharge markers) fired now -> when each fired
	last      lastDebit         // the account's last transfer, when it debited the account (a posted transfer or a hold's posting)
}

// alertAccountSelect reads, for each row of ledger_accounts a it is
// given (its WHERE), what an alert evaluation needs of the account, in
// scanAlertAccount's order: its code, balance, whether it ended (a removed
// member's wallet, an archived department), its reference for percent
// alerts (a department's alert budget when above zero, otherwise the last
// credit that funded it: lastFunding's rule, the pool's being its last
// top-up or grant), its last transfer when that debited it (t) and its
// fired alerts. Each account's member or department is found from its
// code ("user:ID", "dept:ID"), so one statement serves one account
// (readAlertAccount) and every account (CatchUpAlerts) alike.
const alertAccountSelect = `SELECT a.code, a.balance_minor,
	CASE WHEN a.code LIKE 'user:%' THEN COALESCE((SELECT status = 'removed' FROM users WHERE id = CAST(substr(a.code, 6) AS INTEGER)), 0)
		WHEN a.code LIKE 'dept:%' THEN COALESCE((SELECT archived <> 0 FROM departments WHERE id = CAST(substr(a.code, 6) AS INTEGER)), 0)
		ELSE 0 END,
	` + alertReference + `,
	t.amount_minor, t.created_at,
	(SELECT group_concat(threshold || char(31) || crossed_at, char(30)) FROM alert_state
		WHERE account = a.code AND threshold NOT LIKE 'recharge%')
	FROM ledger_accounts a
	`

// alertReference is the account a's reference for percent alerts, 0 when
// none (accountState's rule, in SQL).
const alertReference = `COALESCE(CASE WHEN a.code LIKE 'dept:%' THEN (SELECT budget_minor FROM departments
		WHERE id = CAST(substr(a.code, 6) AS INTEGER) AND budget_minor > 0) END,
		(SELECT amount_minor FROM ledger_transfers WHERE credit_id = a.id AND kind = 'posted'
			AND (op IN ('topup', 'grant') OR (op = 'transfer' AND a.code <> 'pool')) ORDER BY id DESC LIMIT 1), 0)`

// lastDebitJoin joins an account's last transfer when it debited the
// account (a posted transfer or a hold's posting).
const lastDebitJoin = `JOIN ledger_transfers t ON t.id = a.last_transfer_id AND t.debit_id = a.id AND t.kind IN ('posted', 'post')
	`

// scanAlertAccount reads one row of alertAccountSelect.
func scanAlertAccount(sc interface{ Scan(...any) error }) (string, alertAccount, error) {
	var code string
	var st alertAccount
	var ref, lastAmount sql.NullInt64
	var lastAt, fired sql.NullString
	if err := sc.Scan(&code, &st.balance, &st.ended, &ref, &lastAmount, &lastAt, &fired); err != nil {
		return "", alertAccount{}, err
	}
	st.reference = ref.Int64
	if lastAmount.Valid {
		st.last = lastDebit{ok: true, before: st.balance + lastAmount.Int64, at: store.ParseTime(lastAt.String)}
	}
	st.state = map[string]string{}
	if fired.Valid {
		for _, kv := range strings.Split(fired.String, "\x1e") {
			k, at, _ := strings.Cut(kv, "\x1f")
			st.state[k] = at
		}
	}
	return code, st, nil
}

// readAlertAccount reads what evaluate and alertsMayChange need of account
// in one statement (they run after every charge, for the payer and the
// pool; they read it in five or six before): alertAccountSelect's row.
func readAlertAccount(ctx context.Context, q queryer, account string) (alertAccount, error) {
	_, st, err := scanAlertAccount(q.QueryRowContext(ctx, alertAccountSelect+"LEFT "+lastDebitJoin+"WHERE a.code = ?", account))
	if err != nil {
		return alertAccount{}, fmt.Errorf("alert state of %s: %w", account, err)
	}
	return st, nil
}

// lastDebit is the account's latest balance change when it was a debit:
// the balance just before it and when it was made.
type lastDebit struct {
	ok     bool
	before int64
	at     time.Time
}

// missed reports whether the account's last debit crossed t (the balance
// before it was not below t): with fires, a crossing whose alert was never
// raised (CatchUpAlerts), whenever t was configured (a threshold set after
// that debit, above the balance, is raised at the next start). A balance
// that sits below t with no debit across it (a new pool at zero, a wallet
// whose last change was a credit, a threshold set above a balance that was
// already below it before the last debit) raises nothing at start-up; the
// next charge or move decides.
func (t threshold) missed(last lastDebit) bool {
	return last.ok && !t.crossed(last.before)
}

// fires reports whether threshold t fires now: the balance is below it and
// either it has not fired, or it fired before a credit lifted the balance
// back to it (a top-up, which evaluates nothing, or a move evaluated with
// a threshold of another amount)
// and this debit took it below again. firedAt is when it last fired ("" =
// not fired).
func (t threshold) fires(balance int64, firedAt string, last lastDebit) bool {
	if !t.crossed(balance) {
		return false
	}
	if firedAt == "" {
		return true
	}
	// alert_state's crossed_at is nanosecond text (FormatTimeNano): read
	// with ParseTime it was the zero time, before every debit, so each
	// evaluation after a crossing debit fired it again.
	return last.ok && !t.crossed(last.before) && last.at.After(store.ParseTimeNano(firedAt))
}

// AccountNamed names an account for a line of the CLI as `credits balance`
// and `meterdesk chat` name one: its code, then the words a sentence names
// it with ("dept:1 (the Research department)", "pool (the workspace
// pool)", "user:2 (bob's wallet)"); the code alone when it names no
// department or member, or to a member, who may not read other accounts'
// names.
func (s *Service) AccountNamed(ctx context.Context, account string) string {
	if a, err := access.Current(ctx); err != nil || !a.IsAdmin() {
		return account
	}
	if w, ok := accountLabel(ctx, s.db.Read(), account); ok {
		return account + " (" + w.mid + ")"
	}
	return account
}
