package chat_test

import (
	"context"
	"fmt"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
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
