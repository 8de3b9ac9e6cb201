//go:build !unix

package ledger

import "os"

// pidAlive reports whether a process with this id is running.
func pidAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}
