package metering

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"meterdesk/backend/money"
	"meterdesk/backend/rates"
)

// Line kinds of a Breakdown, one per Usage field.
const (
	LineInput      = "input"
	LineCacheRead  = "cache_read"
	LineCacheWrite = "cache_write"
	LineOutput     = "output"
	LineReasoning  = "reasoning"
	LineRequests   = "per_request"
	LineToolCalls  = "per_tool_call"
)

// Line is one priced part of a charge: Quantity units at Rate credits each,
// Amount = money.Round(Quantity * Rate). Fields are in JSON key order (as
// are Breakdown's), so that the ledger meta marshalled from them is already
// canonical.
type Line struct {
	Amount     string `json:"amount"` // credits
	Kind       string `json:"kind"`
	Quantity   int64  `json:"quantity"`
	Rate       string `json:"rate"`       // credits per unit, as in the rate version
	RateSource string `json:"rateSource"` // set | default | input | output | none (rates.From*)
}

// Breakdown explains one charge exactly: which rate version priced it, each
// line, and the total (the sum of the rounded lines). Chat stores it as JSON
// with every usage charge.
type Breakdown struct {
	Estimated bool `json:"estimated"` // usage (partly) counted by the tokenizer, not the provider's final figures
	// InputReported (with Estimated): the stream was cut, the input-side
	// lines are the provider's exact counts and only output was counted.
	InputReported bool `json:"inputReported,omitempty"`
	// ReasoningHidden (with Estimated): the model's hidden reasoning (or
	// the thinking behind the summary it streamed) is not counted, though
	// the provider bills it (Usage.ReasoningHidden).
	ReasoningHidden bool   `json:"reasoningHidden,omitempty"`
	Lines           []Line `json:"lines"`
	Model           string `json:"model"`
	Provider        string `json:"provider"`
	RateModel       string `json:"rateModel,omitempty"` // the row that applied ("" = defaults)
	RateVersion     int64  `json:"rateVersion"`
	Total           string `json:"total"`      // credits, canonical decimal
	TotalMinor      int64  `json:"totalMinor"` // the same in minor units (money.Scale)
}

// Amount returns the total as an exact decimal.
func (b Breakdown) Amount() decimal.Decimal { return money.FromMinor(b.TotalMinor) }

// Free reports whether the charge is zero (never blocked by a balance check).
func (b Breakdown) Free() bool { return b.TotalMinor == 0 }

// Errors of Price.
var (
	ErrNegativeUsage = errors.New("usage counts must not be negative")
	ErrNoRates       = errors.New("no rate version given")
)

// usageLines pairs each usage count with its line kind and rate field.
var usageLines = [...]struct {
	kind  string
	field rates.Field
	get   func(*Usage) int64
}{
	{LineInput, rates.FieldInput, func(u *Usage) int64 { return u.Input }},
	{LineCacheRead, rates.FieldCacheRead, func(u *Usage) int64 { return u.CacheRead }},
	{LineCacheWrite, rates.FieldCacheWrite, func(u *Usage) int64 { return u.CacheWrite }},
	{LineOutput, rates.FieldOutput, func(u *Usage) int64 { return u.Output }},
	{LineReasoning, rates.FieldReasoning, func(u *Usage) int64 { return u.Reasoning }},
	{LineRequests, rates.FieldPerRequest, func(u *Usage) int64 { return u.Requests }},
	{LineToolCalls, rates.FieldPerToolCall, func(u *Usage) int64 { return u.ToolCalls }},
}

// Price is THE function that turns normalised usage of provider/model into
// an exact credit breakdown under rate version v. Each non-zero count with a
// rate gives one line, rounded once with money.Round; the total is the exact sum of the
// lines. provider "" matches the model under any provider.
func Price(v *rates.Version, provider, model string, u Usage) (Breakdown, error) {
	if v == nil {
		return Breakdown{}, ErrNoRates
	}
	r := v.Resolve(provider, model)
	b := Breakdown{RateVersion: v.ID, Provider: r.Provider, Model: model, RateModel: r.Matched,
		Estimated: u.Estimated, InputReported: u.Estimated && u.InputReported, ReasoningHidden: u.Estimated && u.ReasoningHidden,
		Lines: make([]Line, 0, 4)}
	var total int64
	for _, ul := range usageLines {
		q := ul.get(&u)
		if q < 0 {
			return Breakdown{}, fmt.Errorf("price %s: %s = %d: %w", model, ul.kind, q, ErrNegativeUsage)
		}
		if q == 0 || r.Sources[ul.field] == rates.FromNone {
			continue // nothing used, or no per-request / per-tool-call charge configured
		}
		rate := r.Values[ul.field]
		amt := money.Round(rate.Mul(decimal.NewFromInt(q)))
		minor, err := money.ToMinor(amt)
		if err != nil {
			return Breakdown{}, fmt.Errorf("price %s: %s line: %w", model, ul.kind, err)
		}
		if total, err = money.AddMinor(total, minor); err != nil {
			return Breakdown{}, fmt.Errorf("price %s: total: %w", model, err)
		}
		b.Lines = append(b.Lines, Line{Kind: ul.kind, Quantity: q, Rate: rate.String(),
			RateSource: r.Sources[ul.field], Amount: amt.String()})
	}
	b.TotalMinor = total
	b.Total = money.MinorString(total)
	return b, nil
}
