package app

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/core"
	"meterdesk/backend/reports"
	"meterdesk/backend/statements"
	"meterdesk/backend/team"
)

// openApp opens a fresh backend in a temporary folder and the window's
// session on it (no window: Ctx falls back to Background).
func openApp(t *testing.T) (*App, *core.Backend) {
	t.Helper()
	b, err := core.Open(context.Background(), core.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	b.Team.SetHashParams(team.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
	return New(b, &Emitter{}), b
}

func setUp(t *testing.T, b *core.Backend) context.Context {
	t.Helper()
	admin, err := b.Team.Setup(context.Background(), team.WorkspaceSetup{
		Workspace: team.Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "UTC"},
		AdminName: "alice", SecretKind: team.SecretPassword, Secret: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return access.WithActor(context.Background(), admin)
}

// TestSessionFollowsTheMembersTable: a window signed in for hours acts with
// the member's role as it is now, and is signed out when the member is
// disabled or removed elsewhere (another admin, the CLI).
func TestSessionFollowsTheMembersTable(t *testing.T) {
	a, b := openApp(t)
	alice := setUp(t, b)
	dave, err := b.Team.AddMember(alice, team.NewMember{Name: "dave", Role: access.RoleAdmin, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := b.Team.Authenticate(context.Background(), "dave", "1234")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(signed)
	if _, err := b.Team.ListMembers(a.Ctx(), false); err != nil {
		t.Fatalf("dave as admin: %v", err)
	}

	// Made a member elsewhere: the next call has the member's role.
	if _, err := b.Team.UpdateMember(alice, dave.ID, team.MemberUpdate{Role: access.RoleMember}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team.ListMembers(a.Ctx(), false); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("dave after being made a member: %v, want ErrForbidden", err)
	}
	if _, err := b.Team.UpdateMember(a.Ctx(), dave.ID, team.MemberUpdate{Role: access.RoleAdmin}); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("dave making himself admin again: %v, want ErrForbidden", err)
	}
	if got, ok := a.Actor(); !ok || got.Role != access.RoleMember {
		t.Fatalf("session after demotion: %+v %v", got, ok)
	}

	// Disabled elsewhere: signed out.
	if _, err := b.Team.DisableMember(alice, dave.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team.Member(a.Ctx(), dave.ID); !errors.Is(err, access.ErrUnauthenticated) {
		t.Fatalf("disabled dave's call: %v, want ErrUnauthenticated", err)
	}
	if _, ok := a.Actor(); ok {
		t.Fatal("a disabled member's session is still signed in")
	}
	// Enabling him again does not sign the window back in.
	if _, err := b.Team.EnableMember(alice, dave.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Actor(); ok {
		t.Fatal("re-enabling signed the window back in")
	}

	// Removed elsewhere: signed out as well.
	a.SetActor(signed)
	if _, err := b.Team.RemoveMember(alice, dave.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Actor(); ok {
		t.Fatal("a removed member's session is still signed in")
	}
}

// TestNobodyActsBeforeSetup: before the first-run setup nobody is signed in
// to the window (it acted as the system before) and its calls are refused
// as "no workspace yet"; once the workspace is set up (here as the CLI would,
// not through this window) they are plainly "not signed in", and the window
// shows the sign-in picker.
func TestNobodyActsBeforeSetup(t *testing.T) {
	a, b := openApp(t)
	if got, ok := a.Actor(); ok {
		t.Fatalf("before setup the window acts as %+v", got)
	}
	if _, err := access.Current(a.Ctx()); !errors.Is(err, access.ErrNoWorkspace) {
		t.Fatalf("a call before setup: %v, want ErrNoWorkspace", err)
	}
	setUp(t, b)
	if got, ok := a.Actor(); ok {
		t.Fatalf("after setup elsewhere the window acts as %+v", got)
	}
	if _, err := access.Current(a.Ctx()); !errors.Is(err, access.ErrUnauthenticated) {
		t.Fatalf("a call after setup elsewhere: %v, want ErrUnauthenticated", err)
	}
	tm := &Team{app: a}
	s, err := tm.CurrentUser()
	if err != nil || s.SignedIn || s.NeedsSetup {
		t.Fatalf("session after setup elsewhere: %+v %v, want the sign-in picker", s, err)
	}
}

// TestScopedEventsReachOnlyTheirAudience: a balance alert reaches the window
// only while its member, someone of its department or an admin is signed in;
// a spending anomaly only while an admin is; nothing while nobody is.
func TestScopedEventsReachOnlyTheirAudience(t *testing.T) {
	a, b := openApp(t)
	alice := setUp(t, b)
	dept, err := b.Team.CreateDepartment(alice, team.DepartmentInput{Name: "Research"})
	if err != nil {
		t.Fatal(err)
	}
	add := func(name string, deptID int64) access.Actor {
		m, err := b.Team.AddMember(alice, team.NewMember{Name: name, Role: access.RoleMember, SecretKind: team.SecretPIN,
			Secret: "1234", DepartmentID: deptID})
		if err != nil {
			t.Fatal(err)
		}
		return access.Actor{UserID: m.ID, Name: m.Name, Role: m.Role}
	}
	bob, carol := add("bob", dept.ID), add("carol", 0)
	adminActor, _ := access.FromContext(alice)

	bobsAlert := team.Notification{Kind: team.KindAlert, Account: "user:" + itoa(bob.UserID), UserID: bob.UserID}
	deptAlert := team.Notification{Kind: team.KindAlert, Account: dept.Account}
	// A department's alert raised before bob joined it, and one raised now.
	deptAlertBefore := team.Notification{Kind: team.KindAlert, Account: dept.Account, CreatedAt: time.Now().Add(-time.Hour)}
	deptAlertNow := team.Notification{Kind: team.KindAlert, Account: dept.Account, CreatedAt: time.Now()}
	poolAlert := team.Notification{Kind: team.KindAlert, Account: "pool"}
	anomaly := reports.Notification{Kind: "anomaly"}
	cases := []struct {
		who     string
		actor   *access.Actor
		payload any
		want    bool
	}{
		{"bob, his alert", &bob, bobsAlert, true},
		{"carol, bob's alert", &carol, bobsAlert, false},
		{"bob, his department's alert", &bob, deptAlert, true},
		{"carol, another department's alert", &carol, deptAlert, false},
		{"bob, his department's alert raised before he joined", &bob, deptAlertBefore, false},
		{"bob, his department's alert raised now", &bob, deptAlertNow, true},
		{"admin, a department's alert raised before", &adminActor, deptAlertBefore, true},
		{"bob, the pool's alert", &bob, poolAlert, false},
		{"admin, bob's alert", &adminActor, bobsAlert, true},
		{"admin, the pool's alert", &adminActor, poolAlert, true},
		{"bob, an anomaly", &bob, anomaly, false},
		{"admin, an anomaly", &adminActor, anomaly, true},
		{"nobody, bob's alert", nil, bobsAlert, false},
		{"nobody, an anomaly", nil, anomaly, false},
		{"nobody, an unscoped event", nil, nil, true},
		// A reply streaming in bob's conversation reaches bob's window only:
		// not an admin who signed in after bob's window locked, nor the lock
		// screen.
		{"bob, his reply streaming", &bob, chat.Delta{Text: "secret", UserID: bob.UserID}, true},
		{"bob, his reply done", &bob, chat.Done{UserID: bob.UserID}, true},
		{"admin, bob's reply streaming", &adminActor, chat.Delta{Text: "secret", UserID: bob.UserID}, false},
		{"carol, bob's reply done", &carol, chat.Done{UserID: bob.UserID}, false},
		{"nobody, bob's reply streaming", nil, chat.Delta{Text: "secret", UserID: bob.UserID}, false},
		{"admin, the system's reply before setup", &adminActor, chat.Delta{Text: "hi"}, true},
		// An export's progress (its path, its error) reaches the window of
		// whoever started it only.
		{"bob, his export's progress", &bob, statements.JobStatus{Path: "/home/bob/x.csv", UserID: bob.UserID}, true},
		{"admin, bob's export's progress", &adminActor, statements.JobStatus{Path: "/home/bob/x.csv", UserID: bob.UserID}, false},
		{"bob, the admin's export's progress", &bob, statements.JobStatus{Path: "/home/alice/all.pdf", UserID: adminActor.UserID}, false},
		{"nobody, the admin's export's progress", nil, statements.JobStatus{Path: "/home/alice/all.pdf", UserID: adminActor.UserID}, false},
	}
	for _, c := range cases {
		if c.actor == nil {
			a.SignOut()
		} else {
			a.SetActor(*c.actor)
		}
		if got := a.Emitter.forWindow(c.payload); got != c.want {
			t.Errorf("%s: delivered %v, want %v", c.who, got, c.want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestSessionNamesTheMember: the session carries the signed-in member's
// display name, which the window shows (who is signed in, their wallet).
func TestSessionNamesTheMember(t *testing.T) {
	a, b := openApp(t)
	alice := setUp(t, b)
	if _, err := b.Team.AddMember(alice, team.NewMember{Name: "sam", DisplayName: "Sam Member", Role: access.RoleMember,
		SecretKind: team.SecretPIN, Secret: "1234"}); err != nil {
		t.Fatal(err)
	}
	sam, err := b.Team.Authenticate(context.Background(), "sam", "1234")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(sam)
	s, err := (&Team{app: a}).CurrentUser()
	if err != nil || !s.SignedIn || s.Actor.Name != "sam" || s.DisplayName != "Sam Member" {
		t.Fatalf("session: %+v %v", s, err)
	}
}

// TestRememberedMemberAndTheLock: "remember me" signs its member in at the
// next start, but not past a lock (the window was locked when it closed),
// and not after another member has signed in on this computer since: the
// remembered admin must not come back behind a member who quit the app.
func TestRememberedMemberAndTheLock(t *testing.T) {
	a, b := openApp(t)
	alice := setUp(t, b)
	if _, err := b.Team.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.SignOut() })
	started := func() string { // who the next start signs in ("" = the picker)
		t.Helper()
		act, ok := teamSessionPolicy(context.Background(), b)
		if !ok {
			return ""
		}
		return act.Name
	}
	tm := &Team{app: a}
	mustSignIn := func(name, secret string, remember bool) {
		t.Helper()
		if s, err := tm.SignIn(name, secret, remember); err != nil || !s.SignedIn || s.Actor.Name != name {
			t.Fatalf("sign in %s: %+v, %v", name, s, err)
		}
	}

	mustSignIn("alice", "correct horse battery", true)
	if got := started(); got != "alice" {
		t.Fatalf("remembered start: %q, want alice", got)
	}
	// Locked, then quit: the next start shows the picker.
	if s, err := tm.Lock(); err != nil || s.SignedIn {
		t.Fatalf("lock: %+v, %v", s, err)
	}
	if got := started(); got != "" {
		t.Fatalf("start after a lock signed %q in", got)
	}
	// alice signs in again (without ticking remember): her remember stays,
	// and the lock is over.
	mustSignIn("alice", "correct horse battery", false)
	if got := started(); got != "alice" {
		t.Fatalf("start after alice unlocked: %q, want alice", got)
	}
	// bob signs in on this computer (idle lock, then bob): alice is
	// forgotten, so the next start does not make the window alice's.
	if _, err := tm.Lock(); err != nil {
		t.Fatal(err)
	}
	mustSignIn("bob", "1234", false)
	if got := started(); got != "" {
		t.Fatalf("start after bob signed in: %q, want the picker", got)
	}
	if readDeviceToken(b) != "" {
		t.Fatal("alice's device token is still on disk")
	}
	if n := countRows(t, b, "SELECT count(*) FROM devices"); n != 0 {
		t.Fatalf("%d remembered devices left", n)
	}
}

func countRows(t *testing.T, b *core.Backend, query string) int {
	t.Helper()
	var n int
	if err := b.DB.Read().QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// adminApp is an App over a new workspace (setUp) with alice, its admin,
// signed in to the window: the backend, alice's context for calls to it,
// and the actor the window acts as.
func adminApp(t *testing.T) (*App, *core.Backend, context.Context, access.Actor) {
	t.Helper()
	a, b := openApp(t)
	alice := setUp(t, b)
	admin, err := b.Team.Authenticate(context.Background(), "alice", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(admin)
	return a, b, alice, admin
}
