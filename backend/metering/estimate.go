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
	Encoding        string `json:"encoding"`
	Exact           bool   `json:"exact"` // prompt count from the model's own tokenizer
	Family          string `json:"family"`
	Free            bool   `json:"free"` // High is zero: never blocked by a balance check
	High            string `json:"high"`
	HighMinor       int64  `json:"highMinor"`
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
// reasoning model spends its output budget on either). Tool calls are not
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
	return PriceEstimate(v, provider, model, c, maxOutputTokens)
}

// PriceEstimate prices an already counted prompt (see EstimateCost).
func PriceEstimate(v *rates.Version, provider, model string, c tokenizer.Count, maxOutputTokens int64) (Estimate, error) {
	low, err := Price(v, provider, model, Usage{Input: c.Tokens, Requests: 1, Estimated: true})
	if err != nil {
		return Estimate{}, fmt.Errorf("estimate %s: %w", model, err)
	}
	hu := Usage{Input: c.Tokens, Output: maxOutputTokens, Requests: 1, Estimated: true}
	r := v.Resolve(provider, model)
	if r.Get(rates.FieldReasoning).GreaterThan(r.Get(rates.FieldOutput)) {
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
		Free: high.TotalMinor == 0,
	}, nil
}

// EstimateUsage counts a request whose stream was interrupted before the
// provider reported usage: the prompt msgs and the text generated so far,
// with the tokenizer (see EstimateCost). The result is marked Estimated.
func EstimateUsage(provider, model string, msgs []Message, outputText string) (Usage, error) {
	c, err := tokenizer.CountMessages(provider, model, msgs)
	if err != nil {
		return Usage{}, fmt.Errorf("count %s prompt: %w", model, err)
	}
	enc, ok := tokenizer.EncodingForModel(model)
	if !ok {
		enc = tokenizer.O200kBase
	}
	n, err := tokenizer.CountText(enc, outputText)
	if err != nil {
		return Usage{}, fmt.Errorf("count %s output: %w", model, err)
	}
	out := tokenizer.FamilyForModel(provider, model).Scale(int64(n))
	return Usage{Input: c.Tokens, Output: out, Requests: 1, Estimated: true}, nil
}
