package core

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/ledger"
)

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestWatchOthersSeesOnlyOtherProcesses opens the same data folder twice, as
// the window and a CLI command would: the window's watcher announces the
// CLI's commits (a top-up, a setting) once each, and never its own.
func TestWatchOthersSeesOnlyOtherProcesses(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	sys := access.WithActor(ctx, access.System)
	rec := &events.Recorder{}
	window, err := Open(ctx, Options{DataDir: dir, Emitter: rec})
	if err != nil {
		t.Fatal(err)
	}
	defer window.Close()
	cli, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()

	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { window.WatchOthers(wctx, 2*time.Millisecond, t.Logf); close(done) }()
	defer func() { stop(); <-done }()
	changed := func() int { return rec.Count(events.DataChanged) }
	// settle waits long enough for several ticks to pass.
	settle := func() { time.Sleep(50 * time.Millisecond) }

	topUp := func(b *Backend, id string) {
		t.Helper()
		if _, err := b.Ledger.TopUp(sys, ledger.TopUpRequest{ID: id, Account: ledger.AccountPool,
			Credits: decimal.RequireFromString("10"), Price: "0", Source: "system"}); err != nil {
			t.Fatal(err)
		}
	}

	// The window's own writes (ledger and settings) are not announced.
	settle()
	topUp(window, "own-1")
	if err := window.DB.SetSetting(ctx, "test.watch", "own"); err != nil {
		t.Fatal(err)
	}
	settle()
	if n := changed(); n != 0 {
		t.Fatalf("the window's own writes were announced %d times", n)
	}

	// Another process's commits are, each once, also after the window wrote.
	for i, write := range []func(){
		func() { topUp(cli, "cli-1") },
		func() {
			if err := cli.DB.SetSetting(ctx, "test.watch", "cli"); err != nil {
				t.Fatal(err)
			}
		},
	} {
		write()
		waitFor(t, fmt.Sprintf("DataChanged after the other process's write %d", i+1), func() bool { return changed() == i+1 })
		topUp(window, fmt.Sprintf("own-%d", i+2))
		settle()
		if n := changed(); n != i+1 {
			t.Fatalf("after write %d and one of the window's own: %d announcements, want %d", i+1, n, i+1)
		}
	}
}
