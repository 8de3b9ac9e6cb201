package ledger

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"meterdesk/backend/events"
	"meterdesk/backend/store"
)

// maxBatch bounds how many queued requests share one commit.
const maxBatch = 512

// maxCached bounds the writer's account cache.
const maxCached = 10_000

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

	// cache holds non-system account rows (policy, balance, pending, earliest
	// lot expiry) as of the last commit, for fast jobs only; writer goroutine
	// only. It is emptied when anything else may have changed an account:
	// after any job that ran in a savepoint (holds, top-ups, policies, the
	// general transfer path), on a rollback or failed commit, and when
	// another connection committed (PRAGMA data_version) or someone else
	// wrote on the writer connection (total_changes()) since our last commit.
	cache        map[string]*account
	cacheChanges int64 // total_changes() of the writer connection after our last commit (-1: unknown)
	cacheVersion int64 // PRAGMA data_version at our last commit

	commits, jobs, retries, lightCommits atomic.Int64    // group-commit statistics (benchmarks, tests)
	deferredCount                        atomic.Int64    // transfers written by a batch flush (deferred.go)
	writes                               map[string]bool // statement -> it may write (writer goroutine only)

	carry []*job // requests drained by join for the next batch (writer goroutine only)

	// lightOff makes lightConn fail (tests: a batch of holds and voids
	// committed like any other, as when the writer connection cannot be
	// pinned or switched to synchronous=NORMAL).
	lightOff atomic.Bool

	indexEvery    atomic.Int64                    // how often the debit index is brought up to date, in ns (debitindex.go)
	openCheck     atomic.Pointer[openCheckBox]    // SetOpenCheck (opencheck.go)
	giveCheck     atomic.Pointer[giveCheckBox]    // SetGiveCheck (opencheck.go)
	policyCheck   atomic.Pointer[policyCheckBox]  // SetPolicyCheck (policycheck.go)
	readCheck     atomic.Pointer[readCheckBox]    // SetReadCheck (query.go)
	providerCond  atomic.Pointer[providerCondBox] // SetProviderCond (query.go)
	topUpHook     atomic.Pointer[topUpHookBox]    // SetTopUpHook (topuphook.go)
	moveHook      atomic.Pointer[moveHookBox]     // SetMoveHook (movehook.go)
	indexedAt     time.Time                       // when it last was (writer goroutine only)
	indexFailures atomic.Int64                    // updates of the debit index that failed and were undone
}

// join appends to batch the requests waiting in the queue that may commit
// with it (the same kind: holds and voids with a batch of holds and voids,
// light (NORMAL) or not, the rest with a durable one), up to maxBatch; the
// others are carried to the next batch, ahead of the queue.
func (s *Service) join(batch []*job, light bool) []*job {
	for len(batch) < maxBatch {
		select {
		case j, ok := <-s.queue:
			if !ok {
				return batch
			}
			if j.light == light {
				batch = append(batch, j)
			} else {
				s.carry = append(s.carry, j)
			}
		default:
			return batch
		}
	}
	return batch
}

// job is one queued write request.
type job struct {
	ctx   context.Context
	fn    func(w *wtx) error
	fast  bool // fn opens its savepoint lazily (see submitFast)
	light bool // a hold or a void: need not survive a power cut (see submitLight)
	done  chan error
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
		db:           db,
		em:           em,
		clock:        clock,
		instance:     hex.EncodeToString(b),
		pid:          os.Getpid(),
		queue:        make(chan *job, maxBatch),
		done:         make(chan struct{}),
		stmts:        map[string]*sql.Stmt{},
		sysIDs:       map[string]int64{},
		writes:       map[string]bool{},
		cache:        map[string]*account{},
		cacheChanges: -1,
	}
	s.indexEvery.Store(int64(indexEvery))
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
	return s.enqueue(ctx, &job{fn: fn})
}

// submitLight is submit for a hold or a void: a batch made only of such
// jobs commits with synchronous=NORMAL (see tryBatch).
func (s *Service) submitLight(ctx context.Context, fn func(w *wtx) error) error {
	return s.enqueue(ctx, &job{fn: fn, light: true})
}

// submitFast is submit for a request that opens its savepoint itself, lazily
// (wtx.savepoint), before its first write, or never. Such a fn must not use
// w.tx directly (no hooks): only w.exec/queryRow/query, so the writer knows
// whether it wrote anything.
func (s *Service) submitFast(ctx context.Context, fn func(w *wtx) error) error {
	return s.enqueue(ctx, &job{fn: fn, fast: true})
}

func (s *Service) enqueue(ctx context.Context, j *job) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j.ctx, j.done = ctx, make(chan error, 1)
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
	light, heavy := make([]*job, 0, maxBatch), make([]*job, 0, maxBatch)
	for {
		batch = append(batch[:0], s.carry...)
		s.carry = s.carry[:0]
		if len(batch) == 0 {
			j, ok := <-s.queue
			if !ok {
				return
			}
			batch = append(batch, j)
		}
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
		// Holds and voids commit apart from the rest, without an fsync (see
		// lightConn): a chat's hold never waits for another request's durable
		// commit before its first token.
		light, heavy = light[:0], heavy[:0]
		for _, j := range batch {
			if j.light {
				light = append(light, j)
			} else {
				heavy = append(heavy, j)
			}
		}
		if len(light) > 0 && len(heavy) > 0 {
			s.runBatch(light)
			s.runBatch(heavy)
		} else {
			s.runBatch(batch)
		}
	}
}

// runBatch commits a batch in one transaction. Every job runs in its own
// savepoint, except fast jobs, which open theirs lazily before their first
// write (or never: a fast job that succeeds, or fails before writing, needs
// none), and a batch's only job (solo: the transaction is its savepoint; if
// it fails, the transaction is rolled back). If a fast job fails after
// writing without a savepoint, the whole transaction is rolled back and the
// batch runs again with a savepoint for every job (safe mode), so a rejected
// request never leaves a trace.
func (s *Service) runBatch(batch []*job) {
	errs := make([]error, len(batch))
	var w *wtx
	moved := false
	for _, safe := range []bool{false, true} {
		var retry bool
		w, moved, retry = s.tryBatch(&batch, &errs, safe)
		if !retry {
			break
		}
		s.retries.Add(1)
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

// tryBatch runs the batch in one transaction and commits it. retry reports
// that a fast job failed after an unprotected write: the transaction was
// rolled back and nothing was committed.
func (s *Service) tryBatch(batchp *[]*job, errsp *[]error, safe bool) (w *wtx, moved, retry bool) {
	batch, errs := *batchp, *errsp
	clear(errs)
	defer func() { *batchp, *errsp = batch, errs }()
	fail := func(err error) {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	ctx := context.Background()
	w = &wtx{s: s, stmts: map[string]*sql.Stmt{}}
	var begin interface {
		BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
	} = s.db.Writer()
	lightTx := false
	if conn := s.lightConn(ctx, batch); conn != nil {
		defer s.restoreSync(ctx, conn)
		begin, lightTx = conn, true
	}
	// A batch of holds and voids takes only holds and voids as late
	// joiners, even when it commits with FULL (no light connection): never
	// a fast transfer, the only request whose failure makes the writer
	// rerun a batch. So a hold's hooks run once, in the transaction that
	// commits, and what a caller keeps outside it for them (chat's promised
	// holds, HoldRequest.Reserve) stays true (TestHoldBatchIsNeverRerun).
	light := true
	for _, j := range batch {
		light = light && j.light
	}
	tx, err := begin.BeginTx(ctx, nil)
	if err != nil {
		fail(fmt.Errorf("ledger: begin: %w", err))
		return w, false, false
	}
	w.tx, w.ctx = tx, ctx
	// The account cache serves fast jobs only, and every other job empties
	// it: a batch without fast jobs neither checks nor keeps it, which spares
	// holds and posts two queries.
	useCache := false
	for _, j := range batch {
		useCache = useCache || (j.fast && !safe)
	}
	if useCache {
		s.checkCache(w, safe)
	} else {
		s.dropCache()
	}
	broken, joined, wrote := false, false, false
	for start := 0; start < len(batch); {
		for i := start; i < len(batch); i++ {
			j := batch[i]
			if err := j.ctx.Err(); err != nil {
				errs[i] = err
				continue
			}
			w.ctx, w.sp, w.dirty, w.moved = ctx, false, false, false
			// A batch's only job needs no savepoint of its own (nor the
			// statement journal one costs): the transaction holds nothing
			// else yet, so a failure rolls the transaction back. Requests
			// that join later run in savepoints.
			solo := !safe && !joined && len(batch) == 1 && !j.fast
			if solo {
				w.sp = true // the transaction protects the job as its savepoint would
			} else if safe || !j.fast {
				if err := w.savepoint(); err != nil {
					if errors.Is(err, errRerunSafe) {
						_ = tx.Rollback()
						s.dropCache()
						return w, false, true
					}
					errs[i] = err
					broken = true
					break
				}
			}
			w.ctx = context.WithoutCancel(j.ctx)
			err := runJob(w, j.fn)
			w.ctx = ctx
			switch {
			case errors.Is(err, errRerunSafe): // a flush inside the job found a deferred write that cannot apply
				_ = tx.Rollback()
				s.dropCache()
				return w, false, true
			case err != nil && solo:
				_ = tx.Rollback()
				s.dropCache()
				errs[i] = err
				return w, false, false
			case err != nil && w.sp:
				errs[i] = err
				if _, rerr := w.exec("ROLLBACK TO job"); rerr != nil {
					broken = true
				}
			case err != nil && w.dirty: // unprotected write of a rejected request
				_ = tx.Rollback()
				s.dropCache()
				return w, false, true
			case err != nil:
				errs[i] = err // rejected before writing anything
			case w.moved:
				moved = true
			}
			if err == nil && (w.dirty || w.moved) {
				wrote = true
			}
			if w.sp {
				clear(s.cache) // a general job may have changed any account
			}
			if broken {
				break
			}
			if w.sp && !solo {
				if _, err := w.exec("RELEASE job"); err != nil {
					errs[i] = fmt.Errorf("ledger: release savepoint: %w", err)
					broken = true
					break
				}
			}
		}
		start = len(batch)
		if broken {
			_ = tx.Rollback()
			s.dropCache()
			fail(fmt.Errorf("ledger: batch aborted"))
			return w, false, false
		}
		if err := w.flush(); err != nil {
			_ = tx.Rollback()
			s.dropCache()
			if errors.Is(err, errRerunSafe) {
				return w, false, true
			}
			fail(err)
			return w, false, false
		}
		if !safe && !joined {
			// Late joiners: the requests queued while this batch ran (most
			// are the callers the previous commit answered) join it, once,
			// so that one commit and one fsync serve them too (see join).
			joined = true
			batch = s.join(batch, light)
			errs = append(errs, make([]error, len(batch)-len(errs))...)
		}
	}
	// The debit index is brought up to date only by a batch that wrote
	// something itself, so a batch of refused requests commits nothing; by
	// a light batch first, whose callers are not waiting on a finished
	// stream (see indexDue).
	if wrote && s.indexDue(lightTx) {
		if err := w.indexDebits(); err != nil {
			_ = tx.Rollback()
			s.dropCache()
			fail(err)
			return w, false, false
		}
	}
	var changes int64
	if !useCache {
		s.dropCache()
	} else if err := w.queryRow("SELECT total_changes()").Scan(&changes); err != nil {
		s.dropCache()
	}
	if err := tx.Commit(); err != nil {
		s.dropCache()
		fail(fmt.Errorf("ledger: commit: %w", err))
		return w, false, false
	}
	if s.cacheChanges != -1 {
		s.cacheChanges = changes
	}
	return w, moved, false
}

// savepoint opens the current job's savepoint. It must come before the
// job's first write: a savepoint opened after an unprotected write could
// not undo it.
func (w *wtx) savepoint() error {
	if w.sp {
		return nil
	}
	if w.dirty {
		return fmt.Errorf("ledger: savepoint after a write")
	}
	if err := w.flush(); err != nil { // deferred rows must not fall inside the job's savepoint
		return err
	}
	if _, err := w.exec("SAVEPOINT job"); err != nil {
		return fmt.Errorf("ledger: savepoint: %w", err)
	}
	w.sp, w.dirty = true, false
	return nil
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
	sp      bool     // the current job runs in its own savepoint, or alone in the transaction (solo)
	dirty   bool     // the current job wrote something (statement through exec/query)
	prepare []string // statements to prepare on the connection after the batch

	deferred    []deferredRow       // fast transfers applied in memory, written by flush
	deferredIDs map[string]struct{} // their request ids
	args        []any               // reused argument buffer of flush
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

// touch marks the job dirty when q may write.
func (w *wtx) touch(q string) {
	wr, ok := w.s.writes[q]
	if !ok {
		head := strings.ToUpper(strings.TrimSpace(q))
		wr = !strings.HasPrefix(head, "SELECT") && !strings.HasPrefix(head, "SAVEPOINT") &&
			!strings.HasPrefix(head, "RELEASE") && !strings.HasPrefix(head, "ROLLBACK")
		w.s.writes[q] = wr
	}
	if wr {
		w.dirty = true
	}
}

func (w *wtx) exec(q string, args ...any) (sql.Result, error) {
	w.touch(q)
	st, err := w.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(w.ctx, args...)
}

func (w *wtx) queryRow(q string, args ...any) *sql.Row {
	w.touch(q)
	st, err := w.stmt(q)
	if err != nil {
		// A failed prepare surfaces on Scan through a plain query.
		return w.tx.QueryRowContext(w.ctx, q, args...)
	}
	return st.QueryRowContext(w.ctx, args...)
}

func (w *wtx) query(q string, args ...any) (*sql.Rows, error) {
	w.touch(q)
	st, err := w.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(w.ctx, args...)
}
