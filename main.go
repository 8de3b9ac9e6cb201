// Command meterdesk is the Meterdesk desktop app and, given a subcommand, its
// headless CLI. main only wires: it parses the global flags, then either runs
// the CLI (cli.Run) or opens the window (Wails) on the same backend.
package main

import (
	"context"
	"embed"
	"fmt"
	"os"
	goruntime "runtime"
	"strings"
	"time"
	// Every IANA zone, where the OS has no zone data (Windows; a container
	// without tzdata): the workspace's zone must load wherever the binary
	// runs (README "Dependencies"). About 450 KB.
	_ "time/tzdata"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"

	"meterdesk/app"
	"meterdesk/backend/core"
	"meterdesk/backend/events"
	"meterdesk/backend/prefs"
	"meterdesk/cli"
)

//go:embed all:frontend/dist
var assets embed.FS

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	cli.Version = version
	os.Exit(run(os.Args[1:]))
}

// run returns the process exit code.
func run(args []string) int {
	g, rest, err := cli.SplitGlobals(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "meterdesk:", err)
		return 2
	}
	if len(rest) > 0 && (rest[0] == "--version" || rest[0] == "-version") {
		rest[0] = "version" // the conventional spelling of `meterdesk version`
		return cli.Run(rest, os.Stdin, os.Stdout, os.Stderr)
	}
	if g.Help || (len(rest) > 0 && !strings.HasPrefix(rest[0], "-")) {
		return cli.Run(args, os.Stdin, os.Stdout, os.Stderr)
	}
	// No subcommand: the window. A production build takes no other flags
	// (a mistyped global flag must not open the window on the default data
	// folder); Wails' dev build parses its own (-assetdir, -devserver, ...).
	if len(rest) > 0 && !windowTakesFlags {
		fmt.Fprintf(os.Stderr, "meterdesk: unknown flag %s (run `meterdesk help`)\n", rest[0])
		return 2
	}
	if windowNeedsDisplay {
		if msg := noDisplay(); msg != "" {
			fmt.Fprintln(os.Stderr, "meterdesk:", msg)
			return 1
		}
	}
	return runWindow(g.DataDir)
}

// noDisplay explains why the window cannot open, or is "": on Linux and
// the BSDs a window needs an X11 or Wayland display (GTK would panic).
func noDisplay() string {
	switch goruntime.GOOS {
	case "windows", "darwin":
		return ""
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); " +
			"to use Meterdesk without a window, run a command: `meterdesk help`"
	}
	return ""
}

func runWindow(dataDir string) int {
	em := &app.Emitter{}
	// A restart to finish a staged restore waits here for the window it
	// replaces to let go of the data folder.
	b, err := core.Open(context.Background(), core.Options{DataDir: dataDir, Emitter: em, Version: version, RestoreWait: 15 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "meterdesk:", err)
		showStartupError(err, dataDir)
		return 1
	}
	defer b.Close()
	a := app.New(b, em)
	// The window opens as it was last closed (a damaged value: the default).
	win, err := b.Prefs.Window(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "meterdesk:", err)
	}
	start := options.Normal
	if win.Maximised {
		start = options.Maximised
	}
	err = wails.Run(&options.App{
		Title:            "Meterdesk",
		Width:            win.Width,
		Height:           win.Height,
		MinWidth:         prefs.MinWindowWidth,
		MinHeight:        prefs.MinWindowHeight,
		WindowStartState: start,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		Menu:             appMenu(a),
		StartHidden:      true, // shown by OnDomReady at its remembered place (or after app.ShowFallback)
		OnStartup:        a.Startup,
		OnDomReady:       a.DomReady,
		OnBeforeClose:    a.BeforeClose,
		OnShutdown:       a.Shutdown,
		Bind:             a.Bindings(),
		ErrorFormatter:   app.FormatError, // a refusal in plain words carries them (app.RefusalError)
		Linux:            &linux.Options{ProgramName: "meterdesk", WindowIsTranslucent: false},
		Mac:              &mac.Options{About: &mac.AboutInfo{Title: "Meterdesk", Message: "Metered AI chat and team credits, offline-first."}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "meterdesk:", err)
		return 1
	}
	return 0
}

// appMenu is the native menu: the standard app and edit menus (copy/paste on
// macOS), File and View.
func appMenu(a *app.App) *menu.Menu {
	m := menu.NewMenu()
	mac := goruntime.GOOS == "darwin"
	if mac { // role menus exist only on macOS (Wails' Linux menu has none)
		m.Append(menu.AppMenu())
	}
	file := m.AddSubmenu("File")
	file.AddText("New Chat", keys.CmdOrCtrl("n"), func(*menu.CallbackData) { a.Emitter.Emit(events.MenuNewChat, nil) })
	file.AddText("Back Up Database…", keys.CmdOrCtrl("b"), func(*menu.CallbackData) { a.Emitter.Emit(events.MenuBackup, nil) })
	file.AddText("Restore Database…", nil, func(*menu.CallbackData) { a.Emitter.Emit(events.MenuRestore, nil) })
	file.AddSeparator()
	file.AddText("Quit", keys.CmdOrCtrl("q"), func(*menu.CallbackData) { a.Quit() })
	if mac {
		m.Append(menu.EditMenu())
	}
	view := m.AddSubmenu("View")
	for i, page := range []string{"Chat", "Usage", "Statements", "Settings"} {
		p := strings.ToLower(page)
		view.AddText(page, keys.CmdOrCtrl(fmt.Sprint(i+1)), func(*menu.CallbackData) { a.Emitter.Emit(events.MenuNavigate, p) })
	}
	view.AddSeparator()
	view.AddText("Reload", keys.CmdOrCtrl("r"), func(*menu.CallbackData) { a.Reload() })
	return m
}
