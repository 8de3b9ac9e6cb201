package chat

import (
	"context"
	"fmt"
	"strings"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/metering"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
	"meterdesk/backend/shellquote"
	"meterdesk/backend/team"
	"meterdesk/backend/tokenizer"
)

// Preflighter is the optional part of a Funder that warns before a send
// (backend/team implements it): PreflightBeside judges the payer's balance
// as the send's hold will (ledger.HoldFits: pending holds counted, and
// reserved(payer), what this process's sends being held are promised on
// it), from one read of the member, the payer and the limits.
type Preflighter interface {
	PreflightBeside(ctx context.Context, userID int64, model, estimate string, reserved func(payer string) int64) (team.Preflight, error)
}

// DraftEstimate is what the composer shows while the user types: the cost
// range of sending the draft now (the same prompt, the same output budget and
// the same rates a Send would use) and any warning — a balance too small for
// the upper end, or a limit it would cross — before anything is reserved.
type DraftEstimate struct {
	Estimate metering.Estimate `json:"estimate"`
	Warnings []string          `json:"warnings"`
	// Blocked: the send would be refused now (too few credits or a limit).
	Blocked bool `json:"blocked"`
	// DefaultRateNote: the model has no rate of its own and is charged the
	// default rate; this says so (it is among Warnings too). "" otherwise.
	DefaultRateNote string `json:"defaultRateNote,omitempty"`
	// RefusalInfo is Refusal classified as a send's error is (ClassifyFor:
	// its code and words, a top-up or ask-an-admin, and maxTokens, the
	// largest output budget that fits now, or a limit's resetsAt and
	// retryAt), nil when no hold would refuse the send: the window's
	// composer offers that budget, or says when the send can go, from it.
	RefusalInfo *ErrorInfo `json:"refusal,omitempty"`
	// RefusalWarning is the warning of Warnings that says RefusalInfo's
	// refusal in the estimate's words (the balance's "This send may cost up
	// to X but … has only Y available", the limit's "this send may cost …"),
	// "" when none does: the same refusal as RefusalInfo.Code, said
	// otherwise. A caller that shows a refusal of that code itself (the
	// window's send error, `meterdesk chat --estimate`'s refusal line)
	// leaves it out, so the refusal is said once (WarningsBesideRefusal).
	RefusalWarning string `json:"refusalWarning,omitempty"`

	refusal error // Refusal
}

// HighThinkingWords say why an estimate's upper end prices the whole
// output budget at the reasoning rate (metering.Estimate.HighThinking):
// the model picker shows the output rate, and the upper end read as that
// rate times the budget looks wrong without them. They are said only
// where the reply may bill reasoning (billsReasoning): with thinking off,
// or on Claude (thinking billed as output), the upper end is at the output
// rate the picker shows and needs no words. `meterdesk chat --estimate`
// prints them after the range; the window's composer says the same
// (api/chat.ts highThinkingWords).
const HighThinkingWords = "the upper end if it thinks for the whole budget (its reasoning rate is above its output rate)"

// WarningsBesideRefusal is Warnings without the one that says Refusal in
// the estimate's words (RefusalWarning) and without any the refusal's own
// message says too (the default-rate note a refusal for credits carries),
// for a caller that prints Refusal itself.
func (d DraftEstimate) WarningsBesideRefusal() []string {
	refusal := ""
	if d.refusal != nil {
		refusal = d.refusal.Error()
	}
	out := make([]string, 0, len(d.Warnings))
	for _, w := range d.Warnings {
		if d.RefusalWarning != "" && w == d.RefusalWarning || refusal != "" && strings.Contains(refusal, w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// Refusal is the error a send of the draft would meet now when it takes
// its hold, in the send's own words: not enough credits
// (ErrInsufficientCredits, the message Send gives, RoomFor included) or a
// spending limit (a *team.LimitError), the credits first as the ledger
// checks them; nil when neither refuses it. A refusal before the hold (a
// reasoning level the model does not take, ...) is among Warnings only.
// `meterdesk chat --estimate` says it and exits as the send would.
func (d DraftEstimate) Refusal() error { return d.refusal }

// EstimateDraft prices sending text in conversation conversationID (0 = the
// first message of a new conversation) with model (provider "" = the
// conversation's or any), an output budget of maxTokens (0 = the
// conversation's model settings, else the model's default, as Send uses)
// a reasoning level (reasoning "" = the conversation's): a thinking
// budget it asks for is priced as the hold prices it (as output for
// Claude, at the reasoning rate for Gemini: providers.BillsReasoning); and a History
// (nil = the conversation's, HistoryAll = every exchange, as
// SendRequest.History): the prompt priced is the one Send would send
// (plan). It reserves nothing; the authoritative checks run when the send
// takes its hold.
func (s *Service) EstimateDraft(ctx context.Context, conversationID int64, provider, model, text string, maxTokens int,
	reasoning providers.Reasoning, history *int) (DraftEstimate, error) {
	return s.EstimateDraftWith(ctx, conversationID, provider, model, text,
		DraftOptions{MaxTokens: maxTokens, Reasoning: reasoning, History: history})
}

// DraftOptions are a send's own settings an estimate prices it with, as
// SendRequest's override the conversation's (zero: the conversation's).
type DraftOptions struct {
	MaxTokens   int
	Reasoning   providers.Reasoning
	History     *int
	Temperature *float64
	TopP        *float64
	// System is the system prompt of the new conversation the message
	// starts (conversationID 0), as SendNew's ConversationInput.SystemPrompt:
	// it is part of the prompt priced, as the send sends it. With a
	// conversation it is refused (ErrInvalid): the conversation's own is
	// priced.
	System string
	// EditMessageID prices the draft as an edit of that user message of
	// the conversation (SendRequest.EditMessageID, edit-and-resend): the
	// prompt is the history before it and the new text, as the edit's
	// send builds it, not the whole conversation and the text after it.
	EditMessageID string
}

// EstimateDraftWith is EstimateDraft with a send's own temperature and top
// P too (`meterdesk chat --estimate --temperature`). A send the model
// would refuse before anything is held (a reasoning level it does not
// take, a temperature or top P it refuses, an output budget above its
// ceiling: checkPlan, Send's own check) is priced all the same, with the
// refusal's words among Warnings and Blocked set.
func (s *Service) EstimateDraftWith(ctx context.Context, conversationID int64, provider, model, text string,
	o DraftOptions) (DraftEstimate, error) {
	maxTokens, reasoning, history := o.MaxTokens, o.Reasoning, o.History
	actor, err := access.Current(ctx)
	if err != nil {
		return DraftEstimate{}, fmt.Errorf("estimate: %w", err)
	}
	var mr MeterRequest
	if conversationID == 0 {
		if o.EditMessageID != "" {
			return DraftEstimate{}, fmt.Errorf("estimate: %w", inputerr.New(ErrInvalid, "an edit is of a message of a conversation; name the conversation"))
		}
		// A first message of a new conversation: no history to count.
		if err := checkHistory(history, true); err != nil {
			return DraftEstimate{}, fmt.Errorf("estimate: %w", err)
		}
		// The message as the send would refuse it (plan's check): blank,
		// not valid UTF-8, or longer than MaxText.
		if err := checkMessage(text); err != nil {
			return DraftEstimate{}, fmt.Errorf("estimate: %w", err)
		}
		// The system prompt as the new conversation would be refused it
		// (CreateConversation's check), before anything is priced.
		if _, err := checkInput(ConversationInput{SystemPrompt: &o.System}); err != nil {
			return DraftEstimate{}, fmt.Errorf("estimate: %w", err)
		}
		mr = MeterRequest{Provider: provider, Model: model, Messages: promptMessages(o.System, nil, text)}
	} else {
		if o.System != "" {
			return DraftEstimate{}, fmt.Errorf("estimate: %w", inputerr.New(ErrInvalid, "a system prompt is for a new conversation; conversation %d has its own",
				conversationID))
		}
		req := SendRequest{ConversationID: conversationID, Provider: provider, Model: model, Text: text, Source: SourceUI,
			History: history, EditMessageID: o.EditMessageID}
		p, err := s.plan(ctx, &req)
		if err != nil {
			return DraftEstimate{}, fmt.Errorf("estimate: %w", err)
		}
		mr = MeterRequest{Provider: p.provider, Model: p.model, Messages: p.promptMsgs, MaxTokens: p.conv.Settings.MaxOutput,
			Reasoning: p.conv.Settings.Reasoning, Sampling: p.conv.Settings.sampling()}
	}
	if maxTokens != 0 {
		mr.MaxTokens = maxTokens
	}
	if o.Temperature != nil {
		mr.Sampling.Temperature = o.Temperature
	}
	if o.TopP != nil {
		mr.Sampling.TopP = o.TopP
	}
	if reasoning != "" {
		mr.Reasoning = reasoning
	}
	mr.ID, mr.Source = "estimate", SourceUI
	if err := checkMeterRequest(&mr); err != nil {
		return DraftEstimate{}, fmt.Errorf("estimate: %w", err)
	}
	named := mr.Provider != ""
	if mr.Provider, mr.Model, err = s.meter.rateRowModel(ctx, mr.Provider, mr.Model); err != nil {
		return DraftEstimate{}, fmt.Errorf("estimate %s: %w", mr.Model, err)
	}
	target, err := s.meter.resolver.Resolve(ctx, mr.Provider, mr.Model)
	if err != nil {
		return DraftEstimate{}, fmt.Errorf("estimate %s: %w", mr.Model, err)
	}
	plan, refusal := checkPlan(target, mr)  // Send's own check, before the budget grows by the thinking
	mr.MaxTokens = outputBudget(target, mr) // with the thinking budget, as the hold
	v, err := s.meter.rates.Current(ctx)
	if err != nil {
		return DraftEstimate{}, fmt.Errorf("estimate %s: rates: %w", mr.Model, err)
	}
	prompt := make([]tokenizer.Message, len(mr.Messages))
	for i, m := range mr.Messages {
		prompt[i] = tokenizer.Message{Role: m.Role, Content: m.Content}
	}
	count, err := tokenizer.CountMessages(target.RateProvider, mr.Model, prompt)
	if err != nil {
		return DraftEstimate{}, fmt.Errorf("estimate %s: %w", mr.Model, inputerr.New(ErrInvalid, "%v", err))
	}
	reasons := billsReasoning(target, mr) // as the hold: no reasoning rate where no reasoning is billed
	est, err := metering.PriceEstimate(v, target.RateProvider, mr.Model, count, int64(mr.MaxTokens), reasons)
	if err != nil {
		return DraftEstimate{}, fmt.Errorf("estimate %s: %w", mr.Model, err)
	}
	out := DraftEstimate{Estimate: est, Warnings: []string{}}
	// A send Send would refuse before its hold: say so, in its words.
	if a, ok := refusal.(interface{ Advice() string }); ok {
		out.Warnings, out.Blocked = append(out.Warnings, a.Advice()), true
	} else if refusal != nil {
		out.Warnings, out.Blocked = append(out.Warnings, refusal.Error()), true
	}
	// An unpriced model is charged the default rate (the factory's is 1
	// credit per token, which makes a cheap model dear): say so before the
	// member spends, in the composer and in `chat --estimate` alike.
	if note := s.modelNote(ctx, v, target, mr.Model, actor.IsAdmin(), named); note.Text != "" && (!est.Free || note.Unlisted) {
		out.DefaultRateNote = note.Text
		out.Warnings = append(out.Warnings, note.Text)
	}
	if pf, ok := s.meter.funder.(Preflighter); ok && actor.UserID != 0 && !est.Free {
		pre, err := pf.PreflightBeside(ctx, actor.UserID, mr.Model, est.High, s.meter.holding.promisedOn)
		if err != nil {
			return DraftEstimate{}, fmt.Errorf("estimate %s: %w", mr.Model, err)
		}
		out.Warnings = append(out.Warnings, pre.Warnings...)
		out.Blocked = out.Blocked || pre.ExceedsBalance || pre.Limit != nil
		if len(pre.Warnings) > 0 && (pre.ExceedsBalance || pre.Limit != nil) {
			out.RefusalWarning = pre.Warnings[0] // Preflight's first: the balance's, else the limit's
		}
		c := &Call{m: s.meter, Req: mr, Target: target, version: v, thinking: plan.Budget, reasons: reasons,
			Estimate: est, HoldMinor: est.HighMinor, Payer: pre.PayerAccount}
		// The limit's words as the pre-flight said them, replaced below.
		was := ""
		if pre.Limit != nil {
			was = pre.Limit.Error()
		}
		// The send's refusal in the send's words: its hold checks the
		// balance first, then the limits.
		switch {
		case pre.ExceedsBalance:
			// What is available as the pre-flight read it, so the refusal
			// and the warning say the same figure.
			if avail, err := money.Parse(pre.Available); err == nil {
				out.refusal = s.meter.insufficientWith(ctx, c, ledger.ErrInsufficientFunds, money.MustMinor(avail), true)
			} else {
				out.refusal = s.meter.insufficient(ctx, c, ledger.ErrInsufficientFunds)
			}
			if pre.Limit != nil {
				// The limit's warning, shown beside this refusal, in a
				// limit's refusal's words (below): the refusal the send
				// meets once credits suffice, so the room it names is
				// the limits' alone (limitsOnly), not the credits'.
				lc := *c
				lc.limitsOnly = true
				_ = lc.overLimit(ctx, pre.Limit)
			}
		case pre.Limit != nil:
			// The hold's own words, and the room the limit leaves for a
			// smaller output budget (RoomFor).
			out.refusal = c.overLimit(ctx, pre.Limit)
		}
		if pre.Limit != nil {
			// The limit's warning in the words of the limit's refusal,
			// whichever refusal the send meets (overLimit: the prompt's
			// cost, whether one output token fits, whether its reset
			// helps, the other ways past it): the window's line under the
			// composer and `chat --estimate` show it, never words the
			// refusal contradicts ("a smaller output budget (max tokens)
			// may let it through" where none can).
			now := pre.Limit.Error()
			for i, w := range out.Warnings {
				if w == was {
					out.Warnings[i] = now
				}
			}
			if out.RefusalWarning == was {
				out.RefusalWarning = now
			}
		}
		out.RefusalInfo = ClassifyFor(ctx, out.refusal)
	}
	return out, nil
}

// ModelNote is what a send's model calls for before it is sent: a model
// without a rate of its own is charged the default rate (Text:
// defaultRateNote), and when the provider that serves the send has listed
// its models and this is not one of them (a mistyped name, most likely,
// which the provider may refuse), Unlisted is set and Text says so first
// (unlistedNote): a warning, not a note. Zero: nothing to say.
type ModelNote struct {
	Text     string `json:"text"`
	Unlisted bool   `json:"unlisted"`
}

// DefaultRateNote is SendNote's text.
func (s *Service) DefaultRateNote(ctx context.Context, conversationID int64, provider, model string) (string, error) {
	n, err := s.SendNote(ctx, conversationID, provider, model)
	return n.Text, err
}

// SendNote is EstimateDraft's default-rate note (ModelNote) for a send to
// conversation conversationID (to model, or the conversation's model when
// model is ""), or for conversationID 0 to model in a new conversation
// (SendNew), without pricing the draft: zero when the model has a rate of
// its own. `meterdesk chat` prints it before the reply. Like EstimateDraft
// (whose plan is Send's), it is for a send the actor may make: a
// conversation of another member's is refused (see ownConversation).
func (s *Service) SendNote(ctx context.Context, conversationID int64, provider, model string) (ModelNote, error) {
	actor, err := access.Current(ctx)
	if err != nil {
		return ModelNote{}, fmt.Errorf("rate note: %w", err)
	}
	if conversationID != 0 {
		conv, err := s.ownConversation(ctx, conversationID, selectConversationForSend, "send in")
		if err != nil {
			return ModelNote{}, fmt.Errorf("rate note: %w", err)
		}
		if model == "" {
			provider, model = conv.sendTarget(provider)
		}
	}
	if model == "" {
		return ModelNote{}, fmt.Errorf("rate note: %w", inputerr.New(ErrInvalid, "choose a model"))
	}
	named := provider != ""
	if provider, model, err = s.meter.rateRowModel(ctx, provider, model); err != nil {
		return ModelNote{}, fmt.Errorf("rate note for %s: %w", model, err)
	}
	target, err := s.meter.resolver.Resolve(ctx, provider, model)
	if err != nil {
		return ModelNote{}, fmt.Errorf("rate note for %s: %w", model, err)
	}
	v, err := s.meter.rates.Current(ctx)
	if err != nil {
		return ModelNote{}, fmt.Errorf("rate note for %s: rates: %w", model, err)
	}
	return s.modelNote(ctx, v, target, model, actor.IsAdmin(), named), nil
}

// modelNote is the ModelNote of model sent through target, priced under
// v: zero when it has a rate of its own, or when the defaults charge
// nothing and its provider does not leave it unlisted. named: the send
// named its provider; when it did not and a PROVIDER/MODEL name kept
// whole for the server that takes any name is unlisted there while
// another provider offers it split (openai's gpt-4o), the warning says
// how to send it there (splitHint).
func (s *Service) modelNote(ctx context.Context, v *rates.Version, target Target, model string, admin, named bool) ModelNote {
	if rt := v.Resolve(target.RateProvider, model); !rt.UsesDefaults() {
		return ModelNote{}
	}
	if s.unlisted(ctx, target.Name, model) {
		text := unlistedNote(model, target.Name, v.Defaults, admin)
		if !named {
			if p := s.meter.splitOffer(ctx, target.Name, model); p != "" {
				text += splitHint(p, model)
			}
		}
		return ModelNote{Text: text, Unlisted: true}
	}
	if isZero(v.Defaults.Input) && isZero(v.Defaults.Output) {
		return ModelNote{}
	}
	return ModelNote{Text: defaultRateNote(model, v.Defaults, admin)}
}

// unlisted reports whether the configured provider named provider has
// listed its models (TargetInfo: an OpenAI-compatible server's Models, a
// cloud provider's Listed) and model is not among them. A provider that
// never listed them leaves it unknown: false.
func (s *Service) unlisted(ctx context.Context, provider, model string) bool {
	infos, err := s.meter.resolver.Targets(ctx)
	if err != nil {
		return false
	}
	for _, t := range infos {
		if t.Name != provider {
			continue
		}
		list := t.Models
		if list == nil {
			list = t.Listed
		}
		return list != nil && !contains(list, model)
	}
	return false
}

// splitHint is unlistedNote's addition for a PROVIDER/MODEL name that
// provider offers as MODEL: "; for openai's gpt-4o, choose openai (on the
// command line add --provider openai)". Worded for every caller: the
// window names its provider in its picker, the command line with
// --provider, the name quoted there as a shell needs it ("--provider 'Lab
// server'": shellquote.Word; it was written as it is, which a shell reads
// as two words).
func splitHint(provider, model string) string {
	_, rest, _ := strings.Cut(model, "/")
	return fmt.Sprintf("; for %s's %s, choose %s (on the command line add --provider %s)", provider, rest, provider, shellquote.Word(provider))
}

// unlistedNote says that model, which provider does not list and the rate
// table has no rate for, is charged the default rate d.
func unlistedNote(model, provider string, d rates.Defaults, admin bool) string {
	who := "ask an admin to set a rate for it"
	if admin {
		who = "set a rate for it"
	}
	return fmt.Sprintf("%s is not a model %s lists; it is charged at the default rate (%s): check the name, or %s in Settings → Rates",
		model, provider, defaultRateText(d), who)
}
