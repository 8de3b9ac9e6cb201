package gateway

import (
	"strings"
	"testing"
)

// A body that is no JSON object, or a field of the wrong JSON type, is
// refused in JSON's terms, as OpenAI's own 400 does, never in Go's
// ("json: cannot unmarshal string into Go value of type bool"), and
// names the field (param; null for the body itself).
func TestMalformedBodyReadsInJSONTerms(t *testing.T) {
	const msgs = `"messages":[{"role":"user","content":"Hi"}]`
	cases := []struct {
		name, body, param, want string
	}{
		{"empty", ``, "", "the request body is empty: it must be a JSON object"},
		{"cut short", `{"model":"gpt-4o",` + msgs, "", "the request body is not valid JSON: it ends before its object does"},
		{"not json", `{"model": gpt-4o}`, "", "the request body is not valid JSON: invalid character 'g' looking for beginning of value (at byte 11)"},
		{"array", `[1,2]`, "", "the request body must be a JSON object, not an array"},
		{"string", `"hi"`, "", "the request body must be a JSON object, not a string"},
		{"null", `null`, "", "the request body must be a JSON object, not null"},
		{"stream a string", `{"model":"gpt-4o","stream":"yes",` + msgs + `}`, "stream", "stream must be a boolean, not a string"},
		{"model a number", `{"model":4,` + msgs + `}`, "model", "model must be a string, not 4"},
		{"seed a fraction", `{"model":"gpt-4o","seed":1.5,` + msgs + `}`, "seed", "seed must be an integer, not 1.5"},
		{"max_tokens too large", `{"model":"gpt-4o","max_tokens":1e30,` + msgs + `}`, "max_tokens", "max_tokens must be an integer, not 1e30"},
		{"n an array", `{"model":"gpt-4o","n":[1],` + msgs + `}`, "n", "n must be an integer, not an array"},
		{"temperature a string", `{"model":"gpt-4o","temperature":"0.5",` + msgs + `}`, "temperature", "temperature must be a number, not a string"},
		{"top_p an object", `{"model":"gpt-4o","top_p":{},` + msgs + `}`, "top_p", "top_p must be a number, not an object"},
		{"reasoning_effort a boolean", `{"model":"gpt-4o","reasoning_effort":true,` + msgs + `}`, "reasoning_effort", "reasoning_effort must be a string, not a boolean"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, ae := parseCompletion([]byte(tc.body))
			if ae == nil {
				t.Fatal("accepted")
			}
			if ae.Status != 400 || ae.Message != tc.want {
				t.Fatalf("got %d %q, want 400 %q", ae.Status, ae.Message, tc.want)
			}
			// "" here: no parameter is at fault, so param is null (it was "").
			if tc.param == "" && ae.Param != nil || tc.param != "" && (ae.Param == nil || *ae.Param != tc.param) {
				t.Fatalf("param %v, want %q (\"\" = null)", ae.Param, tc.param)
			}
			for _, goWords := range []string{"Go value", "json:", "RawMessage", "unmarshal"} {
				if strings.Contains(ae.Message, goWords) {
					t.Fatalf("message %q speaks Go (%q)", ae.Message, goWords)
				}
			}
		})
	}
}
