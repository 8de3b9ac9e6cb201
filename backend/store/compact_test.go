package store

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// deletedSecret writes a value holding secret big enough for overflow
// pages (which a delete frees whole) into the database in dir, and
// deletes it; with checkpoint, the delete reaches the database file
// (otherwise it stays in the -wal).
func deletedSecret(t *testing.T, db *DB, secret string, checkpoint bool) {
	t.Helper()
	ctx := context.Background()
	if err := db.SetSetting(ctx, "keep", "kept"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(ctx, "probe", strings.Repeat(secret+" ", 2000)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("DELETE FROM settings WHERE key = 'probe'")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if checkpoint {
		if _, err := db.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func fileHolds(t *testing.T, file, secret string) bool {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Contains(b, []byte(secret))
}

// compactedAsIt: the file at path is a database with no free pages, the
// row "keep" in it, readable by its owner only, nothing beside it.
func compactedAsIt(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	var free int64
	var kept string
	err = db.QueryRow("PRAGMA freelist_count").Scan(&free)
	if err == nil {
		err = db.QueryRow("SELECT value FROM settings WHERE key = 'keep'").Scan(&kept)
	}
	db.Close()
	if err != nil || free != 0 || kept != "kept" {
		t.Errorf("after CompactFile: freelist_count %d, keep %q, %v; want 0, kept", free, kept, err)
	}
	if st, err := os.Stat(path); err != nil || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o600) {
		t.Errorf("the compacted file: %v %v; want 0600", st.Mode(), err)
	}
	for _, sfx := range []string{".compact", "-wal", "-shm", "-journal"} {
		if _, err := os.Stat(path + sfx); err == nil {
			t.Errorf("%s left beside the compacted file", sfx)
		}
	}
}

// TestCompactFileDropsWhatFreePagesHeld: rows deleted from a database
// leave their text in free pages (secure_delete is off); CompactFile
// rebuilds a database file that has free pages, after which it no longer
// holds the text, and leaves one without free pages byte for byte.
func TestCompactFileDropsWhatFreePagesHeld(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, FileName)
	if err := db.SetSetting(ctx, "keep", "kept"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(file)
	if did, err := CompactFile(ctx, file); err != nil || did {
		t.Fatalf("a database with no free pages: CompactFile = %v, %v; want false, nil", did, err)
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Error("a database with no free pages was rewritten")
	}
	if db, err = Open(ctx, dir); err != nil {
		t.Fatal(err)
	}
	const secret = "deleted-before-the-copy-0123456789"
	deletedSecret(t, db, secret, true)
	db.Close()
	if !fileHolds(t, file, secret) {
		t.Fatal("the deleted text is not in the file before CompactFile: the test proves nothing")
	}
	if did, err := CompactFile(ctx, file); err != nil || !did {
		t.Fatalf("CompactFile = %v, %v; want true, nil", did, err)
	}
	if fileHolds(t, file, secret) {
		t.Error("the file still holds the deleted text after CompactFile")
	}
	compactedAsIt(t, file)
}

// TestCompactFileOfAHandCopyWithItsWAL: a copy of a live database taken
// by hand with its -wal, the delete still in the -wal (not checkpointed):
// the database file holds the text in pages then in use, the -wal frees
// them. CompactFile reads the -wal, and leaves one file without the text
// and nothing beside it.
func TestCompactFileOfAHandCopyWithItsWAL(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const secret = "deleted-in-the-wal-0123456789"
	deletedSecret(t, db, secret, false)
	hand := filepath.Join(t.TempDir(), "hand.db")
	for _, sfx := range []string{"", "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, FileName) + sfx)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(hand+sfx, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if !fileHolds(t, hand, secret) {
		t.Fatal("the hand copy does not hold the deleted text: the test proves nothing")
	}
	if did, err := CompactFile(ctx, hand); err != nil || !did {
		t.Fatalf("CompactFile = %v, %v; want true, nil", did, err)
	}
	if fileHolds(t, hand, secret) {
		t.Error("the hand copy still holds the deleted text after CompactFile")
	}
	compactedAsIt(t, hand)
}

// TestCompactFileFailsLeavingTheFileAsItWas: a compaction that cannot
// write its copy (here: the name it writes is taken by a folder) says so
// and leaves the database file byte for byte as it was.
func TestCompactFileFailsLeavingTheFileAsItWas(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	deletedSecret(t, db, "deleted-0123456789", true)
	db.Close()
	file := filepath.Join(dir, FileName)
	before, _ := os.ReadFile(file)
	if err := os.MkdirAll(filepath.Join(file+".compact", "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	did, err := CompactFile(ctx, file)
	if err == nil || did || !strings.HasPrefix(err.Error(), "compacting its free pages: ") {
		t.Fatalf("CompactFile = %v, %v; want false and the error", did, err)
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Error("a failed CompactFile changed the file")
	}
}

// TestCompactFileMemory: CompactFile streams the rebuilt database to a
// file (VACUUM INTO); a VACUUM with temp_store=MEMORY (every connection
// of the store has it) built the whole database in memory first, about
// twice its size at the peak: 280 MB for a 136 MB database. Linux only
// (the peak read from /proc, reset through clear_refs).
func TestCompactFileMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skip("no /proc/self/clear_refs:", err)
	}
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	w := db.Writer()
	if _, err := w.Exec(`CREATE TABLE big(x BLOB)`); err != nil {
		t.Fatal(err)
	}
	const mb = 48
	if _, err := w.Exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < ?)
		INSERT INTO big SELECT randomblob(65536) FROM c`, mb*16); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Exec(`DELETE FROM big WHERE rowid % 10 = 0`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	peak := func() int64 {
		b, _ := os.ReadFile("/proc/self/status")
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) == 3 && f[0] == "VmHWM:" {
				n, _ := strconv.ParseInt(f[1], 10, 64)
				return n / 1024
			}
		}
		t.Skip("no VmHWM")
		return 0
	}
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	start := peak()
	if did, err := CompactFile(ctx, filepath.Join(dir, FileName)); err != nil || !did {
		t.Fatalf("CompactFile = %v, %v", did, err)
	}
	if grew := peak() - start; grew > mb/2 {
		t.Errorf("compacting a %d MB database took %d MB more memory at its peak; want under %d", mb, grew, mb/2)
	}
}
