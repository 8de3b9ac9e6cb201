// Package clitest runs the real meterdesk binary as a process and checks what
// a person at a terminal sees: exit codes, messages on stderr, and that bad
// data folders (unwritable, damaged, from a newer version) are reported
// clearly and left byte-for-byte untouched.
//
// The binary is built once per run with `go build` into a temporary folder
// (tags desktop,production,webkit2_41, as shipped). `make test` passes the
// binary it already built in MTRDSK_BIN instead.
package clitest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// bin is the absolute path of the meterdesk binary under test.
var bin string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "meterdesk-clitest-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// 0755 so that the binary can also be run as an unprivileged user.
	if err := os.Chmod(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if b := os.Getenv("MTRDSK_BIN"); b != "" {
		// Stat it so that `go test` caching notices a rebuilt binary.
		if _, err := os.Stat(b); err != nil {
			fmt.Fprintln(os.Stderr, "MTRDSK_BIN:", err)
			return 1
		}
		data, err := os.ReadFile(b)
		if err != nil {
			fmt.Fprintln(os.Stderr, "MTRDSK_BIN:", err)
			return 1
		}
		bin = filepath.Join(dir, "meterdesk")
		if err := os.WriteFile(bin, data, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	} else {
		_, here, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(here), "..", "..")
		bin = filepath.Join(dir, "meterdesk")
		cmd := exec.Command("go", "build", "-tags", "desktop,production,webkit2_41", "-o", bin, ".")
		cmd.Dir = root
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "build meterdesk:", err)
			return 1
		}
	}
	return m.Run()
}

// result is one finished run of the binary.
type result struct {
	code   int
	stdout string
	stderr string
}

// meterdesk runs the binary with args (no stdin, no display) and returns its
// exit code and output. prefix, when given, wraps the command (e.g. setpriv).
func meterdesk(t *testing.T, prefix []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	argv := append(append(append([]string{}, prefix...), bin), args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "DISPLAY=", "WAYLAND_DISPLAY=")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Stdin = nil
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("run %v: %v", argv, err)
		}
		code = ee.ExitCode()
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// snapshot maps every file under dir to its contents.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel] = b
		return nil
	})
	if err != nil {
		t.Fatalf("snapshot %s: %v", dir, err)
	}
	return files
}
