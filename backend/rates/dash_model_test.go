package rates

import (
	"errors"
	"strings"
	"testing"
)

// TestNewModelNameStartingWithDash: a rate change (the CLI's rates set,
// the window's rate editor) or Add model refuses to make a new model whose name starts with "-" (`meterdesk rates
// set openai -5 --input 1` made a model "-5": a slip, a flag or a value
// typed where the model goes), naming the model and writing nothing. A
// model a provider reported so is in the catalogue and is priced as any
// other, and CheckModel, the rule for reported names and sends, takes it.
func TestNewModelNameStartingWithDash(t *testing.T) {
	f := newFixture(t)
	data, err := f.svc.Export(f.admin, FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		do   func() error
	}{
		{"edit", func() error {
			_, err := f.svc.ApplyChange(f.admin, Change{Edits: []Edit{{Provider: OpenAI, Model: "-5", Field: "input", Value: "1"}}})
			return err
		}},
		{"row", func() error {
			_, err := f.svc.ApplyChange(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "--input", Input: "1"}}})
			return err
		}},
		{"blank row", func() error {
			_, err := f.svc.ApplyChange(f.admin, Change{Rows: []Row{{Provider: Local, Model: "-x"}}})
			return err
		}},
		{"add model", func() error { return f.svc.AddModel(f.admin, OpenAI, "-5") }},
	} {
		versions, audits := countVersions(t, f.db), countAudit(t, f)
		err := c.do()
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `starts with "-"`) {
			t.Errorf("%s: %v, want a refusal of the name", c.name, err)
		}
		var n int
		if err := f.db.Read().QueryRow(`SELECT count(*) FROM rate_models WHERE model LIKE '-%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 || countVersions(t, f.db) != versions || countAudit(t, f) != audits {
			t.Errorf("%s: written: %d models, versions %d→%d, audit %d→%d", c.name, n, versions, countVersions(t, f.db), audits, countAudit(t, f))
		}
	}
	// A file's names are data: an import adds one (an export of a reported
	// "-mini" reads back into a new workspace).
	if _, err := f.svc.ImportChange(f.admin, FormatCSV, append(append([]byte(nil), data...), "openai,-imported,0.001,0.002,,,,,\n"...)); err != nil {
		t.Errorf("import of -imported: %v", err)
	}
	// Reported so by a provider: kept, and priced.
	if err := CheckModel("-reported"); err != nil {
		t.Fatalf("CheckModel: %v", err)
	}
	if err := f.svc.MergeReported(f.admin, Local, []string{"-reported"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ApplyChange(f.admin, Change{Edits: []Edit{{Provider: Local, Model: "-reported", Field: "input", Value: "0.001"}}}); err != nil {
		t.Errorf("pricing a reported model named -reported: %v", err)
	}
}
