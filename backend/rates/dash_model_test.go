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

// TestPreviewRefusesWhatSaveRefuses: Preview (Settings → Rates' Unsaved
// changes asks it) refuses a change that makes a new model named like a
// flag with Save's own refusal, word for word (the same *ValidationError,
// its problem naming the model), and writes nothing; it
// listed the change as if Save would take it. A model in the catalogue
// named so (a provider reported it, an import added it) is previewed and
// saved as any other.
func TestPreviewRefusesWhatSaveRefuses(t *testing.T) {
	f := newFixture(t)
	if err := f.svc.MergeReported(f.admin, Local, []string{"-reported"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		change  Change
		refused bool
	}{
		{"an edit of a new -x", Change{Edits: []Edit{{Provider: Local, Model: "-x", Field: "input", Value: "1"}}}, true},
		{"a row of a new --input", Change{Rows: []Row{{Provider: OpenAI, Model: "--input", Input: "1"}}}, true},
		{"a blank row of a new -x", Change{Rows: []Row{{Provider: Local, Model: "-x"}}}, true},
		{"a new -x beside a valid edit", Change{Edits: []Edit{{Provider: OpenAI, Model: "gpt-4o", Field: "input", Value: "0.5"},
			{Provider: Local, Model: "-x", Field: "output", Value: "1"}}}, true},
		{"a reported -reported", Change{Edits: []Edit{{Provider: Local, Model: "-reported", Field: "input", Value: "0.001"}}}, false},
		{"a new model not named like a flag", Change{Edits: []Edit{{Provider: Local, Model: "x-1", Field: "input", Value: "0.001"}}}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			versions, audits := countVersions(t, f.db), countAudit(t, f)
			diffs, perr := f.svc.Preview(f.admin, c.change)
			if countVersions(t, f.db) != versions || countAudit(t, f) != audits {
				t.Fatalf("Preview wrote: versions %d→%d, audit %d→%d", versions, countVersions(t, f.db), audits, countAudit(t, f))
			}
			if !c.refused {
				if perr != nil || len(diffs) == 0 {
					t.Fatalf("Preview: %v, %v; want the change listed", diffs, perr)
				}
				if _, err := f.svc.ApplyChange(f.admin, c.change); err != nil {
					t.Fatalf("Save after a clean Preview: %v", err)
				}
				return
			}
			_, aerr := f.svc.ApplyChange(f.admin, c.change)
			if aerr == nil || !errors.Is(aerr, ErrInvalid) || !strings.Contains(aerr.Error(), `starts with "-"`) {
				t.Fatalf("Save: %v, want the refusal of the name", aerr)
			}
			// Save's says what it did ("change rates: "), then the same refusal.
			if perr == nil || perr.Error() != strings.TrimPrefix(aerr.Error(), "change rates: ") || !errors.Is(perr, ErrInvalid) || diffs != nil {
				t.Fatalf("Preview: %v, %v\nwant Save's refusal\n %v", diffs, perr, aerr)
			}
		})
	}
}
