package reports

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"meterdesk/backend/store"
)

// streamChunk is how many rows Stream reads per query (a variable so that
// tests can cross chunk boundaries with few rows).
var streamChunk = 4000

// streamSelect reads bare transfers; account codes and names are looked up
// in maps read once per Stream (see names), so no join runs per row.
//
// The seven integer columns travel as one text column ("id debit credit user
// department conversation amount", parsed by parseInts): the driver's cost is
// per column fetched, and this cuts the hot loop from eleven columns to five.
const streamSelect = `SELECT t.created_at, t.op, t.model, t.source,
	printf('%d %d %d %d %d %d %d', t.id, t.debit_id, t.credit_id, COALESCE(t.user_id, 0), COALESCE(t.department_id, 0),
		COALESCE(t.conversation_id, 0), t.amount_minor)
	FROM ledger_transfers t WHERE `

// names maps account ids to codes and member and department ids to names,
// read once per Stream.
type names struct {
	accounts, users, departments map[int64]string
	strs                         map[string]string // interned op, model and source values
}

func (s *Service) loadNames(ctx context.Context) (names, error) {
	n := names{accounts: map[int64]string{}, users: map[int64]string{}, departments: map[int64]string{}, strs: map[string]string{}}
	for _, q := range []struct {
		sql string
		m   map[int64]string
	}{
		{"SELECT id, code FROM ledger_accounts", n.accounts},
		{"SELECT id, COALESCE(md_member_label(name, display_name, status), '') FROM users", n.users},
		{"SELECT id, COALESCE(md_department_label(name, archived), '') FROM departments", n.departments},
	} {
		rows, err := s.db.Read().QueryContext(ctx, q.sql)
		if err != nil {
			return n, err
		}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return n, err
			}
			q.m[id] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, err
		}
	}
	return n, nil
}

// intern returns b as a string, shared between rows with the same value.
func (n names) intern(b sql.RawBytes) string {
	if v, ok := n.strs[string(b)]; ok {
		return v
	}
	v := string(b)
	if len(n.strs) < 4096 {
		n.strs[v] = v
	}
	return v
}

// Stream is Each for bulk exports (the transaction CSV): the same rows in
// the same order and scope, read through one prepared statement in chunks of
// streamChunk rows, without joins (codes and names come from maps read once)
// and without per-row allocations of its own. fn gets a pointer to a reused
// Row: it must not keep it. Amount and Meta are left empty (use AmountMinor).
// begin, if not nil, is called first with how many rows will follow (for
// progress; counted by span before the rows are read: in the query that
// finds the id range for everyone's rows and a member's read by the OR, by
// the member's walks bounded by their id range otherwise).
func (s *Service) Stream(ctx context.Context, f Filter, begin func(total int64), fn func(*Row) error) error {
	sc, err := ScopeOf(ctx, f.UserID, "export transactions")
	if err != nil {
		return err
	}
	q, err := s.compile(ctx, f, sc)
	if err != nil {
		return fmt.Errorf("export transactions: %w", err)
	}
	return s.stream(ctx, q, begin, fn)
}

// stream is Stream of the compiled q.
func (s *Service) stream(ctx context.Context, q query, begin func(total int64), fn func(*Row) error) error {
	usage, err := accountID(ctx, s.db.Read(), accountUsage)
	if err != nil {
		return err
	}
	q, err = s.plan(ctx, q, 0, false)
	if err != nil {
		return fmt.Errorf("export transactions: %w", err)
	}
	total, lo, hi, err := s.span(ctx, q, true)
	if err != nil {
		return fmt.Errorf("export transactions: %w", err)
	}
	if begin != nil {
		begin(total)
	}
	if !lo.Valid {
		return nil
	}
	// Read after the id range is fixed: every account, member and department
	// a transfer up to hi refers to exists by now.
	nm, err := s.loadNames(ctx)
	if err != nil {
		return fmt.Errorf("export transactions: %w", err)
	}
	after := lo.Int64 - 1
	where, _ := q.chunk(after, hi.Int64, streamChunk)
	stmt, err := s.db.Read().PrepareContext(ctx, streamSelect+where+" ORDER BY t.id LIMIT ?")
	if err != nil {
		return fmt.Errorf("export transactions: %w", err)
	}
	defer stmt.Close()
	batch := make([]Row, 0, streamChunk)
	var created, op, model, source, ints sql.RawBytes
	var v [7]int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		_, args := q.chunk(after, hi.Int64, streamChunk)
		rows, err := stmt.QueryContext(ctx, append(args, streamChunk)...)
		if err != nil {
			return fmt.Errorf("export transactions: %w", err)
		}
		batch = batch[:0]
		for rows.Next() {
			var r Row
			if err := rows.Scan(&created, &op, &model, &source, &ints); err != nil {
				rows.Close()
				return fmt.Errorf("export transactions: %w", err)
			}
			if !parseInts(ints, v[:]) {
				rows.Close()
				return fmt.Errorf("export transactions: bad integer columns %q", ints)
			}
			r.ID, r.UserID, r.DepartmentID, r.ConversationID, r.AmountMinor = v[0], v[3], v[4], v[5], v[6]
			debit, credit := v[1], v[2]
			r.Time = parseCreated(created)
			r.Op, r.Model, r.Source = nm.intern(op), nm.intern(model), nm.intern(source)
			r.SourceLabel = SourceLabel(r.Source)
			r.Type = r.Op
			if credit == usage {
				r.Type = TypeUsage
			}
			r.From, r.To = nm.accounts[debit], nm.accounts[credit]
			r.Member, r.Department = nm.users[r.UserID], nm.departments[r.DepartmentID]
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("export transactions: %w", err)
		}
		for i := range batch {
			if err := fn(&batch[i]); err != nil {
				return err
			}
		}
		last := after
		if len(batch) > 0 {
			last = batch[len(batch)-1].ID
		}
		var more bool
		if after, more = q.next(after, hi.Int64, streamChunk, len(batch), last); !more {
			return nil
		}
	}
}

// parseCreated parses a created_at value (zero time if malformed, as scan
// does). The ledger's fixed layout is read digit by digit (no allocation);
// anything else goes through store.ParseTime.
func parseCreated(b []byte) time.Time {
	if len(b) == len(store.TimeLayout) && b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[16] == ':' && b[19] == '.' && b[23] == 'Z' {
		num := func(i, n int) int {
			v := 0
			for _, c := range b[i : i+n] {
				if c < '0' || c > '9' {
					return -1
				}
				v = v*10 + int(c-'0')
			}
			return v
		}
		y, mo, d, h, mi, s, ms := num(0, 4), num(5, 2), num(8, 2), num(11, 2), num(14, 2), num(17, 2), num(20, 3)
		if y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 60 && ms >= 0 &&
			d <= daysIn(time.Month(mo), y) {
			return time.Date(y, time.Month(mo), d, h, mi, s, ms*1_000_000, time.UTC)
		}
	}
	return store.ParseTime(string(b))
}

// daysIn is the number of days in month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseInts parses exactly len(out) space-separated decimal int64 values.
func parseInts(b []byte, out []int64) bool {
	for k := range out {
		if k > 0 {
			if len(b) == 0 || b[0] != ' ' {
				return false
			}
			b = b[1:]
		}
		i := 0
		neg := i < len(b) && b[i] == '-'
		if neg {
			i++
		}
		start := i
		var u uint64
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			if u > (1<<63)/10 {
				return false
			}
			u = u*10 + uint64(b[i]-'0')
			i++
		}
		if i == start || (!neg && u > 1<<63-1) || (neg && u > 1<<63) {
			return false
		}
		out[k] = int64(u)
		if neg {
			out[k] = -int64(u-1) - 1
		}
		b = b[i:]
	}
	return len(b) == 0
}
