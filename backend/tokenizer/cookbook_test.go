package tokenizer

import "testing"

// cookbookMessages is the example of OpenAI's "How to count tokens with
// tiktoken" cookbook, whose published counts are 129 prompt tokens for
// gpt-3.5-turbo / gpt-4 and 124 for gpt-4o / gpt-4o-mini (as reported by
// the API).
var cookbookMessages = []Message{
	{Role: "system", Content: "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
	{Role: "system", Name: "example_user", Content: "New synergies will help drive top-line growth."},
	{Role: "system", Name: "example_assistant", Content: "Things working well together will increase revenue."},
	{Role: "system", Name: "example_user", Content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
	{Role: "system", Name: "example_assistant", Content: "Let's talk later when we're less busy about how to do better."},
	{Role: "user", Content: "This late pivot means we don't have time to boil the ocean for the client deliverable."},
}

func TestCountMessagesMatchesOpenAICookbook(t *testing.T) {
	for _, tc := range []struct {
		model string
		want  int64
		enc   string
	}{
		{"gpt-3.5-turbo", 129, Cl100kBase},
		{"gpt-4", 129, Cl100kBase},
		{"gpt-4-turbo", 129, Cl100kBase},
		{"gpt-4o", 124, O200kBase},
		{"gpt-4o-mini", 124, O200kBase},
	} {
		t.Run(tc.model, func(t *testing.T) {
			c, err := CountMessages("openai", tc.model, cookbookMessages)
			if err != nil {
				t.Fatal(err)
			}
			if c.Tokens != tc.want || c.Encoding != tc.enc || !c.Exact || c.Family != "openai" {
				t.Fatalf("got %+v, want %d tokens in %s (exact)", c, tc.want, tc.enc)
			}
		})
	}
}
