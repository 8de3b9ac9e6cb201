package providers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"meterdesk/backend/inputerr"
)

// Reasoning is how much a reasoning model is asked to think before it
// answers: a conversation's "Reasoning" setting (the window's Model
// settings, `meterdesk chat --reasoning`, `conversations set --reasoning`).
// ReasoningDefault (or "") sends nothing, so the provider's default
// applies; each kind maps the other levels to its own request field
// (ReasoningFor, docs/providers.md "Reasoning").
type Reasoning string

// The reasoning levels.
const (
	ReasoningDefault Reasoning = "default" // send nothing: the provider's default
	ReasoningOff     Reasoning = "off"     // no thinking where the model can do without
	ReasoningLow     Reasoning = "low"
	ReasoningMedium  Reasoning = "medium"
	ReasoningHigh    Reasoning = "high"
)

// Reasonings lists the levels in the order the window and the CLI offer them.
func Reasonings() []Reasoning {
	return []Reasoning{ReasoningDefault, ReasoningOff, ReasoningLow, ReasoningMedium, ReasoningHigh}
}

// ErrBadReasoning is ParseReasoning's error for a level that is not one of
// Reasonings. It matches ErrBadRequest.
var ErrBadReasoning = inputerr.New(ErrBadRequest, "reasoning must be default, off, low, medium or high")

// ParseReasoning reads a level as a person types it: trimmed, case aside;
// "" is ReasoningDefault. Anything else is ErrBadReasoning, naming what was
// given.
func ParseReasoning(s string) (Reasoning, error) {
	t := Reasoning(strings.ToLower(strings.TrimSpace(s)))
	if t == "" {
		return ReasoningDefault, nil
	}
	if !t.valid() {
		return "", inputerr.More(ErrBadReasoning, " (not %q)", s)
	}
	return t, nil
}

// valid reports whether r is "" or one of Reasonings, as a Request must
// carry it.
func (r Reasoning) valid() bool {
	if r == "" {
		return true
	}
	for _, v := range Reasonings() {
		if r == v {
			return true
		}
	}
	return false
}

// IsDefault reports whether r sends nothing ("" or ReasoningDefault).
func (r Reasoning) IsDefault() bool { return r == "" || r == ReasoningDefault }

// Thinking budgets in tokens, per level. Anthropic's budget_tokens must be
// at least 1,024 (and below max_tokens); Gemini 2.5 takes 0 to 24,576
// (Flash, Flash-Lite from 512) and 128 to 32,768 (Pro).
var (
	anthropicBudgets = map[Reasoning]int{ReasoningLow: 1024, ReasoningMedium: 4096, ReasoningHigh: 16384}
	geminiBudgets    = map[Reasoning]int{ReasoningLow: 1024, ReasoningMedium: 8192, ReasoningHigh: 24576}
)

// ReasoningPlan is what one Reasoning level sends to one model of one kind.
// The zero value sends nothing.
type ReasoningPlan struct {
	// Applies: the model takes a reasoning setting at all. When false no
	// level sends anything (a model that does not reason, DeepSeek, a
	// server on this machine or the member's own network, a name
	// Meterdesk does not know the rule for), and the window says the
	// setting does not apply to it.
	Applies bool
	// CanDisable: Off turns the model's thinking off (Claude thinks only
	// when asked, and Opus 5 and Sonnet 5 take thinking "disabled"; Gemini
	// 2.5 Flash takes a budget of 0; gpt-5.1 and later take
	// reasoning_effort "none"). When false the model always reasons and
	// Off sends nothing.
	CanDisable bool
	// Effort is the effort level sent: OpenAI's reasoning_effort ("none",
	// "low", "medium", "high"), or with Adaptive Anthropic's
	// output_config.effort ("low", "medium", "high"); "" = not sent.
	Effort string
	// Adaptive: Anthropic's adaptive thinking, `thinking: {"type":
	// "adaptive"}` with output_config.effort = Effort, for the Claude
	// models that take no thinking budget, or deprecate it (4.6 and
	// later, Mythos, Fable). Claude decides how much to think within max_tokens, so
	// nothing is added to the output budget (Budget is 0).
	Adaptive bool
	// Budget is the thinking tokens asked for (Anthropic's
	// thinking.budget_tokens, Gemini's thinkingConfig.thinkingBudget).
	// Both count thinking within the output limit (max_tokens,
	// maxOutputTokens) and bill it as output, so a send adds Budget to its
	// output budget, and holds credits for both (chat's Meter).
	Budget int
	// Disable: turn thinking off where the model thinks unless told not
	// to: Gemini's thinkingBudget 0 (2.5 Flash), Anthropic's
	// `thinking: {"type": "disabled"}` (Opus 5, Sonnet 5). Off only;
	// Budget is 0.
	Disable bool
	// FixedSampling: the model takes no sampling of its own while it
	// thinks (Claude: temperature only 1, top_p only from 0.95 to 1, no
	// top_k). It is set on every plan of such a model, also on those that
	// send no thinking (Default, Off); ThinkingSamplingError checks a
	// request against it when the plan turns thinking on.
	FixedSampling bool
	// NoSampling: the model refuses a temperature or top_p other than
	// their defaults (1) at every level, thinking or not (Claude Opus 4.7
	// and later, Claude 5: "temperature is deprecated for this model").
	// ThinkingSamplingError refuses such a request whatever the level, and
	// the Anthropic adapter sends neither field to such a model.
	NoSampling bool
	// Takes lists the levels among Low, Medium and High the model takes;
	// nil: all three. A level it does not take (gpt-5-pro takes only
	// "high", Gemini 3 Pro no "medium") is Refused.
	Takes []Reasoning
	// Refused: the model does not take this level, and its provider would
	// answer it with a 400. The plan sends nothing; LevelError refuses the
	// request before anything is sent or held, naming the levels it takes.
	Refused bool
	// ThinkingLevel is Gemini 3's thinkingConfig.thinkingLevel ("low",
	// "medium", "high"), sent instead of a thinkingBudget. Budget is then
	// not sent but still added to the output budget (maxOutputTokens
	// counts the thoughts), so the reply keeps its Max output and the hold
	// covers the thinking.
	ThinkingLevel string
	// Display is Anthropic's thinking.display sent with adaptive thinking:
	// "summarized" for the models whose default is "omitted" (Opus 4.7 and
	// later, Claude 5, Mythos, Fable), so the member sees the thinking; ""
	// sends none (the model's default shows it).
	Display string
}

// Sends reports whether the plan puts anything in the request.
func (p ReasoningPlan) Sends() bool { return p.Effort != "" || p.Budget > 0 || p.Disable || p.Adaptive }

// Honours reports whether the plan does on its model what level asks:
// Default always (it asks nothing); Low to High when the model takes a
// reasoning setting (Applies); Off when it also thinks only when asked, or
// can be told not to (CanDisable: Claude is sent nothing and does not
// think, Opus 5 and Sonnet 5 thinking "disabled", gpt-5.1
// reasoning_effort "none", Gemini 2.5 Flash a budget of 0). A model that
// always reasons (gpt-5, the o-series, Gemini 2.5 Pro and 3, Claude 5.5,
// Mythos, Fable) does not honour Off, and one that takes no setting
// (DeepSeek, a self-hosted server, a name whose rule Meterdesk does not know)
// honours no level but Default: the chat sends such a level as nothing
// (the window says it does not apply), while a caller that names the level
// itself (the local API's reasoning_effort) refuses the request
// (chat.MeterRequest.ExactReasoning).
func (p ReasoningPlan) Honours(level Reasoning) bool {
	switch {
	case level.IsDefault():
		return true
	case !p.Applies:
		return false
	case level == ReasoningOff:
		return p.CanDisable
	}
	return true
}

// fixesSampling reports whether the plan has the model think in a way that
// takes no sampling of its own (FixedSampling, with a budget, adaptive, or
// on a model that always thinks: Mythos and Fable at Default or Off too).
func (p ReasoningPlan) fixesSampling() bool {
	return p.FixedSampling && (p.Budget > 0 || p.Adaptive || p.Applies && !p.CanDisable)
}

// LevelError is the error of a request at a level its model does not take
// (ReasoningPlan.Refused): nothing is sent. Takes lists the levels it does
// take. It matches ErrBadRequest.
type LevelError struct {
	Level Reasoning
	Takes []Reasoning
}

func (e *LevelError) Error() string {
	return fmt.Sprintf("%v: this model takes no reasoning level %q (it takes %s, or default)", ErrBadRequest, e.Level, JoinLevels(e.Takes))
}

// Reason is the refusal's words without its kind, which the window shows
// (app.FormatError).
func (e *LevelError) Reason() string {
	return strings.TrimPrefix(e.Error(), ErrBadRequest.Error()+": ")
}

// Is makes a LevelError match ErrBadRequest.
func (e *LevelError) Is(target error) bool { return target == ErrBadRequest }

// JoinLevels writes levels as "high", "low or high", "low, medium or high".
func JoinLevels(levels []Reasoning) string {
	s := make([]string, len(levels))
	for i, l := range levels {
		s[i] = string(l)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// CheckPlan is the one check of a request against what its model takes,
// before anything is sent or held: a level it does not take (*LevelError),
// then a temperature or top_p it refuses (ThinkingSamplingError, a
// *SamplingError). The adapters and chat both call it.
func CheckPlan(p ReasoningPlan, level Reasoning, s Sampling) error {
	if p.Refused {
		return &LevelError{Level: level, Takes: p.Takes}
	}
	if se := ThinkingSamplingError(p, s); se != nil {
		return se
	}
	return nil
}

// withTakes marks p Refused when level is one of Low, Medium and High and
// not among takes (nil: all), clearing what it would send.
func withTakes(p ReasoningPlan, level Reasoning, takes []Reasoning) ReasoningPlan {
	p.Takes = takes
	if takes == nil {
		return p
	}
	switch level {
	case ReasoningLow, ReasoningMedium, ReasoningHigh:
		if !slices.Contains(takes, level) {
			p.Refused, p.Effort, p.Budget, p.ThinkingLevel, p.Adaptive = true, "", 0, "", false
		}
	}
	return p
}

// Claude with thinking on takes a temperature only of 1 and a top_p only
// from ThinkingMinTopP to 1 (and no top_k, which Meterdesk never sends);
// the API refuses anything else with a 400.
const (
	ThinkingTemperature = 1.0
	ThinkingMinTopP     = 0.95
)

// ThinkingSamplingError is the sampling parameter a request of plan p may
// not carry, as a *SamplingError naming it (Param "temperature" or
// "top_p"), or nil: Claude refuses a temperature other than 1 and a top_p
// below 0.95 while it thinks (FixedSampling, on a plan that turns thinking
// on), with a 400 that Meterdesk would only
// see after sending. The Anthropic adapter refuses such a request before
// sending, and chat before it holds anything, naming the setting to clear.
func ThinkingSamplingError(p ReasoningPlan, s Sampling) *SamplingError {
	if p.NoSampling {
		if t := s.Temperature; t != nil && *t != ThinkingTemperature {
			return &SamplingError{"temperature", "this model takes no temperature other than 1"}
		}
		if tp := s.TopP; tp != nil && *tp != 1 {
			return &SamplingError{"top_p", "this model takes no top_p other than 1"}
		}
		return nil
	}
	if !p.fixesSampling() {
		return nil
	}
	if t := s.Temperature; t != nil && *t != ThinkingTemperature {
		return &SamplingError{"temperature", "this model takes no temperature other than 1 while it thinks"}
	}
	if tp := s.TopP; tp != nil && *tp < ThinkingMinTopP {
		return &SamplingError{"top_p", "this model takes a top_p only from 0.95 to 1 while it thinks"}
	}
	return nil
}

// ReasoningFor is what level sends to model on a provider of kind
// (selfHosted: its server is on this machine or the member's own network,
// SelfHosted and Provider.SelfHosted). It is the one rule for
// the request the adapters write and for the output budget chat holds
// credits for; one function per kind decides it:
// anthropicReasoning, openAIReasoning (OpenAI and OpenAI-compatible
// servers), geminiReasoning. DeepSeek takes none: deepseek-reasoner always
// reasons and deepseek-chat never does. level is one of Reasonings as
// ParseReasoning returns it; any other sends nothing (a Request carrying
// one is refused).
func ReasoningFor(kind Kind, selfHosted bool, model string, level Reasoning) ReasoningPlan {
	switch kind {
	case KindAnthropic:
		return anthropicReasoning(model, level)
	case KindOpenAI, KindCompatible:
		return openAIReasoning(kind, selfHosted, model, level)
	case KindGemini:
		return geminiReasoning(model, level)
	}
	return ReasoningPlan{}
}

// reasoningHidden reports whether a reply of model on a provider of kind
// (selfHosted: on this machine or the member's own network) at level reasons where its stream shows none
// or only a summary of it (Result.ReasoningHidden): OpenAI's reasoning
// models (not the chat variants, which do not reason, nor gpt-5.1 and
// later at Off, "none"), whose reasoning is never streamed; Claude with
// its thinking on (asked, or Mythos and Fable, which always think) from
// Claude 4 on, which streams a summary of its thinking (Claude 3.7
// streams it whole).
func reasoningHidden(kind Kind, selfHosted bool, model string, level Reasoning) bool {
	switch kind {
	case KindOpenAI, KindCompatible:
		if !reasoningModelName(model) || kind == KindCompatible && selfHosted || openAIEffortless(model) && !isO1(model) {
			return false
		}
		return !(level == ReasoningOff && openAINone(model))
	case KindAnthropic:
		p := anthropicReasoning(model, level)
		t := anthropicThinking(model)
		on := p.Budget > 0 || p.Adaptive || t == claudeAlways || t == claudeDefaultOn || t == claudeDefaultOff && !p.Disable
		family, _, _, _ := claudeVersion(model)
		return on && family != "" // "": claude-3-7-…, whose thinking is streamed whole
	}
	return false
}

// isO1 reports whether model is o1-mini or o1-preview: reasoning models
// that take no reasoning_effort (openAIEffortless) but reason all the same.
func isO1(model string) bool {
	m := strings.ToLower(strings.TrimSpace(model))
	return strings.HasPrefix(m, "o1-mini") || strings.HasPrefix(m, "o1-preview")
}

// claudeThinking is how a Claude model takes thinking (anthropicThinking).
type claudeThinking int

const (
	claudeNone         claudeThinking = iota // no thinking, or a name whose rule is not documented: nothing sent
	claudeBudget                             // `thinking: {"type": "enabled", "budget_tokens": N}`; off unless asked
	claudeAdaptive                           // `thinking: {"type": "adaptive"}` + output_config.effort; off unless asked (4.6)
	claudeAdaptiveOnly                       // adaptive only, no sampling of its own, thinking omitted unless asked (Opus 4.7, 4.8)
	claudeDefaultOff                         // as claudeDefaultOn, and takes `thinking: {"type": "disabled"}` (Opus 5, Sonnet 5)
	claudeDefaultOn                          // adaptive only, no sampling of its own, thinking (omitted) even when not asked (Claude 5.5)
	claudeAlways                             // adaptive only, and thinking even when not asked (Mythos, Fable)
)

// anthropicReasoning: Claude's thinking, as each model documents it
// (anthropicThinking). The models with extended thinking get
// `thinking: {"type": "enabled", "budget_tokens": N}`, N added to the
// output budget; those that refuse it with a 400 (Opus 4.7 and later,
// Claude 5, Mythos, Fable: adaptive thinking only), and Opus and Sonnet
// 4.6 where it is deprecated, get `thinking: {"type": "adaptive"}` and
// `output_config: {"effort": level}`, which counts within max_tokens. Off sends nothing: Claude thinks only
// when asked, but for Claude 5, which thinks when sent nothing: Opus 5 and
// Sonnet 5 are sent `thinking: {"type": "disabled"}` at Off, which they
// take (Opus 5 at an effort of high or below, and Off sends none, so its
// default, high, applies); Claude 5.5, Mythos and Fable refuse it and are
// offered no Off.
func anthropicReasoning(model string, level Reasoning) ReasoningPlan {
	p := ReasoningPlan{Applies: true, CanDisable: true, FixedSampling: true}
	thinking := anthropicThinking(model)
	switch thinking {
	case claudeBudget:
		p.Budget = anthropicBudgets[level]
		return p
	case claudeAdaptive, claudeAdaptiveOnly, claudeDefaultOff, claudeDefaultOn, claudeAlways:
	default:
		return ReasoningPlan{}
	}
	// Claude 5 thinks when sent no thinking field; turning it off takes
	// `thinking: {"type": "disabled"}`, which Opus 5 and Sonnet 5 take and
	// Opus 5.5 and Sonnet 5.5 refuse with a 400, so Off is offered on the
	// two (Disable) and not on the others, as for Mythos and Fable.
	p.CanDisable = thinking != claudeAlways && thinking != claudeDefaultOn
	p.NoSampling = thinking == claudeAdaptiveOnly || thinking == claudeDefaultOff || thinking == claudeDefaultOn
	p.Disable = thinking == claudeDefaultOff && level == ReasoningOff
	switch level {
	case ReasoningLow, ReasoningMedium, ReasoningHigh:
		p.Adaptive, p.Effort = true, string(level)
		if thinking != claudeAdaptive {
			p.Display = "summarized" // their default, "omitted", shows no thinking
		}
	}
	return p
}

// anthropicThinking reads a Claude model name for how it takes thinking, by
// the models Anthropic's and Bedrock's extended- and adaptive-thinking
// pages list:
//
//   - a budget (extended thinking, the only form they take): Claude 3.7
//     Sonnet, Opus 4, 4.1 and 4.5, Sonnet 4 and 4.5, Haiku 4.5;
//   - adaptive, off unless asked: Opus 4.6 and Sonnet 4.6 (which take a
//     budget too, deprecated: Anthropic recommends adaptive thinking, and
//     its SDK prints a warning on every such request), and Opus 4.7 and
//     4.8, which refuse "enabled" with a 400;
//   - adaptive only, thinking even when not asked (the Opus 5 migration
//     guide: "on Claude Opus 5, the same requests run with adaptive
//     thinking"), and `thinking: {"type": "disabled"}` taken to turn it
//     off: Opus 5 ("To preserve the old behavior, pass thinking:
//     {type: "disabled"}", at effort high or below) and Sonnet 5 (whose
//     accepted thinking types are "adaptive" and "disabled"; Sonnet 5.5's
//     guide: "the same as on Claude Sonnet 5 using disabled");
//   - the same without "disabled", which they refuse with a 400 (What's
//     new in Opus 5.5 and Sonnet 5.5): the rest of Claude 5 (opus-5-5,
//     sonnet-5-5, haiku-5-5, their other 5.x), a 5.x whose rule is not
//     documented kept on the safe side: Haiku 5.5 among them, for which
//     Anthropic documents no "disabled" (only a third-party guide says it
//     takes it), so Off sends it nothing and it thinks as at Default;
//   - adaptive only, thinking even when not asked: every Mythos and Fable
//     (claude-mythos-preview, claude-fable-5-1), which also refuse
//     "disabled".
//
// Anything else is claudeNone: claude-instant, claude-2, claude-3-… before
// 3.7, Claude 3.5, and names whose rule is not documented yet (a Claude 6,
// an Opus 4.9, a family Meterdesk does not know), so that no request is
// sent in a form the model may refuse; the window says the setting does
// not apply to them.
func anthropicThinking(model string) claudeThinking {
	family, major, minor, ok := claudeVersion(model)
	switch family {
	case "mythos", "fable":
		return claudeAlways
	case "":
		if ok && major == 3 && minor == 7 {
			return claudeBudget // claude-3-7-sonnet-…
		}
		return claudeNone
	case "opus", "sonnet", "haiku":
	default:
		return claudeNone
	}
	if !ok {
		return claudeNone
	}
	budget := map[string][]int{"opus": {0, 1, 5}, "sonnet": {0, 5}, "haiku": {5}}
	adaptive := map[string][]int{"opus": {6}, "sonnet": {6}}
	adaptiveOnly := map[string][]int{"opus": {7, 8}}
	switch {
	case major == 4 && slices.Contains(budget[family], minor):
		return claudeBudget
	case major == 4 && slices.Contains(adaptive[family], minor):
		return claudeAdaptive
	case major == 4 && slices.Contains(adaptiveOnly[family], minor):
		return claudeAdaptiveOnly
	case major == 5 && minor == 0 && (family == "opus" || family == "sonnet"):
		return claudeDefaultOff
	case major == 5:
		return claudeDefaultOn
	}
	return claudeNone
}

// claudeOutputCeilings are the most output tokens (max_tokens) each Claude
// model takes, as Anthropic's models overview lists them; the API refuses
// more with a 400 ("max_tokens: 46384 > 32000, which is the maximum allowed
// number of output tokens for claude-opus-4-1-20250805"). Keyed by family
// and "major.minor"; Claude 3.7 Sonnet's 128,000 needs a beta header
// Meterdesk does not send. Claude 5 (Opus 5, Sonnet 5, Opus 5.5, Sonnet
// 5.5, Haiku 5.5) and Fable 5.1 take 128,000 (each model's page: "Max
// output: 128K tokens"; the Batch API's 300,000 is a beta Meterdesk does
// not use). Models not listed (Mythos, Fable 5, a Claude 5.x not named
// here, older ones) have no ceiling here: none is guessed.
var claudeOutputCeilings = map[string]int{
	"opus 4.0": 32000, "opus 4.1": 32000,
	"sonnet 4.0": 64000, "sonnet 4.5": 64000, "haiku 4.5": 64000, "opus 4.5": 64000, " 3.7": 64000,
	"opus 4.6": 128000, "sonnet 4.6": 128000, "opus 4.7": 128000, "opus 4.8": 128000,
	"opus 5.0": 128000, "sonnet 5.0": 128000, "opus 5.5": 128000, "sonnet 5.5": 128000, "haiku 5.5": 128000,
	"fable 5.1": 128000,
}

// OutputCeiling is the most output tokens model takes on a provider of
// kind, where a table Meterdesk keeps knows it from the provider's
// documentation (claudeOutputCeilings); 0 when it is not known. A
// request's output budget (max output plus any thinking budget) above it
// is refused before anything is sent or held (chat's OutputCeilingError,
// the Anthropic adapter's ErrBadRequest).
func OutputCeiling(kind Kind, model string) int {
	if kind != KindAnthropic {
		return 0
	}
	family, major, minor, ok := claudeVersion(model)
	if !ok || family == "" && (major != 3 || minor != 7) {
		return 0
	}
	if family == "" {
		return claudeOutputCeilings[" 3.7"]
	}
	return claudeOutputCeilings[fmt.Sprintf("%s %d.%d", family, major, minor)]
}

// claudeVersion reads a Claude model name, case and blanks aside: the
// family and version of "claude-sonnet-4-5-20250929" ("sonnet", 4, 5),
// "claude-opus-4-20250514" ("opus", 4, 0: an 8-digit date is no minor
// version), "claude-opus-4.7" ("opus", 4, 7); or, in the older order, the
// version of "claude-3-7-sonnet-latest" ("", 3, 7) and "claude-2.1". ok
// is false when the name has no version ("claude-mythos-preview"); family
// is "" for a name that is not "claude-…" at all. A date after an @ (Vertex
// AI's "claude-haiku-4-5@20251001") is no part of the version.
func claudeVersion(model string) (family string, major, minor int, ok bool) {
	name, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(model)), "@") // Vertex AI's claude-opus-4-1@20250805
	rest, claude := strings.CutPrefix(name, "claude-")
	if !claude {
		return "", 0, 0, false
	}
	if rest == "" || rest[0] < '0' || rest[0] > '9' {
		family, rest, _ = strings.Cut(rest, "-")
		if family == "" {
			family = "?"
		}
	}
	parts := strings.FieldsFunc(rest, func(r rune) bool { return r == '-' || r == '.' })
	num := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && len(s) <= 2 // a date (20250929) is no version
	}
	if len(parts) == 0 {
		return family, 0, 0, false
	}
	if major, ok = num(parts[0]); !ok {
		return family, 0, 0, false
	}
	if len(parts) > 1 {
		if m, isNum := num(parts[1]); isNum {
			minor = m
		}
	}
	return family, major, minor, true
}

// openAIReasoning: `reasoning_effort` for the models Meterdesk treats as
// OpenAI's reasoning models (reasoningModelName: o1, o3-mini, gpt-5…): on
// the openai kind, and on a compatible server that is neither on this
// machine nor on the member's own network (Azure, a remote LiteLLM); but
// not on a self-hosted one (SelfHosted: Ollama, LM Studio, llama.cpp),
// which names its models as it likes and may refuse the field ("o3-mini-local"
// is no OpenAI model), nor for the reasoning-named models OpenAI documents without
// it (openAIEffortless: gpt-5-chat-latest, gpt-5.1-chat-latest, o1-mini,
// o1-preview), which refuse other values with a 400. Off sends "none"
// where it is documented (gpt-5.1 and later, openAINone), else nothing:
// o-series models and gpt-5 always reason ("minimal" is gpt-5's alone, and
// not off).
func openAIReasoning(kind Kind, selfHosted bool, model string, level Reasoning) ReasoningPlan {
	if !reasoningModelName(model) || kind == KindCompatible && selfHosted || openAIEffortless(model) {
		return ReasoningPlan{}
	}
	p := ReasoningPlan{Applies: true, CanDisable: openAINone(model)}
	switch level {
	case ReasoningLow, ReasoningMedium, ReasoningHigh:
		p.Effort = string(level)
	case ReasoningOff:
		if p.CanDisable {
			p.Effort = "none"
		}
	}
	return withTakes(p, level, openAIEfforts(model))
}

// openAIEfforts is the levels among Low, Medium and High an OpenAI
// reasoning model takes, where it is not all three: gpt-5-pro (and its
// dated snapshots) "defaults to (and only supports) high reasoning
// effort" (OpenAI's reasoning_effort reference); the others Meterdesk
// sends an effort to (o1, o3-mini, o3, o4-mini, gpt-5, its mini and nano,
// gpt-5-codex, gpt-5.1 and later) take all three.
func openAIEfforts(model string) []Reasoning {
	if minor, rest, ok := gptVersion(strings.ToLower(strings.TrimSpace(model))); ok && minor == 0 &&
		(rest == "-pro" || strings.HasPrefix(rest, "-pro-") && isDateSuffix(strings.TrimPrefix(rest, "-pro"))) {
		return []Reasoning{ReasoningHigh}
	}
	return nil
}

// openAIEffortless reports whether model is one of OpenAI's reasoning-named
// models that take no reasoning_effort of Meterdesk's: gpt-5-chat-latest
// (none at all) and the gpt-5.x chat models after it (gpt-5.1-chat-latest,
// gpt-5.2-chat-latest: only "medium", their default), o1-mini and
// o1-preview (none). Their output budget still goes as
// max_completion_tokens (reasoningModelName).
func openAIEffortless(model string) bool {
	m := strings.ToLower(strings.TrimSpace(model))
	if strings.HasPrefix(m, "o1-mini") || strings.HasPrefix(m, "o1-preview") {
		return true
	}
	minor, rest, ok := gptVersion(m)
	if ok && minor > 0 && (rest == "-pro" || strings.HasPrefix(rest, "-pro-")) {
		return true // gpt-5.2-pro…: its efforts are not documented, so none is sent
	}
	return ok && (rest == "-chat" || strings.HasPrefix(rest, "-chat-"))
}

// openAINone reports whether model takes reasoning_effort "none" (no
// reasoning, its default): gpt-5.1, gpt-5.2 and later gpt-5.x, by the
// name or a dated snapshot of it (gpt-5.1-2025-11-13); not gpt-5, its mini
// and nano ("minimal" at the least), nor the codex, pro or chat variants.
func openAINone(model string) bool {
	minor, rest, ok := gptVersion(strings.ToLower(strings.TrimSpace(model)))
	if !ok || minor < 1 {
		return false
	}
	return rest == "" || isDateSuffix(rest)
}

// gptVersion reads "gpt-5", "gpt-5.1-chat-latest": the minor version after
// "gpt-5." (0 for gpt-5) and the rest of the name ("-chat-latest"); ok is
// false for a name that is not gpt-5….
func gptVersion(m string) (minor int, rest string, ok bool) {
	rest, ok = strings.CutPrefix(m, "gpt-5")
	if !ok || rest != "" && rest[0] != '-' && rest[0] != '.' {
		return 0, "", false
	}
	if r, dot := strings.CutPrefix(rest, "."); dot {
		i := 0
		for i < len(r) && i < 3 && r[i] >= '0' && r[i] <= '9' {
			minor = minor*10 + int(r[i]-'0')
			i++
		}
		if i == 0 {
			return 0, "", false
		}
		rest = r[i:]
	}
	return minor, rest, true
}

// isDateSuffix reports whether s is a snapshot's date, "-2025-11-13".
func isDateSuffix(s string) bool {
	if len(s) != len("-2025-11-13") {
		return false
	}
	for i, c := range s {
		switch i {
		case 0, 5, 8:
			if c != '-' {
				return false
			}
		default:
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

// geminiReasoning: `generationConfig.thinkingConfig.thinkingBudget` on the
// thinking models (geminiThinks: Gemini 2.5 and later, and the documented
// "-latest" aliases). Off is a budget of 0 on Gemini 2.5 Flash and
// Flash-Lite; 2.5 Pro cannot stop thinking (its budget starts at 128) and
// Gemini 3 is steered by a thinking level, so Off sends nothing there.
// Gemini 3 takes a budget for backwards compatibility.
func geminiReasoning(model string, level Reasoning) ReasoningPlan {
	if !geminiThinks(model) {
		return ReasoningPlan{}
	}
	rest := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(model)), "gemini-")
	p := ReasoningPlan{Applies: true, CanDisable: strings.HasPrefix(rest, "2.5-flash"), Budget: geminiBudgets[level]}
	if level == ReasoningOff && p.CanDisable {
		p.Disable = true
	}
	major, _, versioned := geminiVersion(rest)
	if !versioned || major < 3 {
		return p // 2.5, and the "-latest" aliases, which take a budget whatever they name
	}
	// Gemini 3 and later: thinkingLevel, not a budget; the budget still
	// gives the thoughts their room in maxOutputTokens and the hold.
	if p.Budget > 0 {
		p.ThinkingLevel = string(level)
	}
	return withTakes(p, level, gemini3Levels(rest))
}

// gemini3Levels is the thinking levels among Low, Medium and High a Gemini
// 3 model takes (Google's thinking guide): Pro "low" and "high" (the
// default; 3.1 Pro "medium" too), Flash (and Flash-Lite) "minimal", "low",
// "medium" and "high".
// A Gemini 3 name that is neither is given the two every Gemini 3 takes,
// "low" and "high".
func gemini3Levels(rest string) []Reasoning {
	if strings.Contains(rest, "-flash") || strings.HasPrefix(rest, "3.1-pro") {
		return nil // 3.1 Pro added "medium"
	}
	return []Reasoning{ReasoningLow, ReasoningHigh}
}

// geminiAliases are the unversioned names Google documents as aliases of
// its latest thinking models.
var geminiAliases = []string{"flash-latest", "flash-lite-latest", "pro-latest"}

// geminiThinks reports whether a Gemini model takes a thinking budget:
// a "gemini-" name of version 2.5 or later, or one of geminiAliases; not
// the image and speech models (gemini-2.5-flash-image,
// gemini-2.5-flash-preview-tts: the API refuses a thinkingConfig on a
// model that does not think), nor a name without a version
// (gemini-exp-1206, gemini-pro), whose rule Meterdesk cannot tell. The
// model list Meterdesk keeps has names only, so the listing's own thinking
// flag (genai.Model.Thinking) cannot decide it.
func geminiThinks(model string) bool {
	rest, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(model)), "gemini-")
	if !ok {
		return false
	}
	if slices.Contains(geminiAliases, rest) {
		return true
	}
	for _, part := range strings.Split(rest, "-") {
		if part == "image" || part == "tts" {
			return false
		}
	}
	major, minor, ok := geminiVersion(rest)
	return ok && (major > 2 || major == 2 && minor >= 5)
}

// geminiVersion reads the "2.5" of "2.5-flash" (a minor of 0 when there is
// none: "3-pro-preview"); ok is false when the name starts with no number
// ("flash-latest").
func geminiVersion(s string) (major, minor int, ok bool) {
	num := func(s string) (int, string, bool) {
		n, i := 0, 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9' && n < 1000; i++ {
			n = n*10 + int(s[i]-'0')
		}
		return n, s[i:], i > 0
	}
	major, rest, ok := num(s)
	if !ok {
		return 0, 0, false
	}
	if r, dot := strings.CutPrefix(rest, "."); dot {
		minor, _, _ = num(r)
	}
	return major, minor, true
}

// BillsReasoning reports whether a reply of model on a provider of kind
// (selfHosted: on this machine or the member's own network) at level may be
// billed reasoning tokens apart from its output: tokens Meterdesk's usage
// counts as reasoning (metering.Usage.Reasoning), which the rate table's
// reasoning rate prices. A send's estimate prices its upper end, and its
// hold, at that rate only where this is true (chat's Meter).
//
// It is false only where the provider's documented behaviour, and the way
// its usage is read, leave no reasoning to bill:
//
//   - Anthropic: Claude's thinking, when it thinks, is billed as output
//     tokens and reported inside output_tokens (metering.FromAnthropic;
//     a cut stream counts its thinking text as output too), so its
//     thinking budget is held at the output rate;
//   - DeepSeek's deepseek-chat, its non-thinking mode (deepseek-reasoner is
//     the thinking one; Meterdesk sends no thinking field that would turn
//     it on);
//   - Gemini at a thinking budget of 0 (ReasoningPlan.Disable: 2.5 Flash
//     and Flash-Lite at Off): "setting the thinking budget to 0 disables
//     thinking";
//   - OpenAI's gpt-5.1 and later at reasoning_effort "none" (Off), "which
//     does not perform reasoning".
//
// Everything else may reason, or Meterdesk cannot tell: a reasoning model
// at any other level (o-series, gpt-5, Gemini 2.5 Pro and 3, Gemini 2.5
// Flash at Default, whose thinking is on), a gpt-5.1 at Default (its
// default, "none", is the provider's and not sent), a name whose rule is
// not known, OpenAI's other models (gpt-4o and the like send no effort:
// left as they were, priced by their rows), any OpenAI-compatible server
// (a local model, a router: its usage may report reasoning), and an
// unknown kind.
func BillsReasoning(kind Kind, selfHosted bool, model string, level Reasoning) bool {
	m := strings.ToLower(strings.TrimSpace(model))
	switch kind {
	case KindAnthropic:
		return false
	case KindDeepSeek:
		return m != "deepseek-chat"
	case KindGemini:
		return !geminiReasoning(model, level).Disable
	case KindOpenAI:
		return openAIReasoning(kind, selfHosted, model, level).Effort != "none"
	}
	return true
}
