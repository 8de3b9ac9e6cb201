package app

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/reports"
)

// TestUsageTransactionsSayFreeAsCreditsHistoryDoes: a free reply's charge
// read "free" in Settings → Credits → History (Credits.History's
// amountWord) and "0.00 credits" in the Usage page's transactions
// (Reports.History), the same row in two words in one window. Each row of
// both says the same word now (chat.HistoryWord); a paid charge none.
func TestUsageTransactionsSayFreeAsCreditsHistoryDoes(t *testing.T) {
	a, b, alice, _ := adminApp(t)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: decimal.RequireFromString("100"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 8, Completion: 2}, Models: []string{"m1", "gpt-4o"}})
	t.Cleanup(srv.Close)
	if _, err := b.Providers.Add(alice, providers.Input{Name: "fake", Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rates.Apply(alice, rates.Change{Rows: []rates.Row{{Provider: rates.Local, Model: "m1", Input: "0", Output: "0"},
		{Provider: rates.Local, Model: "gpt-4o", Input: "0.002", Output: "0.008"}}, Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	c := &Chat{app: a}
	for i, model := range []string{"m1", "gpt-4o"} {
		prov := "fake"
		conv, err := c.CreateConversation(chat.ConversationInput{Provider: &prov, Model: &model})
		if err != nil {
			t.Fatal(err)
		}
		if out, err := c.Send(SendInput{ConversationID: conv.ID, MessageID: "m-" + model, Text: "Hi"}); err != nil ||
			out.Message == nil || out.Message.Charge == nil || out.Message.Charge.Free != (i == 0) {
			t.Fatalf("send to %s: %+v %v", model, out, err)
		}
	}
	words := func(v any) map[int64]string { // transfer id -> amountWord, of the usage charges
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var p struct {
			Items []struct {
				ID         int64  `json:"id"`
				Op         string `json:"op"`
				Model      string `json:"model"`
				AmountWord string `json:"amountWord"`
			} `json:"items"`
		}
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		out := map[int64]string{}
		for _, it := range p.Items {
			if it.Op == ledger.OpPost {
				out[it.ID] = it.Model + ": " + it.AmountWord
			}
		}
		return out
	}
	credits, err := (&Credits{app: a}).History(HistoryInput{Ops: []string{ledger.OpUsage}})
	if err != nil {
		t.Fatal(err)
	}
	usage, err := (&Reports{app: a}).History(reports.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got, want := words(usage), words(credits)
	if len(want) != 2 || len(got) != 2 {
		t.Fatalf("charges: Credits.History %v, Reports.History %v; want the two sends'", want, got)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("transfer %d: the Usage page's transactions say %q, Credits history %q", id, got[id], w)
		}
	}
}
