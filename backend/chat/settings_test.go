package chat_test

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

func ptr(v float64) *float64 { return &v }

// stored is s as a conversation keeps it: a reasoning level left empty is
// the default.
func stored(s chat.ModelSettings) chat.ModelSettings {
	if s.Reasoning == "" {
		s.Reasoning = providers.ReasoningDefault
	}
	return s
}

// lastBody decodes the body of the last chat request srv received.
func lastBody(t *testing.T, srv *fake.Server) map[string]any {
	t.Helper()
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == "POST" {
			var m map[string]any
			if err := json.Unmarshal(reqs[i].Body, &m); err != nil {
				t.Fatalf("request body: %v", err)
			}
			return m
		}
	}
	t.Fatal("no chat request")
	return nil
}

func TestModelSettingsAreSentAndHeldFor(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"Hi."}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")

	// Defaults: no sampling parameter, the model's output budget.
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "one", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	body := lastBody(t, srv)
	_, hasT := body["temperature"]
	_, hasP := body["top_p"]
	if hasT || hasP || body["max_completion_tokens"] != float64(4096) {
		t.Fatalf("default request %v", body)
	}

	set := chat.ModelSettings{Temperature: ptr(0.3), TopP: ptr(0.9), MaxOutput: 64}
	up, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Settings: &set})
	if err != nil || !reflect.DeepEqual(up.Settings, stored(set)) {
		t.Fatalf("update = %+v, %v", up.Settings, err)
	}
	// The composer's estimate holds for the conversation's budget, and the
	// send holds exactly that.
	est, err := e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "two", 0, "", nil)
	if err != nil || est.Estimate.MaxOutputTokens != 64 {
		t.Fatalf("estimate %+v, %v", est.Estimate, err)
	}
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "two", Source: chat.SourceUI})
	if err != nil {
		t.Fatal(err)
	}
	if m.Charge.Hold != est.Estimate.High {
		t.Fatalf("held %s, estimated %s", m.Charge.Hold, est.Estimate.High)
	}
	body = lastBody(t, srv)
	if body["temperature"] != 0.3 || body["top_p"] != 0.9 || body["max_completion_tokens"] != float64(64) {
		t.Fatalf("request with settings %v", body)
	}

	// A send's own values win for that send only.
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "three", Source: chat.SourceCLI,
		Temperature: ptr(1.5), MaxTokens: 32}); err != nil {
		t.Fatal(err)
	}
	body = lastBody(t, srv)
	if body["temperature"] != 1.5 || body["top_p"] != 0.9 || body["max_completion_tokens"] != float64(32) {
		t.Fatalf("request with overrides %v", body)
	}
	if got, _ := e.svc.Conversation(adminCtx, conv.ID); !reflect.DeepEqual(got.Settings, stored(set)) {
		t.Fatalf("a send's overrides changed the conversation: %+v", got.Settings)
	}
	e.checkLedger()
}

func TestModelSettingsUpdateAndDefaults(t *testing.T) {
	e := newEnv(t, nil)
	// A conversation stored before settings existed (no columns named) reads
	// as all defaults, its reasoning "default".
	if _, err := e.db.Writer().Exec(`INSERT INTO chat_conversations(id, user_id, title, created_at, updated_at)
		VALUES (90, 0, 'old', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}
	old, err := e.svc.Conversation(adminCtx, 90)
	if err != nil || old.Settings != stored(chat.ModelSettings{}) {
		t.Fatalf("old conversation %+v, %v", old.Settings, err)
	}

	zero := chat.ModelSettings{Temperature: ptr(0)} // 0 is a temperature, not "default"
	c, err := e.svc.CreateConversation(adminCtx, chat.ConversationInput{Settings: &zero})
	if err != nil || c.Settings.Temperature == nil || *c.Settings.Temperature != 0 || c.Settings.TopP != nil {
		t.Fatalf("create with settings %+v, %v", c.Settings, err)
	}
	title := "Renamed"
	c, err = e.svc.UpdateConversation(adminCtx, c.ID, chat.ConversationInput{Title: title})
	if err != nil || c.Title != title || !reflect.DeepEqual(c.Settings, stored(zero)) {
		t.Fatalf("an update without settings changed them: %+v, %v", c.Settings, err)
	}
	c, err = e.svc.UpdateConversation(adminCtx, c.ID, chat.ConversationInput{Settings: &chat.ModelSettings{}})
	if err != nil || c.Settings != stored(chat.ModelSettings{}) {
		t.Fatalf("reset to defaults: %+v, %v", c.Settings, err)
	}
}

func TestModelSettingsBadValues(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"Hi."}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	good := chat.ModelSettings{Temperature: ptr(0.7), MaxOutput: 100}
	conv := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Settings: &good}); err != nil {
		t.Fatal(err)
	}
	hist := func(n int) *int { return &n }
	// field: the setting the refusal is about, by its JSON name
	// (inputerr.Field), which the window's Model settings mark;
	// text: the Go text after the operation, the CLI's, unchanged by it.
	for _, tc := range []struct {
		name        string
		set         chat.ModelSettings
		field, text string
	}{
		{"temperature below 0", chat.ModelSettings{Temperature: ptr(-0.1)}, "temperature", "invalid chat request: temperature must be a number from 0 to 2"},
		{"temperature above 2", chat.ModelSettings{Temperature: ptr(2.01)}, "temperature", "invalid chat request: temperature must be a number from 0 to 2"},
		{"temperature NaN", chat.ModelSettings{Temperature: ptr(math.NaN())}, "temperature", "invalid chat request: temperature must be a number from 0 to 2"},
		{"temperature infinite", chat.ModelSettings{Temperature: ptr(math.Inf(1))}, "temperature", "invalid chat request: temperature must be a number from 0 to 2"},
		{"top_p above 1", chat.ModelSettings{TopP: ptr(1.5)}, "topP", "invalid chat request: top_p must be a number from 0 to 1"},
		{"top_p below 0", chat.ModelSettings{TopP: ptr(-1)}, "topP", "invalid chat request: top_p must be a number from 0 to 1"},
		{"negative max output", chat.ModelSettings{MaxOutput: -1}, "maxOutput", "invalid chat request: max output must be from 0 (the model's default) to 1048576 tokens"},
		{"max output too large", chat.ModelSettings{MaxOutput: chat.MaxRequestTokens + 1}, "maxOutput", "invalid chat request: max output must be from 0 (the model's default) to 1048576 tokens"},
		{"reasoning unknown", chat.ModelSettings{Reasoning: "extreme"}, "reasoning", `invalid chat request: reasoning must be default, off, low, medium or high (not "extreme")`},
		{"reasoning minimal", chat.ModelSettings{Reasoning: "minimal"}, "reasoning", `invalid chat request: reasoning must be default, off, low, medium or high (not "minimal")`},
		{"reasoning blank inside", chat.ModelSettings{Reasoning: "hi gh"}, "reasoning", `invalid chat request: reasoning must be default, off, low, medium or high (not "hi gh")`},
		{"history negative", chat.ModelSettings{History: hist(-2)}, "history", "invalid chat request: history must be all or from 0 to 1000 exchanges (not -2)"},
		{"a good temperature and a bad top_p", chat.ModelSettings{Temperature: ptr(1), TopP: ptr(7)}, "topP", "invalid chat request: top_p must be a number from 0 to 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.count(`SELECT count(*) FROM chat_conversations`)
			_, err := e.svc.CreateConversation(adminCtx, chat.ConversationInput{Settings: &tc.set})
			if !errors.Is(err, chat.ErrInvalid) {
				t.Fatalf("create: %v, want ErrInvalid", err)
			}
			if !strings.HasSuffix(err.Error(), ": "+tc.text) || inputerr.Field(err) != tc.field {
				t.Errorf("create: %q about %q\nwant it to end %q, about %q", err, inputerr.Field(err), tc.text, tc.field)
			}
			if n := e.count(`SELECT count(*) FROM chat_conversations`); n != before {
				t.Fatalf("a refused create stored a conversation (%d → %d)", before, n)
			}
			_, err = e.svc.UpdateConversation(adminCtx, conv.ID, chat.ConversationInput{Settings: &tc.set})
			if !errors.Is(err, chat.ErrInvalid) {
				t.Fatalf("update: %v, want ErrInvalid", err)
			}
			if !strings.HasSuffix(err.Error(), ": "+tc.text) || inputerr.Field(err) != tc.field {
				t.Errorf("update: %q about %q\nwant it to end %q, about %q", err, inputerr.Field(err), tc.text, tc.field)
			}
			if got, _ := e.svc.Conversation(adminCtx, conv.ID); !reflect.DeepEqual(got.Settings, stored(good)) {
				t.Fatalf("a refused update changed the settings to %+v", got.Settings)
			}
		})
	}
	// A send's own bad values: refused before any hold or provider call.
	for _, req := range []chat.SendRequest{
		{Temperature: ptr(3)}, {TopP: ptr(-0.5)}, {MaxTokens: -5}, {MaxTokens: chat.MaxRequestTokens + 1},
		{Reasoning: "extreme"}, {Reasoning: "none"},
	} {
		req.ConversationID, req.Text, req.Source = conv.ID, "hello", chat.SourceCLI
		if _, err := e.svc.Send(adminCtx, req); !errors.Is(err, chat.ErrInvalid) || strings.Count(err.Error(), chat.ErrInvalid.Error()) != 1 {
			t.Fatalf("send %+v: %v, want ErrInvalid said once", req, err)
		}
	}
	if n := srv.ChatRequests(); n != 0 {
		t.Fatalf("%d provider requests for refused sends", n)
	}
	if n := e.count(`SELECT count(*) FROM ledger_transfers`); n != 1 { // the top-up
		t.Fatalf("%d transfers after refused sends", n)
	}
	if e.charged() != "0" {
		t.Fatalf("charged %s", e.charged())
	}
	e.checkLedger()
}

// TestParseSettingNumber: a temperature or top P is a plain decimal, as the
// window's settings form reads it (frontend/src/api/chat.ts parseSettings);
// the other forms Go's ParseFloat takes are refused.
func TestParseSettingNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
	}{
		{"0.7", 0.7}, {" 1 ", 1}, {".5", 0.5}, {"1.", 1}, {"-0.1", -0.1}, {"0", 0}, {"2.000", 2},
	} {
		if got, err := chat.ParseSettingNumber(c.in); err != nil || got != c.want {
			t.Errorf("chat.ParseSettingNumber(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", " ", "1e-1", "1E2", "1e-400", "0x1p-1", "0_1", "Inf", "NaN", "+1", "1,5", ".", "-", "1.2.3", "--1"} {
		if got, err := chat.ParseSettingNumber(bad); !errors.Is(err, chat.ErrNotANumber) {
			t.Errorf("chat.ParseSettingNumber(%q) = %v, %v; want ErrNotANumber", bad, got, err)
		}
	}
}
