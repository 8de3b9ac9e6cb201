package core

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"meterdesk/backend/store"
)

// TestHasDatabase: only a database with something in it (or a restore
// staged or cut short, which brings one) counts; looking creates nothing.
func TestHasDatabase(t *testing.T) {
	withDB := t.TempDir()
	db, err := store.Open(context.Background(), withDB)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, c := range []struct {
		name string
		dir  func(t *testing.T) string
		want bool
	}{
		{"missing folder", func(t *testing.T) string { return filepath.Join(t.TempDir(), "typo", "deeper") }, false},
		{"empty folder", func(t *testing.T) string { return t.TempDir() }, false},
		{"empty file", func(t *testing.T) string {
			d := t.TempDir()
			if err := os.WriteFile(filepath.Join(d, store.FileName), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return d
		}, false},
		{"a database", func(*testing.T) string { return withDB }, true},
		{"a staged restore", func(t *testing.T) string {
			d := t.TempDir()
			if err := os.Mkdir(filepath.Join(d, restoreDirName), 0o700); err != nil {
				t.Fatal(err)
			}
			return d
		}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := c.dir(t)
			_, statErr := os.Stat(dir)
			got, err := HasDatabase(dir)
			if err != nil || got != c.want {
				t.Fatalf("HasDatabase = %v, %v; want %v", got, err, c.want)
			}
			if _, err := os.Stat(dir); os.IsNotExist(statErr) != os.IsNotExist(err) {
				t.Fatal("looking created the folder")
			}
		})
	}
}
