package core

import (
	"context"
	"time"

	"meterdesk/backend/events"
)

// WatchInterval is how often the window looks for changes another process
// made to its database.
const WatchInterval = time.Second

// WatchOthers emits events.DataChanged whenever another process (the CLI,
// `meterdesk serve`, a second window on the same data folder) has committed
// to the database since the last look, every interval until ctx ends. The
// window's own changes emit their own events; another process's cannot
// reach it, so this is how its pages learn of them. A failed look is
// reported to logf once per run of failures and retried on the next tick.
func (b *Backend) WatchOthers(ctx context.Context, interval time.Duration, logf func(format string, args ...any)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	last, err := b.DB.OthersVersion(ctx)
	failing := err != nil
	if failing && ctx.Err() == nil && logf != nil {
		logf("meterdesk: watch for other processes: %v", err)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v, err := b.DB.OthersVersion(ctx)
		switch {
		case err != nil:
			if !failing && ctx.Err() == nil && logf != nil {
				logf("meterdesk: watch for other processes: %v", err)
			}
			failing = true
			continue
		case failing:
			// The first reading after a failure has nothing to compare with
			// (the connection may be new): say that something may have changed.
			failing = false
		case v == last:
			continue
		}
		last = v
		b.Emitter.Emit(events.DataChanged, nil)
	}
}
