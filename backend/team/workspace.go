package team

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
	"meterdesk/backend/textcheck"
	"meterdesk/backend/workzone"
)

// Settings keys (in the shared settings table) that describe the workspace.
// Other areas (statements, invoices) read them through Service.Workspace.
const (
	KeyName     = "workspace.name"
	KeyTaxID    = "workspace.tax_id"
	KeyAddress  = "workspace.address"
	KeyTimeZone = workzone.Key // IANA name: days and months are counted in it
	KeyIdleLock = "workspace.idle_lock_minutes"
	// KeyPricesIncludeTax is "true" when top-up prices are gross (tax
	// included): an invoice then splits the price paid into net and tax
	// instead of adding tax on top. backend/statements reads it.
	KeyPricesIncludeTax = "invoice.prices_include_tax"
)

// The currency and what a credit is worth are the ledger's credit value
// (ledger.CreditValue); the workspace reads and writes them there.

// DefaultIdleLockMinutes is how long the window stays unlocked without input.
const DefaultIdleLockMinutes = 15

// Workspace is the organisation using this Meterdesk.
type Workspace struct {
	Name            string `json:"name"`
	Currency        string `json:"currency"`    // ISO 4217, e.g. "EUR"
	CreditValue     string `json:"creditValue"` // decimal: one credit costs this much Currency
	TaxID           string `json:"taxId"`
	Address         string `json:"address"`
	TimeZone        string `json:"timeZone"`        // IANA name
	IdleLockMinutes int    `json:"idleLockMinutes"` // 0 = never lock
	// PricesIncludeTax: top-up prices include tax (gross), so that an
	// invoice's net + tax is the price paid; false: tax is added on top.
	PricesIncludeTax bool `json:"pricesIncludeTax"`
}

// WorkspaceSetup is what the first-run wizard collects: the workspace and
// its first admin.
type WorkspaceSetup struct {
	Workspace
	AdminName        string `json:"adminName"`
	AdminDisplayName string `json:"adminDisplayName"`
	SecretKind       string `json:"secretKind"` // password | pin
	Secret           string `json:"secret"`
}

// normalize validates w and fills defaults; it returns the cleaned copy.
// It is every setting's check (Setup's); PatchWorkspace checks only the
// settings a patch gives (workspaceFields' check).
func (w Workspace) normalize() (Workspace, error) {
	for _, check := range []func(*Workspace) error{
		(*Workspace).cleanName, (*Workspace).cleanCreditValue, (*Workspace).cleanTaxID,
		(*Workspace).cleanAddress, (*Workspace).cleanTimeZone, (*Workspace).cleanIdleLock,
	} {
		if err := check(&w); err != nil {
			return w, err
		}
	}
	return w, nil
}

// cleanName trims and checks the workspace name.
func (w *Workspace) cleanName() error {
	w.Name = strings.TrimSpace(w.Name)
	if w.Name == "" || utf8.RuneCountInString(w.Name) > 200 {
		return inputerr.New(ErrInvalid, "the workspace name must have 1 to 200 characters")
	}
	if err := textcheck.Line(w.Name); err != nil {
		return inputerr.New(ErrInvalid, "the workspace name: %v", err)
	}
	return nil
}

// cleanCreditValue checks the currency and what a credit is worth
// together (one setting, the ledger's credit value) and cleans both as the
// ledger stores them.
func (w *Workspace) cleanCreditValue() error {
	if err := w.cleanCurrency(); err != nil {
		return inputerr.New(ErrInvalid, "%v", err)
	}
	return w.cleanCreditAmount()
}

// cleanCurrency upper-cases and checks the currency: a three-letter code
// naming a current ISO 4217 currency, the ledger's rule for a code entered
// (ledger.CheckCurrency, which SetCreditValueTx applies too), so that a bad
// one is refused as invalid input before anything is written. Its error is
// the reason alone (no ErrInvalid).
func (w *Workspace) cleanCurrency() error {
	w.Currency = strings.ToUpper(strings.TrimSpace(w.Currency))
	if len(w.Currency) != 3 || strings.Trim(w.Currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return fmt.Errorf("currency %q is not a three-letter ISO 4217 code", w.Currency)
	}
	if ledger.CheckCurrency(w.Currency) != nil {
		return fmt.Errorf("currency %q is not an ISO 4217 currency code (such as EUR, USD, JPY)", w.Currency)
	}
	return nil
}

// cleanCreditAmount checks what a credit is worth and writes it as the
// ledger stores it.
func (w *Workspace) cleanCreditAmount() error {
	v, err := ledger.ParseCreditValue(w.CreditValue) // the ledger's rule, also `credits value`'s
	if err != nil {
		return inputerr.New(ErrInvalid, "what a credit is worth: %v", err)
	}
	w.CreditValue = v.String() // as the ledger stores it (SetCreditValueTx)
	return nil
}

// cleanTaxID trims and checks the tax id.
func (w *Workspace) cleanTaxID() error {
	w.TaxID = strings.TrimSpace(w.TaxID)
	if utf8.RuneCountInString(w.TaxID) > 64 {
		return inputerr.New(ErrInvalid, "the tax id may have at most 64 characters")
	}
	if err := textcheck.Line(w.TaxID); err != nil {
		return inputerr.New(ErrInvalid, "the tax id: %v", err)
	}
	return nil
}

// cleanAddress trims and checks the address.
func (w *Workspace) cleanAddress() error {
	w.Address = strings.TrimSpace(w.Address)
	if utf8.RuneCountInString(w.Address) > 1000 {
		return inputerr.New(ErrInvalid, "the address may have at most 1000 characters")
	}
	if err := textcheck.Lines(w.Address); err != nil {
		return inputerr.New(ErrInvalid, "the address: %v", err)
	}
	return nil
}

// cleanTimeZone trims and checks the time zone, the OS zone for none.
func (w *Workspace) cleanTimeZone() error {
	w.TimeZone = strings.TrimSpace(w.TimeZone)
	if w.TimeZone == "" {
		w.TimeZone = workzone.OS()
	}
	if w.TimeZone == "Local" {
		return inputerr.New(ErrInvalid, "time zone: give an IANA name such as Europe/Berlin")
	}
	if _, err := time.LoadLocation(w.TimeZone); err != nil {
		return inputerr.New(ErrInvalid, "time zone %q is not an IANA zone name", w.TimeZone)
	}
	return nil
}

// cleanIdleLock checks the idle lock's minutes.
func (w *Workspace) cleanIdleLock() error {
	if w.IdleLockMinutes < 0 || w.IdleLockMinutes > 24*60 {
		return inputerr.New(ErrInvalid, "idle lock must be 0 (never) to 1440 minutes")
	}
	return nil
}

func (w Workspace) settings() map[string]string {
	return map[string]string{
		KeyName: w.Name, KeyTaxID: w.TaxID,
		KeyAddress: w.Address, KeyTimeZone: w.TimeZone, KeyIdleLock: strconv.Itoa(w.IdleLockMinutes),
		KeyPricesIncludeTax: strconv.FormatBool(w.PricesIncludeTax),
	}
}

// NeedsSetup reports whether the first-run wizard must run (no member
// exists: the workspace was never set up; see HasMembers).
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.Read().QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return false, fmt.Errorf("check setup: %w", err)
	}
	return n == 0, nil
}

// HasMembers reports whether the database read through db (opened
// read-only, not migrated: store.Inspect's Look) has a member, removed ones included,
// which is what makes its workspace set up (NeedsSetup is its negation on
// a migrated database). Any schema version will do: one from before the
// team area (no users table) has none. core.Open (RequireWorkspace) asks
// it before anything is written to a database.
func HasMembers(ctx context.Context, db *sql.DB) (bool, error) {
	var tables int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'users'").Scan(&tables); err != nil {
		return false, fmt.Errorf("check setup: %w", err)
	}
	if tables == 0 {
		return false, nil
	}
	var has bool
	if err := db.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM users)").Scan(&has); err != nil {
		return false, fmt.Errorf("check setup: %w", err)
	}
	return has, nil
}

// CheckSetup checks in as Setup does before it writes anything: the
// workspace's fields, the admin's name and kind of secret and, with
// secret, the password or PIN itself. It touches nothing, so that a caller
// can refuse bad input before it makes anything (`meterdesk workspace
// setup` checks before it creates a database, and before it asks for the
// password when the rest is wrong). Its errors are Setup's: ErrInvalid or
// ErrWeakSecret.
func CheckSetup(in WorkspaceSetup, secret bool) error {
	_, err := in.check(secret)
	return err
}

// checkedSetup is a WorkspaceSetup as Setup stores it.
type checkedSetup struct {
	w          Workspace
	name, kind string
}

// check is CheckSetup: it returns the setup cleaned (defaults filled in).
func (in WorkspaceSetup) check(secret bool) (checkedSetup, error) {
	w, err := in.Workspace.normalize()
	if err != nil {
		return checkedSetup{}, fmt.Errorf("set up the workspace: %w", err)
	}
	if in.IdleLockMinutes == 0 {
		w.IdleLockMinutes = DefaultIdleLockMinutes
	}
	name, err := checkName(in.AdminName)
	if err != nil {
		return checkedSetup{}, fmt.Errorf("set up the workspace: %w", err)
	}
	kind := in.SecretKind
	if kind == "" {
		kind = SecretPassword
	}
	if kind != SecretPassword && kind != SecretPIN {
		return checkedSetup{}, fmt.Errorf("set up the workspace: %w", inputerr.New(ErrInvalid, "secret kind %q (want password or pin)", kind))
	}
	if secret {
		if err := checkSecret(kind, in.Secret); err != nil {
			return checkedSetup{}, fmt.Errorf("set up the workspace: %w", err)
		}
	}
	return checkedSetup{w: w, name: name, kind: kind}, nil
}

// Setup creates the workspace and its first admin, once. It needs no actor
// (nobody exists yet) and returns the new admin, signed in. Its input is
// checked first (CheckSetup), and the settings and the admin are written in
// one transaction: a refused or failed setup writes nothing, and the
// workspace stays not set up (NeedsSetup).
func (s *Service) Setup(ctx context.Context, in WorkspaceSetup) (access.Actor, error) {
	c, err := in.check(true)
	if err != nil {
		return access.Actor{}, err
	}
	w, name, kind := c.w, c.name, c.kind
	hash, err := HashSecret(in.Secret, s.hashes)
	if err != nil {
		return access.Actor{}, err
	}
	display := strings.TrimSpace(in.AdminDisplayName)
	var actor access.Actor
	err = s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrAlreadySetUp
		}
		for k, v := range w.settings() {
			if err := store.SetSettingTx(ctx, tx, k, v); err != nil {
				return err
			}
		}
		if err := s.setCreditValueTx(ctx, tx, w); err != nil {
			return err
		}
		now := store.FormatTimeNano(s.now())
		res, err := tx.ExecContext(ctx, `INSERT INTO users(name, display_name, role, secret_kind, secret_hash, funding, created_at, updated_at)
			VALUES (?, ?, 'admin', ?, ?, 'pool', ?, ?)`, name, display, kind, hash, now, now)
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		actor = access.Actor{UserID: id, Name: name, Role: access.RoleAdmin}
		return s.audit(ctx, tx, actor, "workspace.setup", "workspace", nil, w)
	})
	if err != nil {
		return access.Actor{}, fmt.Errorf("set up the workspace: %w", err)
	}
	if err := s.ensureAccounts(ctx, "pool", userAccount(actor.UserID)); err != nil {
		return actor, err
	}
	return actor, nil
}

// Workspace returns the workspace settings (any signed-in actor).
func (s *Service) Workspace(ctx context.Context) (Workspace, error) {
	if _, err := access.Current(ctx); err != nil {
		return Workspace{}, fmt.Errorf("read the workspace: %w", err)
	}
	return s.readWorkspace(ctx)
}

func (s *Service) readWorkspace(ctx context.Context) (Workspace, error) {
	w, err := readWorkspaceIn(ctx, s.db.Read())
	if err != nil {
		return w, err
	}
	cv, err := s.led.CreditValue(access.WithActor(ctx, access.System))
	if err != nil {
		return w, fmt.Errorf("read the workspace: %w", err)
	}
	w.Currency, w.CreditValue = cv.Currency, cv.Amount
	return w, nil
}

// readWorkspaceTx is readWorkspace in the caller's write transaction, so
// that a change compares against, audits as before, and replaces the same
// workspace, whatever another process (a window, a command) writes.
func readWorkspaceTx(ctx context.Context, tx *sql.Tx) (Workspace, error) {
	w, err := readWorkspaceIn(ctx, tx)
	if err != nil {
		return w, err
	}
	cv, err := ledger.CreditValueTx(ctx, tx)
	if err != nil {
		return w, fmt.Errorf("read the workspace: %w", err)
	}
	w.Currency, w.CreditValue = cv.Currency, cv.Amount
	return w, nil
}

// readWorkspaceIn reads the workspace's own settings through q (all but
// what a credit is worth, the ledger's).
func readWorkspaceIn(ctx context.Context, q store.RowQueryer) (Workspace, error) {
	var w Workspace
	var err error
	get := func(key, def string) string {
		if err != nil {
			return ""
		}
		var v string
		v, err = store.GetSettingIn(ctx, q, key, def)
		return v
	}
	w.Name = get(KeyName, "")
	w.TaxID = get(KeyTaxID, "")
	w.Address = get(KeyAddress, "")
	w.TimeZone = get(KeyTimeZone, "")
	idle := get(KeyIdleLock, strconv.Itoa(DefaultIdleLockMinutes))
	w.PricesIncludeTax = get(KeyPricesIncludeTax, "") == "true"
	if err != nil {
		return w, fmt.Errorf("read the workspace: %w", err)
	}
	if w.TimeZone == "" {
		w.TimeZone = workzone.OS()
	}
	w.IdleLockMinutes, _ = strconv.Atoi(idle)
	return w, nil
}

// setCreditValueTx stores the currency and credit value (the ledger's
// setting) in the caller's transaction, so that they change with the rest
// of the workspace or not at all.
func (s *Service) setCreditValueTx(ctx context.Context, tx *sql.Tx, w Workspace) error {
	_, err := ledger.SetCreditValueTx(ctx, tx, ledger.CreditValue{Amount: w.CreditValue, Currency: w.Currency})
	if err != nil {
		return fmt.Errorf("set what a credit is worth: %w", err)
	}
	return nil
}

// UpdateWorkspace changes the workspace settings (admin only, audited as
// workspace.update): ChangeWorkspace without its report.
func (s *Service) UpdateWorkspace(ctx context.Context, in Workspace) (Workspace, error) {
	ch, err := s.ChangeWorkspace(ctx, in)
	return ch.Workspace, err
}

// WorkspaceChange is what ChangeWorkspace did: the workspace as it is now
// (at the top level of its JSON) and whether it had those settings
// already, so nothing was written or audited.
type WorkspaceChange struct {
	Workspace
	Unchanged bool `json:"unchanged"`
}

// ChangeWorkspace changes all the workspace settings (admin only, audited
// as workspace.update with the workspace before and after) and reports what
// it did: PatchWorkspace with every field given and no Read, so that in
// replaces whatever is stored. Settings that, cleaned as they would be
// stored (trimmed, the currency upper-cased, what a credit is worth as the
// ledger stores it: 0.01 and 0.010 alike), are the workspace's already are
// checked as any other, then written and audited not at all (Unchanged).
func (s *Service) ChangeWorkspace(ctx context.Context, in Workspace) (WorkspaceChange, error) {
	return s.PatchWorkspace(ctx, WorkspacePatch{
		Name: &in.Name, Currency: &in.Currency, CreditValue: &in.CreditValue, TaxID: &in.TaxID,
		Address: &in.Address, TimeZone: &in.TimeZone, IdleLockMinutes: &in.IdleLockMinutes,
		PricesIncludeTax: &in.PricesIncludeTax,
	})
}

// queryer is what *sql.Tx and *sql.DB share for reads.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}
