package statements

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/reports"
)

// TestTransactionsExportNamesAnInvertedRange: the transactions CSV export of
// a range that ends before it starts is refused at start, nothing written,
// naming the bounds as the window's pages do ("To 2026-11-01 is before From
// 2026-11-30", as the Usage page and its transactions say it); it named
// neither ("2026-11-01 is before 2026-11-30").
func TestTransactionsExportNamesAnInvertedRange(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	const want = "To 2026-11-01 is before From 2026-11-30"
	f := reports.Filter{From: "2026-11-30", To: "2026-11-01"}
	for _, tc := range []struct {
		name  string
		start func(path string) error
	}{
		{"in the background (the window)", func(path string) error {
			_, err := e.st.StartExport(e.ctx, ExportRequest{Kind: KindTransactionsCSV, Filter: f, Path: path})
			return err
		}},
		{"at once", func(path string) error {
			return e.st.Export(e.ctx, ExportRequest{Kind: KindTransactionsCSV, Filter: f, Path: path}, nil)
		}},
	} {
		path := filepath.Join(dir, "range.csv")
		err := tc.start(path)
		if !errors.Is(err, reports.ErrBadRange) || inputerr.Reason(err) != want {
			t.Errorf("%s: %v (reason %q), want %q", tc.name, err, inputerr.Reason(err), want)
		}
		if _, serr := os.Stat(path); !errors.Is(serr, os.ErrNotExist) {
			t.Errorf("%s: the file was written (%v)", tc.name, serr)
		}
	}
	// The history itself says it the same way.
	if _, err := e.rep.History(e.ctx, f); inputerr.Reason(err) != want {
		t.Errorf("history: %v, want %q", err, want)
	}
}
