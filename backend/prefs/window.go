package prefs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Window is the main window as it was last closed on this data folder: its
// size in its normal (not maximised) state, and whether it was maximised.
// The next start opens it the same way.
type Window struct {
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	Maximised bool `json:"maximised"`
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
		return fmt.Errorf("%w: %d × %d (from %d × %d to %d × %d)", ErrBadWindow, w.Width, w.Height,
			MinWindowWidth, MinWindowHeight, MaxWindowSide, MaxWindowSide)
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

// RememberWindow stores the window's size as it closes. A maximised window
// reports the screen's size, so then only the flag is stored and the size
// it had before (its normal size) is kept. A size out of bounds is refused
// and nothing is stored.
func (s *Service) RememberWindow(ctx context.Context, width, height int, maximised bool) (Window, error) {
	w := Window{Width: width, Height: height, Maximised: maximised}
	if maximised {
		prev, _ := s.Window(ctx)
		w.Width, w.Height = prev.Width, prev.Height
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
