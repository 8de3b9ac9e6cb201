package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// sqliteFile returns the bytes of a SQLite database that is not
// Meterdesk's, made by running stmts in a new file; a statement that fails
// fails the test, so that a case meant for a foreign database is not run
// on an empty file instead.
func sqliteFile(t *testing.T, stmts ...string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.db")
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range stmts {
		if _, err := other.Exec(q); err != nil {
			other.Close()
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || len(b) == 0 {
		t.Fatalf("the foreign database: %d bytes, %v", len(b), err)
	}
	return b
}

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db, dir
}

func TestOpenSetsPragmasOnEveryConnection(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	check := func(name string, q *sql.DB) {
		t.Helper()
		// Force several distinct connections out of the pool at once.
		conns := make([]*sql.Conn, 3)
		for i := range conns {
			c, err := q.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns[i] = c
			if name == "writer" {
				break // the writer pool has exactly one connection
			}
		}
		for _, c := range conns {
			if c == nil {
				continue
			}
			var mode string
			var sync, fk, busy, temp, walLimit int
			if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&temp); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA journal_size_limit").Scan(&walLimit); err != nil {
				t.Fatal(err)
			}
			if mode != "wal" || sync != 2 || fk != 1 || busy < 1000 || temp != 2 || walLimit != WALSizeLimit {
				t.Errorf("%s: journal_mode=%s synchronous=%d foreign_keys=%d busy_timeout=%d temp_store=%d (want 2, memory) journal_size_limit=%d (want %d)",
					name, mode, sync, fk, busy, temp, walLimit, WALSizeLimit)
			}
			c.Close()
		}
	}
	check("writer", db.Writer())
	check("reader", db.Read())
}

func TestReadPoolIsQueryOnly(t *testing.T) {
	db, _ := openTemp(t)
	_, err := db.Read().Exec("INSERT INTO settings(key, value) VALUES ('x', 'y')")
	if err == nil {
		t.Fatal("a write through the read pool succeeded")
	}
}

func TestMigrationsAppliedOnceAndRecorded(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for i := 0; i < 2; i++ { // the second open must be a no-op
		db, err := Open(ctx, dir)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		var n, max int
		if err := db.Read().QueryRow("SELECT count(*), max(version) FROM schema_migrations").Scan(&n, &max); err != nil {
			t.Fatal(err)
		}
		ms, _ := loadMigrations()
		if n != len(ms) || max != latestVersion() {
			t.Errorf("open #%d: %d migrations recorded (max %d), want %d (max %d)", i+1, n, max, len(ms), latestVersion())
		}
		db.Close()
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	if v, _ := db.GetSetting(ctx, "k", "def"); v != "def" {
		t.Fatalf("unset: got %q", v)
	}
	for _, v := range []string{"one", "two ünïcødé €"} {
		if err := db.SetSetting(ctx, "k", v); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.GetSetting(ctx, "k", ""); got != v {
			t.Fatalf("got %q want %q", got, v)
		}
	}
}

func TestWriteRollsBackOnError(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if err := SetSettingTx(ctx, tx, "a", "1"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if v, _ := db.GetSetting(ctx, "a", "unset"); v != "unset" {
		t.Fatalf("rolled-back write is visible: %q", v)
	}
}

func TestConcurrentWritersNeverBusy(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 400)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				key := fmt.Sprintf("g%d", g)
				errs <- db.Write(ctx, func(tx *sql.Tx) error {
					var cur int
					err := tx.QueryRowContext(ctx, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = ?", key).Scan(&cur)
					if err != nil && !errors.Is(err, sql.ErrNoRows) {
						return err
					}
					return SetSettingTx(ctx, tx, key, fmt.Sprint(cur+1))
				})
				_, _ = db.GetSetting(ctx, key, "")
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("write failed: %v", err)
		}
	}
	for g := 0; g < 16; g++ {
		v, _ := db.GetSetting(ctx, fmt.Sprintf("g%d", g), "")
		if v != "25" {
			t.Errorf("g%d = %s, want 25 (lost update)", g, v)
		}
	}
}

func TestBackup(t *testing.T) {
	db, dir := openTemp(t)
	ctx := context.Background()
	if err := db.SetSetting(ctx, "workspace", "Acme"); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "copy.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	// Readable by its owner only: it holds password hashes and sealed keys.
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	copyDB, err := Open(ctx, mustCopyDir(t, out))
	if err != nil {
		t.Fatalf("backup does not open: %v", err)
	}
	defer copyDB.Close()
	if v, _ := copyDB.GetSetting(ctx, "workspace", ""); v != "Acme" {
		t.Fatalf("backup holds %q", v)
	}
	if err := db.Backup(ctx, out); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	if err := db.Backup(ctx, ""); err == nil {
		t.Fatal("backup accepted an empty path")
	}
	// A backup that fails leaves no empty file behind.
	bad := filepath.Join(dir, "no-such-folder", "copy.db")
	if err := db.Backup(ctx, bad); err == nil {
		t.Fatal("backup into a missing folder accepted")
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Fatalf("a failed backup left %s (%v)", bad, err)
	}
	if err := db.Backup(ctx, db.Path); err == nil {
		t.Fatal("backup onto the live database accepted")
	}
}

// mustCopyDir puts a database file into a fresh folder under the expected name.
func mustCopyDir(t *testing.T, file string) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, FileName), b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestOpenRefusesBadFilesAndLeavesThemUntouched(t *testing.T) {
	ctx := context.Background()
	newerWith := func(version int) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			dir := t.TempDir()
			db, err := Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Write(ctx, func(tx *sql.Tx) error {
				_, err := tx.Exec("INSERT INTO schema_migrations(version, name) VALUES (?, 'future.sql')", version)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			db.Close()
			b, _ := os.ReadFile(filepath.Join(dir, FileName))
			return b
		}
	}
	newer := newerWith(9999)
	// A newer version may add a migration numbered below this version's
	// highest (as 0103 and 0410 were added after 0670): still newer.
	newerBelow := newerWith(unknownBelowLatest(t))
	half := func(t *testing.T) []byte {
		dir := t.TempDir()
		db, _ := Open(ctx, dir)
		db.Close()
		b, _ := os.ReadFile(filepath.Join(dir, FileName))
		// Keep the header, scramble the pages behind it.
		for i := 100; i < len(b); i++ {
			b[i] = byte(i * 7)
		}
		return b
	}
	foreign := func(t *testing.T) []byte {
		return sqliteFile(t, "CREATE TABLE customers(id INTEGER)")
	}
	otherMigrations := func(t *testing.T) []byte { // golang-migrate's table, same name
		return sqliteFile(t, "CREATE TABLE schema_migrations(version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)",
			"INSERT INTO schema_migrations VALUES (3, false)")
	}
	// A copy cut short (a full disk, a copy stopped half-way): its header
	// counts more pages than the file holds. Every open sees it from the
	// header (checkLength), without reading the file.
	cutShort := func(t *testing.T) []byte {
		b, err := os.ReadFile(filepath.Join(damagedAtRest(t, false), FileName))
		if err != nil {
			t.Fatal(err)
		}
		return b[:len(b)*3/5]
	}
	cases := []struct {
		name    string
		content func(t *testing.T) []byte
		want    error
	}{
		{"cut short", cutShort, ErrCorrupt},
		{"another tool's schema_migrations", otherMigrations, ErrCorrupt},
		{"text file", func(*testing.T) []byte { return []byte("hello, I am not a database\n") }, ErrCorrupt},
		{"truncated header", func(*testing.T) []byte { return []byte("SQLite for") }, ErrCorrupt},
		{"scrambled pages", half, ErrCorrupt},
		{"another app's database", foreign, ErrCorrupt},
		{"newer schema", newer, ErrNewerSchema},
		{"newer migration numbered below ours", newerBelow, ErrNewerSchema},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, FileName)
			before := c.content(t)
			if err := os.WriteFile(path, before, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := Open(ctx, dir)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Fatal("the file was modified")
			}
			for _, suffix := range []string{"-wal", "-shm"} {
				if _, err := os.Stat(path + suffix); err == nil {
					t.Errorf("%s created next to a refused database", suffix)
				}
			}
		})
	}
}

// TestOpenReadsThroughTheWAL: a database whose last commits are still in
// its -wal is judged as SQLite reads it, never on the main file alone: one
// left half-copied by a crash (or a full disk) during a checkpoint opens
// with every commit, and one a newer version has open with its migration in
// the -wal is refused as newer, also by a process that skipped Check.
func TestOpenReadsThroughTheWAL(t *testing.T) {
	ctx := context.Background()
	live := t.TempDir()
	db, err := Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, body BLOB)"); err != nil {
			return err
		}
		for i := 0; i < 300; i++ {
			if _, err := tx.Exec("INSERT INTO notes(body) VALUES (randomblob(1000))"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// A crash during the checkpoint: the main file has half of the -wal's
	// frames, the -wal all of them, and there is no -shm.
	torn := t.TempDir()
	main, err := os.ReadFile(filepath.Join(live, FileName))
	if err != nil {
		t.Fatal(err)
	}
	wal, err := os.ReadFile(filepath.Join(live, FileName+"-wal"))
	if err != nil || len(wal) < 32 {
		t.Fatalf("no -wal to tear: %d bytes, %v", len(wal), err)
	}
	pageSize := int(binary.BigEndian.Uint32(wal[8:12]))
	frames := (len(wal) - 32) / (24 + pageSize)
	for f := 0; f < frames/2; f++ {
		off := 32 + f*(24+pageSize)
		pgno := int(binary.BigEndian.Uint32(wal[off : off+4]))
		at := (pgno - 1) * pageSize
		for len(main) < at+pageSize {
			main = append(main, make([]byte, pageSize)...)
		}
		copy(main[at:at+pageSize], wal[off+24:off+24+pageSize])
	}
	if err := os.WriteFile(filepath.Join(torn, FileName), main, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(torn, FileName+"-wal"), wal, 0o600); err != nil {
		t.Fatal(err)
	}
	recovered, err := Open(ctx, torn)
	if err != nil {
		t.Fatalf("a checkpoint cut short: %v", err)
	}
	var n int
	if err := recovered.Read().QueryRow("SELECT count(*) FROM notes").Scan(&n); err != nil || n != 300 {
		t.Fatalf("notes after recovery: %d, %v", n, err)
	}
	recovered.Close()

	// A newer version, still running, has migrated: the change is in the -wal.
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("INSERT INTO schema_migrations(version, name) VALUES (9999, '9999_future.sql')")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, live); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open while a newer version has the database open: %v", err)
	}
	if _, err := OpenChecked(ctx, live); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("OpenChecked (no Check) while a newer version has the database open: %v", err)
	}
}

func TestOpenRefusesUnwritableFolder(t *testing.T) {
	// A path below a regular file can never be created, even as root.
	file := filepath.Join(t.TempDir(), "plain-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), filepath.Join(file, "data"))
	if !errors.Is(err, ErrNotWritable) {
		t.Fatalf("got %v, want ErrNotWritable", err)
	}
}

func TestDumpShowsEveryWriteAndOnlyWrites(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	before, err := db.Dump(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(before, "== settings\n") || !strings.Contains(before, "== schema_migrations\n") {
		t.Fatalf("dump lacks tables:\n%s", before)
	}
	again, _ := db.Dump(ctx)
	if again != before {
		t.Fatal("two dumps of an unchanged database differ")
	}
	if err := db.SetSetting(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	after, _ := db.Dump(ctx)
	if after == before || !strings.Contains(after, "k v") {
		t.Fatalf("a write is not visible in the dump:\n%s", after)
	}
}

// TestNewDatabaseIsOwnerOnly: a new database and its -wal hold password
// hashes and sealed keys: readable by their owner only.
func TestNewDatabaseIsOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetSetting(context.Background(), "x", "y"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{FileName, FileName + "-wal"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v (%v), want 0600", name, st.Mode(), err)
		}
	}
}

// TestCheckWhileAnotherProcessWrites: Check never calls a healthy database
// damaged while another process writes it and copies its -wal into the
// main file (each writer below checkpoints as it closes, as a CLI command
// does).
func TestCheckWhileAnotherProcessWrites(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("CREATE TABLE notes(id INTEGER PRIMARY KEY, body BLOB)")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	stop := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		for {
			select {
			case <-stop:
				writerDone <- nil
				return
			default:
			}
			w, err := OpenChecked(ctx, dir)
			if err != nil {
				writerDone <- err
				return
			}
			err = w.Write(ctx, func(tx *sql.Tx) error {
				_, err := tx.Exec("INSERT INTO notes(body) VALUES (randomblob(3000))")
				return err
			})
			w.Close()
			if err != nil {
				writerDone <- err
				return
			}
		}
	}()
	for i := 0; i < 60; i++ {
		if err := Check(ctx, dir); err != nil {
			close(stop)
			t.Fatalf("check %d while another process writes: %v", i, err)
		}
	}
	close(stop)
	if err := <-writerDone; err != nil {
		t.Fatal(err)
	}
}

// unknownBelowLatest returns a migration number below this version's
// highest that is not one of its migrations.
func unknownBelowLatest(t *testing.T) int {
	known := knownVersions()
	for v := latestVersion() - 1; v > 0; v-- {
		if !known[v] {
			return v
		}
	}
	t.Fatal("every number below the latest migration is taken")
	return 0
}

// TestCopyInRefusesABackupFromANewerVersion: a backup whose database has a
// migration this version lacks is refused, also when that migration is
// numbered below this version's highest, and nothing is written.
func TestCopyInRefusesABackupFromANewerVersion(t *testing.T) {
	ctx := context.Background()
	for _, v := range []int{9999, unknownBelowLatest(t)} {
		src := t.TempDir()
		db, err := Open(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec("INSERT INTO schema_migrations(version, name) VALUES (?, 'future.sql')", v)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		backup := filepath.Join(t.TempDir(), "backup.db")
		if err := db.Backup(ctx, backup); err != nil {
			t.Fatal(err)
		}
		db.Close()
		dst := filepath.Join(t.TempDir(), "staged.db")
		err = CopyIn(ctx, backup, dst)
		if !errors.Is(err, ErrBackupNewer) || !strings.Contains(err.Error(), fmt.Sprintf("migration %d", v)) {
			t.Fatalf("migration %d: CopyIn = %v, want ErrBackupNewer naming it", v, err)
		}
		if exists(dst) {
			t.Fatalf("migration %d: a refused backup was copied", v)
		}
	}
}

// TestNewMigrationsTakeTheHighestNumber: a new migration is numbered above
// every existing one. Builds before session 17 judged a database newer only
// by its highest migration number, so one numbered lower would let them
// open (and write) a database a newer version had migrated. Add a new
// migration above the highest listed here; do not add numbers to this list.
var existingBeforeTheRule = map[int]bool{1: true, 100: true, 101: true, 102: true, 103: true, 200: true, 300: true,
	350: true, 400: true, 410: true, 500: true, 501: true, 600: true, 650: true, 660: true, 670: true}

func TestNewMigrationsTakeTheHighestNumber(t *testing.T) {
	const highestBeforeTheRule = 670
	ms, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version <= highestBeforeTheRule && !existingBeforeTheRule[m.version] {
			t.Errorf("migration %s is numbered below %d: number it above the highest migration", m.name, highestBeforeTheRule)
		}
	}
}

// walSize is the size of db's -wal file (0: none).
func walSize(t *testing.T, db *DB) int64 {
	t.Helper()
	fi, err := os.Stat(db.Path + "-wal")
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// bigWrite commits one transaction of about mib MiB (a large delete, a
// migration rebuilding a table) and checks that the -wal grew past
// WALSizeLimit.
func bigWrite(t *testing.T, db *DB, mib int) {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec("CREATE TABLE IF NOT EXISTS scratch(b BLOB)"); err != nil {
			return err
		}
		_, err := tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
			INSERT INTO scratch(b) SELECT randomblob(4000) FROM n`, mib*256)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := walSize(t, db); n <= WALSizeLimit {
		t.Fatalf("-wal %d bytes after a %d MiB transaction: the test needs it over %d", n, mib, WALSizeLimit)
	}
}

// After one big transaction the -wal file goes back under WALSizeLimit with
// the next ordinary writes (journal_size_limit), while the database keeps
// every commit.
func TestWALShrinksAfterABigTransaction(t *testing.T) {
	db, _ := openTemp(t)
	ctx := context.Background()
	bigWrite(t, db, 24)
	for i := range 3 {
		if err := db.SetSetting(ctx, "wal.test", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := walSize(t, db); n > WALSizeLimit {
		t.Errorf("-wal %d bytes after ordinary writes, want at most %d", n, WALSizeLimit)
	}
	var rows int
	if err := db.Read().QueryRow("SELECT count(*) FROM scratch").Scan(&rows); err != nil || rows != 24*256 {
		t.Errorf("scratch rows %d (%v), want %d", rows, err, 24*256)
	}
	if v, err := db.GetSetting(ctx, "wal.test", ""); err != nil || v != "2" {
		t.Errorf("setting %q (%v), want 2", v, err)
	}
}

// TrimWAL empties a -wal over the limit when no write comes; it gives way
// at once to a reader of an older snapshot (and tries again later), and
// leaves a small -wal alone.
func TestTrimWAL(t *testing.T) {
	db, dir := openTemp(t)
	ctx := context.Background()
	if trimmed, err := db.TrimWAL(ctx); err != nil || trimmed {
		t.Fatalf("small -wal: trimmed %v, %v", trimmed, err)
	}

	// Another process reading since before the big write: its snapshot
	// keeps the -wal's frames out of the database file, so the checkpoint
	// gives way, without waiting.
	other, err := sql.Open("sqlite", dsn(filepath.Join(dir, FileName), false, true))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	rtx, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := rtx.QueryRow("SELECT count(*) FROM settings").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	bigWrite(t, db, 12)
	start := time.Now()
	if trimmed, err := db.TrimWAL(ctx); err != nil || trimmed {
		t.Errorf("with a reader of an older snapshot: trimmed %v, %v; want false, nil", trimmed, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("TrimWAL waited %s for the reader", d)
	}
	var busy int
	if err := db.Writer().QueryRow("PRAGMA busy_timeout").Scan(&busy); err != nil || busy != busyTimeoutMS {
		t.Errorf("writer busy_timeout %d (%v) after TrimWAL, want %d", busy, err, busyTimeoutMS)
	}
	_ = rtx.Rollback()

	// Idle, no write to come: TrimWAL empties it.
	if trimmed, err := db.TrimWAL(ctx); err != nil || !trimmed {
		t.Errorf("idle: trimmed %v, %v; want true", trimmed, err)
	}
	if n := walSize(t, db); n != 0 {
		t.Errorf("-wal %d bytes after TrimWAL, want 0", n)
	}
	if err := db.Read().QueryRow("SELECT count(*) FROM scratch").Scan(&rows); err != nil || rows != 12*256 {
		t.Errorf("scratch rows %d (%v), want %d", rows, err, 12*256)
	}
	if err := db.SetSetting(ctx, "wal.test", "after"); err != nil {
		t.Fatal(err)
	}
	if v, err := db.GetSetting(ctx, "wal.test", ""); err != nil || v != "after" {
		t.Errorf("setting %q (%v), want after", v, err)
	}
}
