//go:build unix

package ledger

import (
	"errors"
	"os"
	"syscall"
)

// pidAlive reports whether a process with this id is running.
func pidAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}
