package providers

import (
	"fmt"
	"strings"
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
var ErrBadReasoning = fmt.Errorf("%w: reasoning must be default, off, low, medium or high", ErrBadRequest)

// ParseReasoning reads a level as a person types it: trimmed, case aside;
// "" is ReasoningDefault. Anything else is ErrBadReasoning, naming what was
// given.
func ParseReasoning(s string) (Reasoning, error) {
	t := Reasoning(strings.ToLower(strings.TrimSpace(s)))
	if t == "" {
		return ReasoningDefault, nil
	}
	if !t.valid() {
		return "", fmt.Errorf("%w (not %q)", ErrBadReasoning, s)
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
	// server on this machine), and the window says the setting does not
	// apply to it.
	Applies bool
	// CanDisable: Off turns the model's thinking off (Claude thinks only
	// when asked; Gemini 2.5 Flash takes a budget of 0). When false the
	// model always reasons and Off sends nothing.
	CanDisable bool
	// Effort is OpenAI's reasoning_effort ("low", "medium", "high"); "" =
	// not sent.
	Effort string
	// Budget is the thinking tokens asked for (Anthropic's
	// thinking.budget_tokens, Gemini's thinkingConfig.thinkingBudget).
	// Both count thinking within the output limit (max_tokens,
	// maxOutputTokens) and bill it as output, so a send adds Budget to its
	// output budget, and holds credits for both (chat's Meter).
	Budget int
	// Disable: send Gemini's thinkingBudget 0 (Off on a model that can
	// think less; Budget is 0).
	Disable bool
}

// Sends reports whether the plan puts anything in the request.
func (p ReasoningPlan) Sends() bool { return p.Effort != "" || p.Budget > 0 || p.Disable }

// ReasoningFor is what level sends to model on a provider of kind (local:
// its server is on this machine, Provider.Local). It is the one rule for
// the request the adapters write and for the output budget chat holds
// credits for; one function per kind decides it:
// anthropicReasoning, openAIReasoning (OpenAI and OpenAI-compatible
// servers), geminiReasoning. DeepSeek takes none: deepseek-reasoner always
// reasons and deepseek-chat never does.
func ReasoningFor(kind Kind, local bool, model string, level Reasoning) ReasoningPlan {
	switch kind {
	case KindAnthropic:
		return anthropicReasoning(model, level)
	case KindOpenAI, KindCompatible:
		return openAIReasoning(kind, local, model, level)
	case KindGemini:
		return geminiReasoning(model, level)
	}
	return ReasoningPlan{}
}

// anthropicReasoning: extended thinking, `thinking: {"type": "enabled",
// "budget_tokens": N}`, on the models that have it (Claude 3.7 Sonnet and
// every Claude 4 and later; not Claude 3.5 and older). Off sends nothing:
// Claude thinks only when asked.
func anthropicReasoning(model string, level Reasoning) ReasoningPlan {
	if !anthropicThinks(model) {
		return ReasoningPlan{}
	}
	return ReasoningPlan{Applies: true, CanDisable: true, Budget: anthropicBudgets[level]}
}

// anthropicThinks reports whether a Claude model takes extended thinking:
// not claude-instant, claude-2 or claude-3-* before claude-3-7.
func anthropicThinks(model string) bool {
	rest, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(model)), "claude-")
	if !ok {
		return false
	}
	switch {
	case strings.HasPrefix(rest, "instant"), strings.HasPrefix(rest, "2"), strings.HasPrefix(rest, "1"):
		return false
	case strings.HasPrefix(rest, "3"):
		return strings.HasPrefix(rest, "3-7") || strings.HasPrefix(rest, "3.7")
	}
	return true
}

// openAIReasoning: `reasoning_effort` for the models Meterdesk treats as
// OpenAI's reasoning models (reasoningModelName: o1, o3-mini, gpt-5…): on
// the openai kind, and on a compatible server that is not on this machine
// (LiteLLM, Azure), as completionTokensField decides their output budget's
// field. Off sends nothing: these models always reason ("minimal" is
// gpt-5's alone and "none" gpt-5.1's; o-series models refuse both).
func openAIReasoning(kind Kind, local bool, model string, level Reasoning) ReasoningPlan {
	if !reasoningModelName(model) || kind == KindCompatible && local {
		return ReasoningPlan{}
	}
	p := ReasoningPlan{Applies: true}
	switch level {
	case ReasoningLow, ReasoningMedium, ReasoningHigh:
		p.Effort = string(level)
	}
	return p
}

// geminiReasoning: `generationConfig.thinkingConfig.thinkingBudget` on the
// thinking models (Gemini 2.5 and later, and the "-latest" aliases). Off is
// a budget of 0 on Gemini 2.5 Flash and Flash-Lite; 2.5 Pro cannot stop
// thinking (its budget starts at 128) and Gemini 3 is steered by a
// thinking level, so Off sends nothing there. Gemini 3 takes a budget for
// backwards compatibility.
func geminiReasoning(model string, level Reasoning) ReasoningPlan {
	m := strings.ToLower(strings.TrimSpace(model))
	rest, ok := strings.CutPrefix(m, "gemini-")
	if !ok {
		return ReasoningPlan{}
	}
	if major, minor, ok := geminiVersion(rest); ok && (major < 2 || major == 2 && minor < 5) {
		return ReasoningPlan{} // 2.0 and older do not think (or take no budget)
	}
	p := ReasoningPlan{Applies: true, CanDisable: strings.HasPrefix(rest, "2.5-flash"), Budget: geminiBudgets[level]}
	if level == ReasoningOff && p.CanDisable {
		p.Disable = true
	}
	return p
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
