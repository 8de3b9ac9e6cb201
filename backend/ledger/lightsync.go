package ledger

import (
	"context"
	"database/sql"
	"database/sql/driver"
)

// lightConn returns the writer connection pinned and switched to
// synchronous=NORMAL when every job of the batch is a hold or a void, or nil
// (commit with the connection's synchronous=FULL). Such a batch need not
// survive a power cut: an acknowledged hold or void that is lost leaves the
// ledger as a crash would (the hold is gone, or still pending and voided at
// start-up by VoidStaleHolds), and in WAL mode the next FULL commit (any
// post, transfer or top-up) syncs the log and with it every earlier frame.
// The connection stays pinned until restoreSync has set FULL again, so no
// other write can commit on it with NORMAL.
func (s *Service) lightConn(ctx context.Context, batch []*job) *sql.Conn {
	for _, j := range batch {
		if !j.light {
			return nil
		}
	}
	if s.lightOff.Load() {
		return nil
	}
	conn, err := s.db.Writer().Conn(ctx)
	if err != nil {
		return nil
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous=NORMAL"); err != nil {
		s.restoreSync(ctx, conn)
		return nil
	}
	s.lightCommits.Add(1)
	return conn
}

// restoreSync sets synchronous=FULL on a pinned writer connection and
// releases it. If that fails, the connection is discarded (database/sql
// opens a new one, FULL from the DSN) rather than left at NORMAL.
func (s *Service) restoreSync(ctx context.Context, conn *sql.Conn) {
	if _, err := conn.ExecContext(ctx, "PRAGMA synchronous=FULL"); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	_ = conn.Close()
}
