package app

import (
	"context"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"meterdesk/backend/events"
)

// DesktopNotify shows an OS desktop notification (osNotify: beeep, or
// Windows' toast COM API only); tests replace it. The emitter hands it text
// already made safe by DesktopText.
var DesktopNotify = osNotify

// Emitter implements events.Emitter on top of Wails' runtime.EventsEmit. It
// drops events until Wails hands it a context in Startup: calling
// EventsEmit on a context Wails did not make would call log.Fatalf.
type Emitter struct {
	mu       sync.RWMutex
	ctx      context.Context
	receives func(events.Audience) bool            // nil: nobody receives scoped events
	owner    func(userID int64) bool               // whether a member's private payload may reach the window; nil: none
	reader   func() (userID int64, admin, ok bool) // who is signed in, for events.Addressed; nil: nobody
}

// SetReader sets who reads the window's events (events.Addressed words a
// payload for them); App.New sets it to the signed-in actor.
func (e *Emitter) SetReader(reader func() (userID int64, admin, ok bool)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reader = reader
}

// SetOwner sets who receives a member's private payloads (events.Private);
// App.New sets it to "that member is signed in".
func (e *Emitter) SetOwner(signedIn func(userID int64) bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.owner = signedIn
}

// SetAudience sets who receives payloads meant for some people only
// (events.Audience); App.New sets it to the signed-in actor's rights.
func (e *Emitter) SetAudience(receives func(events.Audience) bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.receives = receives
}

// Attach starts delivering events to the window behind ctx.
func (e *Emitter) Attach(ctx context.Context) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ctx = ctx
}

// Detach stops delivering events.
func (e *Emitter) Detach() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.ctx = nil
}

// Emit sends the event to the frontend, or drops it when no window is attached.
func (e *Emitter) Emit(name string, payload any) {
	e.mu.RLock()
	ctx := e.ctx
	e.mu.RUnlock()
	if ctx == nil || !e.forWindow(payload) {
		return
	}
	payload = e.worded(payload)
	e.desktop(name, payload)
	if payload == nil {
		runtime.EventsEmit(ctx, name)
		return
	}
	runtime.EventsEmit(ctx, name, payload)
}

// worded is payload in the words of whoever is signed in: a payload
// whose words depend on its reader (events.Addressed, a notification)
// says "Your wallet" to the wallet's owner and "Ask an admin for credits."
// to a member, in the toast and the desktop notification alike; with
// nobody signed in it goes as written.
func (e *Emitter) worded(payload any) any {
	a, ok := payload.(events.Addressed)
	if !ok {
		return payload
	}
	e.mu.RLock()
	reader := e.reader
	e.mu.RUnlock()
	if reader == nil {
		return payload
	}
	id, admin, signed := reader()
	if !signed {
		return payload
	}
	return a.WordedFor(id, admin)
}

// desktop shows payload as an OS desktop notification too, when it asks
// for one, its title and body made safe first (DesktopText): they hold
// names members typed. Best effort: a desktop without a notification
// daemon still has the in-app notification centre.
func (e *Emitter) desktop(name string, payload any) {
	d, ok := payload.(events.Desktop)
	if !ok || name != events.Notification {
		return
	}
	if title, body, show := d.DesktopNotification(); show {
		title, body = DesktopText(title), DesktopText(body)
		go func() { _ = DesktopNotify(title, body) }()
	}
}

// forWindow reports whether payload may reach the window: a payload meant
// for some people only (events.Audience) only while one of them is signed in.
func (e *Emitter) forWindow(payload any) bool {
	if o, ok := payload.(events.Private); ok {
		e.mu.RLock()
		owner := e.owner
		e.mu.RUnlock()
		return owner != nil && owner(o.Owner())
	}
	p, ok := payload.(events.Audience)
	if !ok {
		return true
	}
	e.mu.RLock()
	receives := e.receives
	e.mu.RUnlock()
	return receives != nil && receives(p)
}
