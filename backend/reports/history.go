package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

// Transaction types a history can be filtered by. Usage is any posted
// transfer into sys:usage (direct usage or a posted hold); the others are the
// ledger's operation names.
const (
	TypeTopUp      = "topup"
	TypeUsage      = "usage"
	TypeTransfer   = "transfer"
	TypeRefund     = "refund"
	TypeExpiry     = "expiry"
	TypeAdjustment = "adjustment"
	TypeGrant      = "grant"
)

// Types lists the filterable transaction types.
var Types = []string{TypeTopUp, TypeUsage, TypeTransfer, TypeRefund, TypeExpiry, TypeAdjustment, TypeGrant}

// Filter selects history rows. Zero fields do not filter. Dates are
// YYYY-MM-DD in the workspace zone (backend/workzone), both inclusive.
type Filter struct {
	Types        []string `json:"types"`
	UserID       int64    `json:"userId"`
	DepartmentID int64    `json:"departmentId"`
	Model        string   `json:"model"`    // ledger.NoModel ("(no model)"): the transfers with no model, as the "(no model)" bars sum
	Provider     string   `json:"provider"` // usage charges at this provider as "By model" names it (ProviderCond)
	From         string   `json:"from"`
	To           string   `json:"to"`
	Before       int64    `json:"before"` // page cursor (newest-first pages): ids below this
	Limit        int      `json:"limit"`  // page size, default 100, max 1000
}

// Row is one posted transfer as the history and its CSV show it.
type Row struct {
	ID             int64           `json:"id"`
	Time           time.Time       `json:"time"`
	Type           string          `json:"type"`
	Op             string          `json:"op"`
	From           string          `json:"from"`
	To             string          `json:"to"`
	Amount         string          `json:"amount"`
	AmountMinor    int64           `json:"-"`
	UserID         int64           `json:"userId,omitempty"`
	Member         string          `json:"member,omitempty"`
	DepartmentID   int64           `json:"departmentId,omitempty"`
	Department     string          `json:"department,omitempty"`
	Model          string          `json:"model,omitempty"`
	Source         string          `json:"source,omitempty"`      // ui | cli | api | system
	SourceLabel    string          `json:"sourceLabel,omitempty"` // App | CLI | API | System
	ConversationID int64           `json:"conversationId,omitempty"`
	Meta           json.RawMessage `json:"meta,omitempty"`
	// AmountWord is how the amount reads where a person reads it when not
	// as a number (chat.HistoryWord: "free" for a free reply's charge, as
	// the chat and Settings → Credits → History say it); "" otherwise. The
	// CSV keeps the number.
	AmountWord string `json:"amountWord,omitempty"`
}

// Page is one page of history, newest first; Next is the cursor of the next
// page (0 when there is none).
type Page struct {
	Items []Row `json:"items"`
	Next  int64 `json:"next"`
}

// query is a validated filter turned into SQL.
type query struct {
	where string
	args  []any
	// member, when not 0, narrows where to that member's account activity
	// (ledger.MemberActivity), found by index walks (find); plan turns a
	// read where the member holds a large share into the OR (orScan).
	member int64
	// dates are the date range's terms of where ("t.created_at >= ?",
	// "t.created_at < ?") with dateArgs: a member's walks are bounded by
	// the ids inside the range (span).
	dates    []string
	dateArgs []any
	// hasFrom, hasTo: which ends the date range has.
	hasFrom, hasTo bool
}

// Which way a member's transactions are read (plan). The walks read the
// member's rows, each by an index entry and a look-up; the OR of
// ledger.MemberActivity reads every transfer in order (a first page stops
// after a page of theirs). The walks win for a member with a small share of
// the transfers, the OR for one with a large share: on a small team where
// each member holds a fifth of the ledger or more, the OR was up to twice as
// fast (docs/benchmarks.md, "A member's transactions"). The share is
// estimated from the newest sampleSize transfers of the range read.
// Variables so that tests can force either way.
var (
	sampleSize = 256
	// walkShare: below it, a count and an export walk.
	walkShare = 1.0 / 8
	// walkPageShare: below it, a page without a date range walks (with a
	// date range a page always walks: the OR read the whole range).
	walkPageShare = 1.0 / 32
)

// orScan is q with a member's activity as the OR of ledger.MemberActivity
// in the WHERE clause, read as everyone's rows are.
func (q query) orScan() query {
	if q.member == 0 {
		return q
	}
	cond, args := ledger.MemberActivity("t", q.member)
	return query{where: q.where + " AND " + cond, args: append(slices.Clone(q.args), args...),
		dates: q.dates, dateArgs: q.dateArgs, hasFrom: q.hasFrom, hasTo: q.hasTo}
}

// plan returns q as it is best read: for a member, their walks or the OR
// (orScan), whichever reads fewer rows, by their share of the newest
// transfers below before (0: the newest) or inside the date range. A page
// (page set) with a date range always walks. Either way finds the same rows
// (TestMemberWalkMatchesOR).
func (s *Service) plan(ctx context.Context, q query, before int64, page bool) (query, error) {
	if q.member == 0 {
		return q, nil
	}
	if page && len(q.dates) > 0 {
		return q, nil
	}
	cond, args := ledger.MemberActivity("t", q.member)
	var total, mine int64
	if len(q.dates) > 0 {
		// The newest of the range by the date index (the id range would
		// read the whole range's index entries, as much as the OR's count).
		err := s.db.Read().QueryRowContext(ctx, "SELECT COUNT(*), COUNT(CASE WHEN m THEN 1 END) FROM (SELECT "+cond+" AS m FROM ledger_transfers t WHERE "+
			strings.Join(q.dates, " AND ")+" ORDER BY t.created_at DESC LIMIT ?)", append(append(args, q.dateArgs...), sampleSize)...).Scan(&total, &mine)
		if err != nil {
			return q, err
		}
	} else {
		top := before - 1
		if before <= 0 {
			top = math.MaxInt64
		}
		err := s.db.Read().QueryRowContext(ctx, "SELECT COUNT(*), COUNT(CASE WHEN m THEN 1 END) FROM (SELECT "+cond+" AS m FROM ledger_transfers t WHERE t.id <= ? ORDER BY t.id DESC LIMIT ?)",
			append(args, top, sampleSize)...).Scan(&total, &mine)
		if err != nil {
			return q, err
		}
	}
	limit := walkShare
	if page {
		limit = walkPageShare
	}
	if total > 0 && float64(mine) >= limit*float64(total) {
		return q.orScan(), nil
	}
	return q, nil
}

// find returns the WHERE clause of q's rows with ids bounded by w: for a
// member, "t.id IN (…)" of the index walks that find their transfers
// (ledger.MemberWalk, each filtered by where and stopping after w.Limit
// rows), since a filter by their activity alone reads every transfer; for
// everyone, where and the bounds.
func (q query) find(w ledger.Walk) (string, []any) {
	if q.member != 0 {
		arms, args := ledger.MemberWalk(q.member, q.where, q.args, w)
		return "t.id IN (" + strings.Join(arms, " UNION ALL ") + ")", args
	}
	where, args := q.where, slices.Clone(q.args)
	if w.After > 0 {
		where += " AND t.id > ?"
		args = append(args, w.After)
	}
	if w.Before > 0 {
		where += " AND t.id < ?"
		args = append(args, w.Before)
	}
	return where, args
}

// chunk returns the WHERE clause of the chunk of q's rows after the id
// after, up to hi, for a read oldest first in chunks of limit rows: its SQL
// is the same for every after. Everyone's rows walk the primary key with the
// date terms evaluated per row ("+" stops SQLite from choosing the date
// index and sorting on every chunk), limit rows at a time (ORDER BY t.id
// LIMIT); a member's walk their indexes over a fixed window of limit ids,
// (after, after+limit], so that each row is read once (a walk per chunk
// with a LIMIT each would read again what the merge of the walks dropped).
func (q query) chunk(after, hi int64, limit int) (where string, args []any) {
	if q.member != 0 {
		return q.find(ledger.Walk{After: after, Before: min(after+int64(limit), hi) + 1, Asc: true})
	}
	return strings.ReplaceAll(q.where, "t.created_at", "+t.created_at") + " AND t.id > ? AND t.id <= ?",
		append(slices.Clone(q.args), after, hi)
}

// next returns the after of the chunk that follows the one read after the
// id after (n rows, the last with id last), and whether there is one.
func (q query) next(after, hi int64, limit, n int, last int64) (int64, bool) {
	if q.member != 0 {
		after = min(after+int64(limit), hi)
		return after, after < hi
	}
	return last, n == limit
}

// span returns how many rows q finds (when count is set; else 0) and the
// id range a read of them walks. For everyone it is one statement (one
// snapshot): the count and the rows' lowest and highest id (the date index
// helps here). For a member it first reads the ids inside the date range,
// if there is one, through the date index (else every id up to the newest
// transfer), and counts their rows by walks bounded by them: the walks are
// disjoint, so their rows add up (UNION ALL). A transfer written between
// the two statements is above hi and left out of both. lo is not valid
// when there is nothing to read.
func (s *Service) span(ctx context.Context, q query, count bool) (n int64, lo, hi sql.NullInt64, err error) {
	if q.member == 0 {
		stmt, args, found, err := s.spanStmt(ctx, q, count)
		if err != nil || !found {
			return 0, lo, hi, err
		}
		err = s.db.Read().QueryRowContext(ctx, stmt, args...).Scan(&n, &lo, &hi)
		return n, lo, hi, err
	}
	lo, hi, err = s.idRange(ctx, q, true)
	if err != nil || !lo.Valid || !count {
		return 0, lo, hi, err
	}
	arms, args := ledger.MemberWalk(q.member, q.where, q.args, ledger.Walk{After: lo.Int64 - 1, Before: hi.Int64 + 1})
	err = s.db.Read().QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+strings.Join(arms, " UNION ALL ")+")", args...).Scan(&n)
	if err == nil && n == 0 {
		lo.Valid = false
	}
	return n, lo, hi, err
}

// spanStmt is span's statement for everyone's rows (q.member 0): their
// count (when count is set; else 0) and lowest and highest id. found is
// false when q has a date range with no transfer in it (nothing to read).
// A date range's ids bound the read (idRange): the index the filter's
// other terms pick (ledger_transfers_credit, (credit_id, id), for usage;
// the rare ops' (op, id)) is then read over the range's ids only, not to
// the ledger's ends, which for usage was every charge of the ledger (about
// a second at 1M transfers, docs/benchmarks.md). The dates are still
// checked per row: the bound only leaves out rows they leave out.
func (s *Service) spanStmt(ctx context.Context, q query, count bool) (stmt string, args []any, found bool, err error) {
	where, args := q.where, q.args
	if len(q.dates) > 0 && boundSpanByID {
		lo, hi, err := s.idRange(ctx, q, true)
		if err != nil || !lo.Valid {
			return "", nil, false, err
		}
		where, args = where+" AND t.id >= ? AND t.id <= ?", append(slices.Clone(args), lo.Int64, hi.Int64)
	}
	n := "0"
	if count {
		n = "COUNT(*)"
	}
	return "SELECT " + n + ", MIN(t.id), MAX(t.id) FROM ledger_transfers t WHERE " + where, args, true, nil
}

// idRange returns the lowest and highest id a member's walks need read:
// those inside q's date range, or 1 and the newest transfer's. lo is not
// valid when there is none. When hi is not needed (a page below a cursor:
// the cursor bounds it) needHi is false and hi may be the newest id.
//
// ids do not follow created_at (a clock set back, a test's clock), so the
// ends of the date index are not the range's lowest and highest id: each is
// read exactly, by whichever reads less (idReadCost), either the primary
// key from the ledger's end towards the range, stopping at the first
// transfer inside it (rows beyond the range), or MIN(id), MAX(id) through
// the date index (every entry inside the range). Seeks at both ends of the
// date index and of the ids estimate the two.
func (s *Service) idRange(ctx context.Context, q query, needHi bool) (lo, hi sql.NullInt64, err error) {
	db := s.db.Read()
	if len(q.dates) == 0 {
		// MAX(id) alone is one seek (MIN(id), MAX(id) read the table).
		err = db.QueryRowContext(ctx, "SELECT MAX(id) FROM ledger_transfers").Scan(&hi)
		return sql.NullInt64{Int64: 1, Valid: hi.Valid}, hi, err
	}
	if !seekIDRange {
		err = db.QueryRowContext(ctx, "SELECT MIN(t.id), MAX(t.id) FROM ledger_transfers t WHERE "+strings.Join(q.dates, " AND "), q.dateArgs...).Scan(&lo, &hi)
		return lo, hi, err
	}
	dates := strings.Join(q.dates, " AND ")
	args := append(slices.Clone(q.dateArgs), q.dateArgs...)
	var first, top, a, b sql.NullInt64
	err = db.QueryRowContext(ctx, `SELECT (SELECT MIN(id) FROM ledger_transfers), (SELECT MAX(id) FROM ledger_transfers),
		(SELECT t.id FROM ledger_transfers t INDEXED BY ledger_transfers_created WHERE `+dates+` ORDER BY t.created_at, t.id LIMIT 1),
		(SELECT t.id FROM ledger_transfers t INDEXED BY ledger_transfers_created WHERE `+dates+` ORDER BY t.created_at DESC, t.id DESC LIMIT 1)`,
		args...).Scan(&first, &top, &a, &b)
	if err != nil || !a.Valid {
		return sql.NullInt64{}, sql.NullInt64{}, err // nothing inside the range
	}
	lo, hi = first, top
	fromEnd, index := idWays(first.Int64, top.Int64, a.Int64, b.Int64, q.hasFrom, q.hasTo && needHi)
	if index {
		var l, h sql.NullInt64
		if err = db.QueryRowContext(ctx, "SELECT MIN(t.id), MAX(t.id) FROM ledger_transfers t WHERE "+dates, q.dateArgs...).Scan(&l, &h); err != nil {
			return lo, hi, err
		}
		if q.hasFrom && !fromEnd[0] {
			lo = l
		}
		if q.hasTo && needHi && !fromEnd[1] {
			hi = h
		}
	}
	for i, order := range []string{"", " DESC"} {
		if !fromEnd[i] {
			continue
		}
		// NOT INDEXED: the primary key in order, the dates checked per row.
		v := &lo
		if i == 1 {
			v = &hi
		}
		if err = db.QueryRowContext(ctx, "SELECT t.id FROM ledger_transfers t NOT INDEXED WHERE "+dates+" ORDER BY t.id"+order+" LIMIT 1", q.dateArgs...).Scan(v); err != nil {
			return lo, hi, err
		}
	}
	return lo, hi, nil
}

// idWays returns how idRange reads the range's ids, given the ledger's
// lowest and highest id (first, top) and the ids of the date index's first
// and last entry inside the range (a, b): fromEnd[0] (lo) and fromEnd[1]
// (hi) by the primary key from that end of the ledger, index for
// MIN(id), MAX(id) through the date index; neither for a bound not needed
// (no From: lo is first; no To or hi not needed: hi is top). ids are about
// in created_at order, so the primary key reads about a-first rows for lo
// and top-b for hi, the date index about |b-a| entries.
func idWays(first, top, a, b int64, from, to bool) (fromEnd [2]bool, index bool) {
	inside := max(b-a, a-b) + 1
	if from {
		fromEnd[0] = idReadCost*(a-first) <= inside
		index = !fromEnd[0]
	}
	if to {
		fromEnd[1] = idReadCost*(top-b) <= inside
		index = index || !fromEnd[1]
	}
	return fromEnd, index
}

// idReadCost is what a transfer read by the primary key costs against an
// entry of the date index (a whole row against an index entry), for
// idRange's choice. seekIDRange false restores the read every page made
// before (MIN(id), MAX(id) through the date index), for the benchmark's
// before and after.
var (
	idReadCost  int64 = 4
	seekIDRange       = true
)

// boundSpanByID: span of everyone's rows in a date range bounds its read by
// the range's ids (idRange). false restores the read before (the filter's
// index to its ends: the whole credit index for usage), for the
// benchmark's before and after (BenchmarkDrillDown1M, count-*).
var boundSpanByID = true

// compile validates f for the caller's scope and builds the WHERE clause.
func (s *Service) compile(ctx context.Context, f Filter, sc Scope) (query, error) {
	usage, err := accountID(ctx, s.db.Read(), accountUsage)
	if err != nil {
		return query{}, err
	}
	w := []string{"t.kind IN ('posted','post')"}
	var args []any
	var member int64
	var dates []string
	var dateArgs []any
	if len(f.Types) > 0 {
		var ops []string
		wantUsage := false
		for _, ty := range f.Types {
			if !slices.Contains(Types, ty) {
				return query{}, fmt.Errorf("%w %q (want one of %s)", ErrBadType, ty, strings.Join(Types, ", "))
			}
			if ty == TypeUsage {
				wantUsage = true
			} else {
				ops = append(ops, ty)
			}
		}
		var or []string
		if wantUsage {
			or = append(or, "t.credit_id = ?")
			args = append(args, usage)
		}
		if len(ops) > 0 {
			or = append(or, "(t.credit_id <> ? AND t.op IN ("+strings.TrimSuffix(strings.Repeat("?,", len(ops)), ",")+"))")
			args = append(args, usage)
			for _, o := range ops {
				args = append(args, o)
			}
		}
		w = append(w, "("+strings.Join(or, " OR ")+")")
	}
	if !sc.All {
		// A member's transactions are their account activity: what was
		// charged for them and what moved in their wallet (credits given to
		// it by an admin, moved back, expired), one rule with their Credits
		// history (ledger.MemberActivity). Earlier versions matched user_id
		// alone and left out the credits given to them. Each read finds
		// them by index walks (query.find) or the OR, chosen by plan.
		member = sc.UserID
	}
	if f.DepartmentID != 0 {
		w = append(w, "t.department_id = ?")
		args = append(args, f.DepartmentID)
	}
	if f.Model != "" {
		cond, cargs := ledger.ModelCond("t", f.Model)
		w = append(w, cond)
		args = append(args, cargs...)
	}
	if f.From != "" || f.To != "" {
		loc, err := workzone.Load(ctx, s.db.Read())
		if err != nil {
			return query{}, fmt.Errorf("history: %w", err)
		}
		if f.From != "" {
			d, err := time.Parse(time.DateOnly, f.From)
			if err != nil {
				return query{}, badDate("from", f.From)
			}
			dates = append(dates, "t.created_at >= ?")
			dateArgs = append(dateArgs, store.FormatTime(workzone.Midnight(d, loc)))
		}
		if f.To != "" {
			d, err := time.Parse(time.DateOnly, f.To)
			if err != nil {
				return query{}, badDate("to", f.To)
			}
			if f.From != "" && f.To < f.From {
				return query{}, inverted(f.From, f.To)
			}
			dates = append(dates, "t.created_at < ?")
			dateArgs = append(dateArgs, store.FormatTime(workzone.Midnight(d.AddDate(0, 0, 1), loc)))
		}
	}
	w, args = append(w, dates...), append(args, dateArgs...)
	if strings.TrimSpace(f.Provider) != "" {
		// Last: the charge's meta is read only for rows the other terms
		// keep (SQLite checks the terms in this order).
		cond, cargs, err := s.providerCond(ctx, "t", f.Provider, f.From, f.To)
		if err != nil {
			return query{}, err
		}
		w = append(w, cond)
		args = append(args, cargs...)
	}
	return query{where: strings.Join(w, " AND "), args: args, member: member, dates: dates, dateArgs: dateArgs,
		hasFrom: f.From != "", hasTo: f.To != ""}, nil
}

// rowSelect reads transfers with their account codes and names. CROSS JOIN
// keeps ledger_transfers the outer loop (SQLite does not reorder it), so that
// keyset pages walk the primary key instead of sorting every remaining row.
const rowSelect = `SELECT t.id, t.created_at, t.op, t.credit_id = ?, da.code, ca.code, t.amount_minor,
	COALESCE(t.user_id, 0), COALESCE(md_member_label(u.name, u.display_name, u.status), ''),
	COALESCE(t.department_id, 0), COALESCE(md_department_label(dp.name, dp.archived), ''), t.model, t.source, COALESCE(t.conversation_id, 0), t.meta
	FROM ledger_transfers t
	CROSS JOIN ledger_accounts da ON da.id = t.debit_id
	CROSS JOIN ledger_accounts ca ON ca.id = t.credit_id
	LEFT JOIN users u ON u.id = t.user_id
	LEFT JOIN departments dp ON dp.id = t.department_id
	WHERE `

// History returns one page of the caller's transaction history, newest first.
func (s *Service) History(ctx context.Context, f Filter) (Page, error) {
	sc, err := ScopeOf(ctx, f.UserID, "transaction history")
	if err != nil {
		return Page{}, err
	}
	q, err := s.compile(ctx, f, sc)
	if err != nil {
		return Page{}, fmt.Errorf("transaction history: %w", err)
	}
	return s.history(ctx, q, f)
}

// history is History of the compiled q (f gives the page).
func (s *Service) history(ctx context.Context, q query, f Filter) (Page, error) {
	if f.Limit < 0 || f.Before < 0 {
		return Page{}, fmt.Errorf("transaction history: %w", inputerr.New(ErrBadPage, "a limit and a cursor are positive (0 = the default)"))
	}
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	q, err := s.plan(ctx, q, f.Before, true)
	if err != nil {
		return Page{}, fmt.Errorf("transaction history: %w", err)
	}
	w := ledger.Walk{Before: f.Before, Limit: limit + 1}
	if q.member != 0 && len(q.dates) > 0 {
		// A member's walks stop at the ids inside the date range (below a
		// cursor, the cursor bounds them from above).
		lo, hi, err := s.idRange(ctx, q, f.Before == 0)
		if err != nil {
			return Page{}, fmt.Errorf("transaction history: %w", err)
		}
		if !lo.Valid {
			return Page{Items: []Row{}}, nil
		}
		w.After = lo.Int64 - 1
		if w.Before == 0 || w.Before > hi.Int64+1 {
			w.Before = hi.Int64 + 1
		}
	}
	where, args := q.find(w)
	rows, err := s.scan(ctx, where+" ORDER BY t.id DESC LIMIT ?", append(args, limit+1))
	if err != nil {
		return Page{}, fmt.Errorf("transaction history: %w", err)
	}
	p := Page{Items: rows}
	if len(rows) > limit {
		p.Items = rows[:limit]
		p.Next = rows[limit-1].ID
	}
	if p.Items == nil {
		p.Items = []Row{}
	}
	return p, nil
}

// eachChunk is how many rows Each reads per query (a variable so that
// tests can read in small chunks).
var eachChunk = 2000

// Each streams every row matching f in the caller's scope, oldest first, to
// fn, reading eachChunk rows at a time so that memory stays flat however many
// rows match. It stops at the first error from fn or at cancellation.
func (s *Service) Each(ctx context.Context, f Filter, fn func(Row) error) error {
	sc, err := ScopeOf(ctx, f.UserID, "export transactions")
	if err != nil {
		return err
	}
	q, err := s.compile(ctx, f, sc)
	if err != nil {
		return fmt.Errorf("export transactions: %w", err)
	}
	return s.each(ctx, q, fn)
}

// each is Each of the compiled q.
func (s *Service) each(ctx context.Context, q query, fn func(Row) error) error {
	// Find the id range once, then read it in chunks (query.chunk).
	q, err := s.plan(ctx, q, 0, false)
	if err != nil {
		return fmt.Errorf("export transactions: %w", err)
	}
	_, lo, hi, err := s.span(ctx, q, false)
	if err != nil {
		return fmt.Errorf("export transactions: %w", err)
	}
	if !lo.Valid {
		return nil
	}
	after := lo.Int64 - 1
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		where, args := q.chunk(after, hi.Int64, eachChunk)
		rows, err := s.scan(ctx, where+" ORDER BY t.id LIMIT ?", append(args, eachChunk))
		if err != nil {
			return fmt.Errorf("export transactions: %w", err)
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		last := after
		if len(rows) > 0 {
			last = rows[len(rows)-1].ID
		}
		var more bool
		if after, more = q.next(after, hi.Int64, eachChunk, len(rows), last); !more {
			return nil
		}
	}
}

// Count returns how many rows match f in the caller's scope (for progress).
func (s *Service) Count(ctx context.Context, f Filter) (int64, error) {
	sc, err := ScopeOf(ctx, f.UserID, "count transactions")
	if err != nil {
		return 0, err
	}
	q, err := s.compile(ctx, f, sc)
	if err != nil {
		return 0, fmt.Errorf("count transactions: %w", err)
	}
	n, err := s.count(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("count transactions: %w", err)
	}
	return n, nil
}

// count is Count of the compiled q.
func (s *Service) count(ctx context.Context, q query) (int64, error) {
	q, err := s.plan(ctx, q, 0, false)
	if err != nil {
		return 0, err
	}
	n, _, _, err := s.span(ctx, q, true)
	return n, err
}

func (s *Service) scan(ctx context.Context, tail string, args []any) ([]Row, error) {
	usage, err := accountID(ctx, s.db.Read(), accountUsage)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, rowSelect+tail, append([]any{usage}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		var created, meta string
		var isUsage bool
		if err := rows.Scan(&r.ID, &created, &r.Op, &isUsage, &r.From, &r.To, &r.AmountMinor, &r.UserID, &r.Member,
			&r.DepartmentID, &r.Department, &r.Model, &r.Source, &r.ConversationID, &meta); err != nil {
			return nil, err
		}
		r.Time = store.ParseTime(created)
		r.Type = r.Op
		if isUsage {
			r.Type = TypeUsage
		}
		r.Amount = money.MinorString(r.AmountMinor)
		r.SourceLabel = SourceLabel(r.Source)
		if meta != "" && meta != "{}" {
			r.Meta = json.RawMessage(meta)
		}
		r.AmountWord = chat.HistoryWord(ledger.Transfer{Op: r.Op, To: r.To, Amount: money.FromMinor(r.AmountMinor), Meta: r.Meta})
		out = append(out, r)
	}
	return out, rows.Err()
}
