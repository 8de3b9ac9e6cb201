package metering

import (
	"context"
	"fmt"

	"meterdesk/backend/rates"
	"meterdesk/backend/tokenizer"
)

// Message is one chat message of a request being estimated.
type Message = tokenizer.Message

// VersionSource gives the rate version in force now (*rates.Service).
type VersionSource interface {
	Current(ctx context.Context) (*rates.Version, error)
}

// Estimate is the cost range of a request before it is sent:
// [Low, High] = [prompt cost, prompt cost + maximum output cost], in credits.
// Fields are in JSON key order: a hold's meta marshalled from it is canonical.
type Estimate struct {
	Encoding  string `json:"encoding"`
	Exact     bool   `json:"exact"` // prompt count from the model's own tokenizer
	Family    string `json:"family"`
	Free      bool   `json:"free"` // High is zero: never blocked by a balance check
	High      string `json:"high"`
	HighMinor int64  `json:"highMinor"`
	// HighThinking says High prices the whole output budget at the model's
	// reasoning rate, which is above its output rate: the documented worst
	// case of a reasoning model, which may spend the whole budget thinking
	// (the hold covers it). The window and `meterdesk chat --estimate` say
	// so beside the upper end, which would otherwise read as the output
	// rate the model picker shows times the budget, and too high. A send
	// whose reply can bill no reasoning (PriceEstimate's reasons false:
	// thinking off, or billed as output) prices its budget at the output
	// rate, and this is false.
	HighThinking    bool   `json:"highThinking"`
	Low             string `json:"low"`
	LowMinor        int64  `json:"lowMinor"`
	MaxOutputTokens int64  `json:"maxOutputTokens"`
	Model           string `json:"model"`
	PromptTokens    int64  `json:"promptTokens"`
	Provider        string `json:"provider"`
	RateVersion     int64  `json:"rateVersion"`
}

// EstimateCost counts the prompt of msgs for model (exactly for the OpenAI
// family, otherwise by the documented approximation) and prices it with the
// current rates: Low prices the prompt and one request; High adds
// maxOutputTokens at the higher of the output and reasoning rates (a
// reasoning model spends its output budget on either; which provider kind
// serves it, and whether its thinking is on, are not known here, so the
// rates calculator's estimate is the widest). Tool calls are not
// predicted. provider may be "" (the model is looked up under any provider).
func EstimateCost(ctx context.Context, src VersionSource, provider, model string, msgs []Message, maxOutputTokens int64) (Estimate, error) {
	if maxOutputTokens < 0 {
		return Estimate{}, fmt.Errorf("estimate %s: maximum output tokens %d: %w", model, maxOutputTokens, ErrNegativeUsage)
	}
	v, err := src.Current(ctx)
	if err != nil {
		return Estimate{}, fmt.Errorf("estimate %s: %w", model, err)
	}
	c, err := tokenizer.CountMessages(provider, model, msgs)
	if err != nil {
		return Estimate{}, fmt.Errorf("estimate %s: %w", model, err)
	}
	return PriceEstimate(v, provider, model, c, maxOutputTokens, true)
}

// PriceEstimate prices an already counted prompt (see EstimateCost).
// reasons says whether the reply may be billed reasoning tokens apart from
// its output (providers.BillsReasoning, for the send's provider kind,
// model and reasoning level): when it may, High prices maxOutputTokens at
// the higher of the output and reasoning rates, as EstimateCost does;
// when it cannot (thinking off, or thinking billed as output), at the
// output rate, the most a reply's output can be charged.
func PriceEstimate(v *rates.Version, provider, model string, c tokenizer.Count, maxOutputTokens int64, reasons bool) (Estimate, error) {
	low, err := Price(v, provider, model, Usage{Input: c.Tokens, Requests: 1, Estimated: true})
	if err != nil {
		return Estimate{}, fmt.Errorf("estimate %s: %w", model, err)
	}
	hu := Usage{Input: c.Tokens, Output: maxOutputTokens, Requests: 1, Estimated: true}
	r := v.Resolve(provider, model)
	thinking := reasons && r.Get(rates.FieldReasoning).GreaterThan(r.Get(rates.FieldOutput))
	if thinking {
		hu.Output, hu.Reasoning = 0, maxOutputTokens
	}
	high, err := Price(v, provider, model, hu)
	if err != nil {
		return Estimate{}, fmt.Errorf("estimate %s: %w", model, err)
	}
	return Estimate{
		Provider: low.Provider, Model: model, RateVersion: v.ID,
		PromptTokens: c.Tokens, MaxOutputTokens: maxOutputTokens,
		Encoding: c.Encoding, Family: c.Family, Exact: c.Exact,
		Low: low.Total, High: high.Total, LowMinor: low.TotalMinor, HighMinor: high.TotalMinor,
		Free: high.TotalMinor == 0, HighThinking: thinking && maxOutputTokens > 0,
	}, nil
}

// Delivered is what a stream delivered whose provider did not report its
// final usage (the stream was cut or stopped, or the provider sent none).
type Delivered struct {
	Text      string // the visible text delivered
	Reasoning string // the reasoning (thinking) text streamed beside it
	// ReasoningInOutput: the provider counts and bills reasoning as output
	// (Anthropic's thinking), so Reasoning is counted as output tokens.
	ReasoningInOutput bool
	// ToolText is what the model generated for its tool calls (their names
	// and arguments), which providers bill as output: counted as output
	// tokens beside Text.
	ToolText string
	// ReasoningHidden: the model reasoned where the stream showed none of
	// it or only a summary (providers.Result.ReasoningHidden); the reasoning
	// counted is only what Reasoning holds, and the estimate says so
	// (Usage.ReasoningHidden).
	ReasoningHidden bool
	// Reported is the usage the provider reported before its stream ended
	// (Anthropic's message_start, Gemini's usageMetadata on an earlier
	// chunk, an OpenAI-compatible server's running usage), or nil. Its
	// input side is final; its output and reasoning counts are those so far.
	Reported *Usage
}

// EstimateDelivered counts a request whose provider reported no final
// usage, marked Estimated:
//
//   - input: the provider's reported Input, CacheRead and CacheWrite when it
//     reported any of them (InputReported is then set), else the tokenizer's
//     count of the prompt msgs (see EstimateCost) as Input;
//   - output: the larger of the reported output count so far and the
//     tokenizer's count of the delivered text and tool-call text;
//   - reasoning: the larger of the reported reasoning count so far and the
//     tokenizer's count of the reasoning text (with ReasoningInOutput, the
//     reasoning text is counted into output instead); reasoning the stream
//     did not show (ReasoningHidden) cannot be counted, and is not: the
//     estimate is marked ReasoningHidden instead.
//
// Counts of other families than OpenAI's are scaled as in EstimateCost.
func EstimateDelivered(provider, model string, msgs []Message, d Delivered) (Usage, error) {
	u := Usage{Requests: 1, Estimated: true, ReasoningHidden: d.ReasoningHidden}
	var rep Usage
	if d.Reported != nil {
		rep = *d.Reported
	}
	if rep.Input > 0 || rep.CacheRead > 0 || rep.CacheWrite > 0 {
		u.Input, u.CacheRead, u.CacheWrite = nonNeg(rep.Input), nonNeg(rep.CacheRead), nonNeg(rep.CacheWrite)
		u.InputReported = true
	} else {
		c, err := tokenizer.CountMessages(provider, model, msgs)
		if err != nil {
			return Usage{}, fmt.Errorf("count %s prompt: %w", model, err)
		}
		u.Input = c.Tokens
	}
	enc, ok := tokenizer.EncodingForModel(model)
	if !ok {
		enc = tokenizer.O200kBase
	}
	out, err := tokenizer.CountText(enc, d.Text)
	if err != nil {
		return Usage{}, fmt.Errorf("count %s output: %w", model, err)
	}
	tools, err := tokenizer.CountText(enc, d.ToolText)
	if err != nil {
		return Usage{}, fmt.Errorf("count %s tool calls: %w", model, err)
	}
	out += tools
	reasoning, err := tokenizer.CountText(enc, d.Reasoning)
	if err != nil {
		return Usage{}, fmt.Errorf("count %s reasoning: %w", model, err)
	}
	if d.ReasoningInOutput {
		out, reasoning = out+reasoning, 0
	}
	fam := tokenizer.FamilyForModel(provider, model)
	u.Output = max(nonNeg(rep.Output), fam.Scale(int64(out)))
	u.Reasoning = max(nonNeg(rep.Reasoning), fam.Scale(int64(reasoning)))
	return u, nil
}
