package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/store"
)

// ErrChanged refuses a workspace patch made against settings someone else
// (another admin, another window, `meterdesk workspace update`) changed
// since the editor read them: nothing was written. It is matched
// (errors.Is) by every *ChangedError.
var ErrChanged = errors.New("the workspace was changed by someone else")

// WorkspacePatch changes some of the workspace's settings: a nil field is
// left as stored, a given one replaces it (cleaned and checked as
// ChangeWorkspace does).
//
// Read, when given, is the whole workspace as the editor showed it (the
// Settings cards send what they loaded). A given field whose stored value
// is no longer Read's (cleaned as stored), and not already the value asked
// for, was changed by someone else since the editor read it: the patch is
// refused with a *ChangedError (ErrChanged) naming it, nothing written.
// The currency and what a credit is worth are one setting (the ledger's
// credit value): giving either checks both, so a new value is not applied
// to a currency the editor did not see. Fields not given are never
// checked: they keep whatever was stored, whoever stored it. Without Read
// (the CLI, ChangeWorkspace) the given fields replace what is stored.
type WorkspacePatch struct {
	Name             *string `json:"name,omitempty"`
	Currency         *string `json:"currency,omitempty"`
	CreditValue      *string `json:"creditValue,omitempty"`
	TaxID            *string `json:"taxId,omitempty"`
	Address          *string `json:"address,omitempty"`
	TimeZone         *string `json:"timeZone,omitempty"`
	IdleLockMinutes  *int    `json:"idleLockMinutes,omitempty"`
	PricesIncludeTax *bool   `json:"pricesIncludeTax,omitempty"`
	// Read is the workspace as the editor showed it; nil: no check.
	Read *Workspace `json:"read,omitempty"`
}

// ChangedError is ErrChanged with what changed: the settings a patch gives
// whose stored value is no longer the one its editor read.
type ChangedError struct {
	// Fields are the JSON names of the changed settings ("timeZone",
	// "creditValue", ...), in Workspace's order; the currency and what a
	// credit is worth are named together, as "currency" and "creditValue".
	Fields []string `json:"fields"`
	// Now is the workspace as stored, which the editor should reload.
	Now Workspace `json:"now"`
	msg string
}

func (e *ChangedError) Error() string { return e.msg }

// Reason is the refusal's words from the setting that changed on ("the
// time zone was changed by someone else since you opened it (now …):
// reload and try again"), without the operation, which the window shows
// (app.FormatError).
func (e *ChangedError) Reason() string { return e.msg }

// Is lets errors.Is(err, ErrChanged) match a ChangedError.
func (e *ChangedError) Is(target error) bool { return target == ErrChanged }

// workspaceField is one setting a patch may give, as the staleness check
// sees it (the currency and the credit value are one).
type workspaceField struct {
	names []string // JSON names
	label string   // for the refusal: "the time zone"
	given func(p WorkspacePatch) bool
	same  func(a, b Workspace) bool // a and b hold the same value, cleaned as stored
	now   func(w Workspace) string  // the stored value, for the refusal
	// check cleans and checks the setting in the patched workspace w (its
	// part of normalize); nil: any value will do.
	check func(p WorkspacePatch, w *Workspace) error
	// key is the setting's key in the settings table; "" for the currency
	// and credit value, which are the ledger's (setCreditValueTx).
	key string
}

var workspaceFields = []workspaceField{
	{[]string{"name"}, "the workspace name",
		func(p WorkspacePatch) bool { return p.Name != nil },
		func(a, b Workspace) bool { return strings.TrimSpace(a.Name) == strings.TrimSpace(b.Name) },
		func(w Workspace) string { return quoted(w.Name) },
		func(_ WorkspacePatch, w *Workspace) error { return w.cleanName() }, KeyName},
	{[]string{"currency", "creditValue"}, "what a credit is worth",
		func(p WorkspacePatch) bool { return p.Currency != nil || p.CreditValue != nil },
		func(a, b Workspace) bool {
			return cleanCurrency(a.Currency) == cleanCurrency(b.Currency) && cleanCreditValue(a.CreditValue) == cleanCreditValue(b.CreditValue)
		},
		func(w Workspace) string { return w.CreditValue + " " + w.Currency },
		checkCreditValue, ""},
	{[]string{"taxId"}, "the tax id",
		func(p WorkspacePatch) bool { return p.TaxID != nil },
		func(a, b Workspace) bool { return strings.TrimSpace(a.TaxID) == strings.TrimSpace(b.TaxID) },
		func(w Workspace) string { return quoted(w.TaxID) },
		func(_ WorkspacePatch, w *Workspace) error { return w.cleanTaxID() }, KeyTaxID},
	{[]string{"address"}, "the address",
		func(p WorkspacePatch) bool { return p.Address != nil },
		func(a, b Workspace) bool { return strings.TrimSpace(a.Address) == strings.TrimSpace(b.Address) },
		func(w Workspace) string { return quoted(w.Address) },
		func(_ WorkspacePatch, w *Workspace) error { return w.cleanAddress() }, KeyAddress},
	{[]string{"timeZone"}, "the time zone",
		func(p WorkspacePatch) bool { return p.TimeZone != nil },
		func(a, b Workspace) bool { return strings.TrimSpace(a.TimeZone) == strings.TrimSpace(b.TimeZone) },
		func(w Workspace) string { return w.TimeZone },
		func(_ WorkspacePatch, w *Workspace) error { return w.cleanTimeZone() }, KeyTimeZone},
	{[]string{"idleLockMinutes"}, "the idle lock",
		func(p WorkspacePatch) bool { return p.IdleLockMinutes != nil },
		func(a, b Workspace) bool { return a.IdleLockMinutes == b.IdleLockMinutes },
		func(w Workspace) string {
			switch w.IdleLockMinutes {
			case 0:
				return "never"
			case 1:
				return "after 1 minute"
			}
			return "after " + strconv.Itoa(w.IdleLockMinutes) + " minutes"
		},
		func(_ WorkspacePatch, w *Workspace) error { return w.cleanIdleLock() }, KeyIdleLock},
	{[]string{"pricesIncludeTax"}, "whether top-up prices include tax",
		func(p WorkspacePatch) bool { return p.PricesIncludeTax != nil },
		func(a, b Workspace) bool { return a.PricesIncludeTax == b.PricesIncludeTax },
		func(w Workspace) string {
			if w.PricesIncludeTax {
				return "they include tax"
			}
			return "tax is added on top"
		},
		nil, KeyPricesIncludeTax},
}

// checkCreditValue checks the currency and what a credit is worth
// together, as one setting: a patch giving the value alone checks it with
// the stored currency, and a stored currency the ledger no longer takes (a
// code saved before ledger.CheckCurrency) is named as stored, so that the
// user knows to give a currency too.
func checkCreditValue(p WorkspacePatch, w *Workspace) error {
	if err := w.cleanCurrency(); err != nil {
		if p.Currency == nil {
			return inputerr.New(ErrInvalid, "what a credit is worth is set with its currency, and the stored %v: give a currency too", err)
		}
		return inputerr.New(ErrInvalid, "%v", err)
	}
	return w.cleanCreditAmount()
}

// check cleans and checks the settings p gives, and only those, in w (the
// stored workspace with p applied): a value stored that the checks no
// longer take (written by an older version, or by a path that checks
// differently) does not block a patch of another setting. The currency and
// the credit value are checked together.
func (p WorkspacePatch) check(w *Workspace) error {
	for _, f := range workspaceFields {
		if f.check == nil || !f.given(p) {
			continue
		}
		if err := f.check(p, w); err != nil {
			return err
		}
	}
	return nil
}

// quoted shows a stored text in a refusal: quoted, its line breaks as \n,
// cut after 60 characters; "empty" for none.
func quoted(s string) string {
	if s == "" {
		return "empty"
	}
	if utf8.RuneCountInString(s) > 60 {
		s = string([]rune(s)[:60]) + "…"
	}
	return strconv.Quote(s)
}

func cleanCurrency(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// cleanCreditValue is s as the ledger stores it (0.010 as 0.01), or s
// trimmed when it is no credit value.
func cleanCreditValue(s string) string {
	if v, err := ledger.ParseCreditValue(s); err == nil {
		return v.String()
	}
	return strings.TrimSpace(s)
}

// apply returns w with the patch's given fields.
func (p WorkspacePatch) apply(w Workspace) Workspace {
	if p.Name != nil {
		w.Name = *p.Name
	}
	if p.Currency != nil {
		w.Currency = *p.Currency
	}
	if p.CreditValue != nil {
		w.CreditValue = *p.CreditValue
	}
	if p.TaxID != nil {
		w.TaxID = *p.TaxID
	}
	if p.Address != nil {
		w.Address = *p.Address
	}
	if p.TimeZone != nil {
		w.TimeZone = *p.TimeZone
	}
	if p.IdleLockMinutes != nil {
		w.IdleLockMinutes = *p.IdleLockMinutes
	}
	if p.PricesIncludeTax != nil {
		w.PricesIncludeTax = *p.PricesIncludeTax
	}
	return w
}

// stale returns the refusal for a patch whose Read is out of date: a
// given field that stored holds neither as Read showed it nor as after
// asks (nil when there is none, or no Read).
func (p WorkspacePatch) stale(stored, after Workspace) *ChangedError {
	if p.Read == nil {
		return nil
	}
	var names, labels, nows []string
	for _, f := range workspaceFields {
		if !f.given(p) || f.same(stored, *p.Read) || f.same(stored, after) {
			continue
		}
		names = append(names, f.names...)
		labels = append(labels, f.label)
		nows = append(nows, f.now(stored))
	}
	var msg string
	switch len(labels) {
	case 0:
		return nil
	case 1:
		msg = labels[0] + " was changed by someone else since you opened it (now " + nows[0] + ")"
	default:
		parts := make([]string, len(labels))
		for i := range labels {
			parts[i] = labels[i] + " (now " + nows[i] + ")"
		}
		msg = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] +
			" were changed by someone else since you opened them"
	}
	return &ChangedError{Fields: names, Now: stored, msg: msg + ": reload and try again"}
}

// PatchWorkspace changes the settings p gives and only those (admin only,
// audited as workspace.update with the workspace before and after), and
// reports what it did. The workspace is read, patched, its given settings
// checked (ErrInvalid; the settings not given are neither checked nor
// written, so a value stored that the checks no longer take blocks only a
// patch of that setting, see check), compared with Read (ErrChanged, see
// WorkspacePatch), written and audited in one write transaction, so two
// changes at once (the window and a command, two processes) each see the
// other's whole change or none of it, and the audit's before is the row it
// replaced. A patch that leaves the workspace as it is (cleaned as stored)
// writes and audits nothing (Unchanged). A refused patch writes nothing.
func (s *Service) PatchWorkspace(ctx context.Context, p WorkspacePatch) (WorkspaceChange, error) {
	a, err := access.RequireAdmin(ctx, "change the workspace")
	if err != nil {
		return WorkspaceChange{}, err
	}
	var after Workspace
	unchanged := false
	err = s.write(ctx, func(tx *sql.Tx) error {
		before, err := readWorkspaceTx(ctx, tx)
		if err != nil {
			return err
		}
		after = p.apply(before)
		if err := p.check(&after); err != nil {
			return err
		}
		if ce := p.stale(before, after); ce != nil {
			return ce
		}
		if before == after {
			unchanged = true
			return nil // nothing to write or log
		}
		settings := after.settings()
		for _, f := range workspaceFields {
			if !f.given(p) {
				continue // left as stored, whatever it is
			}
			if f.key == "" {
				if err := s.setCreditValueTx(ctx, tx, after); err != nil {
					return err
				}
				continue
			}
			if err := store.SetSettingTx(ctx, tx, f.key, settings[f.key]); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, "workspace.update", "workspace", before, after)
	})
	if err != nil {
		return WorkspaceChange{}, fmt.Errorf("change the workspace: %w", err)
	}
	return WorkspaceChange{Workspace: after, Unchanged: unchanged}, nil
}
