// Package dirstate is a test helper: the state of a folder tree as text,
// so that a test can check that an operation made, removed or wrote
// nothing in it.
package dirstate

import (
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// Of lists every path under dir with its kind and, for a file, a hash of
// its content: two states are equal only if nothing was made, removed or
// written.
func Of(t testing.TB, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			fmt.Fprintf(&b, "%s/\n", rel)
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %x\n", rel, sha256.Sum256(data))
		return nil
	})
	if err != nil {
		t.Fatalf("the state of %s: %v", dir, err)
	}
	return b.String()
}

// Stamped is Of with every path's mode, size and modification time too
// (a missing dir is nothing): two equal stamps mean not one byte or time
// changed, as a check that opening or looking at a database wrote nothing
// needs (SQLite may rewrite a page with the same bytes).
func Stamped(t testing.TB, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == dir {
			return nil
		}
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(&b, "%s %v %d %d", rel, info.Mode(), info.Size(), info.ModTime().UnixNano())
		if !d.IsDir() {
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %x", sha256.Sum256(raw))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatalf("the state of %s: %v", dir, err)
	}
	return b.String()
}

// RawDatabase returns a new data folder whose database (store.FileName)
// is made by the statements qs alone, on one connection, as no Meterdesk
// of this version would make it: an older version's schema, another
// tool's file, a database with no tables.
func RawDatabase(t testing.TB, qs ...string) string {
	t.Helper()
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}
