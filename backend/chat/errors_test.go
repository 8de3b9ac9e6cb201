package chat_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/team"
)

// TestClassifyForOffersTopUpToAdminsOnly: a refusal for want of credits
// offers the top-up action to whoever can top up (an admin, the system) and
// tells anyone else to ask an admin; other errors are left as Classify has
// them.
func TestClassifyForOffersTopUpToAdminsOnly(t *testing.T) {
	short := fmt.Errorf("send: %w: %w", chat.ErrInsufficientCredits, ledger.ErrInsufficientFunds)
	admin := access.WithActor(context.Background(), access.Actor{UserID: 1, Name: "alice", Role: access.RoleAdmin})
	member := access.WithActor(context.Background(), access.Actor{UserID: 2, Name: "bob", Role: access.RoleMember})
	system := access.WithActor(context.Background(), access.System)
	for _, c := range []struct {
		name            string
		ctx             context.Context
		err             error
		code            string
		topUp, askAdmin bool
	}{
		{"admin", admin, short, chat.CodeInsufficient, true, false},
		{"system", system, short, chat.CodeInsufficient, true, false},
		{"member", member, short, chat.CodeInsufficient, false, true},
		{"nobody signed in", context.Background(), short, chat.CodeInsufficient, false, true},
		{"member, offline", member, chat.ErrOffline, chat.CodeOffline, false, false},
		{"admin, offline", admin, chat.ErrOffline, chat.CodeOffline, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			info := chat.ClassifyFor(c.ctx, c.err)
			if info.Code != c.code || info.TopUp != c.topUp || info.AskAdmin != c.askAdmin || info.Message != c.err.Error() {
				t.Fatalf("got %+v; want code %s, topUp %v, askAdmin %v", info, c.code, c.topUp, c.askAdmin)
			}
		})
	}
	if chat.ClassifyFor(member, nil) != nil {
		t.Fatal("ClassifyFor(nil) is not nil")
	}
}

// TestClassifyBusy: a send, regenerate, edit or delete refused because a
// reply is still being written has its own code (the window says so in
// words instead of showing the Go error).
func TestClassifyBusy(t *testing.T) {
	for _, err := range []error{fmt.Errorf("send: %w", chat.ErrBusy), fmt.Errorf("delete conversation 3: %w", chat.ErrBusy)} {
		if info := chat.Classify(err); info.Code != chat.CodeBusy {
			t.Fatalf("%v classified %+v, want code %s", err, info, chat.CodeBusy)
		}
	}
}

// TestClassifyRedirect: a provider that redirected to another server is the
// provider's failure, shown with its own words (the key was not sent).
func TestClassifyRedirect(t *testing.T) {
	err := fmt.Errorf("send: %w", fmt.Errorf("chat stream api.example.com: %w", &providers.RedirectError{To: "https://elsewhere.example"}))
	if info := chat.Classify(err); info.Code != chat.CodeProvider || info.Message != err.Error() {
		t.Fatalf("%v classified %+v, want code %s", err, info, chat.CodeProvider)
	}
}

// TestSendToALocalServerThatIsDownSaysSo: a send to a server on this machine
// with nothing listening is offline with LocalDown (the window then says to
// start the server, not to wait for a network); an unreachable remote
// provider is offline without it.
func TestSendToALocalServerThatIsDownSaysSo(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	down := fakeClosedURL(t)
	e.add("ollama", providers.KindCompatible, "local", down, 0)
	conv := e.conversation("ollama", "llama3.2", "")
	_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	info := chat.Classify(err)
	if info == nil || info.Code != chat.CodeOffline || !info.LocalDown || !strings.Contains(info.Message, "is the local server running?") {
		t.Fatalf("send to a local server that is down: %+v (%v)", info, err)
	}
	// The window names the address (ErrorInfo.Address) for an admin, never
	// for a member, and for a server on this machine only.
	u, _ := url.Parse(down)
	if got := chat.ClassifyFor(adminCtx, err).Address; got != u.Host {
		t.Errorf("admin: address %q, want %q", got, u.Host)
	}
	if got := chat.ClassifyFor(memberCtx(5), err).Address; got != "" {
		t.Errorf("member: address %q, want none", got)
	}
	remote := chat.Classify(fmt.Errorf("send: %w", fmt.Errorf("%w: cannot connect to api.example.com: no route to host", providers.ErrOffline)))
	if remote.Code != chat.CodeOffline || remote.LocalDown {
		t.Fatalf("a remote provider offline: %+v", remote)
	}
	if got := chat.ClassifyFor(adminCtx, fmt.Errorf("send: %w", fmt.Errorf("%w: cannot connect to api.example.com: no route to host", providers.ErrOffline))).Address; got != "" {
		t.Errorf("a remote provider offline, admin: address %q, want none", got)
	}
	if e.charged() != "0" {
		t.Fatalf("charged %s", e.charged())
	}
}

// fakeClosedURL is the base URL of a server on this machine that is gone
// (its port closed).
func fakeClosedURL(t *testing.T) string {
	t.Helper()
	srv := fake.NewOpenAI(fake.Script{})
	u := srv.BaseURL()
	srv.Close()
	return u
}

// TestClassifyLimitRetryAtReadsAsTheWordsDo: the window's and `chat
// --json`'s retryAt is when the words say the send may pass
// (team.LimitError.RetryTime): a LimitError not made by the guard has no
// RetryAt of its own, and is read as its ResetsAt, not the zero time; one
// that breaks a later limit too says that one's reset.
func TestClassifyLimitRetryAtReadsAsTheWordsDo(t *testing.T) {
	resets := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	later := resets.AddDate(0, 1, 0)
	for _, tc := range []struct {
		name      string
		retryAt   time.Time
		wantRetry time.Time
	}{
		{"no RetryAt of its own", time.Time{}, resets},
		{"an earlier RetryAt", resets.Add(-time.Hour), resets},
		{"another limit resets later", later, later},
	} {
		t.Run(tc.name, func(t *testing.T) {
			le := &team.LimitError{Limit: team.LimitDaily, Amount: "1", Used: "1", Requested: "0.5",
				ResetsAt: resets, RetryAt: tc.retryAt, TimeZone: "UTC"}
			info := chat.Classify(fmt.Errorf("hold: %w", le))
			if info.Code != chat.CodeLimit || info.RetryAt == nil || !info.RetryAt.Equal(tc.wantRetry) ||
				info.ResetsAt == nil || !info.ResetsAt.Equal(resets) {
				t.Fatalf("Classify = %+v, want retryAt %v, resetsAt %v", info, tc.wantRetry, resets)
			}
			if !le.RetryTime().Equal(tc.wantRetry) {
				t.Fatalf("RetryTime = %v, want %v", le.RetryTime(), tc.wantRetry)
			}
		})
	}
}

// TestClassifyAZeroLimitGivesNoReset: a limit of 0 (an admin's block) is
// refused in words that say no reset helps, so its refusal carries no
// instant to wait for: neither retryAt nor resetsAt (the window's thread
// and estimate read the refusal again at resetsAt, and `chat --json` gave
// the period's end beside "its reset does not help"). A used-up limit
// keeps both.
func TestClassifyAZeroLimitGivesNoReset(t *testing.T) {
	resets := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		amount string
		reset  bool
	}{
		{"a limit of 0", "0", false},
		{"a limit of 0.00", "0.00", false},
		{"a used-up limit", "1", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			le := &team.LimitError{Limit: team.LimitDaily, Amount: tc.amount, Used: "1", Requested: "0.5",
				ResetsAt: resets, RetryAt: resets, TimeZone: "UTC"}
			info := chat.Classify(fmt.Errorf("hold: %w", le))
			if info.Code != chat.CodeLimit || (info.ResetsAt != nil) != tc.reset || (info.RetryAt != nil) != tc.reset {
				t.Fatalf("Classify = %+v (resetsAt %v, retryAt %v), want a reset: %v", info, info.ResetsAt, info.RetryAt, tc.reset)
			}
		})
	}
}
