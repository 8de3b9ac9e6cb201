package ledger

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"meterdesk/backend/events"
	"meterdesk/backend/store"
)

// maxBatch bounds how many queued requests share one commit.
const maxBatch = 512

// Service is the ledger. It owns one group-commit goroutine; call Close to
// stop it.
type Service struct {
	db       *store.DB
	em       events.Emitter
	clock    func() time.Time
	instance string // identifies this process's holds
	pid      int

	mu     sync.RWMutex // guards closed against sends on queue
	closed bool
	queue  chan *job
	done   chan struct{}

	stmts  map[string]*sql.Stmt // prepared on the writer connection
	sysIDs map[string]int64     // system account code -> id (immutable)

	commits, jobs atomic.Int64 // group-commit statistics (benchmarks)
}

// job is one queued write request.
type job struct {
	ctx  context.Context
	fn   func(w *wtx) error
	done chan error
}

// New returns the ledger on db, emitting events.BalanceChanged after every
// commit that moved money. clock may be nil (time.Now).
func New(db *store.DB, em events.Emitter, clock func() time.Time) *Service {
	if em == nil {
		em = events.Nop{}
	}
	if clock == nil {
		clock = time.Now
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	s := &Service{
		db:       db,
		em:       em,
		clock:    clock,
		instance: hex.EncodeToString(b),
		pid:      os.Getpid(),
		queue:    make(chan *job, maxBatch),
		done:     make(chan struct{}),
		stmts:    map[string]*sql.Stmt{},
		sysIDs:   map[string]int64{},
	}
	go s.writer()
	return s
}

// Close stops the group-commit goroutine after it has committed every
// request already queued. Later writes fail with ErrClosed.
func (s *Service) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.queue)
	s.mu.Unlock()
	<-s.done
	for _, st := range s.stmts {
		st.Close()
	}
}

// now is the clock in UTC, truncated to milliseconds (the stored precision).
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Millisecond) }

// submit queues fn and waits until its batch is durably committed (or fn was
// rejected). fn runs inside its own savepoint on the writer goroutine.
func (s *Service) submit(ctx context.Context, fn func(w *wtx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j := &job{ctx: ctx, fn: fn, done: make(chan error, 1)}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return ErrClosed
	}
	s.queue <- j
	s.mu.RUnlock()
	return <-j.done
}

// writer is the group-commit loop.
func (s *Service) writer() {
	defer close(s.done)
	batch := make([]*job, 0, maxBatch)
	for j := range s.queue {
		batch = append(batch[:0], j)
	drain:
		for len(batch) < maxBatch {
			select {
			case j, ok := <-s.queue:
				if !ok {
					break drain
				}
				batch = append(batch, j)
			default:
				break drain
			}
		}
		s.runBatch(batch)
	}
}

// runBatch commits a batch in one transaction, one savepoint per job.
func (s *Service) runBatch(batch []*job) {
	errs := make([]error, len(batch))
	moved := false
	fail := func(err error) {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	ctx := context.Background()
	w := &wtx{s: s, stmts: map[string]*sql.Stmt{}}
	tx, err := s.db.Writer().BeginTx(ctx, nil)
	if err != nil {
		fail(fmt.Errorf("ledger: begin: %w", err))
	} else {
		w.tx = tx
		broken := false
		for i, j := range batch {
			if err := j.ctx.Err(); err != nil {
				errs[i] = err
				continue
			}
			w.ctx = ctx
			if _, err := w.exec("SAVEPOINT job"); err != nil {
				errs[i] = fmt.Errorf("ledger: savepoint: %w", err)
				broken = true
				break
			}
			w.ctx = context.WithoutCancel(j.ctx)
			w.moved = false
			err := runJob(w, j.fn)
			if err != nil {
				errs[i] = err
				w.ctx = ctx
				if _, rerr := w.exec("ROLLBACK TO job"); rerr != nil {
					broken = true
					break
				}
			} else if w.moved {
				moved = true
			}
			w.ctx = ctx
			if _, err := w.exec("RELEASE job"); err != nil {
				errs[i] = fmt.Errorf("ledger: release savepoint: %w", err)
				broken = true
				break
			}
		}
		if broken {
			_ = tx.Rollback()
			fail(fmt.Errorf("ledger: batch aborted"))
			moved = false
		} else if err := tx.Commit(); err != nil {
			fail(fmt.Errorf("ledger: commit: %w", err))
			moved = false
		}
	}
	s.commits.Add(1)
	s.jobs.Add(int64(len(batch)))
	if moved { // after the commit, before the callers return
		s.em.Emit(events.BalanceChanged, nil)
	}
	for i, j := range batch {
		j.done <- errs[i]
	}
	s.prepareLater(w.prepare)
}

// runJob runs fn, turning a panic into an error so that one bad request
// (or hook) cannot take the writer down.
func runJob(w *wtx, fn func(w *wtx) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ledger: request panicked: %v", r)
		}
	}()
	return fn(w)
}

// wtx is the write transaction as seen by one job.
type wtx struct {
	s       *Service
	ctx     context.Context
	tx      *sql.Tx
	stmts   map[string]*sql.Stmt
	moved   bool     // a balance changed: emit BalanceChanged after commit
	prepare []string // statements to prepare on the connection after the batch
}

// stmt returns q prepared on the writer connection, bound to this tx. A
// statement not yet prepared on the connection is prepared on the tx for
// this batch (the pool's one connection is busy with the tx) and on the
// connection itself after the commit, for later batches.
func (w *wtx) stmt(q string) (*sql.Stmt, error) {
	if st, ok := w.stmts[q]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if base, ok := w.s.stmts[q]; ok {
		st = w.tx.StmtContext(context.Background(), base)
	} else {
		var err error
		st, err = w.tx.PrepareContext(context.Background(), q)
		if err != nil {
			return nil, fmt.Errorf("prepare: %w", err)
		}
		w.prepare = append(w.prepare, q)
	}
	w.stmts[q] = st
	return st, nil
}

// prepareLater prepares statements first seen in the last batch on the
// writer connection (only the writer goroutine touches s.stmts).
func (s *Service) prepareLater(qs []string) {
	for _, q := range qs {
		if _, ok := s.stmts[q]; ok {
			continue
		}
		st, err := s.db.Writer().PrepareContext(context.Background(), q)
		if err == nil {
			s.stmts[q] = st
		}
	}
}

func (w *wtx) exec(q string, args ...any) (sql.Result, error) {
	st, err := w.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(w.ctx, args...)
}

func (w *wtx) queryRow(q string, args ...any) *sql.Row {
	st, err := w.stmt(q)
	if err != nil {
		// A failed prepare surfaces on Scan through a plain query.
		return w.tx.QueryRowContext(w.ctx, q, args...)
	}
	return st.QueryRowContext(w.ctx, args...)
}

func (w *wtx) query(q string, args ...any) (*sql.Rows, error) {
	st, err := w.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(w.ctx, args...)
}
