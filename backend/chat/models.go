package chat

import (
	"context"
	"fmt"
	"time"

	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
)

// ModelOption is one entry of the model picker: a configured provider's
// model with the rates that price it (credits per token, exact).
type ModelOption struct {
	Provider     string `json:"provider"`     // configured provider name
	RateProvider string `json:"rateProvider"` // rates provider id
	Local        bool   `json:"local"`
	Model        string `json:"model"`
	Input        string `json:"input"`
	Output       string `json:"output"`
	CacheRead    string `json:"cacheRead"`
	Reasoning    string `json:"reasoning"`
	Free         bool   `json:"free"` // input and output rates are zero
	// DefaultRate: the model has no input or no output rate of its own and
	// is charged at the default rate (the picker marks it "default rate").
	DefaultRate bool `json:"defaultRate"`
	// RatedAs is the model whose rates price this one, when that is
	// another model's: a snapshot without a row of its own priced as its
	// base (rates.Model.RatedAs; the picker says "rate of gemini-2.0-flash").
	RatedAs string `json:"ratedAs,omitempty"`
	// DefaultMaxOutput is the output budget a send asks for and holds for
	// when the conversation does not set one (DefaultMaxOutput(Model)).
	DefaultMaxOutput int `json:"defaultMaxOutput"`
	// ReasoningSupport says what a conversation's Reasoning setting does
	// with this model; nil: nothing (the model takes no such setting, and
	// the window's Model settings say so).
	ReasoningSupport *ReasoningSupport `json:"reasoningSupport,omitempty"`
	// OutputCeiling is the most output tokens the model takes (Max output
	// plus any thinking budget), where Meterdesk knows it from the
	// provider's documentation (providers.OutputCeiling); 0: not known. A
	// send above it is refused before anything is held
	// (OutputCeilingError), and the window says so.
	OutputCeiling int `json:"outputCeiling,omitempty"`
}

// ReasoningSupport is what the Reasoning setting does with one model
// (providers.ReasoningFor), for the window's Model settings.
type ReasoningSupport struct {
	// Control is "effort" (OpenAI's reasoning_effort, Claude's adaptive
	// thinking effort: the reasoning counts within the output budget) or
	// "budget" (Claude's and Gemini's thinking budget, asked for on top of
	// the output budget, held and charged as ThinkingCharged says).
	Control string `json:"control"`
	// ThinkingCharged says how a thinking budget ("budget") is held and
	// charged, in the words the window's hint puts them
	// (ThinkingChargedAsOutput, ThinkingChargedAsReasoning, as
	// providers.BillsReasoning says for the model at High); "" for "effort".
	ThinkingCharged string `json:"thinkingCharged,omitempty"`
	// Off: Off turns the model's thinking off. False: the model always
	// reasons, and Off sends nothing (its default).
	Off bool `json:"off"`
	// OffEffort is the effort Off sends ("none": gpt-5.1 and later), ""
	// when Off sends no effort (Claude, which thinks only when asked;
	// Gemini's budget of 0; a model that always reasons).
	OffEffort string `json:"offEffort,omitempty"`
	// Low, Medium and High are the thinking tokens each level adds to the
	// output budget (0 for "effort").
	Low    int `json:"low"`
	Medium int `json:"medium"`
	High   int `json:"high"`
	// FixedSampling: while the model thinks (Low, Medium, High) it takes a
	// temperature only of 1 and a top P only from 0.95 to 1 (Claude): a
	// send with others is refused before anything is held
	// (ThinkingSamplingError), and the window says so under the picker.
	FixedSampling bool `json:"fixedSampling"`
	// NoSampling: the model takes no temperature or top P other than 1 at
	// any level, thinking or not (Claude Opus 4.7 and later, Claude 5): a
	// send with others is refused before anything is held.
	NoSampling bool `json:"noSampling,omitempty"`
	// Takes lists the levels among low, medium and high the model takes
	// (gpt-5-pro: high; Gemini 3 Pro: low and high); absent: all three. A
	// send at another is refused before anything is held
	// (ReasoningLevelError), and the window says so under the picker.
	Takes []providers.Reasoning `json:"takes,omitempty"`
	// ThinkingLevel: the levels go out as Gemini 3's thinkingLevel, not as
	// a budget; Low, Medium and High are still the tokens added to the
	// output budget (and held) for the thinking.
	ThinkingLevel bool `json:"thinkingLevel,omitempty"`
}

// The words for how a thinking budget is held and charged
// (ReasoningSupport.ThinkingCharged), the one place they live: Claude's
// thinking is billed as output tokens and reported inside its output
// (providers.BillsReasoning false), Gemini's thoughts are counted as
// reasoning and priced at the rate table's reasoning rate
// (docs/metering.md, "A send's estimate knows whether its reply can bill
// reasoning").
const (
	ThinkingChargedAsOutput    = "held and charged as output"
	ThinkingChargedAsReasoning = "held and charged at the reasoning rate"
)

// reasoningSupport is ReasoningSupport for model on a provider of kind
// (selfHosted: on this machine or the member's own network), nil when the
// setting does not apply to it.
func reasoningSupport(kind providers.Kind, selfHosted bool, model string) *ReasoningSupport {
	at := func(level providers.Reasoning) providers.ReasoningPlan {
		return providers.ReasoningFor(kind, selfHosted, model, level)
	}
	high := at(providers.ReasoningHigh)
	if !high.Applies {
		return nil
	}
	rs := &ReasoningSupport{Control: "effort", Off: high.CanDisable, OffEffort: at(providers.ReasoningOff).Effort,
		Low:    at(providers.ReasoningLow).Budget,
		Medium: at(providers.ReasoningMedium).Budget, High: high.Budget, FixedSampling: high.FixedSampling,
		NoSampling: high.NoSampling, Takes: high.Takes, ThinkingLevel: high.ThinkingLevel != ""}
	if high.Budget > 0 {
		rs.Control = "budget"
		rs.ThinkingCharged = ThinkingChargedAsOutput
		if providers.BillsReasoning(kind, selfHosted, model, providers.ReasoningHigh) {
			rs.ThinkingCharged = ThinkingChargedAsReasoning
		}
	}
	if high.Refused { // a model that takes no High: its budgets are those it takes
		rs.High = 0
	}
	return rs
}

// tableSource is the part of *rates.Service the picker needs.
type tableSource interface {
	Table(ctx context.Context) (rates.Table, error)
}

// sinceSource is the part of *rates.Service the local API's model list
// needs for its "created" (rates.Service.ModelsSince).
type sinceSource interface {
	ModelsSince(ctx context.Context) (map[rates.ModelKey]time.Time, error)
}

// ModelsSince says since when each model of the catalogue has been in it
// (rates.Service.ModelsSince), keyed by ModelOption's RateProvider and
// Model: the local API's /v1/models "created". Empty when the rate service
// cannot say.
func (m *Meter) ModelsSince(ctx context.Context) (map[rates.ModelKey]time.Time, error) {
	ss, ok := m.rates.(sinceSource)
	if !ok {
		return map[rates.ModelKey]time.Time{}, nil
	}
	return ss.ModelsSince(ctx)
}

// Models lists every model of every configured provider with its current
// rates, for the model picker.
func (s *Service) Models(ctx context.Context) ([]ModelOption, error) {
	return s.meter.Models(ctx)
}

// models is Models with the rate table's defaults.
func (s *Service) models(ctx context.Context) ([]ModelOption, rates.Defaults, error) {
	return s.meter.models(ctx)
}

// Models lists the models the configured providers offer, as the model
// picker shows them (Service.Models) and the local API's GET /v1/models
// lists them: an OpenAI-compatible server's reported models (the local
// rates' own and the admins' custom ones while it has reported none); a
// cloud provider's catalogue models, priced or not, that its last model
// listing still had, every one of them while it has never listed (a
// provider offline since it was added), and the admins' custom ones.
func (m *Meter) Models(ctx context.Context) ([]ModelOption, error) {
	out, _, err := m.models(ctx)
	return out, err
}

// offers reports whether the configured provider named provider offers
// model among the models Models lists; true when they cannot be read (a
// refusal's words then leave it unsaid).
func (m *Meter) offers(ctx context.Context, provider, model string) bool {
	opts, err := m.Models(ctx)
	if err != nil {
		return true
	}
	for _, o := range opts {
		if o.Provider == provider && o.Model == model {
			return true
		}
	}
	return false
}

// models is Models with the rate table's defaults.
func (m *Meter) models(ctx context.Context) ([]ModelOption, rates.Defaults, error) {
	targets, err := m.resolver.Targets(ctx)
	if err != nil {
		return nil, rates.Defaults{}, fmt.Errorf("list models: %w", err)
	}
	ts, ok := m.rates.(tableSource)
	if !ok {
		return nil, rates.Defaults{}, fmt.Errorf("list models: the rate service has no table")
	}
	table, err := ts.Table(ctx)
	if err != nil {
		return nil, rates.Defaults{}, fmt.Errorf("list models: %w", err)
	}
	out := []ModelOption{}
	for _, t := range targets {
		for _, pm := range table.Providers {
			if pm.Provider.ID != t.RateProvider {
				continue
			}
			for _, m := range pm.Models {
				if t.Models != nil && !contains(t.Models, m.Model) || t.Unreported && m.Source == rates.SourceReported {
					continue
				}
				// A model the cloud provider no longer lists (retired,
				// or out of the key's reach) is not offered: its rates
				// and the conversations that used it stay.
				if t.Listed != nil && m.Source != rates.SourceCustom && !contains(t.Listed, m.Model) {
					continue
				}
				e := m.Effective
				out = append(out, ModelOption{Provider: t.Name, RateProvider: t.RateProvider, Local: t.Local, Model: m.Model,
					Input: e.Input, Output: e.Output, CacheRead: e.CacheRead, Reasoning: e.Reasoning,
					Free: isZero(e.Input) && isZero(e.Output), DefaultRate: m.DefaultRate, RatedAs: m.RatedAs, DefaultMaxOutput: DefaultMaxOutput(m.Model),
					ReasoningSupport: reasoningSupport(t.Kind, t.SelfHosted, m.Model), OutputCeiling: providers.OutputCeiling(t.Kind, m.Model)})
			}
		}
	}
	return out, table.Defaults, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func isZero(s string) bool { return s == "0" || s == "" }
