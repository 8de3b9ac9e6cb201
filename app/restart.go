package app

import (
	"fmt"
	"os"
	"os/exec"
)

// Relaunch starts a new Meterdesk process like this one (same arguments and
// environment, so the same data folder).
func Relaunch() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = os.Environ()
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}

// Restart starts Meterdesk again and closes this window. The new process
// waits (core.Options.RestoreWait) until this one has let go of the data
// folder, then finishes a staged restore before it opens the database.
func (a *App) Restart() error {
	a.mu.RLock()
	ctx := a.wctx
	a.mu.RUnlock()
	if ctx == nil {
		return ErrNoWindow
	}
	if err := Relaunch(); err != nil {
		return fmt.Errorf("restart Meterdesk: %w (quit and open it again)", err)
	}
	a.Quit()
	return nil
}
