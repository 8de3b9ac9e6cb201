//go:build !windows

package app

import "github.com/gen2brain/beeep"

// osNotify shows a desktop notification through beeep (D-Bus or
// notify-send on Linux, terminal-notifier or osascript on macOS: each takes
// the text as one argument, never through a shell).
func osNotify(title, body string) error {
	beeep.AppName = appName
	return beeep.Notify(title, body, "")
}
