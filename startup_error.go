package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"meterdesk/app"
	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/store"
)

// StartupRestore is bound to the "cannot start" window: when the database
// is damaged or from a newer version, it puts a backup in its place (the
// file it replaces is kept beside it) and starts Meterdesk again, as
// `meterdesk restore FILE` would, with no sign-in (nobody can sign in to a
// database that does not open).
type StartupRestore struct {
	dataDir string
	ctx     context.Context
	// choose asks for the backup file ("" when cancelled); relaunch starts
	// Meterdesk again; quit closes this window. Replaced in tests.
	choose   func(ctx context.Context) (string, error)
	relaunch func() error
	quit     func(ctx context.Context)
}

func newStartupRestore(dataDir string) *StartupRestore {
	return &StartupRestore{dataDir: dataDir, relaunch: app.Relaunch, quit: runtime.Quit,
		choose: func(ctx context.Context) (string, error) {
			return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{Title: "Restore the Meterdesk database from a backup",
				Filters: []runtime.FileFilter{{DisplayName: "*.db", Pattern: "*.db"}}})
		}}
}

func (s *StartupRestore) startup(ctx context.Context) { s.ctx = ctx }

// Restore asks for a backup, restores it and restarts Meterdesk. It returns
// "" when the user cancels the file dialog, and otherwise a sentence saying
// what happened (the window closes right after a restore).
func (s *StartupRestore) Restore() (string, error) {
	file, err := s.choose(s.ctx)
	if err != nil || file == "" {
		return "", err
	}
	r, err := core.RestoreNow(context.Background(), core.Options{DataDir: s.dataDir, Version: version}, file,
		func(*core.Backend) (access.Actor, error) {
			return access.Actor{}, errors.New("the database opens now: start Meterdesk and restore from Settings → General")
		})
	if err != nil {
		return "", fmt.Errorf("restore %s: %w", file, err)
	}
	if err := s.relaunch(); err != nil {
		return "", fmt.Errorf("restored %s (the old database is kept as %s), but Meterdesk could not start again: %w; open it yourself", file, r.Kept, err)
	}
	s.quit(s.ctx)
	return fmt.Sprintf("Restored %s; the old database is kept as %s. Meterdesk starts again.", file, r.Kept), nil
}

// restorable reports whether a backup can take the place of what failed:
// a damaged database, or one from a newer version.
func restorable(cause error) bool {
	return errors.Is(cause, store.ErrCorrupt) || errors.Is(cause, store.ErrNewerSchema)
}

// startupPage is the "cannot start" window's page for cause; with a
// restorable cause it has a "Restore a backup…" button (startupScript).
func startupPage(cause error) string {
	action := ""
	if restorable(cause) {
		action = ` If you have a backup, Meterdesk can put it in place and keep the current file beside it
(or run <code>meterdesk restore FILE</code>).</p>
<p><button id="restore" type="button">Restore a backup…</button> <span id="status" role="status"></span>`
	}
	return `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; object-src 'none'; base-uri 'none'">
<title>Meterdesk cannot start</title><style>
body{font:15px system-ui,sans-serif;margin:0;display:grid;place-items:center;height:100vh;background:#f6f7f9;color:#1d2330}
main{max-width:560px;padding:32px;background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002}
h1{font-size:20px;margin:0 0 12px}code{background:#eef0f4;padding:2px 6px;border-radius:4px;word-break:break-all}
button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid #2f6fed;background:#2f6fed;color:#fff;cursor:pointer}
button:disabled{opacity:.6;cursor:default}#status{margin-left:8px}
@media (prefers-color-scheme: dark){body{background:#14171d;color:#e6e9ef}main{background:#1d2129}code{background:#2a2f3a}}
</style><script src="/startup.js" defer></script></head><body><main data-testid="startup-error"><h1>Meterdesk cannot open its data</h1><p>` +
		html.EscapeString(cause.Error()) + `</p><p>Nothing was changed. Fix the problem above, or start Meterdesk with
<code>--data-dir</code> pointing at another folder.` + action + `</p></main></body></html>`
}

// startupScript wires the Restore button to StartupRestore.Restore.
const startupScript = `document.addEventListener('DOMContentLoaded', () => {
  const button = document.getElementById('restore');
  const status = document.getElementById('status');
  if (!button) return;
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.textContent = 'Choose the backup…';
    try {
      const said = await window.go.main.StartupRestore.Restore();
      status.textContent = said || '';
    } catch (err) {
      status.textContent = String(err);
    } finally {
      button.disabled = false;
    }
  });
});`

// showStartupError opens a small window that explains why Meterdesk could
// not open its database (the same text is already on stderr), with a way to
// restore a backup when that is what helps. Nothing in the data folder is
// touched unless the user restores.
func showStartupError(cause error, dataDir string) {
	page := startupPage(cause)
	sr := newStartupRestore(dataDir)
	_ = wails.Run(&options.App{
		Title:  "Meterdesk — cannot start",
		Width:  640,
		Height: 440,
		AssetServer: &assetserver.Options{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/startup.js" {
				w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
				_, _ = w.Write([]byte(startupScript))
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(page))
		})},
		OnStartup: sr.startup,
		Bind:      []any{sr},
		Linux:     &linux.Options{ProgramName: "meterdesk"},
	})
}
