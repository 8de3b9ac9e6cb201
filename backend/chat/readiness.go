package chat

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// Step ids of Readiness, in the order to do them.
const (
	StepWorkspace = "workspace" // the workspace is set up, with its first admin (shown only until it is)
	StepProvider  = "provider"  // a model provider is configured
	StepRates     = "rates"     // the configured providers' models have rates of their own (admins only; a warning once some have)
	StepCredits   = "credits"   // the payer has credits available
	StepLimit     = "limit"     // the member's spending limits leave no send: a daily or monthly one used up, or every model's (shown only then)
	StepTeam      = "team"      // other members were added (optional; admins only)
)

// Readiness says what stands between the signed-in member and a first
// metered reply. It is the checklist of the chat page's "Getting started"
// card and of `meterdesk status`, so the two always agree.
type Readiness struct {
	Ready bool `json:"ready"` // every step is done, optional or a warning
	Admin bool `json:"admin"` // the signed-in member can do the steps themself
	// PayerName is where the member's sends are charged, as they know it:
	// "the workspace pool", "your wallet", "the Research department" (team.Payer.Phrase).
	PayerName string      `json:"payerName"`
	Steps     []ReadyStep `json:"steps"`
	// Heading and Summary are the checklist's title and the line under it,
	// as the window's Getting started card shows them: "Ready to chat",
	// "A few steps before the first metered reply.", or, when only what
	// a member who could chat runs out of stands in the way (credits, a
	// spending limit), "Chat is paused" and what lets replies go again
	// (said).
	Heading string `json:"heading"`
	Summary string `json:"summary"`
}

// said sets r's Heading and Summary from its steps; chatted: the member
// has had a metered reply (charged) before, so credits running out pause
// chat rather than stand before a first reply.
func (r Readiness) said(chatted bool) Readiness {
	credits, limit, paused := r.pausedBy()
	switch {
	case r.Ready:
		payer := r.PayerName
		if payer == "" {
			payer = "your credits"
		}
		r.Heading = "Ready to chat"
		r.Summary = fmt.Sprintf("Every reply is metered and charged to %s, and shows what it cost.", payer)
	case paused && (limit != nil || chatted):
		r.Heading = "Chat is paused"
		r.Summary = r.pausedSummary(credits, limit)
	default:
		r.Heading = "Getting started"
		r.Summary = "A few steps before the first metered reply."
	}
	return r
}

// pausedBy reports whether the open steps in the way of a reply are only
// the credits step, the spending limit step or both (paused), and which.
func (r Readiness) pausedBy() (credits, limit *ReadyStep, paused bool) {
	for i := range r.Steps {
		switch s := &r.Steps[i]; {
		case s.Done || s.Optional || s.Warning:
		case s.ID == StepCredits:
			credits = s
		case s.ID == StepLimit:
			limit = s
		default:
			return nil, nil, false
		}
	}
	return credits, limit, credits != nil || limit != nil
}

// pausedSummary says why chat is paused and what lets replies go again:
// credits (a top-up: the admin's own, else an admin's), the limit's reset
// when one may clear it (its RetryAt), else raising it (a limit of 0: no
// reset helps), the admin's own to do as a top-up is, else an admin's.
// "Your spending limit is used up: replies can be sent again once it
// resets.", "Your spending limit is 0: replies can be sent again once you
// raise it." (to an admin).
func (r Readiness) pausedSummary(credits, limit *ReadyStep) string {
	var why, once []string
	if credits != nil {
		payer := r.PayerName
		if payer == "" {
			payer = "your account"
		}
		why = append(why, payer+" has no credits available")
		if r.Admin {
			once = append(once, "you top it up")
		} else {
			once = append(once, "an admin adds credits")
		}
	}
	if limit != nil {
		it := "it"
		if credits != nil {
			it = "the limit"
		}
		// Said once who does both: "once you top it up and raise the
		// limit", "once an admin adds credits and raises the limit".
		raise := "an admin raises " + it
		switch {
		case credits != nil && r.Admin:
			raise = "raise " + it
		case credits != nil:
			raise = "raises " + it
		case r.Admin:
			raise = "you raise " + it
		}
		if limit.RetryAt != nil {
			why, once = append(why, "your spending limit is used up"), append(once, it+" resets")
		} else {
			why, once = append(why, "your spending limit is 0"), append(once, raise)
		}
	}
	return team.PhraseStart(strings.Join(why, " and ")) + ": replies can be sent again once " + strings.Join(once, " and ") + "."
}

// ReadyStep is one step of Readiness.
type ReadyStep struct {
	ID       string `json:"id"` // StepWorkspace, StepProvider, StepRates, StepCredits, StepLimit or StepTeam
	Done     bool   `json:"done"`
	Optional bool   `json:"optional"` // not needed for a first reply
	// Warning: not done, but it does not stand in the way of a reply
	// (Ready stays true): some models are charged the default rate while
	// others have rates of their own. The window and the CLI mark it so.
	Warning bool   `json:"warning"`
	Title   string `json:"title"`
	Detail  string `json:"detail"` // what there is now, or who can do the step
	// Rows are the rate-table rows the rates step is about, as the Rates
	// page and `meterdesk rates set PROVIDER MODEL` name them: for a
	// local server such as Ollama, provider "local" whatever its
	// configured name. The window's button opens the Rates page on them.
	Rows []RateRow `json:"rows,omitempty"`
	// RetryAt is, for the limit step, when it may clear by itself: the
	// earliest instant a send may pass a limit it shows again (the
	// refusal's team.LimitError.RetryTime; of several models', the first),
	// so that the window reads the checklist again then (no event says a
	// reset). Nil when no reset helps (a limit of 0: an admin raises it,
	// and balance:changed says so, team.Service.limitsChanged) and for the
	// other steps.
	RetryAt *time.Time `json:"retryAt,omitempty"`
}

// RateRow names one row of the rate table: its rates provider (rates.OpenAI
// … rates.Local) and model. String is "local/gpt-4o".
type RateRow struct {
	Provider string `json:"provider"`
	Model    string `json:"model"`
}

// String is the row as the checklist names it: "local/gpt-4o".
func (r RateRow) String() string { return r.Provider + "/" + r.Model }

type teamReader interface {
	ListMembers(ctx context.Context, includeRemoved bool) ([]team.Member, error)
	NeedsSetup(ctx context.Context) (bool, error)
}

// Readiness returns the signed-in member's checklist: a provider, credits
// where their sends are charged, their spending limits while they leave no
// send (limitStep), and for an admin rates for the models the providers
// offer (a model without its own is charged the default rate) and the
// optional step of adding the team. It reads only local data (no
// provider is called).
func (s *Service) Readiness(ctx context.Context) (Readiness, error) {
	r, err := s.readiness(ctx)
	if err != nil {
		return Readiness{}, err
	}
	chatted := false
	if credits, _, paused := r.pausedBy(); paused && credits != nil {
		if chatted, err = s.chatted(ctx); err != nil {
			return Readiness{}, fmt.Errorf("readiness: %w", err)
		}
	}
	return r.said(chatted), nil
}

// chatted reports whether the signed-in member has had a metered reply
// charged (a usage posting of theirs: in the window, the CLI or the local
// API), whatever it was charged to; false for the system.
func (s *Service) chatted(ctx context.Context) (bool, error) {
	a, err := access.Current(ctx)
	if err != nil || a.UserID <= 0 {
		return false, err
	}
	var yes bool
	err = s.db.Read().QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM ledger_transfers
		WHERE user_id = ? AND op = ? AND kind IN ('posted', 'post'))`, a.UserID, ledger.OpUsage).Scan(&yes)
	return yes, err
}

// readiness is Readiness's steps, before the words over them (said).
func (s *Service) readiness(ctx context.Context) (Readiness, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return Readiness{}, fmt.Errorf("readiness: %w", err)
	}
	r := Readiness{Admin: a.IsAdmin()}

	provider := ReadyStep{ID: StepProvider, Title: "Add a provider"}
	var names []string
	if s.meter.resolver != nil {
		targets, err := s.meter.resolver.Targets(ctx)
		if err != nil {
			return Readiness{}, fmt.Errorf("readiness: providers: %w", err)
		}
		for _, t := range targets {
			names = append(names, t.Name)
		}
	}
	switch {
	case len(names) > 0:
		provider.Done = true
		provider.Detail = fmt.Sprintf("%d configured: %s.", len(names), strings.Join(names, ", "))
	case r.Admin:
		provider.Detail = "OpenAI, DeepSeek, Gemini, Claude, or a server on this computer such as Ollama."
	default:
		provider.Title = "A provider is needed"
		provider.Detail = "Ask an admin to add one in Settings → Providers."
	}

	st, err := s.Status(ctx)
	if err != nil {
		return Readiness{}, fmt.Errorf("readiness: %w", err)
	}
	available, err := decimal.NewFromString(st.Available)
	if err != nil {
		return Readiness{}, fmt.Errorf("readiness: available %q: %w", st.Available, err)
	}
	r.PayerName = st.PayerName
	has := fmt.Sprintf("%s has %s credits available", team.PhraseStart(st.PayerName), money.Display(available))
	credits := ReadyStep{ID: StepCredits, Title: "Top up credits", Done: available.IsPositive(), Detail: has + "."}
	if !r.Admin {
		credits.Title = "Credits to spend"
		if !credits.Done {
			credits.Detail = has + ": ask an admin for credits."
		}
	}
	if !credits.Done && provider.Done {
		if err := s.freeCredits(ctx, &credits, r.Admin, has); err != nil {
			return Readiness{}, fmt.Errorf("readiness: %w", err)
		}
	}
	r.Steps = []ReadyStep{provider}
	if r.Admin && provider.Done {
		if step, ok, err := s.ratesStep(ctx); err != nil {
			return Readiness{}, fmt.Errorf("readiness: %w", err)
		} else if ok {
			r.Steps = append(r.Steps, step)
		}
	}
	r.Steps = append(r.Steps, credits)
	if step, ok, err := s.limitStep(ctx, a); err != nil {
		return Readiness{}, fmt.Errorf("readiness: %w", err)
	} else if ok {
		r.Steps = append(r.Steps, step)
	}
	r.Ready = true
	for _, st := range r.Steps {
		r.Ready = r.Ready && (st.Done || st.Optional || st.Warning)
	}

	ml, ok := s.meter.funder.(teamReader)
	if !ok {
		return r, nil
	}
	// Before the workspace is set up (the CLI acts as the system until
	// then), setting it up comes first; adding the team waits for it.
	if fresh, err := ml.NeedsSetup(ctx); err != nil {
		return Readiness{}, fmt.Errorf("readiness: %w", err)
	} else if fresh {
		r.Steps, r.Ready = append([]ReadyStep{setupStep()}, r.Steps...), false
		return r, nil
	}
	if r.Admin {
		members, err := ml.ListMembers(ctx, false)
		if err != nil {
			return Readiness{}, fmt.Errorf("readiness: members: %w", err)
		}
		active := 0
		for _, m := range members {
			if m.Status == team.StatusActive {
				active++
			}
		}
		step := ReadyStep{ID: StepTeam, Optional: true, Title: "Add your team", Done: active > 1,
			Detail: "Each member signs in with a password or PIN and has their own limits and reports."}
		if step.Done {
			step.Detail = fmt.Sprintf("%d active members.", active)
		}
		r.Steps = append(r.Steps, step)
	}
	return r, nil
}

// freeCredits makes an open credits step (has: "The workspace pool has
// 0.00 credits available") say what a free model does
// without credits: its send holds nothing, so no balance refuses it
// (ledger.Service.Hold). With every model the providers offer (the model
// picker's list) free, no credits are needed: the step is done, "The
// workspace pool has 0.00 credits available: llama3.2 is free, so it
// replies without credits."; with some free, it is a warning (Ready
// stays true): "…: only free models can reply (llama3.2) until you top it
// up." ("until an admin adds credits" to a member). With none free it is
// left open. Before, Getting started said "Chat is paused" or "A few steps
// before the first metered reply" above a free model that would reply.
func (s *Service) freeCredits(ctx context.Context, step *ReadyStep, admin bool, has string) error {
	if _, isTable := s.meter.rates.(tableSource); !isTable || s.meter.resolver == nil {
		return nil
	}
	opts, _, err := s.models(ctx)
	if err != nil {
		return err
	}
	var free []string
	priced := false
	for _, o := range opts {
		switch {
		case !o.Free:
			priced = true
		case !slices.Contains(free, o.Model):
			free = append(free, o.Model)
		}
	}
	if len(free) == 0 {
		return nil
	}
	if !priced {
		step.Done = true
		step.Detail = fmt.Sprintf("%s: %s %s free, so %s without credits.", has, modelList(free),
			plural(len(free), "is", "are"), plural(len(free), "it replies", "they reply"))
		return nil
	}
	until := "until an admin adds credits"
	if admin {
		until = "until you top it up"
	}
	step.Warning = true
	step.Detail = fmt.Sprintf("%s: only free models can reply (%s) %s.", has, modelList(free), until)
	return nil
}

// limitStep is the step of a member whose spending limits leave no send:
// every send is refused until a limit resets (or, for a limit of 0, until
// an admin raises it), in the words the refusal says it ("Daily limit of
// 20.00 credits reached (used 20.00); it resets 2026-06-02 00:00
// (Europe/Berlin).", "Daily limit is 0 credits, so no paid send fits it until
// an admin raises it (its reset does not help)."), with when it may clear
// by itself (RetryAt; none for a limit of 0). The limits on every model are
// checked on no model first (the least a send can hold, one minor unit).
// A model's limit leaves the other models, so it counts only when every
// model the providers offer (the model picker's list) is over its limit:
// then each one's refusal is named ("Every model's limit is reached: limit
// for llama3.2 …; limit for gpt-4o …."), one alone as the daily limit's is.
// ok is false when a send can pass (or the funder keeps no limits, or the
// actor is the system).
func (s *Service) limitStep(ctx context.Context, a access.Actor) (step ReadyStep, ok bool, err error) {
	pc, has := s.meter.funder.(LimitPrechecker)
	if !has || a.UserID <= 0 {
		return ReadyStep{}, false, nil
	}
	// refused is the refusal of a send of model ("": any model) holding
	// least minor units; nil when it passes or the member is disabled or
	// removed meanwhile (signed out at their next call).
	refused := func(model string, least int64) (*team.LimitError, error) {
		_, err := pc.PrecheckLimits(ctx, a.UserID, model, money.FromMinor(least))
		var le *team.LimitError
		switch {
		case errors.As(err, &le):
			return le, nil
		case err == nil, errors.Is(err, team.ErrDisabled), errors.Is(err, team.ErrNotFound):
			return nil, nil
		}
		return nil, err
	}
	// leastOf is the least a send of o holds: nothing for a free model
	// (so a limit its period's use does not exceed, one of 0 too, lets it
	// through), one minor unit otherwise.
	leastOf := func(o ModelOption) int64 {
		if o.Free {
			return 0
		}
		return 1
	}
	step = ReadyStep{ID: StepLimit, Title: "Spending limit reached"}
	var opts []ModelOption
	if _, isTable := s.meter.rates.(tableSource); isTable && s.meter.resolver != nil {
		if opts, _, err = s.models(ctx); err != nil {
			return ReadyStep{}, false, err
		}
	}
	le, err := refused("", 1)
	if err != nil {
		return ReadyStep{}, false, err
	}
	if le != nil {
		// A free model's send may pass what a priced one cannot.
		for _, o := range opts {
			if !o.Free {
				continue
			}
			if free, err := refused(o.Model, 0); err != nil || free == nil {
				return ReadyStep{}, false, err
			}
		}
		step.Detail = sentence(le.Error())
		step.RetryAt = clearsAt(nil, le)
		return step, true, nil
	}
	if len(opts) == 0 {
		return ReadyStep{}, false, nil
	}
	var words []string
	var seen []string
	for _, o := range opts {
		if slices.Contains(seen, o.Model) {
			continue
		}
		seen = append(seen, o.Model)
		le, err := refused(o.Model, leastOf(o))
		if err != nil || le == nil {
			return ReadyStep{}, false, err // a model a send can go to
		}
		words = append(words, le.Error())
		step.RetryAt = clearsAt(step.RetryAt, le)
	}
	step.Detail = sentence(words[0])
	if len(words) > 1 {
		step.Detail = "Every model's limit is reached: " + strings.Join(words, "; ") + "."
	}
	return step, true, nil
}

// clearsAt is the earlier of at and when le's send may pass (its
// RetryTime), when its reset helps; at when it does not (a limit of 0).
func clearsAt(at *time.Time, le *team.LimitError) *time.Time {
	if !le.ResetHelps() {
		return at
	}
	t := le.RetryTime()
	if at == nil || t.Before(*at) {
		return &t
	}
	return at
}

// sentence is an error's words as a sentence: the first letter capitalised,
// a full stop at the end.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:] + "."
}

// setupStep is the step of setting up the workspace.
func setupStep() ReadyStep {
	return ReadyStep{ID: StepWorkspace, Title: "Set up the workspace",
		Detail: "Name it, choose its currency and credit value, and add its first admin."}
}

// NoWorkspace is the checklist of a data folder with no database yet (a new
// computer, before the window or `meterdesk workspace setup` made one):
// setting up the workspace, which the system actor standing in until then
// may do. The other steps follow once there is a workspace to read them
// from; nothing is read or made here.
func NoWorkspace() Readiness {
	return Readiness{Admin: true, Steps: []ReadyStep{setupStep()}}.said(false)
}

// ratesStep is the admin's step of pricing the models the configured
// providers offer, naming the rows of the rate table to edit (RateRow:
// "local/gpt-4o" for an Ollama's gpt-4o). A model without an input or
// output rate of its own is charged the default rate; while the defaults
// are the factory ones (1 credit per token, far above any real model's
// price) nobody chose what it costs. The step is:
//   - done when every model has rates of its own, or the admin chose the
//     defaults (they count as a price);
//   - a warning (Ready stays true) when some models have rates of their
//     own and others are charged the factory default: those can chat, at
//     that rate;
//   - open, blocking, when no model offered has a rate of its own: there
//     are no rates at all yet.
//
// ok is false when no model is offered.
func (s *Service) ratesStep(ctx context.Context) (step ReadyStep, ok bool, err error) {
	if _, ok := s.meter.rates.(tableSource); !ok {
		return ReadyStep{}, false, nil
	}
	opts, defs, err := s.models(ctx)
	if err != nil || len(opts) == 0 {
		return ReadyStep{}, false, err
	}
	var unpriced []RateRow
	priced := false
	for _, o := range opts {
		row := RateRow{Provider: o.RateProvider, Model: o.Model}
		switch {
		case !o.DefaultRate:
			priced = true
		case !slices.Contains(unpriced, row):
			unpriced = append(unpriced, row)
		}
	}
	step = ReadyStep{ID: StepRates, Title: "Set rates", Done: len(unpriced) == 0, Rows: unpriced}
	names := make([]string, len(unpriced))
	for i, r := range unpriced {
		names[i] = r.String()
	}
	n := len(unpriced)
	switch {
	case step.Done:
		step.Detail = "Every model of the configured providers has rates of its own."
	case defs != rates.FactoryDefaults:
		step.Done = true
		step.Detail = fmt.Sprintf("%s %s the default rate you set: %s.", modelList(names), plural(n, "uses", "use"),
			defaultRateText(defs))
	case priced:
		step.Warning = true
		step.Title = fmt.Sprintf("%d %s charged the default rate (%s)", n, plural(n, "model is", "models are"), modelList(names))
		step.Detail = fmt.Sprintf("%s the default %s until you set %s; chatting works meanwhile. %s",
			plural(n, "It costs", "They cost"), defaultRateText(defs), plural(n, "its own", "theirs"), whereRows(unpriced))
	default:
		step.Title = "Set rates for " + modelList(names)
		step.Detail = fmt.Sprintf("No model has rates of its own yet: %s the default %s until you do. %s",
			plural(n, "it costs", "they cost"), defaultRateText(defs), whereRows(unpriced))
	}
	return step, true, nil
}

// whereRows says where on the Rates page the rows are, by the page's
// section labels: "Its row is under Local (OpenAI-compatible) on the Rates
// page."
func whereRows(rows []RateRow) string {
	var ids, labels []string
	for _, r := range rows {
		if slices.Contains(ids, r.Provider) {
			continue
		}
		ids = append(ids, r.Provider)
		label := r.Provider
		for _, p := range rates.Providers {
			if p.ID == r.Provider {
				label = p.Label
			}
		}
		labels = append(labels, label)
	}
	what := "Its row is"
	if len(rows) > 1 {
		what = "Their rows are"
	}
	return fmt.Sprintf("%s under %s on the Rates page.", what, andList(labels))
}

// andList joins words with commas and a final "and".
func andList(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// modelList names up to three models, then how many more.
func modelList(models []string) string {
	const shown = 3
	if len(models) <= shown {
		switch len(models) {
		case 1:
			return models[0]
		default:
			return strings.Join(models[:len(models)-1], ", ") + " and " + models[len(models)-1]
		}
	}
	return fmt.Sprintf("%s and %d more", strings.Join(models[:shown], ", "), len(models)-shown)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// defaultRateNote says that model has no rate of its own, what the default
// rates charge and who can set one: "gpt-4.1 has no rate of its own, so the
// default rate applies (1 credit per token); an admin can set one in
// Settings → Rates".
func defaultRateNote(model string, d rates.Defaults, admin bool) string {
	who := "an admin can set one"
	if admin {
		who = "you can set one"
	}
	return fmt.Sprintf("%s has no rate of its own, so the default rate applies (%s); %s in Settings → Rates",
		model, defaultRateText(d), who)
}

// defaultRateText says what the default rates charge: "1 credit per token"
// when input and output agree, else "0.5 credits per input token and 2 per
// output token".
func defaultRateText(d rates.Defaults) string {
	credits := money.Credits
	if d.Input == d.Output {
		return credits(d.Input) + " per token"
	}
	return fmt.Sprintf("%s per input token and %s per output token", credits(d.Input), d.Output)
}
