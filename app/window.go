package app

import (
	"context"
	"log"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"meterdesk/backend/prefs"
)

// ShowFallback is how long after start-up the window is shown even if its
// page never reported itself loaded (DomReady), so that it always appears.
const ShowFallback = 5 * time.Second

// DomReady is Wails' OnDomReady. The window starts hidden (options.App
// StartHidden) and is shown here, once its page has loaded, at the place
// it was closed at when that is safe (prefs.Window.PlaceOn: the same single
// screen), so it never appears centred and then jumps.
//
// The place is set again once the window is shown: GTK may apply Wails'
// centring when a hidden window is first mapped, after the move (the e2e
// window test saw it reopen centred, now and then, with nothing logged).
// When the first move held, the second changes nothing.
func (a *App) DomReady(ctx context.Context) {
	w, err := a.Backend.Prefs.Window(context.Background())
	if err != nil {
		log.Printf("meterdesk: %v", err) // w is the default window
	}
	x, y, ok := place(ctx, w, err == nil)
	if ok {
		runtime.WindowSetPosition(ctx, x, y)
	}
	a.show(ctx)
	if ok {
		runtime.WindowSetPosition(ctx, x, y)
	}
	// The size too, if GTK reports another than the one it opened with (an
	// e2e run saw the default once, with the remembered size saved).
	if !w.Maximised {
		if gw, gh := runtime.WindowGetSize(ctx); gw != w.Width || gh != w.Height {
			log.Printf("meterdesk: the window opened at %dx%d, not the remembered %dx%d: resized", gw, gh, w.Width, w.Height)
			runtime.WindowSetSize(ctx, w.Width, w.Height)
		}
	}
}

// place says where window w opens: where it was last closed, if it was
// read (remembered) and PlaceOn allows it; otherwise (ok false) Wails'
// centring stands.
func place(ctx context.Context, w prefs.Window, remembered bool) (x, y int, ok bool) {
	if !remembered {
		return 0, 0, false
	}
	screens, err := runtime.ScreenGetAll(ctx)
	if err != nil {
		log.Printf("meterdesk: list the screens: %v", err)
		return 0, 0, false
	}
	cur := toScreens(screens)
	if x, y, ok = w.PlaceOn(cur); !ok {
		log.Printf("meterdesk: the window opens centred: its last place %+v does not suit the screens %+v", w, cur)
	}
	return x, y, ok
}

// show shows the window the first time it is called (DomReady or the
// start-up fallback).
func (a *App) show(ctx context.Context) {
	a.shown.Do(func() { runtime.WindowShow(ctx) })
}

// BeforeClose is Wails' OnBeforeClose (the close button, File → Quit): it
// remembers the window's size, whether it is maximised and where it is
// (prefs.RememberWindow), for the next start, and lets the window close.
func (a *App) BeforeClose(ctx context.Context) (prevent bool) {
	c := prefs.Closed{Maximised: runtime.WindowIsMaximised(ctx)}
	c.Width, c.Height = runtime.WindowGetSize(ctx)
	c.X, c.Y = runtime.WindowGetPosition(ctx)
	if screens, err := runtime.ScreenGetAll(ctx); err == nil {
		c.Screens = toScreens(screens)
	}
	w, err := a.Backend.Prefs.RememberWindow(context.Background(), c)
	if err != nil {
		log.Printf("meterdesk: %v", err)
	} else {
		log.Printf("meterdesk: the window closes at %dx%d%s; it opens so next time (%+v)", c.Width, c.Height, maxNote(c.Maximised), w)
	}
	return false
}

func maxNote(maximised bool) string {
	if maximised {
		return ", maximised"
	}
	return ""
}

func toScreens(in []runtime.Screen) []prefs.Screen {
	out := make([]prefs.Screen, 0, len(in))
	for _, s := range in {
		out = append(out, prefs.Screen{Width: s.Width, Height: s.Height})
	}
	return out
}
