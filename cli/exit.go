package cli

import (
	"errors"
	"flag"
	"io/fs"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/core"
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
	"meterdesk/backend/textcheck"
	"meterdesk/backend/workzone"
)

// Exit codes of a command. They are the CLI's contract with scripts:
// `meterdesk help` and the README list them, and ExitCode is the one place
// that decides them.
const (
	ExitOK = 0
	// ExitFailed: anything not below (a provider or the network failed, a
	// file could not be written, a damaged database, ...).
	ExitFailed = 1
	// ExitUsage: a usage mistake or invalid input (an unknown flag, a
	// malformed amount or date, a value out of range, a missing password):
	// nothing was done; fix the command line.
	ExitUsage = 2
	// ExitRefused: refused for who is asking or what they may spend: not
	// allowed for their role, the sign-in failed, not enough credits, a
	// spending limit or the auto-recharge cap reached.
	ExitRefused = 3
	// ExitBusy: the data folder is in use by another Meterdesk process (a
	// restore or an upgrade waits for it), a reply is still being written
	// in that conversation, or a send in progress holds credits on the
	// department to archive: try again later.
	ExitBusy = 4
	// ExitNotFound: no such member, department, conversation, provider,
	// account, package, invoice, API key or file, or the member was
	// removed or the department archived (credits for their account too,
	// beyond settling its debt, or a policy other than blocked on it); or
	// no workspace (none in the data folder, or not set up yet).
	ExitNotFound = 5
	// ExitConflict: what is there already refuses it: the name is taken,
	// the backup file already exists, the workspace is already set up, the id was used for something else,
	// it was already done, it changed meanwhile, or something must go
	// first (a department archived while it has members or credits).
	ExitConflict = 6
)

// exitClasses sorts the backend's sentinel errors into exit codes, checked
// in this order (an error wrapping sentinels of two classes takes the
// first). Any other error is ExitFailed.
var exitClasses = []struct {
	code int
	errs []error
}{
	{ExitRefused, []error{
		access.ErrForbidden, access.ErrUnauthenticated,
		team.ErrBadSignIn, team.ErrDisabled, team.ErrLockedOut, gateway.ErrBadKey,
		ledger.ErrInsufficientFunds, chat.ErrInsufficientCredits,
		team.ErrLimitExceeded, team.ErrCapReached,
	}},
	{ExitBusy, []error{core.ErrInUse, core.ErrRestoring, chat.ErrBusy, team.ErrBusy}},
	{ExitUsage, []error{
		flag.ErrHelp, // never reaches here: Run prints the help
		money.ErrMalformed, money.ErrTooPrecise, money.ErrOverflow, money.ErrNegative, money.ErrNotPositive,
		ledger.ErrInvalidAmount, ledger.ErrInvalidRequest,
		team.ErrInvalid, team.ErrWeakSecret,
		rates.ErrInvalid, rates.ErrMalformed, rates.ErrNegative, rates.ErrTooPrecise, rates.ErrTooLarge,
		reports.ErrBadRange, reports.ErrBadGroup, reports.ErrBadType, reports.ErrBadPage,
		statements.ErrBadMonth, statements.ErrBadScope, statements.ErrBadExport, statements.ErrBadParty,
		statements.ErrNoReason, statements.ErrBadInvoicePage,
		chat.ErrInvalid, chat.ErrNotANumber,
		prefs.ErrUnknownKey, prefs.ErrInvalidValue, prefs.ErrBadWindow,
		workzone.ErrBadDate, workzone.ErrBadRange,
		textcheck.ErrInvalid,
		providers.ErrUnknownKind, providers.ErrBadURL, providers.ErrBadName, providers.ErrBadKey,
		providers.ErrNoKey, providers.ErrKeyForOtherServer, providers.ErrBadRequest,
		gateway.ErrInvalid, gateway.ErrRemoteNotAllowed,
		fileout.ErrNoPath, fileout.ErrIsFolder, fileout.ErrInputFolder, fileout.ErrFileAsFolder, fileout.ErrProtected,
		store.ErrNotBackup, core.ErrLiveDatabase,
	}},
	{ExitNotFound, []error{
		team.ErrNotFound, team.ErrNotSetUp, chat.ErrNotFound, chat.ErrNoProvider, providers.ErrNotFound,
		ledger.ErrUnknownAccount, ledger.ErrUnknownHold, ledger.ErrUnknownPackage,
		statements.ErrUnknownInvoice, statements.ErrUnknownName, statements.ErrUnknownJob,
		reports.ErrUnknownProvider,
		rates.ErrNoVersion, gateway.ErrKeyNotFound,
		fileout.ErrNoFolder, fs.ErrNotExist,
	}},
	{ExitConflict, []error{
		team.ErrExists, team.ErrAlreadySetUp, team.ErrLastAdmin, team.ErrChanged, team.ErrNotEmpty,
		providers.ErrDuplicate, rates.ErrChanged, rates.ErrModelExists, rates.ErrNotCustom,
		chat.ErrDuplicate, ledger.ErrIdempotencyConflict, ledger.ErrHoldResolved, ledger.ErrHoldExpired,
		statements.ErrAlreadyCredited, gateway.ErrRunning, gateway.ErrNameTaken, core.ErrHasDatabase,
		store.ErrBackupExists, core.ErrOtherWorkspace,
	}},
}

// ExitCode is the exit code for a command's error: 0 for nil, ExitUsage for
// a usage mistake or invalid input, the class of a backend sentinel error
// (exitClasses), else ExitFailed.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *UsageError
	var ie inputError
	if errors.As(err, &ue) || errors.As(err, &ie) {
		return ExitUsage
	}
	for _, c := range exitClasses {
		for _, e := range c.errs {
			if errors.Is(err, e) {
				return c.code
			}
		}
	}
	return ExitFailed
}

// exitCodesHelp is the exit codes' part of `meterdesk help`.
const exitCodesHelp = `Exit codes:
  0  done
  1  failed (a provider or the network, a file, a damaged database, ...)
  2  usage mistake or invalid input (an unknown flag, a malformed amount or
     date, a value out of range, a missing password): nothing was done
  3  refused: not allowed for your role, sign-in failed, not enough
     credits, a spending limit reached
  4  busy: the data folder is in use by another Meterdesk process, a reply
     is still being written in the conversation, or a send in progress
     holds credits on the department to archive; try again
  5  not found: no such member, conversation, provider, account, invoice,
     file, ...; the member was removed or the department archived (credits
     to either too, beyond settling a debt, or a policy on it); or no
     workspace in the data folder (or not set up yet)
  6  conflict: the name is taken, the backup file already exists, already
     set up or done, changed meanwhile, or something must go first (a
     department's members or credits)
`
