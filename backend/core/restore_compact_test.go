package core

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// TestRestoreOfAHandCopyLeavesWhatWasDeleted: a backup that is a copy of
// a live database made by hand (not by Meterdesk's backup, which writes
// no free pages) holds, in its free pages, text deleted before the copy;
// the restore brings the backup in byte for byte, and compacts it
// (store.CompactFile), so the restored database does not hold that text.
func TestRestoreOfAHandCopyLeavesWhatWasDeleted(t *testing.T) {
	ctx := context.Background()
	f := newRestoreFixture(t)
	const secret = "deleted-before-the-hand-copy-0123456789"
	if err := f.b.DB.SetSetting(ctx, "probe", strings.Repeat(secret+" ", 2000)); err != nil {
		t.Fatal(err)
	}
	if err := f.b.DB.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("DELETE FROM settings WHERE key = 'probe'")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	f.close(t)
	hand := filepath.Join(t.TempDir(), "hand-copy.db")
	raw, err := os.ReadFile(filepath.Join(f.dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(secret)) {
		t.Fatal("the hand copy does not hold the deleted text: the test proves nothing")
	}
	if err := os.WriteFile(hand, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	f.open(t)
	if _, err := f.b.StageRestore(f.alice, hand, false); err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	f.expect(t, "After 150")
	f.close(t)
	live, err := os.ReadFile(filepath.Join(f.dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(live, []byte(secret)) {
		t.Error("the restored database holds text deleted before the hand copy")
	}
}

// TestRestoreCompactionFailureLeavesNothing: a hand copy whose compaction
// fails (a disk with no room for the rebuilt copy, say) is refused with
// the backup named and "nothing was changed", before the copy is opened:
// nothing staged, no staging folder left in the data folder, the live
// database as it was.
func TestRestoreCompactionFailureLeavesNothing(t *testing.T) {
	f := newRestoreFixture(t)
	f.close(t)
	hand := filepath.Join(t.TempDir(), "hand-copy.db")
	raw, err := os.ReadFile(filepath.Join(f.dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hand, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	opened := false
	compactBackup = func(ctx context.Context, path string) (bool, error) {
		_, err := os.Stat(path + "-shm") // the staged copy, not opened yet
		opened = err == nil
		return false, errors.New("compacting its free pages: database or disk is full")
	}
	t.Cleanup(func() { compactBackup = store.CompactFile })
	f.open(t)
	_, err = f.b.StageRestore(f.alice, hand, false)
	want := "restore: the backup " + hand + ": compacting its free pages: database or disk is full; nothing was changed"
	if err == nil || err.Error() != want {
		t.Fatalf("StageRestore: %v\nwant %s", err, want)
	}
	if opened {
		t.Error("the staged copy was opened before it was compacted")
	}
	if st, err := f.b.RestoreStatus(f.alice); err != nil || st.Pending != nil {
		t.Errorf("a restore staged: %+v %v", st, err)
	}
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), stagingPrefix) || e.Name() == restoreDirName {
			t.Errorf("%s left in the data folder", e.Name())
		}
	}
	f.reopen(t)
	f.expect(t, "After 150")
}
