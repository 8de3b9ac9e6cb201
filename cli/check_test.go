package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/core"
	"meterdesk/backend/store"
	"meterdesk/tests/damage"
	"meterdesk/tests/dirstate"
)

// TestCheckCommand: `meterdesk check` reads the whole database, with no
// sign-in, and changes nothing in the folder: a sound one is said so
// (exit 0), one with a page damaged in a table no command reads is
// reported with the way out (exit 1) though other commands still run on
// it, one a window has open is checked beside it, a folder with no database is not found (exit 5), and an argument is
// a usage mistake (exit 2).
func TestCheckCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if code, out, errs := runIn(t, "correct horse\n", "--data-dir", dir, "workspace", "setup", "--name", "Acme",
		"--currency", "EUR", "--credit-value", "0.01", "--admin", "alice"); code != 0 {
		t.Fatalf("setup: exit %d %s%s", code, out, errs)
	}
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	root, pageSize := damage.AddBulk(t, func(fn func(*sql.Tx) error) error { return db.Write(ctx, fn) })
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	before := dirstate.Stamped(t, dir)
	code, out, errs := runIn(t, "", "--data-dir", dir, "check")
	if code != 0 || !strings.Contains(out, "no damage in "+filepath.Join(dir, store.FileName)) || errs != "" {
		t.Fatalf("a sound database: exit %d %q %q", code, out, errs)
	}
	code, out, _ = runIn(t, "", "--data-dir", dir, "--json", "check")
	var c core.DatabaseCheck
	if err := json.Unmarshal([]byte(out), &c); code != 0 || err != nil || !c.OK || c.Bytes == 0 || c.File != filepath.Join(dir, store.FileName) {
		t.Fatalf("--json: exit %d %q (%v)", code, out, err)
	}
	if after := dirstate.Stamped(t, dir); after != before {
		t.Fatalf("check changed the folder:\nbefore %s\nafter  %s", before, after)
	}

	// Beside an open window (its shared lock beside the check's, its last
	// write still in the -wal only): the check runs at once and reads it.
	w, err := core.Open(ctx, core.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.DB.SetSetting(ctx, "note", "in the -wal"); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "check"); code != 0 || !strings.Contains(out, "no damage in ") {
		t.Fatalf("beside an open window: exit %d %q %q", code, out, errs)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	damage.Overwrite(t, filepath.Join(dir, store.FileName), root, pageSize)
	before = dirstate.Stamped(t, dir)
	code, out, errs = runIn(t, "", "--data-dir", dir, "check")
	if code != ExitFailed || out != "" || !strings.Contains(errs, "damaged") || !strings.Contains(errs, "meterdesk restore FILE") {
		t.Fatalf("a damaged database: exit %d %q %q", code, out, errs)
	}
	// --json: the verdict as the window's check has it (it printed
	// nothing), the error line still on stderr, exit 1.
	code, out, errs = runIn(t, "", "--data-dir", dir, "--json", "check")
	var bad map[string]any
	if err := json.Unmarshal([]byte(out), &bad); code != ExitFailed || err != nil || bad["ok"] != false ||
		!strings.Contains(fmt.Sprint(bad["problem"]), "damaged") || bad["file"] != filepath.Join(dir, store.FileName) ||
		!strings.Contains(errs, "damaged") {
		t.Fatalf("a damaged database --json: exit %d %q %q (%v)", code, out, errs, err)
	}
	if after := dirstate.Stamped(t, dir); after != before {
		t.Fatalf("check changed the damaged folder:\nbefore %s\nafter  %s", before, after)
	}
	if code, out, errs := runIn(t, "", "--data-dir", dir, "workspace", "show"); code != 0 {
		t.Fatalf("a command on a database damaged where it does not read: exit %d %q %q", code, out, errs)
	}

	empty := filepath.Join(t.TempDir(), "none")
	if code, _, errs := runIn(t, "", "--data-dir", empty, "check"); code != ExitNotFound || !strings.Contains(errs, "no Meterdesk database in "+empty) {
		t.Fatalf("no database: exit %d %q", code, errs)
	}
	if code, out, _ := runIn(t, "", "--data-dir", empty, "--json", "check"); code != ExitNotFound || out != "" {
		t.Fatalf("no database --json: exit %d %q, want no verdict", code, out)
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Fatalf("check made the folder: %v", err)
	}
	// An empty file is no database yet, and is said so (not "file does
	// not exist": it does).
	zero := t.TempDir()
	if err := os.WriteFile(filepath.Join(zero, store.FileName), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runIn(t, "", "--data-dir", zero, "check"); code != ExitNotFound ||
		!strings.Contains(errs, store.FileName+" is empty") || strings.Contains(errs, "does not exist") {
		t.Fatalf("an empty database file: exit %d %q", code, errs)
	}
	if code, _, errs := runIn(t, "", "--data-dir", dir, "check", "now"); code != ExitUsage || !strings.Contains(errs, "unexpected argument") {
		t.Fatalf("an argument: exit %d %q", code, errs)
	}
}

// TestCommandMeetingDamageSaysTheWayOut: a command that meets damage an
// open does not look for (a page of the rate table, after a clean close)
// fails with SQLite's words and the way out, as a damage the open's own
// check finds does.
func TestCommandMeetingDamageSaysTheWayOut(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := runIn(t, "correct horse\n", "--data-dir", dir, "workspace", "setup", "--name", "Acme",
		"--currency", "EUR", "--credit-value", "0.01", "--admin", "alice"); code != 0 {
		t.Fatalf("setup: exit %d %s%s", code, out, errs)
	}
	path := filepath.Join(dir, store.FileName)
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Fatal("a -wal was left by a clean close")
	}
	var root, pageSize int64
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		t.Fatal(err)
	}
	err = db.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'rate_entries'`).Scan(&root)
	if err == nil {
		err = db.QueryRow(`PRAGMA page_size`).Scan(&pageSize)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	damage.Overwrite(t, path, root, pageSize)
	code, _, errs := runIn(t, "correct horse\n", "--data-dir", dir, "--user", "alice", "rates", "list")
	if code != ExitFailed || !strings.Contains(errs, "malformed") || !strings.Contains(errs, "'meterdesk check' says where") ||
		!strings.Contains(errs, "meterdesk restore FILE") {
		t.Fatalf("a command meeting damage: exit %d %q", code, errs)
	}
}

// TestCheckInterrupted: `meterdesk check` stopped by Ctrl-C (its context
// cancelled) says it was interrupted, exit 1 as any stopped command, and
// neither that the database is damaged nor to restore one (it said "the
// database file is damaged … restore FILE" for a sound database).
func TestCheckInterrupted(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := runIn(t, "correct horse\n", "--data-dir", dir, "workspace", "setup", "--name", "Acme",
		"--currency", "EUR", "--credit-value", "0.01", "--admin", "alice"); code != 0 {
		t.Fatalf("setup: exit %d %s%s", code, out, errs)
	}
	cmd, ok := lookup("check")
	if !ok {
		t.Fatal("no check command")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errw strings.Builder
	env := &Env{Ctx: ctx, In: strings.NewReader(""), Out: &out, Err: &errw, DataDir: dir, Command: "check"}
	err := cmd.Run(env, nil)
	if err == nil {
		t.Fatal("a cancelled check succeeded")
	}
	// What Run prints for a NoBackend command's error.
	code := commandFailed(&errw, "check", nil, err)
	badDatabaseHint(&errw, err)
	if code != ExitFailed || !strings.Contains(errw.String(), "meterdesk check: interrupted") ||
		strings.Contains(errw.String(), "damaged") || strings.Contains(errw.String(), "restore") {
		t.Fatalf("exit %d, stderr %q: want exit 1 saying interrupted, not damaged", code, errw.String())
	}
}
