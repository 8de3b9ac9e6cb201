package chat_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/team"
)

// TestEstimateCountsOtherSendsHolds: a member's estimate judges the
// payer's balance as the send's hold does, beside the holds of other sends:
// one pending in the ledger, and one being taken (a send admitted to
// overlap its provider request with its hold, whose hold is promised and
// not written yet). Both leave 0.124 of the pool's 0.24; a send that may
// cost 0.166 fits the pool but not beside them, and the estimate says so
// (Blocked, the warning, the send's own refusal with the same figure) as
// the send, made at that moment, is refused.
func TestEstimateCountsOtherSendsHolds(t *testing.T) {
	// Hold per send of "Hi" with 10 output tokens 8*0.002 + 10*0.01 = 0.116;
	// with 15, 0.166.
	for _, other := range []string{"pending in the ledger", "being taken"} {
		t.Run(other, func(t *testing.T) {
			e := newEnvWith(t, nil)
			tm, alice := newTeam(t, e)
			e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it
			e.fund("0.24")
			srv := e.openAI(fake.Script{Chunks: []string{"ok"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
			bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
			if err != nil {
				t.Fatal(err)
			}
			bobCtx := access.WithActor(alice, access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
			conv := e.conversationAs(bobCtx, "openai", "gpt-4o", "")

			// Before the other send, the larger one fits.
			if est, err := e.svc.EstimateDraft(bobCtx, conv.ID, "", "", "Hi", 15, "", nil); err != nil || est.Blocked || est.Refusal() != nil {
				t.Fatalf("estimate with the pool to itself: %+v, %v", est, err)
			}
			var release func()
			switch other {
			case "pending in the ledger":
				if _, err := e.led.Hold(systemCtx, ledger.HoldRequest{ID: "hold:other", From: ledger.AccountPool,
					Amount: decimal.RequireFromString("0.116")}); err != nil {
					t.Fatal(err)
				}
				release = func() {
					if _, err := e.led.Void(systemCtx, "void:other", "hold:other"); err != nil {
						t.Fatal(err)
					}
				}
			case "being taken":
				admitted, held := make(chan struct{}), make(chan struct{})
				var once sync.Once
				t.Cleanup(chat.SetBeforeOverlappedHold(func() { once.Do(func() { close(admitted); <-held }) }))
				done := make(chan error, 1)
				go func() {
					other := e.conversationAs(bobCtx, "openai", "gpt-4o", "")
					_, err := e.svc.Send(bobCtx, chat.SendRequest{ConversationID: other.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceAPI})
					done <- err
				}()
				<-admitted // its request is on its way; its hold is not written yet
				for deadline := time.Now().Add(10 * time.Second); srv.ChatRequests() < 1 && time.Now().Before(deadline); {
					time.Sleep(5 * time.Millisecond) // let it arrive, so that the count below is the refused send's
				}
				release = func() {
					close(held)
					if err := <-done; err != nil {
						t.Errorf("the other send: %v", err)
					}
				}
			}

			est, err := e.svc.EstimateDraft(bobCtx, conv.ID, "", "", "Hi", 15, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			const said = "This send may cost up to 0.166 credits but the workspace pool has only 0.124 available."
			if est.Estimate.High != "0.166" || !est.Blocked || !slices.Contains(est.Warnings, said) {
				t.Errorf("estimate beside the other send: high %s, blocked %v, warnings %q", est.Estimate.High, est.Blocked, est.Warnings)
			}
			refusal := est.Refusal()
			if !errors.Is(refusal, chat.ErrInsufficientCredits) || !strings.Contains(refusal.Error(), "has 0.124 available") {
				t.Errorf("estimate's refusal: %v", refusal)
			}
			requests := srv.ChatRequests()
			_, err = e.svc.Send(bobCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 15, Source: chat.SourceAPI})
			if !errors.Is(err, chat.ErrInsufficientCredits) || refusal == nil || err.Error() != refusal.Error() {
				t.Errorf("the send = %v\nthe estimate said %v", err, refusal)
			}
			if srv.ChatRequests() != requests {
				t.Errorf("the refused send reached the provider")
			}
			release()
			e.checkLedger()
		})
	}
}
