package gateway_test

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"meterdesk/backend/money"
	"meterdesk/backend/providers/fake"
)

// chargeInfo is the meterdesk object of a response or chunk.
type chargeInfo struct {
	CreditsCharged   string `json:"credits_charged"`
	CreditsRemaining string `json:"credits_remaining"`
	Estimated        bool   `json:"estimated"`
	Capped           bool   `json:"capped"`
}

// TestCappedChargeSaysWhatWasCharged: a reply that cost more than its hold,
// from a payer funded for the hold only, is charged the hold (capped); the
// X-Meterdesk-Credits-Charged header (or trailer), the body's meterdesk
// object and the ledger all say what was charged, the hold, not the price,
// and the body says capped.
func TestCappedChargeSaysWhatWasCharged(t *testing.T) {
	for _, stream := range []bool{false, true} {
		t.Run(map[bool]string{false: "not streamed", true: "streamed"}[stream], func(t *testing.T) {
			e := newEnv(t, "0.2")
			// hold = 8*0.002 + 10*0.01 = 0.116; the price 8*0.002 + 5000*0.008 = 40.016
			e.fake.Enqueue(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 8, Completion: 5000}})
			body := `{"model":"gpt-4o","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`
			if stream {
				body = `{"model":"gpt-4o","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}`
			}
			resp := e.post("/v1/chat/completions", e.bobKey, body)
			defer resp.Body.Close()
			var md chargeInfo
			header := resp.Header.Get("X-Meterdesk-Credits-Charged")
			if stream {
				for _, ev := range readSSE(t, resp.Body) {
					var c struct {
						Meterdesk *chargeInfo `json:"meterdesk"`
					}
					if ev.Data != "" && ev.Data != "[DONE]" && json.Unmarshal([]byte(ev.Data), &c) == nil && c.Meterdesk != nil {
						md = *c.Meterdesk
					}
				}
				header = resp.Trailer.Get("X-Meterdesk-Credits-Charged")
			} else {
				raw, _ := io.ReadAll(resp.Body)
				var c struct {
					Meterdesk chargeInfo `json:"meterdesk"`
				}
				if err := json.Unmarshal(raw, &c); err != nil {
					t.Fatalf("status %d: %s", resp.StatusCode, raw)
				}
				md = c.Meterdesk
			}
			var hold, amount, price int64
			if err := e.db.Read().QueryRow(`SELECT hold_minor, amount_minor, price_minor FROM chat_charges`).Scan(&hold, &amount, &price); err != nil {
				t.Fatal(err)
			}
			if money.MinorString(hold) != "0.116" || amount != hold || money.MinorString(price) != "40.016" {
				t.Fatalf("charge row: hold %s, amount %s, price %s", money.MinorString(hold), money.MinorString(amount), money.MinorString(price))
			}
			if header != "0.116" || md.CreditsCharged != "0.116" || !md.Capped || md.Estimated {
				t.Fatalf("header %q, meterdesk %+v; want 0.116 charged, capped", header, md)
			}
			if e.poolAvailable() != "0.084" {
				t.Fatalf("pool %s", e.poolAvailable())
			}
			e.checkLedger()
		})
	}
}

// TestEstimatedChargeInTheSSEComment: a stream whose provider reported no
// usage is charged an estimate; the SSE comment before [DONE] says so
// (estimated=true) beside the amount charged, as the trailer does.
func TestEstimatedChargeInTheSSEComment(t *testing.T) {
	e := newEnv(t, "100")
	e.fake.Enqueue(fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.NoUsage})
	resp := e.post("/v1/chat/completions", e.bobKey, `{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}`)
	defer resp.Body.Close()
	events := readSSE(t, resp.Body)
	if len(events) < 2 || events[len(events)-1].Data != "[DONE]" {
		t.Fatalf("events %+v", events)
	}
	charged := e.charged()
	want := "meterdesk credits-charged=" + charged + " credits-remaining=" + e.poolAvailable() + " estimated=true"
	if got := events[len(events)-2].Comment; got != want || charged == "0" {
		t.Fatalf("comment before [DONE] %q, want %q", got, want)
	}
	if resp.Trailer.Get("X-Meterdesk-Estimated") != "true" || resp.Trailer.Get("X-Meterdesk-Credits-Charged") != charged {
		t.Fatalf("trailers %v", resp.Trailer)
	}
	if !strings.Contains(events[len(events)-3].Data, `"estimated":true`) {
		t.Fatalf("the last chunk %s", events[len(events)-3].Data)
	}
	e.checkLedger()
}
