package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// pty opens a pseudo-terminal: the side a user types into (master) and the
// terminal a command reads as its stdin (slave).
func pty(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { slave.Close(); master.Close() })
	return master, slave
}

// runOnTerminal runs a command with a terminal as stdin, types each line
// once the command has prompted for it with echo off, and returns the exit
// code, stderr and what the terminal showed (its echo).
func runOnTerminal(t *testing.T, typed []string, args ...string) (code int, stderr, screen string) {
	t.Helper()
	master, slave := pty(t)
	var shown syncBuffer
	go io.Copy(&shown, master) //nolint:errcheck // ends when the pty closes
	var out, errw syncBuffer
	done := make(chan int, 1)
	go func() { done <- Run(args, slave, &out, &errw) }()
	for i, line := range typed {
		deadline := time.Now().Add(10 * time.Second)
		for {
			tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
			if err != nil {
				t.Fatal(err)
			}
			if tio.Lflag&unix.ECHO == 0 && strings.Count(errw.String(), ": ") > i {
				break // prompted, echo off: type now
			}
			if time.Now().After(deadline) {
				t.Fatalf("no prompt with echo off for line %d; stderr %q", i+1, errw.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
		if _, err := master.WriteString(line + "\n"); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case code = <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("the command did not finish; stderr %q", errw.String())
	}
	time.Sleep(50 * time.Millisecond) // let any echo arrive
	return code, errw.String(), shown.String()
}

// A password read from a terminal is prompted for on stderr and not
// echoed; a new secret is asked twice and two different entries are
// refused with nothing written. Piped stdin keeps reading the first line
// without a prompt (the other tests).
func TestPasswordsFromATerminalArePromptedAndNotEchoed(t *testing.T) {
	dir := teamWorkspace(t)
	t.Setenv(envPassword, "")
	t.Setenv(envNewSecret, "")
	code, errs, screen := runOnTerminal(t, []string{"correct horse"}, "--data-dir", dir, "--user", "alice", "credits", "balance")
	if code != 0 || !strings.HasPrefix(errs, "Password or PIN for alice: ") || strings.Contains(screen, "correct horse") {
		t.Fatalf("sign-in: exit %d, stderr %q, terminal %q", code, errs, screen)
	}
	before := dbDump(t, dir)
	code, errs, screen = runOnTerminal(t, []string{"correct horse", "new secret 1", "new secret 2"},
		"--data-dir", dir, "--user", "alice", "users", "add", "dave")
	if code != ExitUsage || !strings.Contains(errs, "New password for dave (at least 8 characters): ") || !strings.Contains(errs, "Again: ") ||
		!strings.Contains(errs, "the two entries differ") || strings.Contains(screen, "new secret") {
		t.Fatalf("mismatched new secret: exit %d, stderr %q, terminal %q", code, errs, screen)
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused new secret wrote")
	}
	code, errs, _ = runOnTerminal(t, []string{"correct horse", "4321", "4321"},
		"--data-dir", dir, "--user", "alice", "users", "add", "dave", "--pin")
	if code != 0 || !strings.Contains(errs, "New PIN for dave (4 to 12 digits): Again: ") && !strings.Contains(errs, "New PIN for dave (4 to 12 digits): \nAgain: ") {
		t.Fatalf("new PIN: exit %d, stderr %q", code, errs)
	}
	t.Setenv(envPassword, "4321")
	if code, _, errs := runIn(t, "", "--data-dir", dir, "--user", "dave", "credits", "balance"); code != 0 {
		t.Fatalf("dave signs in with the PIN typed twice: %d %s", code, errs)
	}
}
