//go:build windows

package app

import "git.sr.ht/~jackmordaunt/go-toast/wintoast"

// osNotify shows a toast through the Windows Runtime's COM API only. It
// does not use beeep, whose go-toast Push falls back to a PowerShell script
// with the toast's XML pasted into an expandable here-string when COM
// fails, so that text holding `$(…)` would run as code: here a failure is
// only a toast not shown (the notification centre in the window has it).
func osNotify(title, body string) error {
	if err := wintoast.SetAppData(wintoast.AppData{AppID: appName}); err != nil {
		return err
	}
	return wintoast.Push(toastXML(title, body)) // no PowershellFallback option
}
