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
	steps := []struct {
		name          string
		width, height int
		maximised     bool
		want          Window // what is remembered after the step
		wantErr       bool
	}{
		{"resized", 1000, 700, false, Window{1000, 700, false}, false},
		{"maximised: the normal size is kept", 2560, 1440, true, Window{1000, 700, true}, false},
		{"restored and made larger", 1400, 900, false, Window{1400, 900, false}, false},
		{"the smallest allowed", MinWindowWidth, MinWindowHeight, false, Window{MinWindowWidth, MinWindowHeight, false}, false},
		{"too narrow", MinWindowWidth - 1, 700, false, Window{MinWindowWidth, MinWindowHeight, false}, true},
		{"too low", 1000, MinWindowHeight - 1, false, Window{MinWindowWidth, MinWindowHeight, false}, true},
		{"zero (a window already gone)", 0, 0, false, Window{MinWindowWidth, MinWindowHeight, false}, true},
		{"larger than any screen", MaxWindowSide + 1, 900, false, Window{MinWindowWidth, MinWindowHeight, false}, true},
	}
	for _, st := range steps {
		_, err := s.RememberWindow(ctx, st.width, st.height, st.maximised)
		if (err != nil) != st.wantErr || (err != nil && !errors.Is(err, ErrBadWindow)) {
			t.Fatalf("%s: err = %v, want error %v", st.name, err, st.wantErr)
		}
		if got, err := s.Window(ctx); err != nil || got != st.want {
			t.Fatalf("%s: remembered %+v (%v), want %+v", st.name, got, err, st.want)
		}
	}
}

// A damaged or foreign stored value never stops the window from opening: it
// opens at the default size and the error says why.
func TestWindowFromDamagedValue(t *testing.T) {
	ctx := context.Background()
	s, db := newWindowService(t)
	for _, raw := range []string{`{"width":`, `"1000x700"`, `{"width":100,"height":100}`, `{"width":1e9,"height":800}`} {
		if err := db.SetSetting(ctx, keyWindow, raw); err != nil {
			t.Fatal(err)
		}
		w, err := s.Window(ctx)
		if err == nil || w != DefaultWindow() {
			t.Fatalf("%s: %+v, %v; want the default window and an error", raw, w, err)
		}
	}
	// Remembering over it works (maximised: the default size is kept).
	if w, err := s.RememberWindow(ctx, 3000, 2000, true); err != nil || w != (Window{DefaultWindowWidth, DefaultWindowHeight, true}) {
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
