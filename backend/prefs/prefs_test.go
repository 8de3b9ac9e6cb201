package prefs

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/store"
)

// newPrefs opens a fresh database and returns the service with an admin's
// (Ada, id 1) and a member's (Bo, id 2) context.
func newPrefs(t *testing.T) (s *Service, db *store.DB, admin, member context.Context) {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	admin = access.WithActor(context.Background(), access.Actor{UserID: 1, Name: "Ada", Role: access.RoleAdmin})
	member = access.WithActor(context.Background(), access.Actor{UserID: 2, Name: "Bo", Role: access.RoleMember})
	return New(db), db, admin, member
}

func TestPreferences(t *testing.T) {
	s, _, admin, member := newPrefs(t)
	cases := []struct {
		name       string
		ctx        context.Context
		key, value string
		wantErr    error  // sentinel, when one applies
		wantMsg    string // part of the message otherwise
	}{
		{"admin names the workspace", admin, "workspace.name", "  Acme GmbH ", nil, ""},
		{"member may not", member, "workspace.name", "Hijack", access.ErrForbidden, ""},
		{"nobody signed in", context.Background(), "ui.theme", "dark", access.ErrUnauthenticated, ""},
		{"member sets own theme", member, "ui.theme", "dark", nil, ""},
		{"bad choice", member, "ui.theme", "purple", nil, "must be one of"},
		{"unknown key", admin, "ledger.balance", "1", ErrUnknownKey, ""},
		{"too long", admin, "workspace.name", strings.Repeat("x", 201), nil, "at most 200"},
		{"empty workspace name", admin, "workspace.name", "   ", nil, "cannot be empty"},
		{"newline", admin, "workspace.name", "a\nb", nil, "one line"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, err := s.Get(context.Background(), "workspace.name")
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Set(c.ctx, c.key, c.value)
			switch {
			case c.wantErr != nil:
				if !errors.Is(err, c.wantErr) {
					t.Fatalf("got %v, want %v", err, c.wantErr)
				}
			case c.wantMsg != "":
				if err == nil || !strings.Contains(err.Error(), c.wantMsg) {
					t.Fatalf("got %v, want message with %q", err, c.wantMsg)
				}
				if !errors.Is(err, ErrInvalidValue) { // the CLI's exit code 2
					t.Fatalf("%v is not ErrInvalidValue", err)
				}
			default:
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.Get(context.Background(), c.key)
				if err != nil || got != strings.TrimSpace(c.value) {
					t.Fatalf("stored %q, %v", got, err)
				}
				return
			}
			if after, err := s.Get(context.Background(), "workspace.name"); err != nil || after != before {
				t.Fatalf("a refused change was written: %q -> %q (%v)", before, after, err)
			}
		})
	}
}

// Renaming the workspace (an admin's, workspace-wide change) is audited in
// its own transaction; saving the same name again, a refused change and a
// member's own theme are not.
func TestWorkspaceWidePreferencesAreAudited(t *testing.T) {
	s, db, admin, member := newPrefs(t)
	for _, step := range []struct {
		ctx        context.Context
		key, value string
		ok         bool
	}{
		{admin, "workspace.name", "Acme", true},
		{admin, "workspace.name", " Acme ", true}, // the same name: no entry
		{member, "workspace.name", "Mine", false},
		{member, "ui.theme", "dark", true},
		{admin, "workspace.name", "Acme Labs", true},
	} {
		if _, err := s.Set(step.ctx, step.key, step.value); (err == nil) != step.ok {
			t.Fatalf("set %s=%q: %v", step.key, step.value, err)
		}
	}
	want := []audittest.Entry{
		{ActorID: 1, ActorName: "Ada", Action: "settings.set", Target: "workspace.name", Before: `{"value":""}`, After: `{"value":"Acme"}`},
		{ActorID: 1, ActorName: "Ada", Action: "settings.set", Target: "workspace.name", Before: `{"value":"Acme"}`, After: `{"value":"Acme Labs"}`},
	}
	if got := audittest.Entries(t, db); !reflect.DeepEqual(got, want) {
		t.Fatalf("audit log\n got %+v\nwant %+v", got, want)
	}
}

// TestChangeSaysUnchanged: a value a key has already (once trimmed) is
// reported unchanged and written not at all, for a workspace-wide key and a
// personal one alike; before, Set answered only the value, so the window
// said "Workspace name saved." for a name it had already (one another
// process had saved meanwhile, say) and `settings set` printed it as set.
func TestChangeSaysUnchanged(t *testing.T) {
	s, db, admin, member := newPrefs(t)
	stamp := func(key string) string {
		t.Helper()
		var at string
		_ = db.Read().QueryRow(`SELECT updated_at FROM settings WHERE key = ?`, key).Scan(&at)
		return at
	}
	for _, step := range []struct {
		ctx        context.Context
		key, value string
		want       Change
	}{
		{admin, "workspace.name", "Acme", Change{Key: "workspace.name", Value: "Acme"}},
		{admin, "workspace.name", "Acme", Change{Key: "workspace.name", Value: "Acme", Unchanged: true}},
		{admin, "workspace.name", "  Acme ", Change{Key: "workspace.name", Value: "Acme", Unchanged: true}},
		{admin, "workspace.name", "Acme Labs", Change{Key: "workspace.name", Value: "Acme Labs"}},
		{member, "ui.theme", "dark", Change{Key: "ui.theme", Value: "dark"}},
		{member, "ui.theme", " dark", Change{Key: "ui.theme", Value: "dark", Unchanged: true}},
		{member, "ui.theme", "light", Change{Key: "ui.theme", Value: "light"}},
	} {
		was := stamp(step.key)
		n := len(audittest.Entries(t, db))
		got, err := s.Change(step.ctx, step.key, step.value)
		if err != nil || got != step.want {
			t.Fatalf("change %s=%q: %+v, %v; want %+v", step.key, step.value, got, err, step.want)
		}
		if step.want.Unchanged && (stamp(step.key) != was || len(audittest.Entries(t, db)) != n) {
			t.Fatalf("change %s=%q (unchanged) wrote something", step.key, step.value)
		}
	}
}
