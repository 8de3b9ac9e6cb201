package cli

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		"DELETE FROM schema_migrations WHERE version = 985",
		"DROP INDEX audit_log_target",
		"DROP INDEX audit_log_action",
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
