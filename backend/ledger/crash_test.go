//go:build unix

package ledger

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"meterdesk/backend/events"
	"meterdesk/backend/store"
)

const crashEnv = "MD_LEDGER_CRASH_CHILD"

// TestCrashLosesNoCommittedTransfer kills a child process with SIGKILL in
// the middle of a burst of transfers and holds. Every id the child printed
// (printed only after Transfer returned) must be in the database, every
// balance must still equal its postings, and no hold may be left dangling
// after VoidStaleHolds.
func TestCrashLosesNoCommittedTransfer(t *testing.T) {
	if dir := os.Getenv(crashEnv); dir != "" {
		crashChild(dir)
		return
	}
	dir := t.TempDir()
	{ // set up the accounts, then close
		e := &env{clk: newClock()}
		db, err := store.Open(context.Background(), dir)
		if err != nil {
			t.Fatal(err)
		}
		e.db, e.s = db, New(db, events.Nop{}, time.Now)
		e.ensure(t, "user:1", "user:2")
		e.fund(t, "user:1", "1000000")
		e.s.Close()
		db.Close()
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashLosesNoCommittedTransfer$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var printed []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if id, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
			printed = append(printed, id)
			if len(printed) == 300 {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	_ = cmd.Wait()
	if len(printed) < 300 {
		t.Fatalf("child committed only %d transfers before it ended", len(printed))
	}
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("reopen after the crash: %v", err)
	}
	defer db.Close()
	s := New(db, events.Nop{}, time.Now)
	defer s.Close()
	for _, id := range printed {
		if count(t, db.Read(), `SELECT count(*) FROM ledger_transfers WHERE request_id = ?`, id) == 0 {
			t.Fatalf("committed transfer %s is missing after the crash", id)
		}
	}
	if _, err := s.VoidStaleHolds(systemCtx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db.Read(), `SELECT count(*) FROM ledger_holds WHERE status = 'pending'`); n != 0 {
		t.Fatalf("%d holds dangling after restart", n)
	}
	if err := s.Verify(context.Background()); err != nil {
		t.Fatalf("after the crash: %v", err)
	}
	t.Logf("child printed %d committed ids before SIGKILL", len(printed))
}

// crashChild runs transfers and holds from 16 goroutines until killed,
// printing each id after its request returned.
func crashChild(dir string) {
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	s := New(db, events.Nop{}, time.Now)
	var mu sync.Mutex
	w := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				id := fmt.Sprintf("c%d-%d", g, i)
				var err error
				if i%2 == 0 {
					_, err = s.Transfer(systemCtx, TransferRequest{ID: id, Op: OpTransfer, From: "user:1", To: "user:2", Amount: d("0.001")})
				} else {
					_, err = s.Hold(systemCtx, HoldRequest{ID: id, From: "user:1", Amount: d("0.5"), TTL: time.Hour})
				}
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(3)
				}
				mu.Lock()
				fmt.Fprintf(w, "committed %s\n", id)
				w.Flush()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
