package team

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
)

func ptr[T any](v T) *T { return &v }

// acmeRead is the workspace as env.setup("UTC") stores it: what an editor
// opened before anyone changed it.
var acmeRead = Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC", IdleLockMinutes: DefaultIdleLockMinutes}

// TestPatchWorkspaceAppliesOnlyGivenFields: a patch writes the fields it
// gives and keeps every other as stored, including what someone else saved
// after the editor read the workspace (the lost update of a whole
// workspace read in the window and sent back). Each case starts from
// acmeRead changed by "someone else" (other), then patches.
func TestPatchWorkspaceAppliesOnlyGivenFields(t *testing.T) {
	for name, c := range map[string]struct {
		other     func(*Workspace) // what someone else saved meanwhile (nil: nothing)
		patch     WorkspacePatch   // Read is acmeRead unless noRead
		noRead    bool
		want      func(*Workspace) // the stored workspace after, from the other's
		unchanged bool
	}{
		"time zone, another's name kept": {
			other: func(w *Workspace) { w.Name = "Renamed" },
			patch: WorkspacePatch{TimeZone: ptr("Europe/Berlin"), IdleLockMinutes: ptr(30)},
			want:  func(w *Workspace) { w.TimeZone, w.IdleLockMinutes = "Europe/Berlin", 30 },
		},
		"billing, another's time zone kept": {
			other: func(w *Workspace) { w.TimeZone = "Europe/Paris" },
			patch: WorkspacePatch{TaxID: ptr(" DE123 "), Address: ptr("1 Main St"), PricesIncludeTax: ptr(true)},
			want:  func(w *Workspace) { w.TaxID, w.Address, w.PricesIncludeTax = "DE123", "1 Main St", true },
		},
		"credit value only, cleaned": {
			patch: WorkspacePatch{CreditValue: ptr("0.0200")},
			want:  func(w *Workspace) { w.CreditValue = "0.02" },
		},
		"currency only, upper-cased": {
			patch: WorkspacePatch{Currency: ptr(" usd ")},
			want:  func(w *Workspace) { w.Currency = "USD" },
		},
		"idle lock set to never (a zero given is given)": {
			patch: WorkspacePatch{IdleLockMinutes: ptr(0)},
			want:  func(w *Workspace) { w.IdleLockMinutes = 0 },
		},
		"fields not given are not checked: another's kept": {
			other: func(w *Workspace) { w.PricesIncludeTax, w.TaxID = true, "FR1" },
			patch: WorkspacePatch{Name: ptr("Acme Labs")},
			want:  func(w *Workspace) { w.Name = "Acme Labs" },
		},
		"no Read (the CLI): given fields replace another's": {
			other:  func(w *Workspace) { w.TimeZone = "Europe/Paris" },
			patch:  WorkspacePatch{TimeZone: ptr("Asia/Tokyo")},
			noRead: true,
			want:   func(w *Workspace) { w.TimeZone = "Asia/Tokyo" },
		},
		"someone else saved what the patch asks: unchanged, not refused": {
			other:     func(w *Workspace) { w.TimeZone = "Europe/Paris" },
			patch:     WorkspacePatch{TimeZone: ptr("Europe/Paris")},
			want:      func(*Workspace) {},
			unchanged: true,
		},
		"what is stored already: unchanged": {
			patch:     WorkspacePatch{Name: ptr(" Acme "), CreditValue: ptr("0.010")},
			want:      func(*Workspace) {},
			unchanged: true,
		},
		"nothing given: unchanged": {
			patch:     WorkspacePatch{},
			want:      func(*Workspace) {},
			unchanged: true,
		},
		"Read as the editor typed it, cleaned as stored": {
			patch: WorkspacePatch{CreditValue: ptr("0.05"),
				Read: &Workspace{Name: "Acme", Currency: "eur", CreditValue: "0.010", TimeZone: "UTC", IdleLockMinutes: 15}},
			want: func(w *Workspace) { w.CreditValue = "0.05" },
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			ctx := e.adminCtx()
			stored := acmeRead
			if c.other != nil {
				c.other(&stored)
				if _, err := e.svc.ChangeWorkspace(ctx, stored); err != nil {
					t.Fatal(err)
				}
			}
			p := c.patch
			if p.Read == nil && !c.noRead {
				p.Read = ptr(acmeRead)
			}
			audited := len(auditOf(t, e))
			ch, err := e.svc.PatchWorkspace(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			want := stored
			c.want(&want)
			if ch.Workspace != want || ch.Unchanged != c.unchanged {
				t.Fatalf("answered %+v unchanged %v, want %+v unchanged %v", ch.Workspace, ch.Unchanged, want, c.unchanged)
			}
			if got, err := e.svc.Workspace(ctx); err != nil || got != want {
				t.Fatalf("stored %+v (%v), want %+v", got, err, want)
			}
			entries := auditOf(t, e)
			if c.unchanged {
				if len(entries) != audited {
					t.Fatalf("an unchanged patch audited: %d entries, were %d", len(entries), audited)
				}
				return
			}
			if len(entries) != audited+1 {
				t.Fatalf("%d workspace.update entries, want %d", len(entries), audited+1)
			}
			var before, after Workspace
			if json.Unmarshal(entries[0].Before, &before) != nil || json.Unmarshal(entries[0].After, &after) != nil {
				t.Fatalf("audit json %s / %s", entries[0].Before, entries[0].After)
			}
			if before != stored || after != want {
				t.Fatalf("audit before %+v after %+v, want %+v and %+v", before, after, stored, want)
			}
		})
	}
}

// TestPatchWorkspaceRefusesAStaleRead: a patch whose given field someone
// else changed since its editor read it is refused with ErrChanged, naming
// the field and its value now, and writes and audits nothing.
func TestPatchWorkspaceRefusesAStaleRead(t *testing.T) {
	for name, c := range map[string]struct {
		other  func(*Workspace)
		patch  WorkspacePatch
		fields []string
		says   string
	}{
		"time zone": {
			other:  func(w *Workspace) { w.TimeZone = "Europe/Paris" },
			patch:  WorkspacePatch{TimeZone: ptr("Asia/Tokyo")},
			fields: []string{"timeZone"},
			says:   "change the workspace: the time zone was changed by someone else since you opened it (now Europe/Paris): reload and try again",
		},
		"credit value given, currency changed": {
			other:  func(w *Workspace) { w.Currency = "USD" },
			patch:  WorkspacePatch{CreditValue: ptr("0.02")},
			fields: []string{"currency", "creditValue"},
			says:   "what a credit is worth was changed by someone else since you opened it (now 0.01 USD): reload",
		},
		"idle lock among others, one stale": {
			other:  func(w *Workspace) { w.IdleLockMinutes = 0 },
			patch:  WorkspacePatch{TimeZone: ptr("Asia/Tokyo"), IdleLockMinutes: ptr(5)},
			fields: []string{"idleLockMinutes"},
			says:   "the idle lock was changed by someone else since you opened it (now never)",
		},
		"several": {
			other: func(w *Workspace) {
				w.Name, w.TaxID, w.Address, w.PricesIncludeTax = "Other Co", "DE9", "Line 1\nLine 2", true
			},
			patch:  WorkspacePatch{Name: ptr("Mine"), TaxID: ptr(""), Address: ptr("Elsewhere"), PricesIncludeTax: ptr(false)},
			fields: []string{"name", "taxId", "address", "pricesIncludeTax"},
			says: `the workspace name (now "Other Co"), the tax id (now "DE9"), the address (now "Line 1\nLine 2") and ` +
				`whether top-up prices include tax (now they include tax) were changed by someone else since you opened them: reload and try again`,
		},
		"a given field put back to what was read": {
			other:  func(w *Workspace) { w.TimeZone = "Europe/Paris" },
			patch:  WorkspacePatch{TimeZone: ptr("UTC")},
			fields: []string{"timeZone"},
			says:   "(now Europe/Paris)",
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			ctx := e.adminCtx()
			stored := acmeRead
			c.other(&stored)
			if _, err := e.svc.ChangeWorkspace(ctx, stored); err != nil {
				t.Fatal(err)
			}
			before := dump(t, e.db)
			p := c.patch
			p.Read = ptr(acmeRead)
			_, err := e.svc.PatchWorkspace(ctx, p)
			var ce *ChangedError
			if !errors.Is(err, ErrChanged) || !errors.As(err, &ce) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("error %v, want ErrChanged saying %q", err, c.says)
			}
			if !slices.Equal(ce.Fields, c.fields) || ce.Now != stored {
				t.Fatalf("changed %v now %+v, want %v and %+v", ce.Fields, ce.Now, c.fields, stored)
			}
			if dump(t, e.db) != before {
				t.Fatal("a refused patch wrote (or audited)")
			}
		})
	}
}

// TestPatchWorkspaceRefusesBadInputWritingNothing: each field's check is
// ChangeWorkspace's (normalize); a patch giving a bad value is refused
// whatever else it gives or Read says, nothing written; so is one from a
// member, or from nobody.
func TestPatchWorkspaceRefusesBadInputWritingNothing(t *testing.T) {
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	cases := map[string]struct {
		ctx   context.Context
		patch WorkspacePatch
		want  error
		says  string
	}{
		"empty name":         {e.adminCtx(), WorkspacePatch{Name: ptr(" ")}, ErrInvalid, "workspace name"},
		"long name":          {e.adminCtx(), WorkspacePatch{Name: ptr(strings.Repeat("n", 201))}, ErrInvalid, "workspace name"},
		"currency":           {e.adminCtx(), WorkspacePatch{Currency: ptr("EURO")}, ErrInvalid, "currency"},
		"credit value":       {e.adminCtx(), WorkspacePatch{CreditValue: ptr("0")}, ErrInvalid, "credit"},
		"credit value text":  {e.adminCtx(), WorkspacePatch{CreditValue: ptr("cheap")}, ErrInvalid, "credit"},
		"tax id":             {e.adminCtx(), WorkspacePatch{TaxID: ptr(strings.Repeat("t", 65))}, ErrInvalid, "tax id"},
		"address":            {e.adminCtx(), WorkspacePatch{Address: ptr(strings.Repeat("a", 1001))}, ErrInvalid, "address"},
		"time zone":          {e.adminCtx(), WorkspacePatch{TimeZone: ptr("Mars/Olympus")}, ErrInvalid, "time zone"},
		"Local":              {e.adminCtx(), WorkspacePatch{TimeZone: ptr("Local")}, ErrInvalid, "time zone"},
		"negative idle lock": {e.adminCtx(), WorkspacePatch{IdleLockMinutes: ptr(-1)}, ErrInvalid, "idle lock"},
		"idle lock too long": {e.adminCtx(), WorkspacePatch{IdleLockMinutes: ptr(1441)}, ErrInvalid, "idle lock"},
		"bad beside good, with Read": {e.adminCtx(),
			WorkspacePatch{Name: ptr("Fine"), IdleLockMinutes: ptr(-5), Read: ptr(acmeRead)}, ErrInvalid, "idle lock"},
		"a member": {e.as(actorFor(bob)), WorkspacePatch{Name: ptr("Bob's")}, access.ErrForbidden, "not allowed"},
		"no one":   {context.Background(), WorkspacePatch{Name: ptr("Nobody's")}, access.ErrUnauthenticated, ""},
		"a member, stale Read": {e.as(actorFor(bob)),
			WorkspacePatch{TimeZone: ptr("Asia/Tokyo"), Read: &Workspace{TimeZone: "Europe/Paris"}}, access.ErrForbidden, "not allowed"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			before := dump(t, e.db)
			_, err := e.svc.PatchWorkspace(c.ctx, c.patch)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("error %v, want %v about %q", err, c.want, c.says)
			}
			if dump(t, e.db) != before {
				t.Fatal("a refused patch wrote")
			}
		})
	}
}

// TestWorkspacePatchJSON: the window sends only the fields it edited (an
// absent field is nil, a zero or false sent is given) and Read.
func TestWorkspacePatchJSON(t *testing.T) {
	var p WorkspacePatch
	if err := json.Unmarshal([]byte(`{"idleLockMinutes":0,"pricesIncludeTax":false,"read":{"timeZone":"UTC"}}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.Name != nil || p.TimeZone != nil || p.IdleLockMinutes == nil || *p.IdleLockMinutes != 0 ||
		p.PricesIncludeTax == nil || *p.PricesIncludeTax || p.Read == nil || p.Read.TimeZone != "UTC" {
		t.Fatalf("decoded %+v", p)
	}
}

func auditOf(t *testing.T, e *env) []AuditEntry {
	t.Helper()
	entries, err := e.svc.ListAudit(e.adminCtx(), AuditFilter{Action: "workspace.update", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// TestPatchWorkspaceChecksOnlyGivenFields: a value stored that the checks
// do not take (written with SQL here, as an older version or a path that
// checks differently may have left it) does not block a patch of another
// setting, which leaves it stored as it was; a patch giving that setting a
// bad value (the stored one sent back included) is refused as invalid,
// nothing written; one giving it a good value puts it right. The currency
// and the credit value are one setting: giving the value alone checks it
// with the stored currency.
func TestPatchWorkspaceChecksOnlyGivenFields(t *testing.T) {
	for name, c := range map[string]struct {
		key, value string         // stored with SQL
		other      WorkspacePatch // another setting: accepted
		bad        WorkspacePatch // refused
		says       string
		fix        WorkspacePatch // accepted
		fixed      func(Workspace) bool
	}{
		"empty name": {
			key: KeyName, value: "",
			other: WorkspacePatch{TimeZone: ptr("Europe/Berlin")},
			bad:   WorkspacePatch{Name: ptr("  ")}, says: "the workspace name must have 1 to 200 characters",
			fix: WorkspacePatch{Name: ptr("Acme")}, fixed: func(w Workspace) bool { return w.Name == "Acme" },
		},
		"name with a control character, sent back as stored": {
			key: KeyName, value: "Acme\x07",
			other: WorkspacePatch{TaxID: ptr("DE1"), PricesIncludeTax: ptr(true)},
			bad:   WorkspacePatch{Name: ptr("Acme\x07")}, says: "the workspace name",
			fix: WorkspacePatch{Name: ptr("Acme")}, fixed: func(w Workspace) bool { return w.Name == "Acme" },
		},
		"time zone": {
			key: KeyTimeZone, value: "Mars/Olympus",
			other: WorkspacePatch{Name: ptr("Acme Labs")},
			bad:   WorkspacePatch{TimeZone: ptr("Mars/Olympus")}, says: `time zone "Mars/Olympus" is not an IANA zone name`,
			fix: WorkspacePatch{TimeZone: ptr("Asia/Tokyo")}, fixed: func(w Workspace) bool { return w.TimeZone == "Asia/Tokyo" },
		},
		"idle lock": {
			key: KeyIdleLock, value: "-5",
			other: WorkspacePatch{Address: ptr("1 Main St")},
			bad:   WorkspacePatch{IdleLockMinutes: ptr(2000)}, says: "idle lock must be 0 (never) to 1440 minutes",
			fix: WorkspacePatch{IdleLockMinutes: ptr(10)}, fixed: func(w Workspace) bool { return w.IdleLockMinutes == 10 },
		},
		"tax id too long": {
			key: KeyTaxID, value: strings.Repeat("t", 65),
			other: WorkspacePatch{CreditValue: ptr("0.02")},
			bad:   WorkspacePatch{TaxID: ptr(strings.Repeat("u", 70))}, says: "the tax id may have at most 64 characters",
			fix: WorkspacePatch{TaxID: ptr("DE1")}, fixed: func(w Workspace) bool { return w.TaxID == "DE1" },
		},
		"address too long": {
			key: KeyAddress, value: strings.Repeat("a", 1001),
			other: WorkspacePatch{Currency: ptr("USD"), CreditValue: ptr("0.5")},
			bad:   WorkspacePatch{Address: ptr(strings.Repeat("b", 1001))}, says: "the address may have at most 1000 characters",
			fix: WorkspacePatch{Address: ptr("")}, fixed: func(w Workspace) bool { return w.Address == "" },
		},
		// ledger.CurrencyExponent reads "ABC", a code stored before
		// ledger.CheckCurrency refused codes naming no currency.
		"currency no longer taken, the credit value given alone": {
			key: ledger.SettingCreditValue, value: `{"amount":"0.01","currency":"ABC"}`,
			other: WorkspacePatch{Name: ptr("Acme Labs"), IdleLockMinutes: ptr(0)},
			bad:   WorkspacePatch{CreditValue: ptr("0.02")},
			says:  `what a credit is worth is set with its currency, and the stored currency "ABC" is not an ISO 4217 currency code (such as EUR, USD, JPY): give a currency too`,
			fix:   WorkspacePatch{Currency: ptr("EUR"), CreditValue: ptr("0.02")},
			fixed: func(w Workspace) bool { return w.Currency == "EUR" && w.CreditValue == "0.02" },
		},
		"currency no longer taken, given": {
			key: ledger.SettingCreditValue, value: `{"amount":"0.01","currency":"ABC"}`,
			other: WorkspacePatch{TimeZone: ptr("Europe/Paris")},
			bad:   WorkspacePatch{Currency: ptr("abc")}, says: `invalid input: currency "ABC" is not an ISO 4217 currency code`,
			fix: WorkspacePatch{Currency: ptr("usd")}, fixed: func(w Workspace) bool { return w.Currency == "USD" && w.CreditValue == "0.01" },
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			ctx := e.adminCtx()
			if _, err := e.db.Writer().Exec(`INSERT INTO settings(key, value) VALUES(?, ?)
				ON CONFLICT(key) DO UPDATE SET value = excluded.value`, c.key, c.value); err != nil {
				t.Fatal(err)
			}
			stored := func() string {
				t.Helper()
				var v string
				if err := e.db.Read().QueryRow("SELECT value FROM settings WHERE key = ?", c.key).Scan(&v); err != nil {
					t.Fatal(err)
				}
				return v
			}
			patch := func(p WorkspacePatch) (WorkspaceChange, error) {
				t.Helper()
				read, err := e.svc.Workspace(ctx) // as the window's card read it
				if err != nil {
					t.Fatal(err)
				}
				p.Read = &read
				return e.svc.PatchWorkspace(ctx, p)
			}

			want, err := e.svc.Workspace(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want = c.other.apply(want)
			if err := c.other.check(&want); err != nil {
				t.Fatal(err)
			}
			ch, err := patch(c.other)
			if err != nil {
				t.Fatalf("a patch of another setting: %v", err)
			}
			if ch.Unchanged || ch.Workspace != want {
				t.Fatalf("answered %+v (unchanged %v), want %+v", ch.Workspace, ch.Unchanged, want)
			}
			if got := stored(); got != c.value {
				t.Fatalf("%s is %q after a patch of another setting, want %q as stored", c.key, got, c.value)
			}

			before := dump(t, e.db)
			_, err = patch(c.bad)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("error %v, want ErrInvalid saying %q", err, c.says)
			}
			if dump(t, e.db) != before {
				t.Fatal("a refused patch wrote")
			}

			if _, err := patch(c.fix); err != nil {
				t.Fatalf("a patch putting it right: %v", err)
			}
			if got, err := e.svc.Workspace(ctx); err != nil || !c.fixed(got) {
				t.Fatalf("after the fix %+v (%v)", got, err)
			}
		})
	}
}
