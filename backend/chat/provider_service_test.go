package chat_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestProviderServiceResolvesConfiguredProviders sends through a provider
// configured in backend/providers and lists it in the model picker.
func TestProviderServiceResolvesConfiguredProviders(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	e := newEnv(t, nil)
	e.fund("100")
	srv := fake.NewOpenAI(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 2}})
	defer srv.Close()
	ps := providers.NewService(e.db, t.TempDir(), providers.ServiceOptions{})
	if _, err := ps.Add(adminCtx, providers.Input{Name: "Work", Kind: providers.KindOpenAI, BaseURL: srv.BaseURL(), APIKey: "sk-test-0123456789"}); err != nil {
		t.Fatal(err)
	}
	svc := chat.New(e.db, e.led, e.rates, nil, chat.NewProviderService(ps), nil, nil)
	conv, err := svc.CreateConversation(adminCtx, chat.ConversationInput{})
	if err != nil {
		t.Fatal(err)
	}
	// No provider named: the only one serves gpt-4o; then by name.
	for _, prov := range []string{"", "work"} {
		m, err := svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Provider: prov, Model: "gpt-4o", Text: "Hi", Source: chat.SourceUI})
		if err != nil || m.Charge.Amount != "0.032" || m.Provider != "Work" {
			t.Fatalf("send via %q = %+v, %v", prov, m, err)
		}
	}
	if _, err := svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Provider: "nope", Model: "gpt-4o", Text: "Hi", Source: chat.SourceUI}); !errors.Is(err, chat.ErrNoProvider) {
		t.Fatalf("unknown provider = %v", err)
	}
	opts, err := svc.Models(adminCtx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range opts {
		if o.Provider == "Work" && o.Model == "gpt-4o" {
			found = o.Input == "0.002" && o.Output == "0.008" && !o.Free
		}
	}
	if !found {
		t.Fatalf("gpt-4o with its rates not in the picker: %+v", opts)
	}
	st, err := svc.Status(adminCtx)
	if err != nil || st.Payer != "pool" || st.Available != "99.936" || !st.Low || st.Threshold != "100" {
		t.Fatalf("status = %+v, %v", st, err)
	}
	e.checkLedger()
}

// TestSavedServersOfferTheirOwnModels: saving an OpenAI-compatible provider
// learns its models at once (no separate step), and each such server offers
// in the picker the models it reported, not the other servers' too.
func TestSavedServersOfferTheirOwnModels(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	e := newEnv(t, nil)
	ollama := fake.NewOpenAI(fake.Script{Models: []string{"llama3.2", "qwen2.5"}})
	defer ollama.Close()
	lmstudio := fake.NewOpenAI(fake.Script{Models: []string{"phi-4"}})
	defer lmstudio.Close()
	ps := providers.NewService(e.db, t.TempDir(), providers.ServiceOptions{Catalogue: e.rates})
	for name, srv := range map[string]*fake.Server{"Ollama": ollama, "LM Studio": lmstudio} {
		if _, err := ps.Add(adminCtx, providers.Input{Name: name, Kind: providers.KindCompatible, BaseURL: srv.BaseURL()}); err != nil {
			t.Fatal(err)
		}
	}
	svc := chat.New(e.db, e.led, e.rates, nil, chat.NewProviderService(ps), nil, nil)
	opts, err := svc.Models(adminCtx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, o := range opts {
		got[o.Provider] = append(got[o.Provider], o.Model)
	}
	if strings.Join(got["Ollama"], ",") != "llama3.2,qwen2.5" || strings.Join(got["LM Studio"], ",") != "phi-4" {
		t.Fatalf("picker = %v", got)
	}
	// A server that never answered has reported nothing: it offers the local
	// models with rates of their own (llama3.2 is priced from the factory) and
	// the admins' custom ones, not the models the other servers reported.
	down := fake.NewOpenAI(fake.Script{})
	down.Close()
	if _, err := ps.Add(adminCtx, providers.Input{Name: "Down", Kind: providers.KindCompatible, BaseURL: down.BaseURL()}); err != nil {
		t.Fatal(err)
	}
	if err := e.rates.AddModel(adminCtx, rates.Local, "my-model"); err != nil {
		t.Fatal(err)
	}
	opts, err = svc.Models(adminCtx)
	if err != nil {
		t.Fatal(err)
	}
	got = map[string][]string{}
	for _, o := range opts {
		got[o.Provider] = append(got[o.Provider], o.Model)
	}
	if strings.Join(got["Down"], ",") != "llama3.2,my-model" || strings.Join(got["Ollama"], ",") != "llama3.2,qwen2.5" {
		t.Fatalf("picker with a server that never reported = %v", got)
	}
}

// TestSendsThatNameNoProviderGoWhereTheModelIsListed: a send with no
// provider (the local API, `meterdesk chat` without --provider) goes to the
// provider that reported the model, as the model lists show it, never to a
// cloud provider because of the name's prefix: a local "deepseek-r1:7b"
// stays on the local server even with DeepSeek's cloud configured.
func TestSendsThatNameNoProviderGoWhereTheModelIsListed(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	e := newEnv(t, nil)
	e.fund("100000") // the default rates (1 credit per token) hold for the whole output budget
	ollama := fake.NewOpenAI(fake.Script{Models: []string{"deepseek-r1:7b", "gpt-oss:20b"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	defer ollama.Close()
	lmstudio := fake.NewOpenAI(fake.Script{Models: []string{"phi-4"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	defer lmstudio.Close()
	cloud := fake.NewOpenAI(fake.Script{Models: []string{"deepseek-chat"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	defer cloud.Close()
	ps := providers.NewService(e.db, t.TempDir(), providers.ServiceOptions{Catalogue: e.rates})
	for _, in := range []providers.Input{
		{Name: "A cloud", Kind: providers.KindDeepSeek, BaseURL: cloud.BaseURL(), APIKey: "sk-cloud-0123456789"},
		{Name: "B LM Studio", Kind: providers.KindCompatible, BaseURL: lmstudio.BaseURL()},
		{Name: "C Ollama", Kind: providers.KindCompatible, BaseURL: ollama.BaseURL()},
	} {
		if _, err := ps.Add(adminCtx, in); err != nil {
			t.Fatal(err)
		}
	}
	svc := chat.New(e.db, e.led, e.rates, nil, chat.NewProviderService(ps), nil, nil)
	for _, c := range []struct {
		model, provider string
		srv             *fake.Server
	}{
		{"deepseek-r1:7b", "C Ollama", ollama},      // listed by Ollama; a DeepSeek-like name
		{"gpt-oss:20b", "C Ollama", ollama},         // listed by Ollama; an OpenAI-like name
		{"phi-4", "B LM Studio", lmstudio},          // listed by the second local server, not the first
		{"deepseek-chat", "A cloud", cloud},         // listed by the cloud
		{"deepseek-reasoner", "A cloud", cloud},     // not listed: the kind its name suggests
		{"qwen3:4b", "B LM Studio", lmstudio},       // not listed, tagged: a local server, never the cloud
		{"org/some-model", "B LM Studio", lmstudio}, // not listed, an organisation: a local server or router
	} {
		before := c.srv.ChatRequests()
		conv, err := svc.CreateConversation(adminCtx, chat.ConversationInput{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Model: c.model, Text: "Hi", Source: chat.SourceAPI})
		if err != nil {
			t.Errorf("%s: %v", c.model, err)
		} else if m.Provider != c.provider || c.srv.ChatRequests() != before+1 {
			t.Errorf("%s: sent to %q, want %q", c.model, m.Provider, c.provider)
		}
	}
	e.checkLedger()
}

// TestUnlistedLocalNamesPreferAServerOnThisComputer: a tagged model name no
// provider has listed goes to an OpenAI-compatible server on this computer
// before a remote one of the same kind (a cloud router), whatever their
// names' order.
func TestUnlistedLocalNamesPreferAServerOnThisComputer(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	e := newEnv(t, nil)
	ollama := fake.NewOpenAI(fake.Script{Models: []string{"llama3.2"}})
	defer ollama.Close()
	ps := providers.NewService(e.db, t.TempDir(), providers.ServiceOptions{Catalogue: e.rates})
	for _, in := range []providers.Input{
		{Name: "A router", Kind: providers.KindCompatible, BaseURL: "https://router.invalid/api/v1", APIKey: "sk-router-0123456789"},
		{Name: "B Ollama", Kind: providers.KindCompatible, BaseURL: ollama.BaseURL()},
	} {
		if _, err := ps.Add(adminCtx, in); err != nil {
			t.Fatal(err)
		}
	}
	r := chat.NewProviderService(ps)
	for model, want := range map[string]string{"qwen3:4b": "B Ollama", "llama3.2": "B Ollama"} {
		tg, err := r.Resolve(adminCtx, "", model)
		if err != nil || tg.Name != want {
			t.Errorf("%s: %q, %v; want %q", model, tg.Name, err, want)
		}
	}
}

// TestCloudProvidersOfferWhatTheyStillList: a cloud provider's models once
// reported stayed in the picker for ever, and sends to them then failed
// with the provider's 404 model_not_found. Once it has listed its models,
// it offers of the catalogue only what its last listing had (built-in or
// reported), and the admins' custom models; a model it stops listing
// leaves the picker at its next listing, its rates kept in the table.
// A provider that never listed offers the whole catalogue, as before.
func TestCloudProvidersOfferWhatTheyStillList(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	e := newEnv(t, nil)
	srv := fake.NewOpenAI(fake.Script{Models: []string{"gpt-4o", "gpt-4o-2024-05-13", "gpt-5"}})
	defer srv.Close()
	ps := providers.NewService(e.db, t.TempDir(), providers.ServiceOptions{Catalogue: e.rates})
	p, err := ps.Add(adminCtx, providers.Input{Name: "Work", Kind: providers.KindOpenAI, BaseURL: srv.BaseURL(), APIKey: "sk-test-0123456789"})
	if err != nil || p.ModelsError != "" {
		t.Fatalf("add: %+v, %v", p, err)
	}
	if err := e.rates.AddModel(adminCtx, rates.OpenAI, "ft:gpt-4o:acme"); err != nil {
		t.Fatal(err)
	}
	svc := chat.New(e.db, e.led, e.rates, nil, chat.NewProviderService(ps), nil, nil)
	offered := func() string {
		t.Helper()
		opts, err := svc.Models(adminCtx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, o := range opts {
			got = append(got, o.Model)
		}
		return strings.Join(got, ",")
	}
	if got, want := offered(), "gpt-5,gpt-4o,ft:gpt-4o:acme,gpt-4o-2024-05-13"; got != want {
		t.Errorf("picker = %s; want %s (gpt-4-turbo and the other built-ins it does not list left out)", got, want)
	}
	// The snapshot is retired: the next listing drops it from the picker.
	srv.SetScript(fake.Script{Models: []string{"gpt-4o", "gpt-5"}})
	if ml, err := ps.Models(adminCtx, p.ID); err != nil || ml.Stale {
		t.Fatalf("listing: %+v, %v", ml, err)
	}
	if got, want := offered(), "gpt-5,gpt-4o,ft:gpt-4o:acme"; got != want {
		t.Errorf("picker after the snapshot was retired = %s; want %s", got, want)
	}
	tab, err := e.rates.Table(adminCtx)
	if err != nil {
		t.Fatal(err)
	}
	kept := false
	for _, pm := range tab.Providers {
		for _, m := range pm.Models {
			kept = kept || m.Model == "gpt-4o-2024-05-13"
		}
	}
	if !kept {
		t.Error("the retired model left the rate table")
	}
}

// TestLowBalanceReadsTheBalanceNotTheHolds: the low-balance flag (the chat
// window's banner) is the balance under the alert threshold, as the alerts
// judge it; a send's hold, open while its reply is written, lowers what is
// available (shown) but does not make a payer above the threshold "low".
func TestLowBalanceReadsTheBalanceNotTheHolds(t *testing.T) {
	for _, tc := range []struct {
		name, fund, hold, available string
		low                         bool
	}{
		{"above, no hold", "110", "", "110", false},
		{"above, a send's hold takes available below", "110", "16.399", "93.601", false},
		{"at the threshold, a hold open", "100", "5", "95", false},
		// "warning below 100" means below: one minor unit under it is
		// low, the threshold itself and one unit over it are not.
		{"one minor unit under the threshold", "99.999999999", "", "99.999999999", true},
		{"exactly at the threshold", "100", "", "100", false},
		{"one minor unit over the threshold", "100.000000001", "", "100.000000001", false},
		{"below, no hold", "99.5", "", "99.5", true},
		{"below, a hold open", "99.5", "10", "89.5", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund(tc.fund)
			svc := chat.New(e.db, e.led, e.rates, nil, nil, nil, nil)
			if tc.hold != "" {
				if _, err := e.led.Hold(systemCtx, ledger.HoldRequest{ID: "hold:send", From: ledger.AccountPool,
					Amount: decimal.RequireFromString(tc.hold)}); err != nil {
					t.Fatal(err)
				}
			}
			st, err := svc.Status(adminCtx)
			if err != nil || st.Available != tc.available || st.Low != tc.low || st.Threshold != "100" {
				t.Fatalf("status = %+v, %v; want available %s, low %v", st, err, tc.available, tc.low)
			}
		})
	}
}
