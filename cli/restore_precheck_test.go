package cli

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/tests/dirstate"
)

// TestRestoreOfADamagedBackupLeavesTheLiveDatabase: `meterdesk restore
// FILE` and `restore --check FILE` of a damaged backup are refused before
// the live database is opened to sign in. Opening it migrates it (here: a
// database one migration behind) and runs the start-up jobs, so both
// changed the live file while saying "nothing was changed"; it is now byte
// for byte as it was.
func TestRestoreOfADamagedBackupLeavesTheLiveDatabase(t *testing.T) {
	dir := teamWorkspace(t)
	alice := asAlice(t, dir)
	good := filepath.Join(t.TempDir(), "acme.db")
	alice("backup", "--out", good)
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(raw) && i < 4096*8; i++ {
		raw[i] ^= 0x5a
	}
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(damaged, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(dir, "meterdesk.db")
	db, err := sql.Open("sqlite", "file:"+live)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"DELETE FROM schema_migrations WHERE version = 996",
		"DROP INDEX audit_log_actor_action",
		"PRAGMA wal_checkpoint(TRUNCATE)",
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	sum := func() string {
		b, err := os.ReadFile(live)
		if err != nil {
			t.Fatal(err)
		}
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:])
	}
	before := sum()
	for _, args := range [][]string{{"restore", "--check", damaged}, {"restore", damaged}} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "alice"}, args...)...)
		if code != 1 || !strings.Contains(errs, "the backup is damaged: "+damaged) || !strings.Contains(errs, "nothing was changed") {
			t.Errorf("%v: exit %d %q, want 1 naming the damaged backup", args, code, errs)
		}
		if got := sum(); got != before {
			t.Fatalf("%v changed the live database", args)
		}
		noRestoreLeftIn(t, dir, strings.Join(args, " "))
	}
}

// TestRestoreOfADamagedBackupAsAMember: the backup's own checks come
// before the sign-in, so a member (bob) given a damaged backup is told of
// the damage (exit 1), as an admin is, by `restore FILE` and `restore
// --check FILE` alike, before any password or PIN is asked for: they learn
// only what the file already tells them. Nothing is written in the data
// folder. A sound backup is then refused for admins only, after the
// sign-in.
func TestRestoreOfADamagedBackupAsAMember(t *testing.T) {
	dir := teamWorkspace(t)
	good := filepath.Join(t.TempDir(), "acme.db")
	asAlice(t, dir)("backup", "--out", good)
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(raw) && i < 4096*8; i++ {
		raw[i] ^= 0x5a
	}
	damaged := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(damaged, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("METERDESK_PASSWORD", "1234") // bob's PIN
	before := dirstate.Of(t, dir)
	for _, args := range [][]string{{"restore", damaged}, {"restore", "--check", damaged}} {
		code, _, errs := runIn(t, "", append([]string{"--data-dir", dir, "--user", "bob"}, args...)...)
		if code != 1 || !strings.Contains(errs, "the backup is damaged: "+damaged) || !strings.Contains(errs, "nothing was changed") {
			t.Errorf("bob %v: exit %d %q, want 1 naming the damaged backup", args, code, errs)
		}
		if got := dirstate.Of(t, dir); got != before {
			t.Fatalf("bob %v wrote in the data folder:\nbefore %s\nafter  %s", args, before, got)
		}
	}
	// A sound backup: signed in, refused for admins only.
	code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "bob", "restore", good)
	if code == 0 || !strings.Contains(errs, "admin") {
		t.Errorf("bob restore %s: exit %d %q, want an admins-only refusal", good, code, errs)
	}
	noRestoreLeftIn(t, dir, "bob's restore")
}
