package chat_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/team"
)

// TestRefusalInfoNamesTheRoom: the window's composer is told, with a
// send's refusal (chat.ErrorInfo of Send's error) and with its live
// estimate's (DraftEstimate.RefusalInfo, JSON "refusal"), the largest
// output budget that fits (maxTokens, RoomFor) and, for a limit, when
// the send as it is can go (retryAt), so that it can offer "Use N" or say
// when. Before, only the CLI's JSON had maxTokens, and the estimate's
// JSON had no refusal at all. The estimate's and the send's say the same,
// and a send with that budget goes through.
func TestRefusalInfoNamesTheRoom(t *testing.T) {
	for _, tc := range []struct {
		name      string
		pool      string // credits in the pool
		daily     string // bob's daily limit, "" for none
		code      string
		room      bool // a maxTokens is named
		retryAt   bool
		wantInMsg string
	}{
		{name: "credits: the prompt fits, the output budget does not", pool: "1", code: chat.CodeInsufficient, room: true,
			wantInMsg: "a smaller output budget may let it through"},
		{name: "credits: not even the prompt fits", pool: "0.000001", code: chat.CodeInsufficient},
		{name: "a limit: the prompt fits", pool: "1000", daily: "1", code: chat.CodeLimit, room: true, retryAt: true,
			wantInMsg: "a smaller output budget (max tokens) may let it through"},
		// The whole limit is less than the prompt: no reset lets the send
		// through, so no retryAt (resetsAt kept); the words say an admin
		// raising the limit.
		{name: "a limit the prompt alone is over", pool: "1000", daily: "0.000001", code: chat.CodeLimit,
			wantInMsg: "an admin raising the limit may let it through; its reset does not help"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvWith(t, nil)
			tm, alice := newTeam(t, e)
			e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it
			srv := e.openAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
			e.fund(tc.pool)
			bob, err := tm.AddMember(alice, team.NewMember{Name: "bob", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
			if err != nil {
				t.Fatal(err)
			}
			if tc.daily != "" {
				if _, err := tm.SetLimit(alice, team.Limit{UserID: bob.ID, Kind: "daily", Amount: tc.daily}); err != nil {
					t.Fatal(err)
				}
			}
			bobCtx := access.WithActor(alice, access.Actor{UserID: bob.ID, Name: "bob", Role: access.RoleMember})
			conv := e.conversationAs(bobCtx, "openai", "gpt-4o", "")
			text := "Hello there, how are you today?"

			est, err := e.svc.EstimateDraft(bobCtx, conv.ID, "", "", text, 0, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			got := est.RefusalInfo
			if !est.Blocked || got == nil || got.Code != tc.code || (got.MaxTokens > 0) != tc.room || (got.RetryAt != nil) != tc.retryAt ||
				!strings.Contains(got.Message, tc.wantInMsg) {
				t.Fatalf("estimate's refusal %+v (blocked %v), want code %s, a room %v, retryAt %v", got, est.Blocked, tc.code, tc.room, tc.retryAt)
			}
			// The warning that says the same refusal in the estimate's words
			// is marked (the window leaves it out while a send's error of
			// that code is shown; the CLI while it prints the refusal), and
			// only it: WarningsBesideRefusal drops exactly it.
			want := map[string]string{chat.CodeInsufficient: "This send may cost up to", chat.CodeLimit: "this send may cost up to"}[tc.code]
			if !strings.HasPrefix(est.RefusalWarning, want) {
				t.Fatalf("estimate's refusalWarning %q, want the %s warning among %q", est.RefusalWarning, tc.code, est.Warnings)
			}
			if besides := est.WarningsBesideRefusal(); len(besides) != len(est.Warnings)-1 || slices.Contains(besides, est.RefusalWarning) ||
				!slices.Contains(est.Warnings, est.RefusalWarning) {
				t.Fatalf("warnings %q, beside the refusal %q, refusalWarning %q", est.Warnings, besides, est.RefusalWarning)
			}
			// The window reads it as JSON "refusal", with "maxTokens" only when one fits.
			b, _ := json.Marshal(est)
			if !strings.Contains(string(b), `"refusal":{"code":"`+tc.code+`"`) || !strings.Contains(string(b), `"refusalWarning":"`) || strings.Contains(string(b), `"maxTokens"`) != tc.room {
				t.Fatalf("estimate JSON %s", b)
			}

			_, sendErr := e.svc.Send(bobCtx, chat.SendRequest{ConversationID: conv.ID, Text: text, Source: chat.SourceUI})
			info := chat.ClassifyFor(bobCtx, sendErr)
			if info == nil || info.Code != tc.code || info.MaxTokens != got.MaxTokens || (info.RetryAt != nil) != tc.retryAt {
				t.Fatalf("send's error %+v (%v), want code %s, maxTokens %d as the estimate's", info, sendErr, tc.code, got.MaxTokens)
			}
			if !tc.room {
				return
			}
			// N is the largest that fits: one more is refused, checked before
			// anything is spent (after a send at N, any budget would be).
			n := got.MaxTokens
			if _, err := e.svc.UpdateConversation(bobCtx, conv.ID, chat.ConversationInput{Settings: &chat.ModelSettings{MaxOutput: n + 1}}); err != nil {
				t.Fatal(err)
			}
			if est, err := e.svc.EstimateDraft(bobCtx, conv.ID, "", "", text, 0, "", nil); err != nil || !est.Blocked || est.RefusalInfo == nil {
				t.Fatalf("estimate at max output %d: %+v (%v), want refused", n+1, est, err)
			}
			// "Use N": the conversation's output budget set to it, the send goes through.
			if _, err := e.svc.UpdateConversation(bobCtx, conv.ID, chat.ConversationInput{Settings: &chat.ModelSettings{MaxOutput: n}}); err != nil {
				t.Fatal(err)
			}
			if est, err := e.svc.EstimateDraft(bobCtx, conv.ID, "", "", text, 0, "", nil); err != nil || est.Blocked || est.RefusalInfo != nil ||
				est.RefusalWarning != "" {
				t.Fatalf("estimate at max output %d: %+v (%v)", n, est, err)
			}
			before := srv.ChatRequests()
			if m, err := e.svc.Send(bobCtx, chat.SendRequest{ConversationID: conv.ID, Text: text, Source: chat.SourceUI}); err != nil || m.Charge == nil {
				t.Fatalf("send at max output %d: %v", n, err)
			}
			if srv.ChatRequests() != before+1 {
				t.Fatal("the send at the budget named reached no provider")
			}
		})
	}
}
