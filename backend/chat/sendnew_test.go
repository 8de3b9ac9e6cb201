package chat_test

import (
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestSendNewLeavesNothingWhenNothingIsStored: a first message sent with
// SendNew (meterdesk chat without --conversation) that stores nothing —
// refused by a spending limit or for credits (at a model's rate or the default rate) before any
// provider request, a provider error or an error event before any text,
// offline, no such provider, a bad request —
// removes the conversation it made: none is left, with no draft, and the id
// is 0. A reply cut off after some text keeps it.
func TestSendNewLeavesNothingWhenNothingIsStored(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fund     string
		script   fake.Script
		offline  bool
		provider string
		model    string
		text     string
		code     string // Classify's code
		requests int    // provider requests
		kept     bool   // the conversation stays, with the message and the cut reply
		limit    string // a spending limit (credits) of the sender, "" = none
	}{
		{"not enough credits", "1", fake.Script{Chunks: []string{"Hello"}}, false, "", "gpt-4o", "Hi", chat.CodeInsufficient, 0, false, ""},
		{"over a spending limit", "100", fake.Script{Chunks: []string{"Hello"}}, false, "", "gpt-4o", "Hi", chat.CodeLimit, 0, false, "1"},
		{"provider error before any text", "100", fake.Script{Fault: fake.ServerError}, false, "", "gpt-4o", "Hi", chat.CodeProvider, 1, false, ""},
		{"error event before any text", "100", fake.Script{Fault: fake.StreamError}, false, "", "gpt-4o", "Hi", chat.CodeProvider, 1, false, ""},
		{"offline", "100", fake.Script{}, true, "", "gpt-4o", "Hi", chat.CodeOffline, 0, false, ""},
		// An unpriced model costs the default rate, 1 credit per token.
		{"default rate refused", "100", fake.Script{Chunks: []string{"Hello"}}, false, "", "gpt-unpriced", "Hi", chat.CodeInsufficient, 0, false, ""},
		{"no such provider", "100", fake.Script{}, false, "nope", "gpt-4o", "Hi", chat.CodeNoProvider, 0, false, ""},
		{"not valid text", "100", fake.Script{}, false, "", "gpt-4o", "Hi \xff", chat.CodeInvalid, 0, false, ""},
		{"dropped after some text", "100", fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Drop, FailAfter: 1},
			false, "", "gpt-4o", "Hi", chat.CodeInterrupted, 1, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var funder chat.Funder
			ctx := adminCtx
			if tc.limit != "" { // a member's limit (the admin has none)
				funder, ctx = &limitFunder{payer: ledger.AccountPool, limit: tc.limit}, memberCtx(5)
			}
			e := newEnv(t, funder)
			e.fund(tc.fund)
			srv := fake.NewOpenAI(tc.script)
			defer srv.Close()
			url := srv.BaseURL()
			if tc.offline {
				url = closedURL(t)
			}
			e.add("openai", providers.KindOpenAI, rates.OpenAI, url, 0)
			model, system := tc.model, "Be brief."
			id, m, err := e.svc.SendNew(ctx, chat.ConversationInput{Model: &model, SystemPrompt: &system},
				chat.SendRequest{Provider: tc.provider, Text: tc.text, Source: chat.SourceCLI})
			if info := chat.Classify(err); info == nil || info.Code != tc.code {
				t.Fatalf("send = %d, %+v, %v (%+v); want code %s", id, m, err, info, tc.code)
			}
			if n := srv.ChatRequests(); n != tc.requests {
				t.Fatalf("the provider got %d requests, want %d", n, tc.requests)
			}
			list, err := e.svc.ListConversations(ctx, "", 0)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.kept {
				if id != 0 || m != nil || len(list) != 0 || e.count(`SELECT count(*) FROM chat_conversations`) != 0 ||
					e.count(`SELECT count(*) FROM chat_messages`) != 0 {
					t.Fatalf("id %d message %+v, conversations %+v; want none left", id, m, list)
				}
			} else {
				if id == 0 || m == nil || m.Status != chat.StatusInterrupted || m.ConversationID != id || len(list) != 1 ||
					list[0].ID != id || list[0].Messages != 2 || list[0].Draft != "" || list[0].SystemPrompt != system {
					t.Fatalf("id %d message %+v, conversations %+v; want the conversation kept with its 2 messages", id, m, list)
				}
			}
			if e.balance("pool") == tc.fund && tc.kept || e.balance("pool") != tc.fund && !tc.kept {
				t.Fatalf("pool %s (from %s): charged %v, want %v", e.balance("pool"), tc.fund, !tc.kept, tc.kept)
			}
			e.checkLedger()

			// The next conversation gets a new id: a removed one's is not
			// handed out again (its voided hold may name it). A text Send
			// refuses is refused before the conversation is made
			// (checkMessage): nothing was written, so the next is the first.
			want := int64(2)
			if tc.name == "not valid text" {
				want = 1
			}
			next := e.conversation("openai", "gpt-4o", "")
			if next.ID != want {
				t.Fatalf("next conversation %d, want %d", next.ID, want)
			}
		})
	}
}

// TestSendNewRetryReturnsTheStoredReply: SendNew with the id of a message
// already sent returns that reply and its conversation, without a new
// conversation or a second request.
func TestSendNewRetryReturnsTheStoredReply(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 1}})
	model := "gpt-4o"
	req := chat.SendRequest{MessageID: chat.NewID(), Text: "Hi", Source: chat.SourceCLI}
	id, m, err := e.svc.SendNew(adminCtx, chat.ConversationInput{Model: &model}, req)
	if err != nil || id == 0 || m == nil || m.Content != "Hello" {
		t.Fatalf("send = %d, %+v, %v", id, m, err)
	}
	again, m2, err := e.svc.SendNew(adminCtx, chat.ConversationInput{Model: &model}, req)
	if err != nil || again != id || m2 == nil || m2.UID != m.UID || srv.ChatRequests() != 1 ||
		e.count(`SELECT count(*) FROM chat_conversations`) != 1 {
		t.Fatalf("retry = %d, %+v, %v; %d requests", again, m2, err, srv.ChatRequests())
	}
	if _, _, err := e.svc.SendNew(adminCtx, chat.ConversationInput{Model: &model},
		chat.SendRequest{ConversationID: id, Text: "Hi", Source: chat.SourceCLI}); !errors.Is(err, chat.ErrInvalid) {
		t.Fatalf("SendNew naming a conversation: %v, want ErrInvalid", err)
	}
}

// TestOnlyTheWindowsSendsTouchTheDraft: the draft is the window's composer's.
// A CLI send to a conversation (meterdesk chat --conversation ID) neither
// replaces it with its prompt when refused nor clears it when sent; a
// window send of a new message keeps its text as the draft when refused and
// clears the draft when sent.
func TestOnlyTheWindowsSendsTouchTheDraft(t *testing.T) {
	for _, tc := range []struct {
		name   string
		source string
		broken bool
		want   string // the draft after the send
	}{
		{"CLI, refused", chat.SourceCLI, true, "half-typed"},
		{"CLI, sent", chat.SourceCLI, false, "half-typed"},
		{"window, refused", chat.SourceUI, true, "From the composer"},
		{"window, sent", chat.SourceUI, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			script := fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 1}}
			if tc.broken {
				script = fake.Script{Fault: fake.ServerError}
			}
			e.openAI(script)
			conv := e.conversation("openai", "gpt-4o", "")
			if err := e.svc.SaveDraft(adminCtx, conv.ID, "half-typed"); err != nil {
				t.Fatal(err)
			}
			text := "From the terminal"
			if tc.source == chat.SourceUI {
				text = "From the composer"
			}
			m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: text, Source: tc.source})
			if tc.broken != (err != nil) || tc.broken != (m == nil) {
				t.Fatalf("send = %+v, %v; want refused=%v", m, err, tc.broken)
			}
			got, err := e.svc.Conversation(adminCtx, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Draft != tc.want {
				t.Fatalf("draft %q, want %q", got.Draft, tc.want)
			}
			if want := map[bool]int{true: 0, false: 2}[tc.broken]; got.Messages != want {
				t.Fatalf("%d messages, want %d", got.Messages, want)
			}
			if tc.broken && strings.Contains(got.Title, "From") {
				t.Fatalf("title %q: an undone message renamed the conversation", got.Title)
			}
		})
	}
}
