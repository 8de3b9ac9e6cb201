package statements

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/fileout"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/reports"
)

// Export kinds.
const (
	KindStatementPDF    = "statement-pdf"
	KindStatementCSV    = "statement-csv"
	KindStatementDetail = "statement-detail-csv"
	KindTransactionsCSV = "transactions-csv"
	KindInvoicePDF      = "invoice-pdf"
)

// Job states.
const (
	StateRunning   = "running"
	StateDone      = "done"
	StateFailed    = "failed"
	StateCancelled = "cancelled"
)

// Errors of the export job API.
var (
	ErrUnknownJob = errors.New("no such export")
	ErrBadExport  = errors.New("invalid export")
	ErrNoPath     = fileout.ErrNoPath
	ErrIsFolder   = fileout.ErrIsFolder
)

// ExportRequest describes one export: a statement (Statement), the
// filtered transaction history (Filter) or an invoice or credit note (its
// number, Invoice), written to Path.
type ExportRequest struct {
	Kind      string         `json:"kind"`
	Statement Request        `json:"statement"`
	Filter    reports.Filter `json:"filter"`
	Invoice   string         `json:"invoice"`
	Path      string         `json:"path"`
}

// JobStatus is an export's progress, the payload of events.ExportProgress.
type JobStatus struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Path  string `json:"path"`
	State string `json:"state"`
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
	Error string `json:"error,omitempty"`
	// UserID is who started the export (0: the system); its progress
	// reaches the window only while they are signed in (events.Private):
	// not the member who signs in after their window locked.
	UserID int64 `json:"-"`
}

// Owner implements events.Private: an export's progress (its file's path,
// its error) is for the window of the member who started it.
func (s JobStatus) Owner() int64 { return s.UserID }

type job struct {
	id     string
	mu     sync.Mutex
	status JobStatus
	cancel context.CancelFunc
	done   chan struct{}
	by     int64     // who started it (user id; 0 = the system)
	ended  time.Time // when it finished (guarded by jobs.mu)
}

// A finished export is kept for a status read after its last progress
// event (ExportStatus, WaitExport) for KeepFinishedFor, and only the newest
// KeepFinished of them: then it is forgotten (ErrUnknownJob), so that a
// window or `meterdesk serve` running for weeks does not hold every export
// it ever made. A running export is never forgotten. The window shows a
// finished export's result from its last events.ExportProgress, which
// carries the whole JobStatus.
const (
	KeepFinishedFor = 10 * time.Minute
	KeepFinished    = 100
)

type jobs struct {
	mu       sync.Mutex
	byID     map[string]*job
	ended    []*job // finished jobs still kept, in the order they finished
	keepFor  time.Duration
	keepLast int
}

func newJobs() *jobs {
	return &jobs{byID: map[string]*job{}, keepFor: KeepFinishedFor, keepLast: KeepFinished}
}

// add registers a running job.
func (js *jobs) add(id string, j *job, now time.Time) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.prune(now)
	js.byID[id] = j
}

// finish records that j ended at now; it is forgotten keepFor later, or
// sooner when keepLast jobs finished after it.
func (js *jobs) finish(j *job, now time.Time) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j.ended = now
	js.ended = append(js.ended, j)
	js.prune(now)
}

// get returns the job id, nil when there is none (or it was forgotten).
func (js *jobs) get(id string, now time.Time) *job {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.prune(now)
	return js.byID[id]
}

// prune forgets the finished jobs past keepFor at now, and the oldest
// beyond keepLast. js.mu is held.
func (js *jobs) prune(now time.Time) {
	n := 0
	for n < len(js.ended) && (len(js.ended)-n > js.keepLast || now.Sub(js.ended[n].ended) >= js.keepFor) {
		delete(js.byID, js.ended[n].id)
		js.ended[n] = nil
		n++
	}
	if n > 0 {
		js.ended = js.ended[n:]
	}
}

// Export writes an export synchronously (the CLI), atomically: the file
// appears complete under Path or not at all.
func (s *Service) Export(ctx context.Context, req ExportRequest, prog Progress) error {
	if err := fileout.Check(req.Path); err != nil {
		return err
	}
	write, err := s.exporter(ctx, req)
	if err != nil {
		return err
	}
	return fileout.Write(req.Path, exportPerm, func(w io.Writer) error { return write(ctx, w, prog) })
}

// ExportTo writes an export to w instead of a file (the CLI's "--out -");
// req.Path is not used.
func (s *Service) ExportTo(ctx context.Context, req ExportRequest, w io.Writer) error {
	write, err := s.exporter(ctx, req)
	if err != nil {
		return err
	}
	return write(ctx, w, nil)
}

// exportPerm is the mode of an exported statement or invoice: documents
// meant to be passed on.
const exportPerm = 0o644

// StartExport validates req (access, month, filter) and starts writing it in
// the background; it returns the job id at once. Progress arrives as
// events.ExportProgress with a JobStatus payload; the last one has state
// done, failed or cancelled.
func (s *Service) StartExport(ctx context.Context, req ExportRequest) (string, error) {
	if err := fileout.Check(req.Path); err != nil {
		return "", err
	}
	write, err := s.exporter(ctx, req)
	if err != nil {
		return "", err
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	jctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a, _ := access.FromContext(ctx)
	j := &job{id: id, status: JobStatus{ID: id, Kind: req.Kind, Path: req.Path, State: StateRunning, UserID: a.UserID},
		cancel: cancel, done: make(chan struct{}), by: a.UserID}
	s.jobs.add(id, j, s.clock())
	s.em.Emit(events.ExportProgress, j.snapshot())
	go func() {
		defer close(j.done)
		defer cancel()
		err := fileout.Write(req.Path, exportPerm, func(w io.Writer) error {
			return write(jctx, w, func(done, total int64) {
				j.mu.Lock()
				j.status.Done, j.status.Total = done, total
				j.mu.Unlock()
				s.em.Emit(events.ExportProgress, j.snapshot())
			})
		})
		j.mu.Lock()
		switch {
		case err == nil:
			j.status.State = StateDone
		case errors.Is(err, context.Canceled):
			j.status.State = StateCancelled
		default:
			j.status.State, j.status.Error = StateFailed, err.Error()
		}
		j.mu.Unlock()
		s.em.Emit(events.ExportProgress, j.snapshot())
		s.jobs.finish(j, s.clock())
	}()
	return id, nil
}

func (j *job) snapshot() JobStatus {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.status
}

// CancelExport stops a running export; its partial file is removed.
func (s *Service) CancelExport(ctx context.Context, id string) error {
	j, err := s.job(ctx, id)
	if err != nil {
		return err
	}
	j.cancel()
	return nil
}

// ExportStatus returns an export's current status.
func (s *Service) ExportStatus(ctx context.Context, id string) (JobStatus, error) {
	j, err := s.job(ctx, id)
	if err != nil {
		return JobStatus{}, err
	}
	return j.snapshot(), nil
}

// WaitExport blocks until the export has finished (tests, CLI).
func (s *Service) WaitExport(ctx context.Context, id string) (JobStatus, error) {
	j, err := s.job(ctx, id)
	if err != nil {
		return JobStatus{}, err
	}
	select {
	case <-j.done:
		return j.snapshot(), nil
	case <-ctx.Done():
		return j.snapshot(), ctx.Err()
	}
}

// job returns export id when the actor may see it: the member who started
// it, or an admin. Anyone else is told there is no such export, as is
// everyone once a finished export was forgotten (KeepFinishedFor).
func (s *Service) job(ctx context.Context, id string) (*job, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("export %q: %w", id, err)
	}
	j := s.jobs.get(id, s.clock())
	if j == nil || (!a.IsAdmin() && j.by != a.UserID) {
		return nil, fmt.Errorf("%w %q", ErrUnknownJob, id)
	}
	return j, nil
}

type writeFunc func(ctx context.Context, w io.Writer, prog Progress) error

// exporter checks req and returns the function that writes it.
func (s *Service) exporter(ctx context.Context, req ExportRequest) (writeFunc, error) {
	switch req.Kind {
	case KindTransactionsCSV:
		if _, err := s.reports.Count(ctx, req.Filter); err != nil {
			return nil, err
		}
		return func(ctx context.Context, w io.Writer, prog Progress) error {
			return s.WriteTransactionsCSV(ctx, req.Filter, w, prog)
		}, nil
	case KindStatementPDF, KindStatementCSV, KindStatementDetail:
		st, err := s.Build(ctx, req.Statement)
		if err != nil {
			return nil, err
		}
		fn := map[string]func(context.Context, *Statement, io.Writer, Progress) error{
			KindStatementPDF: s.WritePDF, KindStatementCSV: s.WriteCSV, KindStatementDetail: s.WriteDetailCSV,
		}[req.Kind]
		return func(ctx context.Context, w io.Writer, prog Progress) error { return fn(ctx, st, w, prog) }, nil
	case KindInvoicePDF:
		inv, err := s.Invoice(ctx, req.Invoice) // admin only
		if err != nil {
			return nil, err
		}
		return func(ctx context.Context, w io.Writer, prog Progress) error {
			if err := s.WriteInvoicePDF(ctx, inv, w); err != nil {
				return err
			}
			prog.report(1, 1)
			return nil
		}, nil
	}
	return nil, fmt.Errorf("export: %w", inputerr.New(ErrBadExport, "kind %q (want %s, %s, %s, %s or %s)",
		req.Kind, KindStatementPDF, KindStatementCSV, KindStatementDetail, KindTransactionsCSV, KindInvoicePDF))
}
