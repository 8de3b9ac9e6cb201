package chat

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
)

// ModelSettings are a conversation's generation parameters, sent with each
// of its requests (the window's "Model settings", `meterdesk conversations
// set`). Nil or 0 leaves the choice to the provider or the model.
type ModelSettings struct {
	Temperature *float64 `json:"temperature"` // 0 to 2; nil = the provider's default
	TopP        *float64 `json:"topP"`        // 0 to 1; nil = the provider's default
	// MaxOutput is the output tokens asked for, and held for, per reply:
	// a smaller budget makes a smaller hold, so a send fits a low balance.
	// 0 = DefaultMaxOutput(model).
	MaxOutput int `json:"maxOutput"`
	// Reasoning is how much a reasoning model is asked to think
	// (providers.ReasoningFor says what each provider is sent):
	// ReasoningDefault sends nothing. A thinking budget (Claude, Gemini) is
	// asked for on top of MaxOutput and held: charged as output for Claude,
	// at the reasoning rate for Gemini (ReasoningSupport.ThinkingCharged).
	Reasoning providers.Reasoning `json:"reasoning"`
	// History is how many of the conversation's earlier exchanges (a user
	// turn and the reply that answered it, promptTurns) a send carries:
	// nil = All, as before the setting; N from 0 to MaxHistory = the last
	// N, 0 = only the new message. Fewer exchanges make a smaller prompt,
	// so a smaller hold and charge, and keep a long conversation within the
	// model's context window; the model no longer sees what is left out.
	History *int `json:"history"`
}

// MaxHistory is the most exchanges a History setting may name (the
// migration's CHECK says the same); All carries any number.
const MaxHistory = 1000

// HistoryAll is a send's History override (SendRequest.History,
// EstimateDraft) for "every exchange", whatever the conversation's setting.
const HistoryAll = -1

// wholeNumber is how a History is typed: digits only (no sign, no point,
// no exponent).
var wholeNumber = regexp.MustCompile(`^[0-9]+$`)

// ParseHistory reads a History setting as a person types it, the one rule
// for the CLI (`conversations set --history`, `chat --history`) and the
// window (frontend/src/api/chat.ts parseHistory): "all" (any case) is nil,
// else a whole number of exchanges from 0 to MaxHistory, trimmed. A sign,
// a decimal point, an exponent or a larger number is refused (ErrInvalid).
func ParseHistory(s string) (*int, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "all") {
		return nil, nil
	}
	bad := inputerr.New(ErrInvalid, "history %q: write all, or a whole number of exchanges from 0 to %d", s, MaxHistory)
	if !wholeNumber.MatchString(t) || len(t) > 4 {
		return nil, bad
	}
	n, err := strconv.Atoi(t)
	if err != nil || n > MaxHistory {
		return nil, bad
	}
	return &n, nil
}

// checkHistory checks a History setting (nil = All) or, with override, a
// send's History (HistoryAll too).
func checkHistory(h *int, override bool) error {
	if h == nil || *h >= 0 && *h <= MaxHistory || override && *h == HistoryAll {
		return nil
	}
	return inputerr.New(ErrInvalid, "history must be all or from 0 to %d exchanges (not %d)", MaxHistory, *h)
}

// plainNumber is how a model setting is typed: an optional minus sign and
// a plain decimal ("0.7", ".5", "1."). The window's settings form checks
// the same pattern (frontend/src/api/chat.ts parseSettings).
var plainNumber = regexp.MustCompile(`^-?([0-9]*\.?[0-9]+|[0-9]+\.)$`)

// ErrNotANumber is returned by ParseSettingNumber for text that is not a
// plain decimal.
var ErrNotANumber = errors.New("not a number")

// ParseSettingNumber reads a temperature or top P as a person types it, the
// one rule for the CLI (`chat --temperature`, `conversations set`) and the
// window: a plain decimal, trimmed. Exponents ("1e-1", "1e-400"), hex
// floats ("0x1p-1"), digit separators ("0_1"), Inf and NaN are refused,
// though Go's ParseFloat reads them. The ranges are checkSettings'.
func ParseSettingNumber(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if !plainNumber.MatchString(t) {
		return 0, fmt.Errorf("%q: %w (write a plain decimal such as 0.7)", s, ErrNotANumber)
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, fmt.Errorf("%q: %w (write a plain decimal such as 0.7)", s, ErrNotANumber)
	}
	return v, nil
}

// checkSettings checks the ranges documented on ModelSettings (the sampling
// ranges are providers.CheckSampling's, History's checkHistory's) and returns s with its reasoning
// level as stored ("" is ReasoningDefault; case and blanks aside).
// A refusal names the setting it is about by its JSON name
// (inputerr.About: "temperature", "topP", "maxOutput", "reasoning",
// "history"), which the window's Model settings mark; its text is
// unchanged.
func checkSettings(s ModelSettings) (ModelSettings, error) {
	if err := checkMaxOutput(s.MaxOutput, "max output"); err != nil {
		return s, inputerr.About("maxOutput", err)
	}
	if err := checkHistory(s.History, false); err != nil {
		return s, inputerr.About("history", err)
	}
	r, err := checkReasoning(s.Reasoning)
	if err != nil {
		return s, inputerr.About("reasoning", err)
	}
	s.Reasoning = r
	return s, checkSampling(s.sampling())
}

// checkReasoning is providers.ParseReasoning as a chat error: ErrInvalid,
// naming the five levels and what was given.
func checkReasoning(r providers.Reasoning) (providers.Reasoning, error) {
	level, err := providers.ParseReasoning(string(r))
	if err != nil {
		return "", inputerr.New(ErrInvalid, "reasoning must be default, off, low, medium or high (not %q)", r)
	}
	return level, nil
}

// IsDefault reports whether every setting is its default (nothing is sent
// but the model's default output budget, with the whole history).
func (s ModelSettings) IsDefault() bool {
	return s.Temperature == nil && s.TopP == nil && s.MaxOutput == 0 && s.Reasoning.IsDefault() && s.History == nil
}

// historyFor is the History a send carries: the send's own (override: nil
// = none given, HistoryAll = All) in place of the conversation's.
func (s ModelSettings) historyFor(override *int) *int {
	switch {
	case override == nil:
		return s.History
	case *override == HistoryAll:
		return nil
	}
	return override
}

// checkSampling is providers.CheckSampling as a chat error: ErrInvalid with
// the range that was broken ("invalid chat request: top_p must be a number
// from 0 to 1"), said once, about the setting by its ModelSettings JSON
// name ("temperature", "topP"; inputerr.About).
func checkSampling(s providers.Sampling) error {
	var se *providers.SamplingError
	if err := providers.CheckSampling(s); errors.As(err, &se) {
		refusal := inputerr.New(ErrInvalid, "%s", se.Msg)
		switch se.Param {
		case "temperature":
			return inputerr.About("temperature", refusal)
		case "top_p":
			return inputerr.About("topP", refusal)
		}
		return refusal
	} else if err != nil {
		return inputerr.New(ErrInvalid, "%v", err)
	}
	return nil
}

// ThinkingSamplingError refuses a send whose model takes no sampling of its
// own while it thinks (Claude: a temperature only of 1, a top P only from
// 0.95 to 1; providers.ThinkingSamplingError) at a reasoning level that
// turns its thinking on, with a temperature or top P it would refuse with
// a 400. Meterdesk knows both before sending, so the send is refused
// before anything is held or sent, its draft kept. It matches ErrInvalid;
// its message names the setting to clear (Advice), as the window's
// Model settings say under the Reasoning picker.
type ThinkingSamplingError struct {
	Model string
	Level providers.Reasoning
	// Setting is the one to clear: "temperature" or "topP" (the
	// ModelSettings JSON names).
	Setting string
	// CanDisable: Default and Off stop the model thinking (not Mythos
	// and Fable, which always think).
	CanDisable bool
	// Always: the model takes no temperature or top P other than 1 at
	// any level, thinking or not (Claude Opus 4.7 and later, Claude 5:
	// providers.ReasoningPlan.NoSampling); the Reasoning level is no way
	// past it.
	Always bool
}

func (e *ThinkingSamplingError) Error() string {
	return ErrInvalid.Error() + ": " + e.Advice() + " (nothing was sent or charged)"
}

// Reason is the refusal's words without its kind, which the window shows
// (app.FormatError).
func (e *ThinkingSamplingError) Reason() string { return e.Advice() + " (nothing was sent or charged)" }

// Is makes a ThinkingSamplingError match ErrInvalid (the CLI's exit 2).
func (e *ThinkingSamplingError) Is(target error) bool { return target == ErrInvalid }

// NameFirst: the refusal starts with the model's name, which the window
// shows as spelt ("mistral takes …", not "Mistral takes …";
// inputerr.Sentence).
func (e *ThinkingSamplingError) NameFirst() bool { return true }

// Advice says why the send is refused and what to change, the same words
// the window shows under its Reasoning picker (frontend/src/api/chat.ts
// thinkingSamplingWarning): "claude-sonnet-4-5 takes no temperature other
// than 1 while it thinks (Reasoning high): clear Temperature in Model
// settings, or set Reasoning to Default or Off".
func (e *ThinkingSamplingError) Advice() string {
	what, field := "no temperature other than 1", "Temperature"
	if e.Setting == "topP" {
		what, field = "a top P only from 0.95 to 1", "Top P"
	}
	if e.Always {
		if e.Setting == "topP" {
			what = "no top P other than 1"
		}
		return fmt.Sprintf("%s takes %s, at any Reasoning level: clear %s in Model settings", e.Model, what, field)
	}
	msg := fmt.Sprintf("%s takes %s while it thinks (Reasoning %s): clear %s in Model settings", e.Model, what, e.Level, field)
	if e.CanDisable {
		msg += ", or set Reasoning to Default or Off"
	}
	return msg
}

// ReasoningError refuses a send that names a reasoning level its model does
// not honour (MeterRequest.ExactReasoning; providers.ReasoningPlan.Honours):
// the model takes no reasoning setting Meterdesk knows (DeepSeek, a server
// on this machine, a model that does not reason), or, for Off, it always
// reasons. Nothing is held or sent. It matches ErrInvalid.
type ReasoningError struct {
	Model string
	Level providers.Reasoning
	// AlwaysReasons: the model takes a reasoning setting but cannot stop
	// reasoning (Level is Off); false: it takes none at all.
	AlwaysReasons bool
	// Takes lists the levels the model takes where it is not all of Low,
	// Medium and High (gpt-5-pro: High; Gemini 3 Pro: Low and High).
	Takes []providers.Reasoning
}

// Levels writes the levels the model takes: "low, medium or high", or
// Takes ("high", "low or high").
func (e *ReasoningError) Levels() string {
	if len(e.Takes) > 0 {
		return providers.JoinLevels(e.Takes)
	}
	return "low, medium or high"
}

func (e *ReasoningError) Error() string {
	if e.AlwaysReasons {
		return fmt.Sprintf("%v: %s always reasons and cannot be asked not to (Reasoning %s); ask for %s, or leave the level to the provider (nothing was sent or charged)",
			ErrInvalid, e.Model, e.Level, e.Levels())
	}
	return fmt.Sprintf("%v: %s takes no reasoning level Meterdesk can send (Reasoning %s); leave the level to the provider (nothing was sent or charged)",
		ErrInvalid, e.Model, e.Level)
}

// Reason is the refusal's words without its kind, which the window shows
// (app.FormatError).
func (e *ReasoningError) Reason() string {
	return strings.TrimPrefix(e.Error(), ErrInvalid.Error()+": ")
}

// Is makes a ReasoningError match ErrInvalid.
func (e *ReasoningError) Is(target error) bool { return target == ErrInvalid }

// NameFirst: the refusal starts with the model's name, which the window
// shows as spelt ("mistral takes …", not "Mistral takes …";
// inputerr.Sentence).
func (e *ReasoningError) NameFirst() bool { return true }

// ReasoningLevelError refuses a send at a reasoning level its model does
// not take (providers.ReasoningPlan.Refused: gpt-5-pro takes only high,
// Gemini 3 Pro low and high), which its provider would answer with a 400:
// nothing is held or sent, the draft kept. It matches ErrInvalid.
type ReasoningLevelError struct {
	Model string
	Level providers.Reasoning
	// Takes lists the levels among low, medium and high the model takes.
	Takes []providers.Reasoning
}

func (e *ReasoningLevelError) Error() string {
	return ErrInvalid.Error() + ": " + e.Advice() + " (nothing was sent or charged)"
}

// Reason is the refusal's words without its kind, which the window shows
// (app.FormatError).
func (e *ReasoningLevelError) Reason() string { return e.Advice() + " (nothing was sent or charged)" }

// Is makes a ReasoningLevelError match ErrInvalid (the CLI's exit 2).
func (e *ReasoningLevelError) Is(target error) bool { return target == ErrInvalid }

// NameFirst: the refusal starts with the model's name, which the window
// shows as spelt ("mistral takes …", not "Mistral takes …";
// inputerr.Sentence).
func (e *ReasoningLevelError) NameFirst() bool { return true }

// Advice says what the model takes and what to change, the words the
// window shows under its Reasoning picker (frontend/src/api/chat.ts
// reasoningLevelWarning): "gpt-5-pro takes Reasoning high, not low: set
// Reasoning to High or Default in Model settings".
func (e *ReasoningLevelError) Advice() string {
	choices := make([]providers.Reasoning, 0, len(e.Takes)+1)
	for _, l := range e.Takes {
		choices = append(choices, providers.Reasoning(strings.ToUpper(string(l[:1]))+string(l[1:])))
	}
	choices = append(choices, "Default")
	return fmt.Sprintf("%s takes Reasoning %s, not %s: set Reasoning to %s in Model settings",
		e.Model, providers.JoinLevels(e.Takes), e.Level, providers.JoinLevels(choices))
}

// OutputCeilingError refuses a send whose output budget (Max output plus
// the thinking budget its Reasoning level adds) is above the most output
// tokens its model takes (providers.OutputCeiling, from the provider's
// documentation), which the provider would answer with a 400: nothing is
// held or sent, the draft kept. It matches ErrInvalid.
type OutputCeilingError struct {
	Model   string
	Level   providers.Reasoning
	Ceiling int // the model's most output tokens
	// MaxOutput is the answer's output budget, Thinking the thinking
	// budget the level adds (0: none).
	MaxOutput, Thinking int
}

func (e *OutputCeilingError) Error() string {
	return ErrInvalid.Error() + ": " + e.Advice() + " (nothing was sent or charged)"
}

// Reason is the refusal's words without its kind, which the window shows
// (app.FormatError).
func (e *OutputCeilingError) Reason() string { return e.Advice() + " (nothing was sent or charged)" }

// Is makes an OutputCeilingError match ErrInvalid (the CLI's exit 2).
func (e *OutputCeilingError) Is(target error) bool { return target == ErrInvalid }

// NameFirst: the refusal starts with the model's name, which the window
// shows as spelt ("mistral takes …", not "Mistral takes …";
// inputerr.Sentence).
func (e *OutputCeilingError) NameFirst() bool { return true }

// Advice says what the model takes and what to lower, the words the
// window shows under its Reasoning picker (frontend/src/api/chat.ts
// outputCeilingWarning): "claude-opus-4-1 writes at most 32,000 output
// tokens: Max output 30,000 plus the 16,384 thinking tokens of Reasoning
// high is 46,384: lower Max output tokens to 15,616 or less, or the
// Reasoning level".
func (e *OutputCeilingError) Advice() string {
	if e.Thinking == 0 {
		return fmt.Sprintf("%s writes at most %s output tokens: lower Max output tokens to %s or less",
			e.Model, money.GroupInt(int64(e.Ceiling)), money.GroupInt(int64(e.Ceiling)))
	}
	return fmt.Sprintf("%s writes at most %s output tokens: Max output %s plus the %s thinking tokens of Reasoning %s is %s: "+
		"lower Max output tokens to %s or less, or the Reasoning level", e.Model, money.GroupInt(int64(e.Ceiling)), money.GroupInt(int64(e.MaxOutput)),
		money.GroupInt(int64(e.Thinking)), e.Level, money.GroupInt(int64(e.MaxOutput+e.Thinking)), money.GroupInt(int64(e.Ceiling-e.Thinking)))
}

// checkPlan is the one check of a checked request (its MaxTokens the
// answer's, defaulted) against what its model on target takes, before
// anything is held or sent, for Send and the composer's estimate alike:
// a reasoning level it does not take (*ReasoningLevelError), a
// temperature or top P it refuses (*ThinkingSamplingError: while it
// thinks, or always), an output budget above its ceiling
// (*OutputCeilingError). It returns the request's reasoning plan.
func checkPlan(target Target, req MeterRequest) (providers.ReasoningPlan, error) {
	plan := providers.ReasoningFor(target.Kind, target.SelfHosted, req.Model, req.Reasoning)
	var le *providers.LevelError
	var se *providers.SamplingError
	switch err := providers.CheckPlan(plan, req.Reasoning, req.Sampling); {
	case errors.As(err, &le):
		return plan, &ReasoningLevelError{Model: req.Model, Level: req.Reasoning, Takes: le.Takes}
	case errors.As(err, &se):
		setting := "temperature"
		if se.Param == "top_p" {
			setting = "topP"
		}
		return plan, &ThinkingSamplingError{Model: req.Model, Level: req.Reasoning, Setting: setting,
			CanDisable: plan.CanDisable && !plan.NoSampling, Always: plan.NoSampling}
	case err != nil:
		return plan, inputerr.New(ErrInvalid, "%v", err)
	}
	if c := providers.OutputCeiling(target.Kind, req.Model); c > 0 && req.MaxTokens+plan.Budget > c {
		return plan, &OutputCeilingError{Model: req.Model, Level: req.Reasoning, Ceiling: c, MaxOutput: req.MaxTokens, Thinking: plan.Budget}
	}
	return plan, nil
}

// checkMaxOutput checks an output budget (0 = the model's default): a
// conversation's max output and a request's max tokens alike.
func checkMaxOutput(n int, what string) error {
	if n < 0 || n > MaxRequestTokens {
		return inputerr.New(ErrInvalid, "%s must be from 0 (the model's default) to %d tokens", what, MaxRequestTokens)
	}
	return nil
}

// sampling is the part of s sent as sampling parameters.
func (s ModelSettings) sampling() providers.Sampling {
	return providers.Sampling{Temperature: s.Temperature, TopP: s.TopP}
}

// withOverrides is s with a send's own temperature, top_p, output budget
// and reasoning level in place of the conversation's where the send sets
// them.
func (s ModelSettings) withOverrides(req *SendRequest) ModelSettings {
	if req.Reasoning != "" {
		s.Reasoning = req.Reasoning
	}
	if req.Temperature != nil {
		s.Temperature = req.Temperature
	}
	if req.TopP != nil {
		s.TopP = req.TopP
	}
	if req.MaxTokens != 0 { // a negative one is refused by checkMeterRequest
		s.MaxOutput = req.MaxTokens
	}
	return s
}
