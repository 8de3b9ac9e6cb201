// Package core opens Meterdesk's database and constructs every backend
// service once, so that the window (app/), the CLI (cli/) and the API gateway
// share the same objects and the same logic.
package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/chat"
	"meterdesk/backend/events"
	"meterdesk/backend/fileout"
	"meterdesk/backend/gateway"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/prefs"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
	"meterdesk/backend/reports"
	"meterdesk/backend/statements"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
	"meterdesk/backend/workzone"
)

// Options configures Open.
type Options struct {
	DataDir string           // folder holding meterdesk.db; "" = store.DefaultDir()
	Emitter events.Emitter   // where events go; nil = events.Nop
	Clock   func() time.Time // nil = time.Now
	Version string           // the running build's version, for reports and exports

	// RestoreWait is how long Open waits for other processes to close the
	// data folder when a staged restore is to be finished (0: one try; the
	// restore then stays staged and this process opens the database as it
	// is). The window waits, since it restarts to finish a restore.
	RestoreWait time.Duration
	// LeaveRestore leaves a staged restore staged (`meterdesk restore
	// --check`, `--status` and `--cancel` look at it rather than finish
	// it); one whose finish a crash cut short is finished all the same.
	LeaveRestore bool
	// Lock, when set, is the data folder's exclusive lock, already held by
	// the caller (RestoreNow); Open neither takes a lock nor finishes a
	// staged restore.
	Lock *DataLock
	// RequireWorkspace refuses a database whose workspace was never set up
	// (no member, team.HasMembers) with ErrNoWorkspace, decided in the same
	// read-only look as the checks before the open (store.Inspect), so that
	// the folder is left exactly as it was: not migrated, no lock file. A
	// folder with a restore staged is opened (finishing it may bring a
	// workspace); the caller asks Team.NeedsSetup after.
	RequireWorkspace bool
	// ReplaceWorkspace: RestoreNow restores a backup of another workspace
	// than the data folder's (BackupSummary.OtherWorkspace), which it
	// refuses otherwise with ErrOtherWorkspace: the admin agreed to
	// replace this workspace with it (`meterdesk restore --yes`).
	ReplaceWorkspace bool

	// staged: this is a restore's staged copy of a backup, opened to be
	// described (prepareRestore). Credentials in its providers' base URLs
	// are left for the open that finishes the restore in the data folder:
	// moved here, a key would be sealed with the staging folder's
	// secrets.key (unreadable once restored) or left in the OS keychain by
	// a check that restores nothing.
	staged bool
}

// ErrNoWorkspace refuses Open with RequireWorkspace: the database has no
// workspace (nobody ever finished setting it up). It is team.ErrNotSetUp
// for errors.Is.
var ErrNoWorkspace = fmt.Errorf("%w: its database has no workspace", team.ErrNotSetUp)

// Backend holds the open database and every service. Each area adds one
// field below and one constructor line in Open.
type Backend struct {
	DB      *store.DB
	DataDir string
	Emitter events.Emitter
	Clock   func() time.Time
	Version string

	Prefs      *prefs.Service
	Rates      *rates.Service
	Providers  *providers.Service // provider configs, API keys, streaming clients
	Ledger     *ledger.Service
	Team       *team.Service
	Reports    *reports.Service    // dashboard, forecast, anomalies, history
	Statements *statements.Service // statements, exports, invoices
	Chat       *chat.Service       // conversations and the metered send flow (Meter for the gateway)
	Gateway    *gateway.Service    // local metered OpenAI-compatible API: keys, settings, in-process server

	staged   bool // a restore's staged copy (Options.staged)
	closers  []func() error
	lock     *DataLock // this process's shared lock on DataDir (nil: the caller's)
	restored *Restore  // the staged restore Open finished, if any

	startupVoided, startupExpired int // what the start-up jobs did (StartupJobs)
}

// StartupJobs says what Open's start-up jobs did: holds left by a crash
// that were voided, and top-up lots that were expired. `credits void-stale`
// and `credits expire` count them in, since in a new process the start-up
// has always done the work before the command runs.
func (b *Backend) StartupJobs() (voided, expired int) { return b.startupVoided, b.startupExpired }

// Open opens the database in opts.DataDir (migrating it) and builds every
// service. Start-up jobs (voiding holds left by a crash, expiring lots,
// raising the balance alerts a crash kept from being raised) run here,
// before the caller can do anything else.
func Open(ctx context.Context, opts Options) (*Backend, error) {
	dir, err := dataDir(opts.DataDir)
	if err != nil {
		return nil, err
	}
	// No export, from the window or the CLI, may write over the folder's
	// own files.
	fileout.Protect(filepath.Join(dir, store.FileName), filepath.Join(dir, LockFileName),
		filepath.Join(dir, providers.KeyFileName), filepath.Join(dir, restoreDirName))
	var lock *DataLock
	var restored *Restore
	var db *store.DB // opened (and migrated) early by upgrade
	checked := false
	if opts.Lock == nil {
		// A database Open must refuse is refused before the lock file is
		// made, or the folder's write probe: a bad data folder is left
		// exactly as it was. (Unless a restore is staged: it may be what
		// replaces a damaged file.)
		p, err := readPending(dir)
		if err != nil && !opts.LeaveRestore {
			return nil, unwritableFirst(dir, err)
		}
		if p == nil {
			ins, err := inspect(ctx, dir, opts.RequireWorkspace)
			if err != nil {
				return nil, unwritableFirst(dir, err)
			}
			checked = true
			if err := store.PrepareDir(dir); err != nil {
				return nil, err
			}
			// An upgrade is applied with the folder to this process alone
			// (waiting a moment for commands to end), then shared as usual.
			if ins.Pending {
				if db, err = upgrade(ctx, dir); err != nil {
					return nil, err
				}
			}
		} else if err := store.PrepareDir(dir); err != nil {
			return nil, err
		}
		if lock, restored, err = openLock(ctx, dir, p, opts.RestoreWait, !opts.LeaveRestore); err != nil {
			if db != nil {
				db.Close()
			}
			return nil, err
		}
	}
	em := opts.Emitter
	if em == nil {
		em = events.Nop{}
	}
	clock := opts.Clock
	if clock == nil {
		clock = time.Now
	}
	if db == nil {
		open := store.Open
		if checked {
			open = store.OpenChecked
		}
		if db, err = open(ctx, dir); err != nil {
			_ = lock.Release()
			return nil, err
		}
	}
	b := &Backend{DB: db, DataDir: dir, Emitter: em, Clock: clock, Version: opts.Version, lock: lock, restored: restored, staged: opts.staged}
	// --- services (one line each; keep this order: dependencies first) ---
	b.Prefs = prefs.New(db)
	b.Rates = rates.New(db, em, clock)
	b.Providers = providers.NewService(db, dir, providers.ServiceOptions{Catalogue: b.Rates, Now: clock})
	b.Ledger = ledger.New(db, em, clock)
	b.onClose(func() error { b.Ledger.Close(); return nil })
	b.Team = team.New(db, b.Ledger, em, clock)
	// Every committed move evaluates the balance alerts of its accounts: a
	// transfer from the CLI or the window as much as the team's own moves,
	// returns and recharges (ledger.MoveHook).
	b.Ledger.SetMoveHook(b.Team.AfterMove)
	b.Ledger.SetOpenCheck(b.Team.AcceptsCredits)  // no credits to removed members or archived departments
	b.Ledger.SetGiveCheck(b.Team.MayGive)         // a member gives from their wallet only where GiveTargets offers
	b.Ledger.SetPolicyCheck(b.Team.AcceptsPolicy) // their accounts keep the blocked policy
	b.Ledger.SetReadCheck(b.Team.InDepartment)    // a member reads their own department's account only
	b.Reports = reports.New(db, em, clock)
	b.Reports.SetPayer(func(ctx context.Context, userID int64) (string, error) {
		f, err := b.Team.Funding(ctx, userID)
		return f.PayerAccount, err
	})
	// credits history --provider: the reports' rule (one with the Usage
	// page's transactions and their CSV).
	b.Ledger.SetProviderCond(b.Reports.ProviderCond)
	b.Statements = statements.New(b.Reports, em, clock)
	// A top-up's invoice is issued in the top-up's own transaction, with the
	// seller, buyer and package name of that moment.
	b.Ledger.SetTopUpHook(func(ctx context.Context, tx *sql.Tx, _ ledger.Transfer) error {
		if _, err := b.Statements.IssuePendingTx(ctx, tx); err != nil {
			return fmt.Errorf("issue its invoice: %w", err)
		}
		return nil
	})
	b.Chat = chat.New(db, b.Ledger, b.Rates, b.Team, chat.NewProviderService(b.Providers), em, clock)
	b.Gateway = gateway.New(db, gateway.Deps{Meter: b.Chat.Meter(), Team: b.Team, Ledger: b.Ledger, Clock: clock})
	b.onClose(b.Gateway.Close)

	// --- start-up jobs ---
	if err := b.startup(ctx); err != nil {
		b.Close()
		return nil, fmt.Errorf("start-up: %w", err)
	}
	return b, nil
}

// startup runs the jobs that must happen before anyone uses the backend.
func (b *Backend) startup(ctx context.Context) error {
	sys := access.WithActor(ctx, access.System)
	var err error
	if b.startupVoided, err = b.Ledger.VoidStaleHolds(sys); err != nil {
		return err
	}
	if b.startupExpired, err = b.Ledger.ExpireLots(sys); err != nil {
		return err
	}
	// A move's alerts are evaluated after its commit (the move hook, the
	// charge's AfterCharge): one a crash cut off between the two is raised
	// now, once; the ones raised already are not raised again.
	startupCatchUp(b.Team, sys)
	// A credential an older version saved in a provider's plain base_url
	// (a token, a password, a key= query) goes to the key store or is
	// removed, with a notice and an audit entry (docs/providers.md); in
	// the data folder only, not in a restore's staged copy.
	if !b.staged {
		if _, err := b.Providers.MoveURLCredentials(sys); err != nil {
			return err
		}
		// Once per database: a proxy's password an older version stored
		// in a reply's error, as Go repeated its URL.
		if _, err := b.Providers.HideCredentialsInStoredErrors(sys); err != nil {
			return err
		}
	}
	return nil
}

// startupCatchUp is the start-up's catch-up of missed balance alerts
// (BenchmarkOpenCatchUpAlerts times Open without it).
var startupCatchUp = (*team.Service).CatchUpAlerts

// Backup writes a consistent copy of the database to out (admins only).
// A backup holds everything, so who made it, and where, goes to the audit
// log (database.backup) once it is written; the copy itself is taken before
// that entry, so it does not hold it.
func (b *Backend) Backup(ctx context.Context, out string, checks ...func(out string) error) error {
	a, err := access.RequireAdmin(ctx, "back up the database")
	if err != nil {
		return err
	}
	for _, check := range checks {
		if err := check(out); err != nil {
			return err
		}
	}
	if err := b.DB.Backup(ctx, out); errors.Is(err, fileout.ErrIsFolder) {
		return fmt.Errorf("%w, such as %s", err, filepath.Join(out, b.SuggestBackupName(ctx, out)))
	} else if err != nil {
		return err
	}
	type backup struct {
		File string `json:"file"`
	}
	err = b.DB.Write(context.WithoutCancel(ctx), func(tx *sql.Tx) error {
		return audit.Record(ctx, tx, b.Clock(), a, "database.backup", "database", nil, backup{out})
	})
	if err != nil {
		return fmt.Errorf("backup written to %s, but not logged: %w", out, err)
	}
	return nil
}

// onClose registers a function Close calls (in reverse order).
// TopUpReceipt is a top-up with the number of the invoice issued for it
// (in the top-up's own transaction), for the window's toast and the CLI.
//
// Paid is what the credits cost as that invoice splits it: "9.00 EUR net
// + 1.71 EUR tax (19 %) = 10.71 EUR", "9.00 EUR net" without tax (a price
// is net, or gross when the workspace's prices include tax, and the
// invoice says which part is which). Summary is the sentence the window's
// toast says ("Added 1,000.00 credits for <Paid>; invoice INV-000042");
// `meterdesk credits topup` says Paid alike.
type TopUpReceipt struct {
	ledger.TopUp
	Invoice string `json:"invoice"` // "INV-000042"
	Paid    string `json:"paid"`
	Summary string `json:"summary"`
}

// taxFree: an invoice's tax (a decimal string) is zero, or unreadable.
func taxFree(tax string) bool {
	d, err := decimal.NewFromString(tax)
	return err != nil || d.IsZero()
}

// topUpWords are a receipt's Paid and Summary, from its invoice (inv.Number
// "" when none was issued: the price as it is).
func topUpWords(tu ledger.TopUp, inv statements.Invoice) (paid, summary string) {
	amount := func(s string) string { return money.GroupDecimal(s) + " " + tu.Currency }
	switch {
	case inv.Number == "":
		paid = amount(tu.Price)
	case taxFree(inv.Tax):
		paid = amount(inv.Net) + " net"
	default:
		paid = fmt.Sprintf("%s net + %s tax (%s %%) = %s", amount(inv.Net), amount(inv.Tax), inv.TaxRate, amount(inv.Gross))
	}
	summary = "Added " + money.Credits(money.Display(tu.Credits)) + " for " + paid
	if inv.Number != "" {
		summary += "; invoice " + inv.Number
	}
	return paid, summary
}

// TopUp issues credits (ledger.TopUp, admin only) and names the invoice
// issued with them; a repeated request (the same id and content) names the
// first one's.
func (b *Backend) TopUp(ctx context.Context, req ledger.TopUpRequest) (TopUpReceipt, error) {
	tu, err := b.Ledger.TopUp(ctx, req)
	if err != nil {
		return TopUpReceipt{}, err
	}
	number, err := b.Statements.InvoiceNumberFor(ctx, tu.Transfer.ID)
	if err != nil {
		return TopUpReceipt{}, fmt.Errorf("top-up %s: %w", req.ID, err)
	}
	var inv statements.Invoice
	if number != "" {
		if inv, err = b.Statements.Invoice(ctx, number); err != nil {
			return TopUpReceipt{}, fmt.Errorf("top-up %s: %w", req.ID, err)
		}
	}
	paid, summary := topUpWords(tu, inv)
	return TopUpReceipt{TopUp: tu, Invoice: number, Paid: paid, Summary: summary}, nil
}

// MyBalance is the balance of the account that pays for the signed-in
// actor's sends (team.Service.MyPayer: their wallet, their department's
// credits or the pool; an admin's as a member's, the system's the pool),
// with that account named. It is what the window's header shows
// (app.Credits.MyBalance) and what `meterdesk credits balance` shows
// without an account, so that the two never name different accounts.
func (b *Backend) MyBalance(ctx context.Context) (team.Payer, ledger.Balance, error) {
	p, err := b.Team.MyPayer(ctx)
	if err != nil {
		return team.Payer{}, ledger.Balance{}, err
	}
	bal, err := b.Ledger.Balance(ctx, p.Account)
	if err != nil {
		return team.Payer{}, ledger.Balance{}, err
	}
	return p, bal, nil
}

func (b *Backend) onClose(fn func() error) { b.closers = append(b.closers, fn) }

// Close stops every service and closes the database.
func (b *Backend) Close() error {
	var errs []error
	for i := len(b.closers) - 1; i >= 0; i-- {
		errs = append(errs, b.closers[i]())
	}
	errs = append(errs, b.DB.Close(), b.lock.Release())
	return errors.Join(errs...)
}

// dataDir returns dir, or the default data folder for "".
func dataDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	return store.DefaultDir()
}

// openLock takes dir shared for this process. With finish, the staged
// restore p (nil: none) is finished first if the folder can be had
// exclusively within wait; otherwise it stays staged (RestoreStatus
// reports it).
//
// A finish that a crash cut short is always completed first (waiting up to
// sharedWait for the folder), and the folder is refused until it is: the
// database must not be opened half-swapped. Leftovers of a staging cut
// short are removed whenever the folder can be had exclusively at once.
func openLock(ctx context.Context, dir string, p *Restore, wait time.Duration, finish bool) (*DataLock, *Restore, error) {
	mustFinish := p != nil && interrupted(dir, p)
	if mustFinish {
		wait = max(wait, sharedWait)
	}
	var done *Restore
	if p != nil && (finish || mustFinish) {
		ex, err := LockExclusive(ctx, dir, wait)
		switch {
		case errors.Is(err, ErrInUse) && mustFinish:
			return nil, nil, fmt.Errorf("a restore of this data folder was interrupted; it finishes when no other Meterdesk process has the folder open: %w", err)
		case errors.Is(err, ErrInUse):
		case err != nil:
			return nil, nil, err
		default:
			done, err = finishPending(dir)
			removeLeftovers(dir)
			if rerr := ex.Release(); err == nil {
				err = rerr
			}
			if err != nil {
				return nil, nil, err
			}
		}
	} else if len(leftovers(dir)) > 0 {
		if ex, err := LockExclusive(ctx, dir, 0); err == nil {
			removeLeftovers(dir)
			_ = ex.Release()
		}
	}
	l, err := lockShared(ctx, dir)
	return l, done, err
}

// upgradeWait is how long an upgrade waits for other Meterdesk processes
// to close the data folder (a command ends in about a second; a window or
// `meterdesk serve` does not, and is named in ErrUpgradeInUse).
var upgradeWait = sharedWait

// upgrade applies the migrations the database in dir lacks (store.Inspect
// said so), with the data folder locked for this process alone. The
// database stays open; the lock is released for the shared one Open takes
// next.
func upgrade(ctx context.Context, dir string) (*store.DB, error) {
	ex, err := LockExclusive(ctx, dir, upgradeWait)
	if errors.Is(err, ErrInUse) {
		return nil, ErrUpgradeInUse
	}
	if err != nil {
		return nil, err
	}
	db, err := store.OpenChecked(ctx, dir)
	if rerr := ex.Release(); err == nil && rerr != nil {
		db.Close()
		return nil, rerr
	}
	return db, err
}

// removeLeftovers removes what leftovers lists; the caller holds the
// folder exclusively.
func removeLeftovers(dir string) {
	for _, p := range leftovers(dir) {
		_ = os.RemoveAll(p)
	}
}

// Zone returns the workspace time zone (backend/workzone): the window and
// the CLI read the dates people type in it.
func (b *Backend) Zone(ctx context.Context) (*time.Location, error) {
	return workzone.Load(ctx, b.DB.Read())
}

// DateRange reads a range as a person types it, for the window and the
// CLI alike: from and to are dates in the workspace zone, both included,
// or RFC 3339 instants ("" = no bound). It returns the start and the
// exclusive end; a bound it cannot read is an error naming it
// (errors.Is workzone.ErrBadDate), and a range that ends before it starts
// one naming both as typed (workzone.ErrBadRange).
func (b *Backend) DateRange(ctx context.Context, from, to string) (start, end time.Time, err error) {
	return b.DateRangeAs(ctx, from, to, "from", "to")
}

// AuditRange is DateRangeAs for a filter of the audit log (admins only):
// the role is checked before the dates are read, so a member is refused
// for the role, never told that what they typed is no date (the window's
// Team → Audit log and `meterdesk audit`).
func (b *Backend) AuditRange(ctx context.Context, from, to, fromName, toName string) (start, end time.Time, err error) {
	if _, err := access.RequireAdmin(ctx, "read the audit log"); err != nil {
		return start, end, err
	}
	return b.DateRangeAs(ctx, from, to, fromName, toName)
}

// DateRangeAs is DateRange naming a bound it cannot read as the field or
// flag it was typed in (fromName, toName: "--since", "From").
func (b *Backend) DateRangeAs(ctx context.Context, from, to, fromName, toName string) (start, end time.Time, err error) {
	loc, err := b.Zone(ctx)
	if err != nil {
		return start, end, err
	}
	return workzone.ParseRangeAs(from, to, fromName, toName, loc)
}
