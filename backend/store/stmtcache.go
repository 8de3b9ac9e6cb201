package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// stmtCache keeps one *sql.Stmt per query text. database/sql prepares a
// Stmt lazily on each pooled connection it runs on and reuses it there, and
// modernc.org/sqlite keeps the compiled SQLite statement of a single-statement
// query, so a cached query is parsed once per connection instead of once per
// call (re-parsing was ~13% of the CPU of a metered chat send).
type stmtCache struct {
	pool *sql.DB

	mu      sync.RWMutex
	stmts   map[string]*sql.Stmt
	pending map[string]bool // writer statements being prepared in the background
	closed  bool
}

// maxStmts bounds each cache: the hot paths use a few dozen constant
// query texts; past the bound (a caller passing generated texts) queries
// run unprepared, as database/sql would run them, instead of growing the
// cache.
const maxStmts = 1024

// errCacheFull is ReadStmt's error past maxStmts.
var errCacheFull = errors.New("store: statement cache full (use constant query texts)")

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

func (c *stmtCache) get(q string) (*sql.Stmt, bool) {
	c.mu.RLock()
	st, ok := c.stmts[q]
	c.mu.RUnlock()
	return st, ok
}

// prepare returns the cached statement for q, preparing it (on a pooled
// connection) the first time; errCacheFull when the cache is full (a bound
// checked without the lock held while preparing, so concurrent first uses
// may pass it by a few statements).
func (c *stmtCache) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := c.get(q); ok {
		return st, nil
	}
	if c.len() >= maxStmts {
		return nil, errCacheFull
	}
	st, err := c.pool.PrepareContext(context.WithoutCancel(ctx), q)
	if err != nil {
		return nil, err
	}
	return c.keep(q, st), nil
}

// keep stores st for q unless another caller stored one first (then st is
// closed and the stored one returned) or the cache is closed.
func (c *stmtCache) keep(q string, st *sql.Stmt) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pending, q)
	if old, ok := c.stmts[q]; ok {
		_ = st.Close()
		return old
	}
	if c.closed {
		// Usable by this caller until the pool closes (Close is under way).
		return st
	}
	c.stmts[q] = st
	return st
}

// prepareLater prepares q in the background. The writer pool has a single
// connection: preparing on it from inside one of its own transactions would
// wait for that transaction forever, so the first use runs unprepared and
// the statement is ready for the next one.
func (c *stmtCache) prepareLater(q string) {
	c.mu.Lock()
	if c.closed || c.pending[q] || len(c.stmts)+len(c.pending) >= maxStmts {
		c.mu.Unlock()
		return
	}
	c.pending[q] = true
	c.mu.Unlock()
	go func() {
		st, err := c.pool.PrepareContext(context.Background(), q)
		if err != nil {
			c.mu.Lock()
			delete(c.pending, q)
			c.mu.Unlock()
			return
		}
		c.keep(q, st)
	}()
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	var errs []error
	for q, st := range c.stmts {
		errs = append(errs, st.Close())
		delete(c.stmts, q)
	}
	return errors.Join(errs...)
}

func (c *stmtCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.stmts)
}

// ReadStmt returns the read pool's prepared statement for query, prepared
// once and cached by its text until Close (do not Close it yourself). Use
// constant query texts: the cache is never trimmed, and past maxStmts
// statements ReadStmt fails (QueryRow, Query and the Tx helpers then run
// queries unprepared).
func (db *DB) ReadStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := db.rs.prepare(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	return st, nil
}

// QueryRow runs a single-row query on the read pool with its cached
// prepared statement (see ReadStmt).
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := db.rs.prepare(ctx, query)
	if err != nil {
		// Cache full, or a bad query: database/sql reports the error
		// through the Row.
		return db.r.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// Query runs a query on the read pool with its cached prepared statement
// (see ReadStmt).
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := db.rs.prepare(ctx, query)
	if err != nil {
		// Cache full, or a bad query: database/sql reports the error.
		return db.r.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// txStmt returns tx's view of the writer's cached statement for query, or
// nil when there is none yet (it is then prepared in the background) or tx
// is not a transaction of the writer.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	st, ok := db.ws.get(query)
	if !ok {
		db.ws.prepareLater(query)
		return nil
	}
	return tx.StmtContext(ctx, st)
}

// errDifferentDB is database/sql's message for a statement used in a
// transaction of another pool.
const errDifferentDB = "sql: Tx.Stmt: statement from different database used"

// ExecTx runs query in tx, a transaction on the writer (DB.Write or
// Writer().BeginTx), with the writer's cached prepared statement.
func (db *DB) ExecTx(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if ts := db.txStmt(ctx, tx, query); ts != nil {
		defer ts.Close()
		res, err := ts.ExecContext(ctx, args...)
		if err == nil || err.Error() != errDifferentDB {
			return res, err
		}
	}
	return tx.ExecContext(ctx, query, args...)
}

// QueryRowTx runs a single-row query in tx (a transaction on the writer)
// with the writer's cached prepared statement.
func (db *DB) QueryRowTx(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if ts := db.txStmt(ctx, tx, query); ts != nil {
		// The Row keeps ts usable until it is scanned; tx closes it.
		return ts.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// QueryTx runs a query in tx (a transaction on the writer) with the
// writer's cached prepared statement.
func (db *DB) QueryTx(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	if ts := db.txStmt(ctx, tx, query); ts != nil {
		rows, err := ts.QueryContext(ctx, args...)
		if err == nil || err.Error() != errDifferentDB {
			return rows, err
		}
	}
	return tx.QueryContext(ctx, query, args...)
}

// Prepared is a drop-in for *sql.DB (the read pool) or *sql.Tx (a writer
// transaction) in code written against their QueryContext, QueryRowContext
// and ExecContext methods, running each query with its cached prepared
// statement. Get one from DB.Prepared or DB.PreparedTx.
type Prepared struct {
	db   *DB
	tx   *sql.Tx // nil: the read pool
	read bool    // tx is a read transaction on the read pool (DB.ReadTx)
}

// Prepared returns the cached-statement view of the read pool.
func (db *DB) Prepared() Prepared { return Prepared{db: db} }

// PreparedTx returns the cached-statement view of tx, a transaction on the
// writer (DB.Write, or Writer().BeginTx as the ledger's hooks receive).
func (db *DB) PreparedTx(tx *sql.Tx) Prepared { return Prepared{db: db, tx: tx} }

// ReadTx runs fn in one transaction on the read pool: every query fn makes
// through q reads the same snapshot of the database (WAL: as of fn's first
// read, whatever commits meanwhile), with the read pool's cached prepared
// statements. For a verdict made of several reads that must not mix two
// states (team.Service.FundingPrecheck: a member, their payer's balance,
// limits and usage). The pool is query-only: a write through q fails.
func (db *DB) ReadTx(ctx context.Context, fn func(q Prepared) error) error {
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a read: nothing to keep
	return fn(Prepared{db: db, tx: tx, read: true})
}

// readTxStmt is the read transaction tx's view of the read pool's cached
// statement for query, nil when it cannot be had (the query then runs
// unprepared, and reports its own error).
func (db *DB) readTxStmt(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	st, err := db.rs.prepare(ctx, query)
	if err != nil {
		return nil
	}
	return tx.StmtContext(ctx, st) // closed with tx
}

// QueryRowContext runs a single-row query.
func (p Prepared) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if p.read {
		if ts := p.db.readTxStmt(ctx, p.tx, query); ts != nil {
			return ts.QueryRowContext(ctx, args...)
		}
		return p.tx.QueryRowContext(ctx, query, args...)
	}
	if p.tx != nil {
		return p.db.QueryRowTx(ctx, p.tx, query, args...)
	}
	return p.db.QueryRow(ctx, query, args...)
}

// QueryContext runs a query.
func (p Prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if p.read {
		if ts := p.db.readTxStmt(ctx, p.tx, query); ts != nil {
			return ts.QueryContext(ctx, args...)
		}
		return p.tx.QueryContext(ctx, query, args...)
	}
	if p.tx != nil {
		return p.db.QueryTx(ctx, p.tx, query, args...)
	}
	return p.db.Query(ctx, query, args...)
}

// QueryUnprepared runs a query as QueryContext does, in the same
// transaction (a ReadTx's snapshot, a writer's transaction) or on the read
// pool, but never with a cached prepared statement: for a query whose
// text varies (generated: a term or a UNION arm per item, as
// team.ListAudit's merge of the actions under a prefix), each text of
// which would otherwise take a place in the statement cache, never freed
// (maxStmts), for a query rarely run twice alike.
func (p Prepared) QueryUnprepared(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if p.tx != nil {
		return p.tx.QueryContext(ctx, query, args...)
	}
	return p.db.r.QueryContext(ctx, query, args...)
}

// ReadStmts is the number of statements in the read pool's cache (ReadStmt,
// Prepared on the read pool and in ReadTx): for tests that a query run
// with varying texts does not fill it.
func (db *DB) ReadStmts() int { return db.rs.len() }

// WriteCached reports whether query has a statement in the writer's cache
// (ExecTx, QueryTx, QueryRowTx, PreparedTx): for tests that a query of a
// hot write path runs prepared once it has run.
func (db *DB) WriteCached(query string) bool {
	_, ok := db.ws.get(query)
	return ok
}

// ExecContext runs a statement in the transaction (the read pool is
// query-only: there it fails as *sql.DB's would).
func (p Prepared) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if p.read {
		return p.tx.ExecContext(ctx, query, args...)
	}
	if p.tx != nil {
		return p.db.ExecTx(ctx, p.tx, query, args...)
	}
	return p.db.r.ExecContext(ctx, query, args...)
}
