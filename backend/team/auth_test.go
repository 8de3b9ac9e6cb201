package team

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
)

func TestSetupValidation(t *testing.T) {
	base := func() WorkspaceSetup {
		return WorkspaceSetup{Workspace: Workspace{Name: "Acme", Currency: "EUR", CreditValue: "0.01", TimeZone: "Europe/Berlin"},
			AdminName: "alice", SecretKind: SecretPassword, Secret: "correct horse"}
	}
	for name, mod := range map[string]func(*WorkspaceSetup){
		"no name":         func(w *WorkspaceSetup) { w.Name = "  " },
		"bad currency":    func(w *WorkspaceSetup) { w.Currency = "EURO" },
		"digit currency":  func(w *WorkspaceSetup) { w.Currency = "E1R" },
		"zero credit":     func(w *WorkspaceSetup) { w.CreditValue = "0" },
		"negative credit": func(w *WorkspaceSetup) { w.CreditValue = "-1" },
		"exponent credit": func(w *WorkspaceSetup) { w.CreditValue = "1e-2" },
		"too precise":     func(w *WorkspaceSetup) { w.CreditValue = "0.0000000000001" }, // 13 places (ledger.CreditValuePlaces)
		"bad zone":        func(w *WorkspaceSetup) { w.TimeZone = "Mars/Olympus" },
		"Local zone":      func(w *WorkspaceSetup) { w.TimeZone = "Local" },
		"bad admin name":  func(w *WorkspaceSetup) { w.AdminName = "al ice" },
		"no admin name":   func(w *WorkspaceSetup) { w.AdminName = "" },
		"short password":  func(w *WorkspaceSetup) { w.Secret = "short" },
		"letters in PIN":  func(w *WorkspaceSetup) { w.SecretKind, w.Secret = SecretPIN, "12ab" },
		"bad secret kind": func(w *WorkspaceSetup) { w.SecretKind = "token" },
		"idle lock range": func(w *WorkspaceSetup) { w.IdleLockMinutes = 2000 },
		"negative idle":   func(w *WorkspaceSetup) { w.IdleLockMinutes = -1 },
		"long tax id":     func(w *WorkspaceSetup) { w.TaxID = string(make([]byte, 65)) },
		"short PIN":       func(w *WorkspaceSetup) { w.SecretKind, w.Secret = SecretPIN, "12" },
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			before := dump(t, e.db)
			in := base()
			mod(&in)
			_, err := e.svc.Setup(context.Background(), in)
			if err == nil {
				t.Fatal("setup accepted bad input")
			}
			// CheckSetup refuses it as Setup does, touching nothing; without
			// the secret it refuses all but the secret's own strength.
			if cerr := CheckSetup(in, true); cerr == nil || cerr.Error() != err.Error() {
				t.Errorf("CheckSetup: %v, Setup: %v", cerr, err)
			}
			weakSecret := errors.Is(err, ErrWeakSecret)
			if cerr := CheckSetup(in, false); (cerr == nil) != weakSecret {
				t.Errorf("CheckSetup without the secret: %v (Setup: %v)", cerr, err)
			}
			if after := dump(t, e.db); after != before {
				t.Fatal("a rejected setup wrote to the database")
			}
			if need, err := e.svc.NeedsSetup(context.Background()); !need || err != nil {
				t.Fatalf("NeedsSetup after a rejected setup: %v, %v", need, err)
			}
		})
	}
}

// TestCheckSetupAcceptsWhatSetupTakes: good input passes CheckSetup, with
// and without the secret (which it then does not look at).
func TestCheckSetupAcceptsWhatSetupTakes(t *testing.T) {
	in := WorkspaceSetup{Workspace: Workspace{Name: "Acme", Currency: "eur", CreditValue: "0.01"}, AdminName: "alice", Secret: "correct horse"}
	if err := CheckSetup(in, true); err != nil {
		t.Fatal(err)
	}
	in.Secret = ""
	if err := CheckSetup(in, false); err != nil {
		t.Fatal(err)
	}
	if err := CheckSetup(in, true); !errors.Is(err, ErrWeakSecret) {
		t.Fatalf("no password: %v", err)
	}
}

func TestSetupOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if need, err := e.svc.NeedsSetup(ctx); err != nil || !need {
		t.Fatalf("NeedsSetup = %v, %v", need, err)
	}
	e.setup("America/New_York")
	if e.admin.Role != access.RoleAdmin || e.admin.UserID == 0 || e.admin.Name != "alice" {
		t.Fatalf("admin actor %+v", e.admin)
	}
	if need, err := e.svc.NeedsSetup(ctx); need || err != nil {
		t.Fatalf("NeedsSetup after setup: %v, %v", need, err)
	}
	w, err := e.svc.Workspace(e.adminCtx())
	if err != nil {
		t.Fatal(err)
	}
	if w.Name != "Acme" || w.Currency != "EUR" || w.CreditValue != "0.01" || w.TimeZone != "America/New_York" || w.IdleLockMinutes != DefaultIdleLockMinutes {
		t.Fatalf("workspace %+v", w)
	}
	before := dump(t, e.db)
	_, err = e.svc.Setup(ctx, WorkspaceSetup{Workspace: Workspace{Name: "Evil", Currency: "USD", CreditValue: "1"},
		AdminName: "mallory", Secret: "password123"})
	if !errors.Is(err, ErrAlreadySetUp) {
		t.Fatalf("second setup: %v", err)
	}
	if dump(t, e.db) != before {
		t.Fatal("second setup wrote")
	}
	if _, err := e.svc.Workspace(context.Background()); !errors.Is(err, access.ErrUnauthenticated) {
		t.Fatalf("workspace without actor: %v", err)
	}
}

func TestAuthenticate(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := context.Background()
	bob := e.addMember("bob", func(n *NewMember) { n.SecretKind, n.Secret = SecretPassword, "bobs secret" })

	a, err := e.svc.Authenticate(ctx, "alice", "correct horse")
	if err != nil || a != e.admin {
		t.Fatalf("admin sign-in: %+v %v", a, err)
	}
	a, err = e.svc.Authenticate(ctx, "BOB", "bobs secret")
	if err != nil || a.UserID != bob.ID || a.Role != access.RoleMember {
		t.Fatalf("member sign-in (name case-insensitive): %+v %v", a, err)
	}
	for _, c := range []struct{ name, user, secret string }{
		{"wrong password", "bob", "bobs secreT"},
		{"empty password", "bob", ""},
		{"unknown user", "carol", "bobs secret"},
		{"empty user", "", "bobs secret"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := e.svc.Authenticate(ctx, c.user, c.secret); !errors.Is(err, ErrBadSignIn) {
				t.Fatalf("got %v, want ErrBadSignIn", err)
			}
		})
	}
}

func TestLockout(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := context.Background()
	e.addMember("bob", nil)
	for i := 0; i < MaxFailedAttempts; i++ {
		if _, err := e.svc.Authenticate(ctx, "bob", "0000"); !errors.Is(err, ErrBadSignIn) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, err := e.svc.Authenticate(ctx, "bob", "1234"); !errors.Is(err, ErrLockedOut) {
		t.Fatalf("right PIN while locked out: %v", err)
	}
	e.clock.Add(LockoutDuration)
	if _, err := e.svc.Authenticate(ctx, "bob", "1234"); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
}

// TestConcurrentWrongSignInsAreLockedOut: wrong secrets tried at the same
// time (each check takes the real argon2 time, ~40 ms) cannot get past the
// lockout: at most MaxFailedAttempts of them are checked, the rest are
// refused as too many, and the member is locked out afterwards, the right
// PIN included.
func TestConcurrentWrongSignInsAreLockedOut(t *testing.T) {
	e := newEnv(t).setup("UTC")
	e.svc.SetHashParams(DefaultHashParams) // a check as slow as in real use
	e.addMember("bob", nil)
	const n = 12
	start := make(chan struct{})
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := e.svc.Authenticate(context.Background(), "bob", fmt.Sprintf("9%03d", i))
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	wrong, locked := 0, 0
	for err := range errs {
		switch {
		case errors.Is(err, ErrBadSignIn):
			wrong++
		case errors.Is(err, ErrLockedOut):
			locked++
		default:
			t.Errorf("unexpected result: %v", err)
		}
	}
	if wrong > MaxFailedAttempts || wrong+locked != n {
		t.Errorf("%d checked and wrong, %d locked out; want at most %d checked, the rest locked out", wrong, locked, MaxFailedAttempts)
	}
	if _, err := e.svc.Authenticate(context.Background(), "bob", "1234"); !errors.Is(err, ErrLockedOut) {
		t.Errorf("right PIN after %d concurrent wrong ones: %v, want ErrLockedOut", n, err)
	}
}

// TestLockoutCounting: the claim made before each check counts a right
// secret's attempt too, but the right secret resets the count; the fifth
// wrong secret in a row locks, a right one before it does not.
func TestLockoutCounting(t *testing.T) {
	for _, c := range []struct {
		name   string
		tries  []string // PINs tried in order; bob's is 1234
		locked bool     // the right PIN is refused afterwards
	}{
		{"four wrong", []string{"0", "0", "0", "0"}, false},
		{"five wrong", []string{"0", "0", "0", "0", "0"}, true},
		{"four wrong, right, four wrong", []string{"0", "0", "0", "0", "1234", "0", "0", "0", "0"}, false},
		{"four wrong, right, five wrong", []string{"0", "0", "0", "0", "1234", "0", "0", "0", "0", "0"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			e.addMember("bob", nil)
			for i, pin := range c.tries {
				_, err := e.svc.Authenticate(context.Background(), "bob", pin)
				if want := pin == "1234"; (err == nil) != want {
					t.Fatalf("try %d (%s): %v", i, pin, err)
				}
			}
			_, err := e.svc.Authenticate(context.Background(), "bob", "1234")
			if got := errors.Is(err, ErrLockedOut); got != c.locked {
				t.Fatalf("right PIN afterwards: %v, locked out %v, want %v", err, got, c.locked)
			}
		})
	}
}

func TestDisabledAndRemovedCannotSignIn(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := context.Background()
	bob := e.addMember("bob", nil)
	carol := e.addMember("carol", nil)
	tok, err := e.svc.Remember(e.as(actorFor(bob)), bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DisableMember(e.adminCtx(), bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Authenticate(ctx, "bob", "1234"); !errors.Is(err, ErrDisabled) {
		t.Fatalf("disabled sign-in: %v", err)
	}
	if _, ok, err := e.svc.AutoSignIn(ctx, tok); ok || err != nil {
		t.Fatalf("a disabled member's device token: signed in %v, %v; want refused without an error", ok, err)
	}
	if _, err := e.svc.EnableMember(e.adminCtx(), bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Authenticate(ctx, "bob", "1234"); err != nil {
		t.Fatalf("re-enabled sign-in: %v", err)
	}
	if _, err := e.svc.RemoveMember(e.adminCtx(), carol.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Authenticate(ctx, "carol", "1234"); !errors.Is(err, ErrBadSignIn) {
		t.Fatalf("removed sign-in: %v", err)
	}
}

func TestAutoSignIn(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, ok, err := e.svc.AutoSignIn(ctx, ""); ok || err != nil {
		t.Fatalf("empty workspace: %v %v", ok, err)
	}
	e.setup("UTC")
	a, ok, err := e.svc.AutoSignIn(ctx, "")
	if err != nil || !ok || a != e.admin {
		t.Fatalf("one-member workspace: %+v %v %v", a, ok, err)
	}
	bob := e.addMember("bob", nil)
	if _, ok, err := e.svc.AutoSignIn(ctx, ""); ok || err != nil {
		t.Fatalf("two members, no token: signed in %v, %v", ok, err)
	}
	if _, ok, err := e.svc.AutoSignIn(ctx, "not-a-token"); ok || err != nil {
		t.Fatalf("unknown token: signed in %v, %v", ok, err)
	}
	if _, err := e.svc.Remember(e.as(actorFor(bob)), e.admin.UserID); !errors.Is(err, access.ErrForbidden) {
		t.Fatalf("member remembering the admin: %v", err)
	}
	tok, err := e.svc.Remember(e.as(actorFor(bob)), bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, ok, err = e.svc.AutoSignIn(ctx, tok)
	if err != nil || !ok || a.UserID != bob.ID {
		t.Fatalf("remembered: %+v %v %v", a, ok, err)
	}
	if err := e.svc.Forget(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := e.svc.AutoSignIn(ctx, tok); ok || err != nil {
		t.Fatalf("forgotten token: signed in %v, %v", ok, err)
	}
	// Removing bob leaves one member again: straight in.
	if _, err := e.svc.RemoveMember(e.adminCtx(), bob.ID); err != nil {
		t.Fatal(err)
	}
	if a, ok, err := e.svc.AutoSignIn(ctx, ""); err != nil || !ok || a != e.admin {
		t.Fatalf("one remaining member is not signed in automatically: %+v %v %v", a, ok, err)
	}
	_ = time.Second
}

// TestChangeOwnSecretCountsWrongSecrets: changing one's own secret checks
// the current one like a sign-in: wrong ones count toward the lockout (with
// sign-ins), a locked member is refused even with the right current secret,
// and a right one resets the count.
func TestChangeOwnSecretCountsWrongSecrets(t *testing.T) {
	type step struct {
		signIn  bool   // a sign-in instead of a change
		current string // bob's PIN is 1234
		want    error  // nil = accepted
	}
	for _, c := range []struct {
		name  string
		steps []step
	}{
		{"five wrong changes lock", []step{
			{false, "0000", ErrBadSignIn}, {false, "0000", ErrBadSignIn}, {false, "0000", ErrBadSignIn},
			{false, "0000", ErrBadSignIn}, {false, "0000", ErrBadSignIn},
			{false, "1234", ErrLockedOut}, {true, "1234", ErrLockedOut},
		}},
		{"changes and sign-ins count together", []step{
			{true, "0000", ErrBadSignIn}, {false, "0000", ErrBadSignIn}, {true, "0000", ErrBadSignIn},
			{false, "0000", ErrBadSignIn}, {true, "0000", ErrBadSignIn},
			{false, "1234", ErrLockedOut},
		}},
		{"a right change resets the count", []step{
			{false, "0000", ErrBadSignIn}, {false, "0000", ErrBadSignIn}, {false, "0000", ErrBadSignIn},
			{false, "0000", ErrBadSignIn}, {false, "1234", nil},
			{true, "0000", ErrBadSignIn}, {true, "1234", nil},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			bob := e.addMember("bob", nil)
			ctx := e.as(actorFor(bob))
			for i, st := range c.steps {
				var err error
				if st.signIn {
					_, err = e.svc.Authenticate(context.Background(), "bob", st.current)
				} else {
					err = e.svc.ChangeSecret(ctx, bob.ID, st.current, SecretPIN, "1234") // the same PIN again
				}
				if (st.want == nil) != (err == nil) || st.want != nil && !errors.Is(err, st.want) {
					t.Fatalf("step %d (sign-in %v, %s): %v, want %v", i, st.signIn, st.current, err, st.want)
				}
			}
		})
	}
	// An admin resetting someone else's secret gives none and is not counted.
	e := newEnv(t).setup("UTC")
	bob := e.addMember("bob", nil)
	for i := range MaxFailedAttempts + 1 {
		if err := e.svc.ChangeSecret(e.adminCtx(), bob.ID, "", SecretPIN, "1234"); err != nil {
			t.Fatalf("admin reset %d: %v", i, err)
		}
	}
	if _, err := e.svc.Authenticate(context.Background(), "bob", "1234"); err != nil {
		t.Fatalf("sign-in after admin resets: %v", err)
	}
}

// TestNewSecretForgetsRememberedDevices: a new password or PIN, set by an
// admin or by the member, signs every "remember me" device of that member
// out (in the same transaction); other members' devices stay.
func TestNewSecretForgetsRememberedDevices(t *testing.T) {
	for _, c := range []struct {
		name  string
		admin bool
	}{
		{"admin reset", true},
		{"own change", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t).setup("UTC")
			bob := e.addMember("bob", nil)
			carol := e.addMember("carol", nil)
			var bobTokens []string
			for range 2 { // two computers
				tok, err := e.svc.Remember(e.as(actorFor(bob)), bob.ID)
				if err != nil {
					t.Fatal(err)
				}
				bobTokens = append(bobTokens, tok)
			}
			carolTok, err := e.svc.Remember(e.as(actorFor(carol)), carol.ID)
			if err != nil {
				t.Fatal(err)
			}
			if c.admin {
				err = e.svc.ChangeSecret(e.adminCtx(), bob.ID, "", SecretPIN, "5678")
			} else {
				err = e.svc.ChangeSecret(e.as(actorFor(bob)), bob.ID, "1234", SecretPIN, "5678")
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, tok := range bobTokens {
				if a, ok, err := e.svc.AutoSignIn(context.Background(), tok); ok || err != nil {
					t.Errorf("bob's device %d still signs in after the new PIN: %+v %v", i, a, err)
				}
			}
			var n int
			if err := e.db.Read().QueryRow("SELECT count(*) FROM devices WHERE user_id = ?", bob.ID).Scan(&n); err != nil || n != 0 {
				t.Errorf("bob has %d device rows (%v), want 0", n, err)
			}
			if a, ok, err := e.svc.AutoSignIn(context.Background(), carolTok); !ok || err != nil || a.UserID != carol.ID {
				t.Errorf("carol's device: %+v %v %v, want signed in", a, ok, err)
			}
		})
	}
}

// TestSignInRefusalWords: a refused sign-in, or a refused check of one's
// own current secret, keeps Go's text (the CLI's: "sign in "bob": wrong
// name, password or PIN") and its kind for errors.Is, and carries a reason
// the window shows without the operation (app.FormatError), where it used
// to show 'sign in "bob": wrong name, password or PIN' and 'change the
// password of member 2: wrong name, password or PIN' under "Something went
// wrong".
func TestSignInRefusalWords(t *testing.T) {
	e := newEnv(t).setup("UTC")
	ctx := context.Background()
	bob := e.addMember("bob", nil) // PIN 1234
	carol := e.addMember("carol", nil)
	if _, err := e.svc.DisableMember(e.adminCtx(), carol.ID); err != nil {
		t.Fatal(err)
	}
	dave := e.addMember("dave", nil)
	for i := 0; i < MaxFailedAttempts; i++ {
		_, _ = e.svc.Authenticate(ctx, "dave", "0000")
	}
	e.clock.Add(time.Minute + time.Second) // 3 min 59 s of the lock left
	signIn := func(name, secret string) error {
		_, err := e.svc.Authenticate(ctx, name, secret)
		return err
	}
	for _, c := range []struct {
		name         string
		err          error
		kind         error
		text, reason string
	}{
		{"wrong secret", signIn("bob", "0000"), ErrBadSignIn, `sign in "bob": wrong name, password or PIN`, "wrong password or PIN"},
		{"unknown name", signIn("mallory", "0000"), ErrBadSignIn, `sign in "mallory": wrong name, password or PIN`, "wrong password or PIN"},
		{"disabled", signIn("carol", "1234"), ErrDisabled, `sign in "carol": this member is disabled`, "this member is disabled: an admin can enable them again"},
		{"locked out", signIn("dave", "1234"), ErrLockedOut, `sign in "dave": too many wrong attempts; try again later (until ` +
			e.clock.Now().Add(LockoutDuration-time.Minute-time.Second).Format(time.RFC3339) + ")", "too many wrong attempts: try again in 4 minutes"},
		{"own secret wrong", e.svc.ChangeSecret(e.as(actorFor(bob)), bob.ID, "0000", SecretPIN, "5678"), ErrBadSignIn,
			fmt.Sprintf("change the password of member %d: wrong name, password or PIN", bob.ID), "the current password or PIN is wrong: nothing was changed"},
		{"own secret while locked out", e.svc.ChangeSecret(e.as(actorFor(dave)), dave.ID, "1234", SecretPIN, "5678"), ErrLockedOut,
			fmt.Sprintf("change the password of member %d: too many wrong attempts; try again later (until %s)", dave.ID,
				e.clock.Now().Add(LockoutDuration-time.Minute-time.Second).Format(time.RFC3339)), "too many wrong attempts: try again in 4 minutes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !errors.Is(c.err, c.kind) {
				t.Fatalf("%v is not %v", c.err, c.kind)
			}
			if c.err.Error() != c.text {
				t.Errorf("Go's text %q, want %q", c.err, c.text)
			}
			if got := inputerr.Reason(c.err); got != c.reason {
				t.Errorf("reason %q, want %q", got, c.reason)
			}
		})
	}
	// Nothing was changed by the refused change: the PIN still signs in.
	if _, err := e.svc.Authenticate(ctx, "bob", "1234"); err != nil {
		t.Fatal(err)
	}
}
