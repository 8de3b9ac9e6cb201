package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/reports"
	"meterdesk/backend/tokenizer"
	"meterdesk/backend/workzone"
)

// JobInterval is how often RunJobs repeats the housekeeping jobs.
const JobInterval = time.Minute

// Housekeeping runs the periodic jobs once, as the system actor: expired
// top-up lots move to the expiry sink, top-ups without an invoice get their
// numbers (in top-up order), new spending anomalies are announced, the
// dashboard's day cache is warmed, and a -wal file left large by a big
// transaction is emptied (store.DB.TrimWAL). Each job runs even when an
// earlier one fails; the errors are joined.
func (b *Backend) Housekeeping(ctx context.Context) error {
	sys := access.WithActor(ctx, access.System)
	var errs []error
	if _, err := b.Ledger.ExpireLots(sys); err != nil {
		errs = append(errs, fmt.Errorf("expire lots: %w", err))
	}
	if _, err := b.Statements.IssuePending(sys); err != nil {
		errs = append(errs, fmt.Errorf("issue invoices: %w", err))
	}
	if _, err := b.Reports.CheckAnomalies(sys); err != nil {
		errs = append(errs, fmt.Errorf("check anomalies: %w", err))
	}
	// Warm the dashboard's day cache for the Usage page's default range (the
	// last 30 days), so that the first view after start is as fast as later
	// ones; when nothing changed this costs a cache lookup. The range ends
	// today in the workspace zone, as the page's does.
	if loc, err := b.Zone(sys); err != nil {
		errs = append(errs, fmt.Errorf("warm the dashboard: %w", err))
	} else {
		today := workzone.Date(b.Clock(), loc)
		r := reports.Range{From: today.AddDate(0, 0, -29).Format(time.DateOnly), To: today.Format(time.DateOnly)}
		if _, err := b.Reports.Dashboard(sys, r, 0); err != nil {
			errs = append(errs, fmt.Errorf("warm the dashboard: %w", err))
		}
	}
	// Last, after whatever the jobs wrote: a -wal over store.WALSizeLimit is
	// cut back by the next write, and an idle window or serve may make none.
	if _, err := b.DB.TrimWAL(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// warmTokenizer builds the tokenizer's BPE (a variable so that a test can
// see that RunJobs starts it).
var warmTokenizer = tokenizer.Warm

// RunJobs runs Housekeeping now and then every interval until ctx ends.
// The window and `meterdesk serve` run it; one-shot CLI commands do not.
// Failures are reported to logf and retried on the next tick. At its start
// it also builds the tokenizer's BPE in the background (~0.1 s of CPU once
// per process: tokenizer.BenchmarkWarm), so that the first message sent is
// not the one that pays for it.
func (b *Backend) RunJobs(ctx context.Context, interval time.Duration, logf func(format string, args ...any)) {
	go func(warm func() error) {
		if err := warm(); err != nil && logf != nil {
			logf("meterdesk: warm the tokenizer: %v", err)
		}
	}(warmTokenizer)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := b.Housekeeping(ctx); err != nil && ctx.Err() == nil && logf != nil {
			logf("meterdesk: housekeeping: %v", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
