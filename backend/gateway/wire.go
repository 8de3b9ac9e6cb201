package gateway

import (
	"strings"

	"meterdesk/backend/chat"
)

// Response headers.
const (
	HeaderCharged       = "X-Meterdesk-Credits-Charged"   // credits this request cost ("0" when nothing was charged)
	HeaderRemaining     = "X-Meterdesk-Credits-Remaining" // available credits of the payer account afterwards
	HeaderEstimated     = "X-Meterdesk-Estimated"         // "true": usage counted by the tokenizer (the provider reported none)
	HeaderRequestID     = "X-Meterdesk-Request-Id"        // the ledger idempotency base of this request
	HeaderLimitResetsAt = "X-Meterdesk-Limit-Resets-At"   // RFC 3339, on 429 for a member limit
	// HeaderShouldRetry is "false" on every refusal a retry of the same
	// request could never pass (apiError.retryFinal): a member limit's 429,
	// a 409 for an Idempotency-Key already charged, …; the official OpenAI
	// SDKs (Python, Node) obey it before the status and do not retry.
	HeaderShouldRetry = "X-Should-Retry"
	// HeaderDefaultRate is "true" on a completion whose model has no rate
	// of its own, so the default rate prices it (chat.Call.DefaultRate).
	HeaderDefaultRate = "X-Meterdesk-Default-Rate"
)

// Meterdesk is the "meterdesk" extension object on the completion, on the
// final stream chunks and on in-stream errors.
type Meterdesk struct {
	RequestID        string `json:"request_id"`
	CreditsCharged   string `json:"credits_charged"`
	CreditsRemaining string `json:"credits_remaining,omitempty"`
	Estimated        bool   `json:"estimated"`
	Capped           bool   `json:"capped,omitempty"` // less than the price: capped at the hold (payer policy or limits), or at what the payer's policy and the member's limits still allowed (a request that outlived its hold)
	// ReasoningHidden: the model reasoned where the reply shows none of its
	// reasoning, or only a summary (OpenAI's reasoning models stream none,
	// Claude 4 and later a summary of their thinking;
	// providers.Result.ReasoningHidden), so reasoning_content is not all it
	// thought. The provider bills all of it: the usage's reasoning or output
	// tokens count it when the provider reported them; an Estimated charge
	// (a cut stream) could not count what was not shown. Left out when
	// false.
	ReasoningHidden bool `json:"reasoning_hidden,omitempty"`
}

type usageJSON struct {
	PromptTokens            int64         `json:"prompt_tokens"`
	CompletionTokens        int64         `json:"completion_tokens"`
	TotalTokens             int64         `json:"total_tokens"`
	PromptTokensDetails     promptDetails `json:"prompt_tokens_details"`
	CompletionTokensDetails complDetails  `json:"completion_tokens_details"`
}

type promptDetails struct {
	CachedTokens int64 `json:"cached_tokens"`
}

type complDetails struct {
	ReasoningTokens int64 `json:"reasoning_tokens"`
}

// usageOf converts normalised usage back to OpenAI's usage object.
func usageOf(u chat.Usage) usageJSON {
	prompt := u.Input + u.CacheRead + u.CacheWrite
	compl := u.Output + u.Reasoning
	return usageJSON{PromptTokens: prompt, CompletionTokens: compl, TotalTokens: prompt + compl,
		PromptTokensDetails: promptDetails{CachedTokens: u.CacheRead}, CompletionTokensDetails: complDetails{ReasoningTokens: u.Reasoning}}
}

type message struct {
	Role    string  `json:"role"`
	Content string  `json:"content"`
	Refusal *string `json:"refusal"`
	// ReasoningContent is the reasoning text the provider streamed (DeepSeek's
	// field name), left out when there was none.
	ReasoningContent string `json:"reasoning_content,omitempty"`
}

type choice struct {
	Index        int     `json:"index"`
	Message      message `json:"message"`
	Logprobs     *string `json:"logprobs"`
	FinishReason string  `json:"finish_reason"`
}

// completion is a chat.completion object.
type completion struct {
	ID        string     `json:"id"`
	Object    string     `json:"object"`
	Created   int64      `json:"created"`
	Model     string     `json:"model"`
	Choices   []choice   `json:"choices"`
	Usage     usageJSON  `json:"usage"`
	Meterdesk *Meterdesk `json:"meterdesk,omitempty"`
}

type delta struct {
	Role             string  `json:"role,omitempty"`
	Content          *string `json:"content,omitempty"`
	ReasoningContent *string `json:"reasoning_content,omitempty"` // a piece of reasoning text (DeepSeek's field name)
}

type chunkChoice struct {
	Index        int     `json:"index"`
	Delta        delta   `json:"delta"`
	Logprobs     *string `json:"logprobs"`
	FinishReason *string `json:"finish_reason"`
}

// chunk is a chat.completion.chunk object.
type chunk struct {
	ID        string        `json:"id"`
	Object    string        `json:"object"`
	Created   int64         `json:"created"`
	Model     string        `json:"model"`
	Choices   []chunkChoice `json:"choices"`
	Usage     *usageJSON    `json:"usage,omitempty"`
	Meterdesk *Meterdesk    `json:"meterdesk,omitempty"`
}

// finishReason maps a provider's finish reason to OpenAI's vocabulary.
func finishReason(r string) string {
	switch strings.ToLower(r) {
	case "length", "max_tokens":
		return "length"
	case "tool_calls", "tool_use", "function_call":
		return "tool_calls"
	case "content_filter", "safety", "recitation", "blocklist", "prohibited_content", "refusal":
		return "content_filter"
	}
	return "stop"
}

type modelJSON struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Created int64  `json:"created"`
	OwnedBy string `json:"owned_by"`
}

type modelList struct {
	Object string      `json:"object"`
	Data   []modelJSON `json:"data"`
}
