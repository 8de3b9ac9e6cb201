package chat_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// sameAsStored fails unless the message Send returned is exactly what
// Message reads back from the database (Send builds it from what it stored
// instead of reading the message and its conversation again).
func (e *env) sameAsStored(m *chat.Message) {
	e.t.Helper()
	if m == nil {
		e.t.Fatal("no message returned")
	}
	stored, err := e.svc.Message(adminCtx, m.UID)
	if err != nil {
		e.t.Fatalf("read back %s: %v", m.UID, err)
	}
	got, _ := json.Marshal(m)
	want, _ := json.Marshal(stored)
	if string(got) != string(want) || !m.CreatedAt.Equal(stored.CreatedAt) {
		e.t.Fatalf("Send returned\n %s\nbut the database holds\n %s", got, want)
	}
}

// TestRateChangeAppliesToTheNextSend: the rate version is read (with a
// cached prepared statement) on every send, so a rate change between two
// sends prices the second with the new rate and names its version.
func TestRateChangeAppliesToTheNextSend(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	send := func() *chat.Message {
		t.Helper()
		m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceUI})
		if err != nil {
			t.Fatal(err)
		}
		e.sameAsStored(m)
		return m
	}
	steps := []struct {
		input, output string
		want          string // 8 input + 2 output tokens
	}{
		{"", "", "0.032"}, // the test rates: 0.002 / 0.008
		{"0.01", "0.1", "0.28"},
		{"0.001", "0.004", "0.016"},
	}
	var lastVersion int64
	for i, st := range steps {
		if st.input != "" {
			v, err := e.rates.Apply(adminCtx, rates.Change{Rows: []rates.Row{{Provider: rates.OpenAI, Model: "gpt-4o",
				Input: st.input, Output: st.output}}, Reason: "change " + st.input})
			if err != nil {
				t.Fatal(err)
			}
			lastVersion = v.ID
		}
		m := send()
		if m.Charge.Amount != st.want {
			t.Fatalf("send %d charged %s, want %s", i, m.Charge.Amount, st.want)
		}
		if lastVersion != 0 && m.Charge.RateVersion != lastVersion {
			t.Fatalf("send %d priced with rate version %d, want the new %d", i, m.Charge.RateVersion, lastVersion)
		}
	}
	e.checkLedger()
}

// TestReplySaysTheRatesThatPricedIt: a reply's charge names when the rate
// version that priced it took effect (RatesAt, the same whether Send
// returned it or it is read back), and a page's state names the current
// version, which a rate change moves (the window then says "priced at the
// rates of 3 Nov" under the older reply, and reads the page again).
func TestReplySaysTheRatesThatPricedIt(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	send := func() *chat.Message {
		t.Helper()
		m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", MaxTokens: 10, Source: chat.SourceUI})
		if err != nil {
			t.Fatal(err)
		}
		e.sameAsStored(m)
		return m
	}
	first := send()
	old, err := e.rates.Version(adminCtx, first.Charge.RateVersion)
	if err != nil {
		t.Fatal(err)
	}
	if first.Charge.RatesAt == nil || !first.Charge.RatesAt.Equal(old.EffectiveAt) {
		t.Fatalf("first reply's ratesAt %v, want version %d's %v", first.Charge.RatesAt, old.ID, old.EffectiveAt)
	}
	page, err := e.svc.MessagesPage(adminCtx, conv.ID, 0, 0)
	if err != nil || page.State.RateVersion != old.ID {
		t.Fatalf("page state's rate version %d (%v), want %d", page.State.RateVersion, err, old.ID)
	}
	v, err := e.rates.Apply(adminCtx, rates.Change{Rows: []rates.Row{{Provider: rates.OpenAI, Model: "gpt-4o",
		Input: "0.01", Output: "0.1"}}, Reason: "dearer"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.svc.MessagesState(adminCtx, conv.ID)
	if err != nil || st.RateVersion != v.ID || st == page.State {
		t.Fatalf("state after the rate change %+v (%v), want rate version %d", st, err, v.ID)
	}
	second := send()
	if second.Charge.RateVersion != v.ID || second.Charge.RatesAt == nil || !second.Charge.RatesAt.Equal(v.EffectiveAt) {
		t.Fatalf("second reply priced by version %d at %v, want %d at %v", second.Charge.RateVersion, second.Charge.RatesAt, v.ID, v.EffectiveAt)
	}
	page, err = e.svc.MessagesPage(adminCtx, conv.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := page.Messages[1].Charge; got.RateVersion != old.ID || got.RatesAt == nil || !got.RatesAt.Equal(old.EffectiveAt) {
		t.Fatalf("first reply read back priced by version %d at %v", got.RateVersion, got.RatesAt)
	}
	// In JSON (chat --json, the window) it is the version's time; a
	// charge whose rate version is not found has none, and no
	// "ratesAt" at all rather than Go's zero time ("0001-01-01T00:00:00Z").
	b, err := json.Marshal(page.Messages[1].Charge)
	if err != nil || !strings.Contains(string(b), `"ratesAt":"`+old.EffectiveAt.Format(time.RFC3339Nano)+`"`) {
		t.Fatalf("charge JSON %s (%v), want ratesAt %v", b, err, old.EffectiveAt)
	}
	if _, err := e.db.Writer().Exec(`UPDATE chat_charges SET rate_version = 999999 WHERE request_id = ?`, first.Charge.RequestID); err != nil {
		t.Fatal(err)
	}
	page, err = e.svc.MessagesPage(adminCtx, conv.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := page.Messages[1].Charge
	b, err = json.Marshal(got)
	if err != nil || got.RatesAt != nil || strings.Contains(string(b), "ratesAt") || strings.Contains(string(b), "0001-01-01") {
		t.Fatalf("a charge of a version not found: ratesAt %v, JSON %s (%v), want none", got.RatesAt, b, err)
	}
}
