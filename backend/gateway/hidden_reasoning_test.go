package gateway_test

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"meterdesk/backend/gateway"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestReasoningHiddenIsReported: a model that reasoned where its stream
// showed none of the reasoning, or only a summary (Claude 4's thinking,
// OpenAI's reasoning models: providers.Result.ReasoningHidden), says so in
// the meterdesk object, "reasoning_hidden": true, on the completion, on
// the final stream chunk and on the usage chunk, as the window's charge
// does; a reply whose reasoning was shown whole, or that did not reason,
// has no such field (never false). Before, an API client could not tell
// that reasoning_content was not all the model thought.
func TestReasoningHiddenIsReported(t *testing.T) {
	const claude = "claude-sonnet-4-20250514"
	thinking := fake.Script{Thinking: []string{"A summary of my thinking."}, Chunks: []string{"The ", "answer"},
		Usage: fake.Usage{Prompt: 10, Completion: 60}}
	for _, c := range []struct {
		name   string
		flavor fake.Flavor
		kind   providers.Kind
		rp     string
		model  string
		extra  string // request fields
		hidden bool
	}{
		{"Claude 4 thinking (a summary streamed)", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, claude,
			`,"reasoning_effort":"low"`, true},
		{"Claude 4 not thinking", fake.Anthropic, providers.KindAnthropic, rates.Anthropic, claude, ``, false},
		{"DeepSeek's reasoning streamed whole", fake.DeepSeek, providers.KindDeepSeek, rates.DeepSeek, "deepseek-chat", ``, false},
	} {
		for _, streamed := range []bool{true, false} {
			t.Run(c.name+map[bool]string{true: ", streamed", false: ", not streamed"}[streamed], func(t *testing.T) {
				e := newEnv(t, "100")
				srv, fk := flavorGateway(t, e, c.flavor, c.kind, c.rp, c.model, 0)
				fk.Enqueue(thinking)
				body := `{"model":"` + c.model + `","messages":[{"role":"user","content":"Hi"}]` + c.extra
				if streamed {
					body += `,"stream":true,"stream_options":{"include_usage":true}`
				}
				resp := postTo(t, srv.URL, e.bobKey, "", body+"}")
				defer resp.Body.Close()
				raw, _ := io.ReadAll(resp.Body)
				if resp.StatusCode != 200 {
					t.Fatalf("status %d: %s", resp.StatusCode, raw)
				}
				var objects []string // the JSON objects that carry a meterdesk object
				if streamed {
					for _, ev := range readSSE(t, strings.NewReader(string(raw))) {
						if strings.Contains(ev.Data, `"meterdesk"`) {
							objects = append(objects, ev.Data)
						}
					}
					if len(objects) != 2 { // the finish chunk and the usage chunk
						t.Fatalf("%d chunks with a meterdesk object:\n%s", len(objects), raw)
					}
				} else {
					objects = []string{string(raw)}
				}
				for _, o := range objects {
					var v struct {
						Meterdesk map[string]any `json:"meterdesk"`
					}
					if err := json.Unmarshal([]byte(o), &v); err != nil {
						t.Fatal(err)
					}
					got, present := v.Meterdesk["reasoning_hidden"]
					if c.hidden && got != true || !c.hidden && present {
						t.Fatalf("reasoning_hidden %v (present %v), want %v: %s", got, present, c.hidden, o)
					}
					var md gateway.Meterdesk
					b, _ := json.Marshal(v.Meterdesk)
					if err := json.Unmarshal(b, &md); err != nil || md.ReasoningHidden != c.hidden {
						t.Fatalf("decoded %+v: %v", md, err)
					}
				}
				e.checkLedger()
			})
		}
	}
}
