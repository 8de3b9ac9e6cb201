package statements

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// A finished export is forgotten KeepFinishedFor after it ended, or once
// KeepFinished others finished after it; until then its status can be read.
func TestFinishedExportsAreForgotten(t *testing.T) {
	e := newEnv(t)
	e.populate(t, 20)
	e.st.em = events.Nop{}
	now := fixedNow
	e.st.clock = func() time.Time { return now }
	dir := t.TempDir()
	var ids []string
	for i := range KeepFinished + 2 {
		id, err := e.st.StartExport(e.ctx, ExportRequest{Kind: KindStatementCSV, Statement: Request{Month: "2025-03"},
			Path: filepath.Join(dir, fmt.Sprintf("s%d.csv", i))})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := e.st.WaitExport(e.ctx, id); err != nil || st.State != StateDone {
			t.Fatalf("export %d: %+v %v", i, st, err)
		}
		ids = append(ids, id)
		now = now.Add(time.Second)
	}
	if n := len(e.st.jobs.byID); n != KeepFinished {
		t.Errorf("%d exports held after %d finished, want the newest %d", n, len(ids), KeepFinished)
	}
	for i, id := range ids {
		st, err := e.st.ExportStatus(e.ctx, id)
		if i < 2 {
			if !errors.Is(err, ErrUnknownJob) {
				t.Errorf("export %d of %d still known: %+v %v", i, len(ids), st, err)
			}
		} else if err != nil || st.State != StateDone || st.Path == "" {
			t.Errorf("export %d: %+v %v, want its finished status", i, st, err)
		}
	}
	// The newest ended a second ago: it is kept until KeepFinishedFor after that.
	now = now.Add(KeepFinishedFor - 2*time.Second)
	if st, err := e.st.ExportStatus(e.ctx, ids[len(ids)-1]); err != nil || st.State != StateDone {
		t.Errorf("newest export just before KeepFinishedFor: %+v %v", st, err)
	}
	if _, err := e.st.ExportStatus(e.ctx, ids[len(ids)-2]); !errors.Is(err, ErrUnknownJob) {
		t.Errorf("an export that ended KeepFinishedFor ago is still known: %v", err)
	}
	now = now.Add(time.Second)
	if _, err := e.st.WaitExport(e.ctx, ids[len(ids)-1]); !errors.Is(err, ErrUnknownJob) {
		t.Errorf("newest export KeepFinishedFor after it ended: %v, want ErrUnknownJob", err)
	}
	if n := len(e.st.jobs.byID); n != 0 {
		t.Errorf("%d exports held %s after the last one ended", n, KeepFinishedFor)
	}
}

// The bookkeeping of jobs: running ones stay, finished ones go after keepFor
// or beyond keepLast, oldest first.
func TestJobsPrune(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		op  string // "add", "finish" or "get"
		id  string
		at  time.Duration // after t0
		has []string      // the ids known afterwards, sorted
	}
	for _, tc := range []struct {
		name     string
		keepFor  time.Duration
		keepLast int
		steps    []step
	}{
		{"a running job is never forgotten", time.Minute, 0, []step{
			{"add", "a", 0, []string{"a"}},
			{"get", "a", time.Hour, []string{"a"}},
			{"finish", "a", time.Hour, nil},
		}},
		{"finished jobs go keepFor after they ended", time.Minute, 10, []step{
			{"add", "a", 0, []string{"a"}},
			{"add", "b", 0, []string{"a", "b"}},
			{"finish", "a", time.Second, []string{"a", "b"}},
			{"finish", "b", 30 * time.Second, []string{"a", "b"}},
			{"get", "a", 61*time.Second - 1, []string{"a", "b"}},
			{"get", "a", 61 * time.Second, []string{"b"}},
			{"add", "c", 89 * time.Second, []string{"b", "c"}},
			{"add", "d", 90 * time.Second, []string{"c", "d"}},
		}},
		{"only the newest keepLast finished are kept", time.Hour, 2, []step{
			{"add", "a", 0, []string{"a"}},
			{"add", "b", 0, []string{"a", "b"}},
			{"add", "c", 0, []string{"a", "b", "c"}},
			{"add", "d", 0, []string{"a", "b", "c", "d"}},
			{"finish", "c", 0, []string{"a", "b", "c", "d"}},
			{"finish", "a", 0, []string{"a", "b", "c", "d"}},
			{"finish", "d", 0, []string{"a", "b", "d"}},
			{"get", "b", 0, []string{"a", "b", "d"}},
			{"finish", "b", 0, []string{"b", "d"}},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			js := newJobs()
			js.keepFor, js.keepLast = tc.keepFor, tc.keepLast
			made := map[string]*job{}
			for i, s := range tc.steps {
				now := t0.Add(s.at)
				switch s.op {
				case "add":
					made[s.id] = &job{id: s.id, status: JobStatus{ID: s.id, State: StateRunning}}
					js.add(s.id, made[s.id], now)
				case "finish":
					js.finish(made[s.id], now)
				case "get":
					js.get(s.id, now)
				}
				var has []string
				for id := range js.byID {
					has = append(has, id)
				}
				slices.Sort(has)
				if !slices.Equal(has, s.has) {
					t.Errorf("step %d (%s %s at %s): known %v, want %v", i, s.op, s.id, s.at, has, s.has)
				}
			}
		})
	}
}

// TestExportProgressIsPrivate: every progress event of an export (its job
// id, file path, error) is for the member who started it (events.Private),
// so the window does not show it to whoever signs in after their window
// locked.
func TestExportProgressIsPrivate(t *testing.T) {
	e := newEnv(t)
	e.populate(t, 10)
	rec := &events.Recorder{}
	e.st.em = rec
	alice := access.WithActor(context.Background(), access.Actor{UserID: 1, Name: "alice", Role: access.RoleMember})
	id, err := e.st.StartExport(alice, ExportRequest{Kind: KindTransactionsCSV, Path: filepath.Join(t.TempDir(), "mine.csv")})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := e.st.WaitExport(alice, id); err != nil || st.State != StateDone {
		t.Fatalf("export: %+v %v", st, err)
	}
	n := 0
	for _, ev := range rec.Events() {
		if ev.Name != events.ExportProgress {
			continue
		}
		n++
		p, ok := ev.Payload.(events.Private)
		if !ok {
			t.Fatalf("progress event %+v is not events.Private", ev.Payload)
		}
		if p.Owner() != 1 {
			t.Errorf("progress event %+v owned by %d, want alice (1)", ev.Payload, p.Owner())
		}
	}
	if n < 2 {
		t.Errorf("only %d progress events", n)
	}
}
