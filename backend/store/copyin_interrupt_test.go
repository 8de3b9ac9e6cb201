//go:build unix

package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCopyInStopsWhenInterrupted: Ctrl-C (the command's context ended)
// during a restore's copy of a backup stops the copy, as it stopped the
// VACUUM INTO that copied it before: a large backup on a slow medium is
// not read to its end first. The backup's -wal here is a pipe that never
// ends; the copy is refused as interrupted, and nothing is left.
func TestCopyInStopsWhenInterrupted(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, src); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := syscall.Mkfifo(src+"-wal", 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() { // an endless -wal: written until the copy stops reading
		w, err := os.OpenFile(src+"-wal", os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		chunk := make([]byte, 64<<10)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := w.Write(chunk); err != nil {
				return
			}
			time.Sleep(time.Millisecond) // at most 64 MB/s, should it never stop

		}
	}()
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(200*time.Millisecond, cancel)
	dst := filepath.Join(t.TempDir(), "staged.db")
	done := make(chan error, 1)
	go func() { done <- CopyIn(cctx, src, dst) }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("CopyIn = %v, want it interrupted", err)
		}
	case <-time.After(3 * time.Second):
		// Let the copy end: the writer stops, the pipe reaches its end.
		t.Fatal("CopyIn went on copying after the interrupt")
	}
	for _, sfx := range []string{"", "-wal", "-shm"} {
		if _, err := os.Stat(dst + sfx); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("an interrupted copy left %s (%v)", dst+sfx, err)
		}
	}
}
