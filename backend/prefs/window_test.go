package prefs

import (
	"context"
	"errors"
	"testing"

	"meterdesk/backend/store"
)

// newWindowService opens a fresh database for a window test.
func newWindowService(t *testing.T) (*Service, *store.DB) {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return New(db), db
}

func TestRememberWindow(t *testing.T) {
	ctx := context.Background()
	s, _ := newWindowService(t)
	if w, err := s.Window(ctx); err != nil || w != DefaultWindow() {
		t.Fatalf("first start: %+v, %v; want the default window", w, err)
	}
	one := []Screen{{1920, 1080}}
	two := []Screen{{1920, 1080}, {1280, 1024}}
	steps := []struct {
		name    string
		closed  Closed
		want    Window // what is remembered after the step
		wantErr bool
	}{
		{"resized, one screen: placed", Closed{Width: 1000, Height: 700, X: 50, Y: 40, Screens: one},
			Window{Width: 1000, Height: 700, Placed: true, X: 50, Y: 40, Screen: one[0]}, false},
		{"maximised: the normal size and place are kept", Closed{Width: 1920, Height: 1080, Maximised: true, Screens: one},
			Window{Width: 1000, Height: 700, Maximised: true, Placed: true, X: 50, Y: 40, Screen: one[0]}, false},
		{"two screens: the size only", Closed{Width: 1400, Height: 900, X: 2000, Y: 10, Screens: two},
			Window{Width: 1400, Height: 900}, false},
		{"no screen reported: the size only", Closed{Width: 1200, Height: 800, X: 10, Y: 10},
			Window{Width: 1200, Height: 800}, false},
		{"a position beyond any desktop: the size only", Closed{Width: 1200, Height: 800, X: MaxWindowSide + 1, Screens: one},
			Window{Width: 1200, Height: 800}, false},
		{"the smallest allowed", Closed{Width: MinWindowWidth, Height: MinWindowHeight, X: -5, Y: 0, Screens: one},
			Window{Width: MinWindowWidth, Height: MinWindowHeight, Placed: true, X: -5, Screen: one[0]}, false},
		{"too narrow", Closed{Width: MinWindowWidth - 1, Height: 700, Screens: one},
			Window{Width: MinWindowWidth, Height: MinWindowHeight, Placed: true, X: -5, Screen: one[0]}, true},
		{"too low", Closed{Width: 1000, Height: MinWindowHeight - 1}, Window{Width: MinWindowWidth, Height: MinWindowHeight, Placed: true, X: -5, Screen: one[0]}, true},
		{"zero (a window already gone)", Closed{}, Window{Width: MinWindowWidth, Height: MinWindowHeight, Placed: true, X: -5, Screen: one[0]}, true},
		{"larger than any screen", Closed{Width: MaxWindowSide + 1, Height: 900}, Window{Width: MinWindowWidth, Height: MinWindowHeight, Placed: true, X: -5, Screen: one[0]}, true},
	}
	for _, st := range steps {
		_, err := s.RememberWindow(ctx, st.closed)
		if (err != nil) != st.wantErr || (err != nil && !errors.Is(err, ErrBadWindow)) {
			t.Fatalf("%s: err = %v, want error %v", st.name, err, st.wantErr)
		}
		if got, err := s.Window(ctx); err != nil || got != st.want {
			t.Fatalf("%s: remembered %+v (%v), want %+v", st.name, got, err, st.want)
		}
	}
}

func TestPlaceOn(t *testing.T) {
	placed := Window{Width: 1000, Height: 700, Placed: true, X: 50, Y: 40, Screen: Screen{1920, 1080}}
	cases := []struct {
		name    string
		w       Window
		screens []Screen
		x, y    int
		ok      bool
	}{
		{"same single screen", placed, []Screen{{1920, 1080}}, 50, 40, true},
		{"never placed: centred", Window{Width: 1000, Height: 700}, []Screen{{1920, 1080}}, 0, 0, false},
		{"another screen size: centred", placed, []Screen{{1280, 800}}, 0, 0, false},
		{"a second screen now: centred", placed, []Screen{{1920, 1080}, {1920, 1080}}, 0, 0, false},
		{"no screen reported: centred", placed, nil, 0, 0, false},
		{"partly off the right and bottom edges: moved in", Window{Width: 1000, Height: 700, Placed: true, X: 1500, Y: 900,
			Screen: Screen{1920, 1080}}, []Screen{{1920, 1080}}, 920, 380, true},
		{"partly off the left and top edges: moved in", Window{Width: 1000, Height: 700, Placed: true, X: -300, Y: -20,
			Screen: Screen{1920, 1080}}, []Screen{{1920, 1080}}, 0, 0, true},
		{"larger than the screen: its top-left corner", Window{Width: 2000, Height: 1200, Placed: true, X: 100, Y: 100,
			Screen: Screen{1920, 1080}}, []Screen{{1920, 1080}}, 0, 0, true},
	}
	for _, c := range cases {
		x, y, ok := c.w.PlaceOn(c.screens)
		if x != c.x || y != c.y || ok != c.ok {
			t.Errorf("%s: %d, %d, %v; want %d, %d, %v", c.name, x, y, ok, c.x, c.y, c.ok)
		}
	}
}

// A damaged or foreign stored value never stops the window from opening: it
// opens at the default size and the error says why.
func TestWindowFromDamagedValue(t *testing.T) {
	ctx := context.Background()
	s, db := newWindowService(t)
	for _, raw := range []string{`{"width":`, `"1000x700"`, `{"width":100,"height":100}`, `{"width":1e9,"height":800}`,
		`{"width":1000,"height":700,"placed":true,"x":5,"y":5}`, // placed on no screen
		`{"width":1000,"height":700,"placed":true,"x":99999,"y":5,"screen":{"width":1920,"height":1080}}`} {
		if err := db.SetSetting(ctx, keyWindow, raw); err != nil {
			t.Fatal(err)
		}
		w, err := s.Window(ctx)
		if err == nil || w != DefaultWindow() {
			t.Fatalf("%s: %+v, %v; want the default window and an error", raw, w, err)
		}
	}
	// Remembering over it works (maximised: the default size is kept).
	if w, err := s.RememberWindow(ctx, Closed{Width: 3000, Height: 2000, Maximised: true}); err != nil ||
		w != (Window{Width: DefaultWindowWidth, Height: DefaultWindowHeight, Maximised: true}) {
		t.Fatalf("remember over a damaged value: %+v, %v", w, err)
	}
}

// The window's state is not a user setting: it is not listed or settable as one.
func TestWindowIsNotASetting(t *testing.T) {
	for _, k := range Keys() {
		if k.Name == keyWindow {
			t.Fatalf("%s is listed as a setting", keyWindow)
		}
	}
}
