package reports

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"meterdesk/backend/workzone"
)

// usageCell is one report_daily row of usage (credit sys:usage) for a day.
type usageCell struct {
	model          string
	provider       string // as stored: the posting's meta (ProviderSQL)
	user, dept     int64
	amountMinor, n int64
}

// convCell is one report_conversation_daily row for a day.
type convCell struct {
	conv, user, amountMinor, n int64
}

// dayAgg is the usage of one day (a date in the workspace zone) as the
// roll-ups hold it. It is never modified once built (a changed day is
// replaced), so callers may read it without the cache lock.
type dayAgg struct {
	usage []usageCell
	convs []convCell
}

// maxCachedDays bounds the day cache (about 3 years of days); longer ranges
// are read without being cached.
const maxCachedDays = 1100

// dayCache keeps the roll-ups of recently read days in memory, valid for
// the roll-up watermark `last` (the highest transfer id rolled up). When the
// watermark moves, only the days the new transfers fall on are dropped, so a
// dashboard after one new usage entry re-reads one day, not the range.
type dayCache struct {
	mu   sync.Mutex
	last int64
	zone string         // the zone the cached days are dates in
	loc  *time.Location // zone, loaded
	days map[string]*dayAgg
}

// resyncLimit is how many new transfers are checked for the days they touch;
// beyond it the whole cache is dropped.
const resyncLimit = 200_000

// days returns the roll-ups of every day in [from, end), in order, from the
// cache where valid and from report_daily / report_conversation_daily
// otherwise. Call it after Refresh.
func (s *Service) days(ctx context.Context, from, end time.Time) ([]*dayAgg, error) {
	r := s.db.Read()
	var last int64
	var zone string
	if err := r.QueryRowContext(ctx, "SELECT last_id, zone FROM report_rollup_state WHERE id = 1").Scan(&last, &zone); err != nil {
		return nil, fmt.Errorf("read roll-up state: %w", err)
	}
	c := &s.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.days == nil || zone != c.zone || last < c.last || last-c.last > resyncLimit {
		loc, err := workzone.Location(zone)
		if err != nil {
			return nil, fmt.Errorf("roll-up zone: %w", err)
		}
		c.days, c.last, c.zone, c.loc = map[string]*dayAgg{}, last, zone, loc
	}
	if last != c.last {
		// Drop the days the transfers rolled up since c.last fall on (in
		// the roll-ups' zone: a later instant never has an earlier date).
		var lo, hi sql.NullString
		if err := r.QueryRowContext(ctx, "SELECT MIN(created_at), MAX(created_at) FROM ledger_transfers WHERE id > ? AND id <= ?",
			c.last, last).Scan(&lo, &hi); err != nil {
			return nil, fmt.Errorf("read new transfers: %w", err)
		}
		if lo.Valid && hi.Valid {
			first, err1 := time.Parse(time.RFC3339, lo.String)
			final, err2 := time.Parse(time.RFC3339, hi.String)
			if err1 != nil || err2 != nil {
				c.days = map[string]*dayAgg{} // unreadable times: drop everything
			} else {
				a := workzone.Date(first, c.loc).Format(time.DateOnly)
				b := workzone.Date(final, c.loc).Format(time.DateOnly)
				for k := range c.days {
					if k >= a && k <= b {
						delete(c.days, k)
					}
				}
			}
		}
		c.last = last
	}
	n := int(end.Sub(from).Hours() / 24)
	keep := n <= maxCachedDays
	if keep && len(c.days)+n > maxCachedDays {
		c.days = map[string]*dayAgg{}
	}
	out := make([]*dayAgg, n)
	for i := 0; i < n; {
		k := from.AddDate(0, 0, i).Format(time.DateOnly)
		if d := c.days[k]; d != nil {
			out[i] = d
			i++
			continue
		}
		// Load the run of missing days starting at i in two queries.
		j := i + 1
		for j < n && c.days[from.AddDate(0, 0, j).Format(time.DateOnly)] == nil {
			j++
		}
		run, err := s.loadDays(ctx, from.AddDate(0, 0, i), j-i)
		if err != nil {
			return nil, err
		}
		for x, d := range run {
			out[i+x] = d
			if keep {
				c.days[from.AddDate(0, 0, i+x).Format(time.DateOnly)] = d
			}
		}
		i = j
	}
	return out, nil
}

// loadDays reads n days of roll-ups starting at from.
func (s *Service) loadDays(ctx context.Context, from time.Time, n int) ([]*dayAgg, error) {
	r := s.db.Read()
	usage, err := accountID(ctx, r, accountUsage)
	if err != nil {
		return nil, err
	}
	out := make([]*dayAgg, n)
	for i := range out {
		out[i] = &dayAgg{}
	}
	index := func(day string) int {
		t, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return -1
		}
		if i := int(t.Sub(from).Hours() / 24); i >= 0 && i < n {
			return i
		}
		return -1
	}
	lo, hi := from.Format(time.DateOnly), from.AddDate(0, 0, n).Format(time.DateOnly)
	rows, err := r.QueryContext(ctx, `SELECT day, model, provider, user_id, department_id, amount_minor, n FROM report_daily
		WHERE day >= ? AND day < ? AND credit_id = ?`, lo, hi, usage)
	if err != nil {
		return nil, fmt.Errorf("read daily usage: %w", err)
	}
	defer rows.Close()
	var day, prev string
	cur := -1
	for rows.Next() {
		var u usageCell
		if err := rows.Scan(&day, &u.model, &u.provider, &u.user, &u.dept, &u.amountMinor, &u.n); err != nil {
			return nil, fmt.Errorf("read daily usage: %w", err)
		}
		if day != prev {
			prev, cur = day, index(day)
		}
		if cur >= 0 {
			out[cur].usage = append(out[cur].usage, u)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read daily usage: %w", err)
	}
	rows.Close()
	crows, err := r.QueryContext(ctx, `SELECT day, conversation_id, user_id, amount_minor, n FROM report_conversation_daily
		WHERE day >= ? AND day < ?`, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("read daily conversations: %w", err)
	}
	defer crows.Close()
	prev, cur = "", -1
	for crows.Next() {
		var cc convCell
		if err := crows.Scan(&day, &cc.conv, &cc.user, &cc.amountMinor, &cc.n); err != nil {
			return nil, fmt.Errorf("read daily conversations: %w", err)
		}
		if day != prev {
			prev, cur = day, index(day)
		}
		if cur >= 0 {
			out[cur].convs = append(out[cur].convs, cc)
		}
	}
	if err := crows.Err(); err != nil {
		return nil, fmt.Errorf("read daily conversations: %w", err)
	}
	return out, nil
}
