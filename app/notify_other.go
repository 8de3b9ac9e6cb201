//go:build !windows

package app

import "github.com/gen2brain/beeep"

// Meterdesk names itself to the notification service (notify-send's -a,
// terminal-notifier's group), set once: osNotify runs on goroutines.
func init() { beeep.AppName = appName }

// osNotify shows a desktop notification through beeep (D-Bus or
// notify-send on Linux, terminal-notifier or osascript on macOS: each takes
// the text as one argument, never through a shell).
func osNotify(title, body string) error {
	return beeep.Notify(title, body, "")
}
