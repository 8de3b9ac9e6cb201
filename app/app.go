// Package app is Meterdesk's thin Wails binding layer: one bound struct per
// area (System, Credits, Rates, ...), each holding no SQL and no business
// logic. A bound method puts the session's actor into the context and calls
// the backend service that does the work; it returns (T, error).
//
// Adding an area: create app/<area>.go with `type Area struct{ app *App }`
// and register its constructor from an init function:
//
//	func init() { register(func(a *App) any { return &Area{app: a} }) }
package app

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"meterdesk/backend/access"
	"meterdesk/backend/core"
	"meterdesk/backend/events"
)

// App is the window's session: the backend, the Wails context and who is
// signed in.
type App struct {
	Backend *core.Backend
	Emitter *Emitter

	mu       sync.RWMutex
	wctx     context.Context // made by Wails in Startup; nil before
	stopJobs context.CancelFunc
	actor    access.Actor
	signed   bool
	shown    sync.Once // the window starts hidden; see DomReady
	saves    savePaths // files chosen in the save dialog (see Statements.Export)
}

var (
	regMu        sync.Mutex
	constructors []func(*App) any
)

// register adds a bound struct constructor (called from init functions).
func register(fn func(*App) any) {
	regMu.Lock()
	defer regMu.Unlock()
	constructors = append(constructors, fn)
}

// SessionPolicy decides who is signed in when the window opens. The team
// area (team.go) sets it to its sign-in rules; this default signs nobody in,
// so that no window ever acts as the system by default.
var SessionPolicy = func(ctx context.Context, b *core.Backend) (access.Actor, bool) {
	return access.Actor{}, false
}

// SessionCheck re-reads a signed-in actor before each call (the team area
// replaces it with team.Service.Recheck): it returns the actor as they are
// now, and ok false when the session must end.
var SessionCheck = func(ctx context.Context, b *core.Backend, a access.Actor) (access.Actor, bool, error) {
	return a, true, nil
}

// SessionRefusal says why nobody is signed in, for the checks of whatever
// the window then asks (access.WithRefusal): the team area replaces it with
// one that returns access.ErrNoWorkspace while the workspace is not set up.
// nil means simply not signed in (access.ErrUnauthenticated).
var SessionRefusal = func(ctx context.Context, b *core.Backend) error { return nil }

// MayReceive decides whether the signed-in actor a may see an event meant
// for some people only (the team area replaces it with team.Service.MaySee);
// by default admins only.
var MayReceive = func(ctx context.Context, b *core.Backend, a access.Actor, p events.Audience) (bool, error) {
	return a.IsAdmin(), nil
}

// New builds the session for an open backend. em must be the Emitter passed
// to core.Open so that events reach this window.
func New(b *core.Backend, em *Emitter) *App {
	a := &App{Backend: b, Emitter: em}
	if actor, ok := SessionPolicy(context.Background(), b); ok {
		a.actor, a.signed = actor, true
	}
	em.SetAudience(a.receives)
	em.SetOwner(a.isSignedIn)
	em.SetReader(a.reader)
	return a
}

// reader is who is signed in to the window, for events worded for their
// reader (events.Addressed); the system actor reads as an admin.
func (a *App) reader() (int64, bool, bool) {
	actor, ok := a.Actor()
	return actor.UserID, actor.System || actor.IsAdmin(), ok
}

// isSignedIn reports whether the member userID is signed in to the window
// (userID 0, the system actor's sends before setup: whoever is signed in).
func (a *App) isSignedIn(userID int64) bool {
	actor, ok := a.Actor()
	return ok && (userID == 0 || actor.UserID == userID)
}

// receives reports whether whoever is signed in may see p; with nobody
// signed in (the lock screen, the profile picker) nobody does.
func (a *App) receives(p events.Audience) bool {
	actor, ok := a.Actor()
	if !ok {
		return false
	}
	if _, _, adminsOnly := p.Audience(); adminsOnly {
		return actor.IsAdmin()
	}
	may, err := MayReceive(context.Background(), a.Backend, actor, p)
	if err != nil {
		log.Printf("event audience: %v", err)
	}
	return err == nil && may
}

// Bindings returns one instance of every registered bound struct, for
// options.App.Bind.
func (a *App) Bindings() []any {
	regMu.Lock()
	defer regMu.Unlock()
	out := make([]any, 0, len(constructors))
	for _, fn := range constructors {
		out = append(out, fn(a))
	}
	return out
}

// Startup is Wails' OnStartup: it keeps the Wails context, attaches the
// event emitter to it, and starts the housekeeping jobs and the watch for
// other processes' changes (events.DataChanged).
func (a *App) Startup(ctx context.Context) {
	jobs, stop := context.WithCancel(ctx)
	a.mu.Lock()
	a.wctx = ctx
	a.stopJobs = stop
	a.mu.Unlock()
	a.Emitter.Attach(ctx)
	go a.Backend.RunJobs(access.WithActor(jobs, access.System), core.JobInterval, log.Printf)
	go a.Backend.WatchOthers(jobs, core.WatchInterval, log.Printf)
	time.AfterFunc(ShowFallback, func() { a.show(ctx) })
}

// Shutdown is Wails' OnShutdown.
func (a *App) Shutdown(ctx context.Context) {
	a.mu.Lock()
	if a.stopJobs != nil {
		a.stopJobs()
	}
	a.mu.Unlock()
	a.Emitter.Detach()
}

// SetActor signs actor in for this window.
func (a *App) SetActor(actor access.Actor) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.actor, a.signed = actor, true
}

// SignOut forgets the signed-in actor.
func (a *App) SignOut() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.actor, a.signed = access.Actor{}, false
}

// Actor returns who is signed in, as the members table has them now (see
// SessionCheck): a member disabled or removed since signing in is signed out,
// and one whose role changed has the new role.
func (a *App) Actor() (access.Actor, bool) {
	a.mu.RLock()
	actor, signed := a.actor, a.signed
	a.mu.RUnlock()
	if !signed {
		return actor, false
	}
	now, ok, err := SessionCheck(context.Background(), a.Backend, actor)
	if err != nil {
		// The members table could not be read: act for nobody this time
		// (the call fails as not signed in) and keep the session.
		log.Printf("session: %v", err)
		return access.Actor{}, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.signed || a.actor != actor {
		return a.actor, a.signed // signed in or out meanwhile: that wins
	}
	if !ok {
		a.actor, a.signed = access.Actor{}, false
		return a.actor, false
	}
	a.actor = now
	return now, true
}

// Ctx returns a context for a backend call: the Wails context (or
// Background) carrying the signed-in actor (re-read, see Actor), if any.
func (a *App) Ctx() context.Context {
	ctx, _, _ := a.CtxActor()
	return ctx
}

// CtxActor is Ctx and Actor from one re-read of the session, for a binding
// that needs the signed-in actor's id as well as the context to act with.
//
// With nobody signed in the context carries no actor, and why
// (SessionRefusal): before the workspace is set up every access check made
// with it fails with access.ErrNoWorkspace. This is the one place the
// window's calls get their actor, so a bound method is refused before
// setup by default; only what needs no actor answers then (the first-run
// wizard's Team.CurrentUser and Team.Setup, System.Info, ...).
func (a *App) CtxActor() (context.Context, access.Actor, bool) {
	actor, signed := a.Actor()
	a.mu.RLock()
	ctx := a.wctx
	a.mu.RUnlock()
	if ctx == nil {
		ctx = context.Background()
	}
	if signed {
		ctx = access.WithActor(ctx, actor)
	} else if reason := SessionRefusal(ctx, a.Backend); reason != nil {
		ctx = access.WithRefusal(ctx, reason)
	}
	return ctx, actor, signed
}

// ErrNoWindow is returned by dialogs when no window exists (tests, CLI).
var ErrNoWindow = errors.New("no window to show a dialog in")

// signedIn fails as the access checks do when nobody is signed in (before
// setup with access.ErrNoWorkspace): a dialog is for a signed-in member.
func (a *App) signedIn() error {
	_, err := access.Current(a.Ctx())
	return err
}

// SaveFileDialog asks the signed-in member where to save a file. It returns
// "" when the user cancels.
func (a *App) SaveFileDialog(title, defaultName, pattern string) (string, error) {
	return a.SaveFileDialogIn(title, "", defaultName, pattern)
}

// SaveFileDialogIn is SaveFileDialog opening in the folder dir ("" = where
// the system's dialog opens).
func (a *App) SaveFileDialogIn(title, dir, defaultName, pattern string) (string, error) {
	if err := a.signedIn(); err != nil {
		return "", err
	}
	a.mu.RLock()
	ctx := a.wctx
	a.mu.RUnlock()
	if ctx == nil {
		return "", ErrNoWindow
	}
	opts := runtime.SaveDialogOptions{Title: title, DefaultDirectory: dir, DefaultFilename: defaultName, CanCreateDirectories: true}
	if pattern != "" {
		opts.Filters = []runtime.FileFilter{{DisplayName: pattern, Pattern: pattern}}
	}
	path, err := runtime.SaveFileDialog(ctx, opts)
	if err == nil && path != "" {
		a.saves.grant(path)
	}
	return path, err
}

// OpenFileDialog asks the signed-in member for a file to open. It returns
// "" when the user cancels.
func (a *App) OpenFileDialog(title, pattern string) (string, error) {
	if err := a.signedIn(); err != nil {
		return "", err
	}
	a.mu.RLock()
	ctx := a.wctx
	a.mu.RUnlock()
	if ctx == nil {
		return "", ErrNoWindow
	}
	opts := runtime.OpenDialogOptions{Title: title}
	if pattern != "" {
		opts.Filters = []runtime.FileFilter{{DisplayName: pattern, Pattern: pattern}}
	}
	return runtime.OpenFileDialog(ctx, opts)
}

// Quit closes the window and ends the app.
func (a *App) Quit() {
	a.mu.RLock()
	ctx := a.wctx
	a.mu.RUnlock()
	if ctx != nil {
		runtime.Quit(ctx)
	}
}

// Reload reloads the frontend.
func (a *App) Reload() {
	a.mu.RLock()
	ctx := a.wctx
	a.mu.RUnlock()
	if ctx != nil {
		runtime.WindowReload(ctx)
	}
}
