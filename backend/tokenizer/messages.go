package tokenizer

import "fmt"

// Message is one chat message as counted for an estimate.
type Message struct {
	Role    string `json:"role"` // system | user | assistant
	Content string `json:"content"`
	Name    string `json:"name,omitempty"`
}

// Chat message overhead as OpenAI documents it ("How to count tokens with
// tiktoken", OpenAI Cookbook): every message costs 3 tokens beyond its role
// and content (4 and -1 for a name on gpt-3.5-turbo-0301), a name costs 1
// more, and every reply is primed with 3 tokens (<|start|>assistant<|message|>).
const (
	tokensPerMessage = 3
	tokensPerName    = 1
	replyPriming     = 3
)

// Count is the result of counting a prompt.
type Count struct {
	Tokens   int64  `json:"tokens"`
	Encoding string `json:"encoding"` // tiktoken encoding used
	Family   string `json:"family"`
	Exact    bool   `json:"exact"` // false: approximation for a non-OpenAI family
}

// CountMessages counts the prompt tokens of a chat request to model. For the
// OpenAI family the count is exact (the model's encoding plus OpenAI's
// documented per-message overhead); for other families it is the o200k_base
// count, overhead included, scaled by the family's factor.
func CountMessages(provider, model string, msgs []Message) (Count, error) {
	fam := FamilyForModel(provider, model)
	enc, ok := EncodingForModel(model)
	if !ok {
		enc = O200kBase
	}
	perMsg, perName := int64(tokensPerMessage), int64(tokensPerName)
	if model == "gpt-3.5-turbo-0301" {
		perMsg, perName = 4, -1
	}
	e, err := Get(enc)
	if err != nil {
		return Count{}, err
	}
	var n int64
	for i, m := range msgs {
		if m.Role == "" {
			return Count{}, fmt.Errorf("tokenizer: message %d has no role", i+1)
		}
		n += perMsg
		n += int64(counts.count(enc, e, m.Role))
		n += int64(counts.count(enc, e, m.Content))
		if m.Name != "" {
			n += int64(counts.count(enc, e, m.Name)) + perName
		}
	}
	n += replyPriming
	return Count{Tokens: fam.Scale(n), Encoding: enc, Family: fam.Name, Exact: fam.Exact}, nil
}
