package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestMain runs main when the test binary is started as the fake itself.
func TestMain(m *testing.M) {
	if os.Getenv("FAKEPROVIDER_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestUnknownFlavorIsRefused: a -flavor the fake does not speak exits 2
// with the ones it does, instead of printing "ready" and failing every
// request.
func TestUnknownFlavorIsRefused(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-flavor", "claude", "-port", "0")
	cmd.Env = append(os.Environ(), "FAKEPROVIDER_AS_MAIN=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || ctx.Err() != nil {
		t.Fatalf("run = %v (stdout %q), want exit 2", err, out.String())
	}
	if want := `fakeprovider: -flavor "claude": want openai, deepseek, anthropic or gemini`; strings.TrimSpace(errOut.String()) != want || out.Len() != 0 {
		t.Fatalf("stderr %q stdout %q, want %q and nothing on stdout", errOut.String(), out.String(), want)
	}
}
