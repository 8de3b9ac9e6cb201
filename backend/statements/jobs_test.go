package statements

import (
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/reports"
)

func TestExportJobProgressAndCancel(t *testing.T) {
	e := newEnv(t)
	e.populate(t, 6000)
	rec := &events.Recorder{}
	e.st.em = rec
	dir := t.TempDir()
	ctx := e.ctx
	done := filepath.Join(dir, "all.csv")
	id, err := e.st.StartExport(e.ctx, ExportRequest{Kind: KindTransactionsCSV, Filter: reports.Filter{}, Path: done})
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.st.WaitExport(ctx, id)
	if err != nil || st.State != StateDone || st.Done != st.Total || st.Total < 6000 {
		t.Fatalf("export: %+v %v", st, err)
	}
	if rec.Count(events.ExportProgress) < 5 {
		t.Errorf("only %d progress events", rec.Count(events.ExportProgress))
	}
	f, _ := os.Open(done)
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || int64(len(recs)-1) != st.Total {
		t.Fatalf("csv rows %d, total %d, %v", len(recs)-1, st.Total, err)
	}

	// Cancel: the job ends cancelled and leaves no file behind.
	cancelled := filepath.Join(dir, "cancelled.pdf")
	e.st.em = events.Nop{}
	id, err = e.st.StartExport(e.ctx, ExportRequest{Kind: KindStatementPDF, Statement: Request{Month: "2025-03"}, Path: cancelled})
	if err != nil {
		t.Fatal(err)
	}
	// Only its owner (or an admin) sees or cancels an export.
	other := access.WithActor(context.Background(), access.Actor{UserID: 9, Name: "m9", Role: access.RoleMember})
	if _, err := e.st.ExportStatus(other, id); !errors.Is(err, ErrUnknownJob) {
		t.Errorf("another member reads the export's status: %v", err)
	}
	if err := e.st.CancelExport(other, id); !errors.Is(err, ErrUnknownJob) {
		t.Errorf("another member cancels the export: %v", err)
	}
	if err := e.st.CancelExport(ctx, id); err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()
	st, _ = e.st.WaitExport(wctx, id)
	if st.State != StateCancelled && st.State != StateDone {
		t.Fatalf("cancelled export: %+v", st)
	}
	if st.State == StateCancelled {
		if _, err := os.Stat(cancelled); err == nil {
			t.Error("a cancelled export left its file")
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*part*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	// Bad requests fail at start and write nothing.
	for _, tc := range []struct {
		req  ExportRequest
		want error
	}{
		{ExportRequest{Kind: "xlsx", Path: filepath.Join(dir, "x")}, ErrBadExport},
		{ExportRequest{Kind: KindStatementCSV, Statement: Request{Month: "2025-03"}}, ErrNoPath},
		{ExportRequest{Kind: KindStatementCSV, Statement: Request{Month: "2025-03"}, Path: dir}, ErrIsFolder},
		{ExportRequest{Kind: KindTransactionsCSV, Filter: reports.Filter{Types: []string{"bogus"}}, Path: filepath.Join(dir, "y")}, reports.ErrBadType},
	} {
		if _, err := e.st.StartExport(e.ctx, tc.req); !errors.Is(err, tc.want) {
			t.Errorf("start %+v: %v, want %v", tc.req, err, tc.want)
		}
	}
	if err := e.st.CancelExport(ctx, "nope"); !errors.Is(err, ErrUnknownJob) {
		t.Errorf("cancel unknown: %v", err)
	}
}
