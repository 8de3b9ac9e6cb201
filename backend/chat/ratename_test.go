package chat_test

import (
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// A model named as the rate table names its rows ("local/m1": an Ollama's
// m1) is sent to that provider as that model and priced by that row, not
// charged the default rate as a model called "local/m1"; a real model
// name with a '/' (OpenRouter's "openai/gpt-4o") wins over the split, and
// a row two providers offer is refused, saying what to pass.
func TestRateRowModelName(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("1000000")
	if _, err := e.rates.Apply(adminCtx, rates.Change{Reason: "local rows", Rows: []rates.Row{
		{Provider: rates.Local, Model: "m1", Input: "0.001", Output: "0.002"},
		{Provider: rates.Local, Model: "m2", Input: "0.003", Output: "0.004"},
	}}); err != nil {
		t.Fatal(err)
	}
	servers := map[string]*fake.Server{}
	serve := func(name string, kind providers.Kind, rateProvider string, models []string) {
		srv := fake.NewOpenAI(fake.Script{Usage: fake.Usage{Prompt: 10, Completion: 2, Total: 12}})
		t.Cleanup(srv.Close)
		servers[name] = srv
		e.add(name, kind, rateProvider, srv.BaseURL(), 0)
		e.res.StaticResolver[len(e.res.StaticResolver)-1].Info.Models = models
	}
	serve("Ollama", providers.KindCompatible, rates.Local, []string{"m1", "m2"})
	serve("LM Studio", providers.KindCompatible, rates.Local, []string{"m2"})
	serve("OpenRouter", providers.KindCompatible, rates.Local, []string{"openai/gpt-4o"})
	serve("openai", providers.KindOpenAI, rates.OpenAI, nil)
	serve("Lab", providers.KindOpenAI, rates.OpenAI, nil) // a second OpenAI key, by its own name

	for _, tc := range []struct {
		name, provider, model string
		wantProvider          string
		wantModel             string
		wantAmount            string   // the charge, when the case checks it
		wantErr               []string // words of an ErrInvalid refusal
	}{
		{name: "rate row of a local server", model: "local/m1", wantProvider: "Ollama", wantModel: "m1",
			wantAmount: "0.014"}, // its row: 10 input tokens × 0.001 + 2 output × 0.002, not 1 credit a token
		{name: "rate key matched in any case", model: "Local/m1", wantProvider: "Ollama", wantModel: "m1"},
		{name: "a real name with a slash wins", model: "openai/gpt-4o", wantProvider: "OpenRouter", wantModel: "openai/gpt-4o"},
		{name: "split on the provider named", provider: "openai", model: "openai/gpt-4o", wantProvider: "openai", wantModel: "gpt-4o"},
		{name: "provider named picks among several", provider: "LM Studio", model: "local/m2", wantProvider: "LM Studio", wantModel: "m2"},
		{name: "plain name untouched", model: "m1", wantProvider: "Ollama", wantModel: "m1"},
		// A provider's name as `providers list` shows it, case aside, is a
		// PROVIDER too: "lab/gpt-4o" went whole to a provider, at the
		// default rate, as a model called "lab/gpt-4o".
		{name: "a provider's name as PROVIDER", model: "lab/gpt-4o", wantProvider: "Lab", wantModel: "gpt-4o"},
		{name: "two providers offer the row", model: "local/m2",
			wantErr: []string{`"local/m2" is offered by 2 providers (Ollama, LM Studio): ask for "m2"`,
				"or on the command line add --provider"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.count(`SELECT count(*) FROM chat_conversations`)
			note, nerr := e.svc.SendNote(adminCtx, 0, tc.provider, tc.model)
			est, eerr := e.svc.EstimateDraftWith(adminCtx, 0, tc.provider, tc.model, "Hi", chat.DraftOptions{MaxTokens: 10})
			_, m, err := e.svc.SendNew(adminCtx, chat.ConversationInput{}, chat.SendRequest{Provider: tc.provider, Model: tc.model,
				Text: "Hi", Source: chat.SourceCLI, MaxTokens: 10})
			if tc.wantErr != nil {
				for _, err := range []error{nerr, eerr, err} {
					if !errors.Is(err, chat.ErrInvalid) {
						t.Fatalf("err = %v, want ErrInvalid", err)
					}
					for _, w := range tc.wantErr {
						if !strings.Contains(err.Error(), w) {
							t.Errorf("err = %q, want %q in it", err, w)
						}
					}
					// no --provider "X" the local API cannot follow, no "local/m2 is the rate table's local/m2"
					if strings.Contains(err.Error(), `--provider "`) || strings.Contains(err.Error(), "rate table's") {
						t.Errorf("err = %q: a flag's value only the command line takes, or a tautology", err)
					}
				}
				if got := e.count(`SELECT count(*) FROM chat_conversations`); got != before {
					t.Errorf("conversations %d -> %d: a refused send wrote one", before, got)
				}
				return
			}
			if nerr != nil || eerr != nil || err != nil {
				t.Fatalf("note: %v, estimate: %v, send: %v", nerr, eerr, err)
			}
			if m.Provider != tc.wantProvider || m.Model != tc.wantModel {
				t.Errorf("sent to %s %s, want %s %s", m.Provider, m.Model, tc.wantProvider, tc.wantModel)
			}
			if note.Text != "" && tc.wantModel != "openai/gpt-4o" {
				t.Errorf("note %q: the model has a rate of its own", note.Text)
			}
			if est.DefaultRateNote != note.Text {
				t.Errorf("estimate's note %q, send's %q", est.DefaultRateNote, note.Text)
			}
			if tc.wantAmount != "" && (m.Charge == nil || m.Charge.Amount != tc.wantAmount) {
				t.Errorf("charge %+v, want %s", m.Charge, tc.wantAmount)
			}
			conv, err := e.svc.Conversation(adminCtx, m.ConversationID)
			if err != nil {
				t.Fatal(err)
			}
			if conv.Provider != tc.wantProvider || conv.Model != tc.wantModel {
				t.Errorf("conversation kept %s %s, want %s %s", conv.Provider, conv.Model, tc.wantProvider, tc.wantModel)
			}
		})
	}
	e.checkLedger()
}

// A cloud key's PROVIDER/MODEL ("openai/gpt-4o") is split only when no
// OpenAI-compatible server that may serve any name is configured: a remote
// router, or a server whose list is unknown; with one, the name is left
// whole for routing (cli's TestChatSendsAnOrgModelNameWhereItWentBefore: it
// goes to the router), and its warning that the router does not list it
// says how to send it to openai. A local server (an Ollama on this
// computer) whose list is known and lacks the name takes no part: the
// name is split, as it was before there was any such server, and not sent
// to the Ollama at the default rate.
func TestRateRowModelNameOfACloudKey(t *testing.T) {
	for _, tc := range []struct {
		name       string
		server     bool // an OpenAI-compatible server besides openai
		local      bool // on this computer
		models     []string
		unreported bool
		wantSplit  bool
		refused    bool // ambiguous: refused, nothing sent
	}{
		{name: "no compatible server", wantSplit: true},
		{name: "remote router lacking the model", server: true, models: []string{"openai/gpt-4o-mini"}},
		{name: "remote router never listed", server: true, unreported: true},
		{name: "local Ollama lacking the model", server: true, local: true, models: []string{"llama3.2"}, wantSplit: true},
		// A server on this computer whose models are not known (an Ollama
		// not running) may serve the name, or it means openai's gpt-4o:
		// it went to the server, which was not what an offline user who
		// typed OpenAI's model meant; now refused, naming both.
		{name: "local server never listed", server: true, local: true, unreported: true, refused: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("1000000")
			srv := fake.NewOpenAI(fake.Script{Usage: fake.Usage{Prompt: 10, Completion: 2, Total: 12}})
			t.Cleanup(srv.Close)
			e.add("openai", providers.KindOpenAI, rates.OpenAI, srv.BaseURL(), 0)
			if tc.server {
				e.add("Server", providers.KindCompatible, rates.Local, srv.BaseURL(), 0)
				info := &e.res.StaticResolver[1].Info
				info.Local, info.Models, info.Unreported = tc.local, tc.models, tc.unreported
				e.res.slashTo = "Server" // as the providers service routes a name with a '/'
			}
			note, err := e.svc.SendNote(adminCtx, 0, "", "openai/gpt-4o")
			if tc.refused {
				want := `"openai/gpt-4o" may be openai's gpt-4o or a model of Server (on this computer, its models not known yet) named "openai/gpt-4o": ask for "gpt-4o" for openai's, or on the command line add --provider openai for openai's or --provider Server for the name as it is`
				if !errors.Is(err, chat.ErrInvalid) || !strings.HasSuffix(err.Error(), want) {
					t.Fatalf("note: %v, want refused: %s", err, want)
				}
				if _, _, err := e.svc.SendNew(adminCtx, chat.ConversationInput{}, chat.SendRequest{Model: "openai/gpt-4o",
					Text: "Hi", Source: chat.SourceCLI, MaxTokens: 10}); !errors.Is(err, chat.ErrInvalid) {
					t.Fatalf("send: %v, want refused", err)
				}
				if got := srv.ChatRequests(); got != 0 {
					t.Errorf("%d requests reached a provider", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// split, gpt-4o has a rate of its own; whole, "openai/gpt-4o" has none
			if split := note.Text == ""; split != tc.wantSplit {
				t.Fatalf("note %q, want the name split %v", note.Text, tc.wantSplit)
			}
			_, m, err := e.svc.SendNew(adminCtx, chat.ConversationInput{}, chat.SendRequest{Model: "openai/gpt-4o",
				Text: "Hi", Source: chat.SourceCLI, MaxTokens: 10})
			if err != nil {
				t.Fatal(err)
			}
			wantProvider, wantModel := "Server", "openai/gpt-4o"
			if tc.wantSplit {
				wantProvider, wantModel = "openai", "gpt-4o"
			}
			if m.Provider != wantProvider || m.Model != wantModel {
				t.Errorf("sent to %s %s, want %s %s", m.Provider, m.Model, wantProvider, wantModel)
			}
			hint := "; for openai's gpt-4o, choose openai (on the command line add --provider openai)"
			if tc.models != nil && !tc.wantSplit {
				if !note.Unlisted || !strings.HasSuffix(note.Text, hint) {
					t.Errorf("note %q (unlisted %v), want the unlisted warning ending %q", note.Text, note.Unlisted, hint)
				}
				est, err := e.svc.EstimateDraftWith(adminCtx, 0, "", "openai/gpt-4o", "Hi", chat.DraftOptions{MaxTokens: 10})
				if err != nil || est.DefaultRateNote != note.Text {
					t.Errorf("estimate's note %q (%v), want the send's %q", est.DefaultRateNote, err, note.Text)
				}
				// the provider named: the send goes where it was sent, no hint
				named, err := e.svc.SendNote(adminCtx, 0, "Server", "openai/gpt-4o")
				if err != nil || !named.Unlisted || strings.Contains(named.Text, "--provider") {
					t.Errorf("note with Server named %q (%v), want the unlisted warning without the hint", named.Text, err)
				}
			}
		})
	}
}
