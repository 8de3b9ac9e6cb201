package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A mistyped global flag, or no display, never opens (or crashes trying to
// open) the window: a clear error and exit 2 / 1, and no data folder made.
func TestRunRefusesWhatCannotOpenTheWindow(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	dir := filepath.Join(t.TempDir(), "data")
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"unknown flag before a command", []string{"--bogus", "users", "list"}, 2},
		{"mistyped --data-dir", []string{"--dta-dir", dir, "users", "list"}, 2},
		{"mistyped --user", []string{"--data-dir", dir, "--usr", "alice", "users", "list"}, 2},
		{"no display for the window", []string{"--data-dir", dir}, 1},
		{"--version", []string{"--version"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := run(c.args); got != c.want {
				t.Fatalf("exit %d, want %d", got, c.want)
			}
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Fatalf("the data folder was created (%v)", err)
			}
		})
	}
}
