package team

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestUpdateWorkspaceChangesEverythingAndAudits(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	in := Workspace{Name: " Acme Labs ", Currency: "usd", CreditValue: "0.0125", TaxID: "DE123",
		Address: "1 Main St", TimeZone: "Europe/Berlin", IdleLockMinutes: 30}
	got, err := e.svc.UpdateWorkspace(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := Workspace{Name: "Acme Labs", Currency: "USD", CreditValue: "0.0125", TaxID: "DE123",
		Address: "1 Main St", TimeZone: "Europe/Berlin", IdleLockMinutes: 30}
	if got != want {
		t.Fatalf("returned %+v, want %+v", got, want)
	}
	read, err := e.svc.Workspace(ctx)
	if err != nil || read != want {
		t.Fatalf("read back %+v (%v), want %+v", read, err, want)
	}
	cv, err := e.led.CreditValue(ctx)
	if err != nil || cv.Amount != "0.0125" || cv.Currency != "USD" {
		t.Fatalf("ledger credit value %+v (%v)", cv, err)
	}
	if _, err := e.svc.UpdateWorkspace(ctx, in); err != nil { // the same again: nothing to write or log
		t.Fatal(err)
	}
	entries, err := e.svc.ListAudit(ctx, AuditFilter{Action: "workspace.update"})
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit %+v (%v)", entries, err)
	}
	var before, after Workspace
	if json.Unmarshal(entries[0].Before, &before) != nil || json.Unmarshal(entries[0].After, &after) != nil {
		t.Fatalf("audit json %s / %s", entries[0].Before, entries[0].After)
	}
	if before.Name != "Acme" || before.CreditValue != "0.01" || after != want {
		t.Fatalf("audit before %+v after %+v", before, after)
	}
}

func TestUpdateWorkspaceRefusesBadInputWritingNothing(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	good := Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"}
	cases := map[string]struct {
		mod  func(*Workspace)
		want string
	}{
		"empty name":           {func(w *Workspace) { w.Name = "  " }, "workspace name"},
		"long name":            {func(w *Workspace) { w.Name = strings.Repeat("n", 201) }, "workspace name"},
		"currency of digits":   {func(w *Workspace) { w.Currency = "123" }, "currency"},
		"currency too long":    {func(w *Workspace) { w.Currency = "EURO" }, "currency"},
		"credit value zero":    {func(w *Workspace) { w.CreditValue = "0" }, "credit"},
		"credit value text":    {func(w *Workspace) { w.CreditValue = "cheap" }, "credit"},
		"credit value 13 dp":   {func(w *Workspace) { w.CreditValue = "0.0000000000001" }, "credit"},
		"credit value as exp":  {func(w *Workspace) { w.CreditValue = "1e-2" }, "credit"},
		"tax id too long":      {func(w *Workspace) { w.TaxID = strings.Repeat("t", 65) }, "tax id"},
		"address too long":     {func(w *Workspace) { w.Address = strings.Repeat("a", 1001) }, "address"},
		"unknown time zone":    {func(w *Workspace) { w.TimeZone = "Mars/Olympus" }, "time zone"},
		"Local time zone":      {func(w *Workspace) { w.TimeZone = "Local" }, "time zone"},
		"negative idle lock":   {func(w *Workspace) { w.IdleLockMinutes = -1 }, "idle lock"},
		"idle lock over a day": {func(w *Workspace) { w.IdleLockMinutes = 1441 }, "idle lock"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			before := dump(t, e.db)
			in := good
			c.mod(&in)
			_, err := e.svc.UpdateWorkspace(ctx, in)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want ErrInvalid about %q", err, c.want)
			}
			if dump(t, e.db) != before {
				t.Fatal("a refused update wrote")
			}
		})
	}
}

// The settings, the credit value and the audit entry are one transaction:
// when storing the credit value fails, the name is not changed either.
func TestUpdateWorkspaceIsOneTransaction(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := e.adminCtx()
	err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`CREATE TRIGGER refuse_credit_value BEFORE UPDATE ON settings
			WHEN NEW.key = 'ledger.credit_value' BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	before := dump(t, e.db)
	_, err = e.svc.UpdateWorkspace(ctx, Workspace{Name: "Renamed", Currency: "USD", CreditValue: "0.02", TimeZone: "UTC"})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("error %v, want the credit value's failure", err)
	}
	if dump(t, e.db) != before {
		t.Fatal("the workspace changed although its credit value could not be stored")
	}
	w, err := e.svc.Workspace(ctx)
	if err != nil || w.Name != "Acme" || w.Currency != "EUR" || w.CreditValue != "0.01" {
		t.Fatalf("workspace %+v (%v)", w, err)
	}
}
