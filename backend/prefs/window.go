package prefs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"meterdesk/backend/inputerr"
)

// Window is the main window as it was last closed on this data folder: its
// size in its normal (not maximised) state, whether it was maximised, and,
// when it was closed on a computer with one screen, where it was on that
// screen. The next start opens it the same way (see Window.PlaceOn).
type Window struct {
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	Maximised bool `json:"maximised"`
	// Placed says X, Y (the window's top-left corner) and Screen are known.
	Placed bool   `json:"placed,omitempty"`
	X      int    `json:"x,omitempty"`
	Y      int    `json:"y,omitempty"`
	Screen Screen `json:"screen,omitzero"`
}

// Screen is the size of a display, as the window toolkit reports it.
type Screen struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Closed is the window as it closes: what RememberWindow is given.
type Closed struct {
	Width, Height int
	Maximised     bool
	X, Y          int      // top-left corner, in the desktop's coordinates
	Screens       []Screen // every display connected now
}

// PlaceOn returns where to open the window among screens, or ok false to
// let it open centred. A position is used only on the very screen setup it
// was remembered on, a single screen of the same size (where the desktop's
// coordinates are that screen's; with several screens a position could lie
// on one that is gone), and it is moved in so that the whole window, at
// its remembered size, is on the screen.
func (w Window) PlaceOn(screens []Screen) (x, y int, ok bool) {
	if !w.Placed || len(screens) != 1 || screens[0] != w.Screen {
		return 0, 0, false
	}
	return clamp(w.X, 0, w.Screen.Width-w.Width), clamp(w.Y, 0, w.Screen.Height-w.Height), true
}

// clamp keeps v within [lo, hi], preferring lo when the range is empty.
func clamp(v, lo, hi int) int {
	if v > hi {
		v = hi
	}
	if v < lo {
		v = lo
	}
	return v
}

// The window's first size, the smallest it may be made, and the largest
// size remembered (larger ones are not a real screen's).
const (
	DefaultWindowWidth  = 1240
	DefaultWindowHeight = 800
	MinWindowWidth      = 900
	MinWindowHeight     = 600
	MaxWindowSide       = 16384
)

// keyWindow holds the remembered Window as JSON. It is not one of Keys: it
// is the window's own state, written when it closes, not a setting.
const keyWindow = "window.geometry"

// ErrBadWindow is returned for a window size outside the bounds above.
var ErrBadWindow = errors.New("invalid window size")

// DefaultWindow is how the window opens the first time.
func DefaultWindow() Window {
	return Window{Width: DefaultWindowWidth, Height: DefaultWindowHeight}
}

func (w Window) check() error {
	if w.Width < MinWindowWidth || w.Height < MinWindowHeight || w.Width > MaxWindowSide || w.Height > MaxWindowSide {
		return inputerr.New(ErrBadWindow, "%d × %d (from %d × %d to %d × %d)", w.Width, w.Height, MinWindowWidth, MinWindowHeight, MaxWindowSide, MaxWindowSide)
	}
	if w.Placed && (abs(w.X) > MaxWindowSide || abs(w.Y) > MaxWindowSide || w.Screen.Width <= 0 || w.Screen.Height <= 0 ||
		w.Screen.Width > MaxWindowSide || w.Screen.Height > MaxWindowSide) {
		return inputerr.New(ErrBadWindow, "at %d, %d on a %d × %d screen", w.X, w.Y, w.Screen.Width, w.Screen.Height)
	}
	return nil
}

// Window returns the remembered window, or DefaultWindow when none was saved.
// A stored value that cannot be read or is out of bounds also gives the
// default (with the error saying why), so the window always opens.
func (s *Service) Window(ctx context.Context) (Window, error) {
	raw, err := s.db.GetSetting(ctx, keyWindow, "")
	if err != nil || raw == "" {
		return DefaultWindow(), err
	}
	var w Window
	if err := json.Unmarshal([]byte(raw), &w); err != nil {
		return DefaultWindow(), fmt.Errorf("read the remembered window: %w", err)
	}
	if err := w.check(); err != nil {
		return DefaultWindow(), fmt.Errorf("read the remembered window: %w", err)
	}
	return w, nil
}

// RememberWindow stores the window as it closes. A maximised window
// reports the screen's size and origin, so then only the flag is stored and
// the size and place it had before (its normal ones) are kept. The place is
// stored only when one screen is connected (see PlaceOn). A size out of
// bounds is refused and nothing is stored.
func (s *Service) RememberWindow(ctx context.Context, c Closed) (Window, error) {
	w := Window{Width: c.Width, Height: c.Height, Maximised: c.Maximised}
	switch {
	case c.Maximised:
		prev, _ := s.Window(ctx)
		w.Width, w.Height, w.Placed, w.X, w.Y, w.Screen = prev.Width, prev.Height, prev.Placed, prev.X, prev.Y, prev.Screen
	case len(c.Screens) == 1 && c.Screens[0].Width > 0 && c.Screens[0].Height > 0 &&
		abs(c.X) <= MaxWindowSide && abs(c.Y) <= MaxWindowSide:
		w.Placed, w.X, w.Y, w.Screen = true, c.X, c.Y, c.Screens[0]
	}
	if err := w.check(); err != nil {
		return Window{}, fmt.Errorf("remember the window: %w", err)
	}
	raw, err := json.Marshal(w)
	if err != nil {
		return Window{}, fmt.Errorf("remember the window: %w", err)
	}
	if err := s.db.SetSetting(ctx, keyWindow, string(raw)); err != nil {
		return Window{}, fmt.Errorf("remember the window: %w", err)
	}
	return w, nil
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
