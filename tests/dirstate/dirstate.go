// Package dirstate is a test helper: the state of a folder tree as text,
// so that a test can check that an operation made, removed or wrote
// nothing in it.
package dirstate

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
