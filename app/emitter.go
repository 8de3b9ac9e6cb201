package app

import (
	"context"
	"sync"

	"github.com/gen2brain/beeep"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"meterdesk/backend/events"
)

// DesktopNotify shows an OS desktop notification; tests replace it.
var DesktopNotify = func(title, body string) error {
	return beeep.Notify(title, body, "")
}

// Emitter implements events.Emitter on top of Wails' runtime.EventsEmit. It
// drops events until Wails hands it a context in Startup: calling
// EventsEmit on a context Wails did not make would call log.Fatalf.
type Emitter struct {
	mu  sync.RWMutex
	ctx context.Context
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
	if ctx == nil {
		return
	}
	if d, ok := payload.(events.Desktop); ok && name == events.Notification {
		if title, body, show := d.DesktopNotification(); show {
			// Best effort: a desktop without a notification daemon still
			// has the in-app notification centre.
			go func() { _ = DesktopNotify(title, body) }()
		}
	}
	if payload == nil {
		runtime.EventsEmit(ctx, name)
		return
	}
	runtime.EventsEmit(ctx, name, payload)
}
