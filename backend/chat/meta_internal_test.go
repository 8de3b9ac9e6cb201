package chat

import (
	"bytes"
	"encoding/json"
	"testing"

	"meterdesk/backend/metering"
)

// TestMetaBytesUnchanged: the struct-typed hold and posting metas marshal
// to exactly the bytes of the maps they replaced (stored ledger meta keeps
// its shape for readers such as the statement CSV).
func TestMetaBytesUnchanged(t *testing.T) {
	est := metering.Estimate{Low: "0.1", High: "2.5", HighMinor: 2500000000, Free: false}
	got, _ := json.Marshal(holdMeta{Estimate: est, Provider: "openai"})
	want, _ := json.Marshal(map[string]any{"estimate": est, "provider": "openai"})
	if string(got) != string(want) {
		t.Fatalf("hold meta\n got %s\nwant %s", got, want)
	}
	for _, ch := range []*Charge{
		{Usage: Usage{Input: 12, Output: 6, Requests: 1}, Breakdown: metering.Breakdown{RateVersion: 3, Provider: "openai",
			Model: "gpt-4o", Lines: []metering.Line{{Kind: "input", Quantity: 12, Rate: "0.002", Amount: "0.024"}}, Total: "0.024",
			TotalMinor: 24000000}, Hold: "0.08", Price: "0.024", Provider: "openai", RateVersion: 3},
		{Estimated: true, Capped: true, Price: "40.016", Provider: "local <&>", RateVersion: 9},
	} {
		got := (&Call{}).meta(ch)
		m := map[string]any{"usage": ch.Usage, "breakdown": ch.Breakdown, "estimated": ch.Estimated,
			"capped": ch.Capped, "price": ch.Price, "provider": ch.Provider, "rateVersion": ch.RateVersion}
		if ch.Hold != "" { // what was held, recorded since the credits history says "free" by it
			m["hold"] = ch.Hold
		}
		want, _ := json.Marshal(m)
		if string(got) != string(want) {
			t.Fatalf("post meta\n got %s\nwant %s", got, want)
		}
	}
}

// TestMetaIsCanonical: the hold and posting metas are already in the
// ledger's canonical form (keys sorted at every level), so the ledger keeps
// them as they are without decoding them again.
func TestMetaIsCanonical(t *testing.T) {
	est := metering.Estimate{Encoding: "o200k_base", Exact: true, Family: "openai", Low: "0.1", High: "2.5", HighMinor: 2500000000,
		MaxOutputTokens: 4096, Model: "gpt-4o", PromptTokens: 16, Provider: "openai", RateVersion: 2}
	hold, _ := json.Marshal(holdMeta{Estimate: est, Provider: "openai"})
	post := (&Call{}).meta(&Charge{Usage: Usage{Input: 12, Output: 6, Requests: 1}, Breakdown: metering.Breakdown{RateVersion: 3,
		Provider: "openai", Model: "gpt-4o", RateModel: "gpt-4o", Lines: []metering.Line{{Kind: "input", Quantity: 12, Rate: "0.002",
			Amount: "0.024", RateSource: "set"}}, Total: "0.024", TotalMinor: 24000000}, Hold: "0.08", Price: "0.024", Provider: "openai", RateVersion: 3})
	for _, meta := range [][]byte{hold, post} {
		var v map[string]any
		dec := json.NewDecoder(bytes.NewReader(meta))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		canon, _ := json.Marshal(v)
		if string(canon) != string(meta) {
			t.Errorf("meta is not canonical:\n got %s\nwant %s", meta, canon)
		}
	}
}
