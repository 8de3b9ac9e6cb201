package core

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/ledger"
	"meterdesk/backend/reports"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
	"meterdesk/backend/tokenizer"
)

func TestOpenRunsStartupAndHousekeeping(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	b, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Housekeeping(ctx); err != nil {
		t.Fatalf("housekeeping on an empty workspace: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// A second open of the same folder works and sees the same database.
	b2, err := Open(ctx, Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	sys := access.WithActor(ctx, access.System)
	if _, err := b2.Ledger.Balance(sys, ledger.AccountPool); err != nil {
		t.Fatalf("pool balance after reopen: %v", err)
	}
}

// Housekeeping empties a -wal file that a big transaction left over
// store.WALSizeLimit when no write comes to cut it (an idle window).
func TestHousekeepingTrimsABigWAL(t *testing.T) {
	ctx := context.Background()
	b, err := Open(ctx, Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	size := func() int64 {
		fi, err := os.Stat(b.DB.Path + "-wal")
		if os.IsNotExist(err) {
			return 0
		}
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	// The jobs that were due ran (their writes would cut the -wal too).
	if err := b.Housekeeping(ctx); err != nil {
		t.Fatal(err)
	}
	err = b.DB.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec("CREATE TABLE scratch(b BLOB)"); err != nil {
			return err
		}
		_, err := tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
			INSERT INTO scratch(b) SELECT randomblob(4000) FROM n`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := size(); n <= store.WALSizeLimit {
		t.Fatalf("-wal %d bytes after the big write; the test needs more than %d", n, store.WALSizeLimit)
	}
	if err := b.Housekeeping(ctx); err != nil {
		t.Fatal(err)
	}
	if n := size(); n > store.WALSizeLimit {
		t.Errorf("-wal %d bytes after housekeeping, want at most %d", n, store.WALSizeLimit)
	}
}

// TestBackgroundLoopsStopWithContext: the window's loops end with its context.
func TestBackgroundLoopsStopWithContext(t *testing.T) {
	b, err := Open(context.Background(), Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for name, loop := range map[string]func(context.Context, time.Duration, func(string, ...any)){
		"RunJobs": b.RunJobs, "WatchOthers": b.WatchOthers,
	} {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { loop(ctx, time.Hour, t.Logf); close(done) }()
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s did not stop with its context", name)
		}
	}
}

func TestBackupNeedsAdmin(t *testing.T) {
	b, err := Open(context.Background(), Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	member := access.WithActor(context.Background(), access.Actor{UserID: 7, Role: access.RoleMember})
	if err := b.Backup(member, t.TempDir()+"/x.db"); err == nil {
		t.Fatal("a member made a backup")
	}
	if got := audittest.Entries(t, b.DB); len(got) != 0 {
		t.Fatalf("a refused backup was logged: %+v", got)
	}
	// An admin's backup is logged with its file.
	out := filepath.Join(t.TempDir(), "ok.db")
	if err := b.Backup(access.WithActor(context.Background(), access.System), out); err != nil {
		t.Fatal(err)
	}
	got := audittest.Entries(t, b.DB)
	if len(got) != 1 || got[0].Action != "database.backup" || got[0].Target != "database" || got[0].After != `{"file":"`+out+`"}` {
		t.Fatalf("audit log %+v", got)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
}

// TestRunJobsWarmsTheTokenizer: RunJobs starts building the tokenizer's
// BPE in the background, so the first send does not pay for it.
func TestRunJobsWarmsTheTokenizer(t *testing.T) {
	b, err := Open(context.Background(), Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	warmed := make(chan struct{})
	real := warmTokenizer
	warmTokenizer = func() error { defer close(warmed); return real() }
	defer func() { warmTokenizer = real }()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.RunJobs(ctx, time.Hour, t.Logf); close(done) }()
	select {
	case <-warmed:
	case <-time.After(30 * time.Second): // a bound for a missing call, not a speed check
		t.Fatal("RunJobs did not start the tokenizer warm-up")
	}
	cancel()
	<-done
	if !tokenizer.Loaded(tokenizer.WarmEncoding) {
		t.Fatalf("%s not loaded after the warm-up", tokenizer.WarmEncoding)
	}
}

// A member's usage dashboard shows the balance their sends are charged to
// (the pool for a member the organisation pays for), as the header does,
// not their empty wallet: Open wires team's funding into reports.
// setUpWorkspace opens a backend on a new data folder (closed when the test
// ends) and sets up workspace Acme with admin alice; alice is her context.
func setUpWorkspace(t *testing.T) (b *Backend, alice context.Context) {
	t.Helper()
	ctx := context.Background()
	b, err := Open(ctx, Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	b.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	admin, err := b.Team.Setup(ctx, team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return b, access.WithActor(ctx, admin)
}

func TestMemberDashboardBalanceIsThePayers(t *testing.T) {
	ctx := context.Background()
	b, alice := setUpWorkspace(t)
	bob, err := b.Team.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: decimal.RequireFromString("100"), Price: "0"}); err != nil {
		t.Fatal(err)
	}
	today := b.Clock().UTC().Format(time.DateOnly)
	bobCtx := access.WithActor(ctx, access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
	d, err := b.Reports.Dashboard(bobCtx, reports.Range{From: today, To: today}, 0)
	if err != nil || d.Balance != "100" {
		t.Fatalf("bob's dashboard balance %q (%v), want the pool's 100", d.Balance, err)
	}
}
