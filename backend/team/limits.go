package team

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/money"
	"meterdesk/backend/people"
	"meterdesk/backend/rates"
	"meterdesk/backend/store"
	"meterdesk/backend/workzone"
)

// Limit kinds.
const (
	LimitDaily   = "daily"
	LimitMonthly = "monthly"
	LimitModel   = "model"
)

// Limit caps what one member may spend in credits per period. Daily and
// monthly limits count every model; a model limit counts one model, per day
// or per month.
type Limit struct {
	UserID int64  `json:"userId"`
	Kind   string `json:"kind"`   // daily | monthly | model
	Model  string `json:"model"`  // only for kind model
	Period string `json:"period"` // day | month (fixed for daily/monthly; model limits default to month)
	Amount string `json:"amount"` // decimal credits
	// Note (SetLimit's and ChangeLimit's answer only) says when the member has already used
	// as much as the limit in its current period: their sends are refused
	// until it resets.
	Note string `json:"note,omitempty"`
}

// LimitStatus is a limit with what has been used in the current period.
type LimitStatus struct {
	Limit
	Used      string    `json:"used"`    // posted usage in the period
	Pending   string    `json:"pending"` // held for sends in flight
	Remaining string    `json:"remaining"`
	ResetsAt  time.Time `json:"resetsAt"`
	TimeZone  string    `json:"timeZone"`
	// Reached says, once what is used in the period fills the limit (sends
	// in progress holding the rest do not: they free it if they cost
	// less), that sends are refused and until when, as the Usage page
	// shows it: "reached: sends are refused until it resets"; for a limit
	// of 0, which no reset helps, "a limit of 0: paid sends are refused
	// until an admin raises it" (a free model's send holds nothing and
	// passes it while nothing is used in the period; once something is,
	// "a limit of 0: sends are refused …"). "" while it is not reached.
	Reached string `json:"reached,omitempty"`
	// ResetFreesRoom is ResetHelps, sent so that the window and
	// `meterdesk limits list` show a reset only where it helps: false for
	// a limit of 0, beside which Team → Limits, the Usage page and the
	// CLI's table say no reset (ResetsAt is still the period's end).
	ResetFreesRoom bool `json:"resetFreesRoom"`
}

// ResetHelps reports whether the limit's reset frees room in it: false for
// a limit of 0, which refuses every send in every period until an admin
// raises it, so nothing should say when it resets (the local API's
// /v1/credits gives resets_at null; the Usage page shows no reset), as
// its refusal says none (LimitError.ResetHelps).
func (l LimitStatus) ResetHelps() bool {
	amount, err := decimal.NewFromString(l.Amount)
	return err != nil || !amount.IsZero()
}

// limitReached is LimitStatus.Reached for a limit of amount minor units
// of which used are used and pending held (a send in flight: it keeps a
// free model's send from passing a limit of 0, not a limit's reaching).
func limitReached(amount, used, pending int64) string {
	switch {
	case amount == 0:
		return "a limit of 0: " + zeroRefuses(used+pending > 0, "sends are refused") + " until an admin raises it"
	case used >= amount:
		return "reached: sends are refused until it resets"
	}
	return ""
}

// LimitError is what the Guard returns when a send would exceed a limit.
// It says which limit and when it resets (in the workspace's time zone).
type LimitError struct {
	Limit     string    `json:"limit"` // daily | monthly | model
	Model     string    `json:"model,omitempty"`
	Period    string    `json:"period,omitempty"` // day | month ("" read as the kind's: a model limit's month)
	Amount    string    `json:"amount"`           // the limit
	Used      string    `json:"used"`             // used + pending in the period
	Requested string    `json:"requested"`        // this send's hold
	ResetsAt  time.Time `json:"resetsAt"`         // when this limit (the one named) resets
	// RetryAt is when this send, asked again as it is, may pass every
	// limit it breaks: the latest reset of this limit and of the others it
	// breaks (a retry once this one alone has reset meets the next); it is
	// ResetsAt when this is the only one. The refusal's words, the
	// window's and `chat --json`'s "retryAt" and the local API's
	// Retry-After and reset header all say it. Set with the refusal
	// (breaking); zero in one made otherwise, read as ResetsAt: read it
	// with RetryTime.
	RetryAt  time.Time `json:"retryAt"`
	TimeZone string    `json:"timeZone"`
	// Prompt is what the send's prompt alone costs (its estimate's low
	// end), set by the chat when it knows it; "" when unknown. A prompt
	// over what the limit leaves cannot pass with any output budget, so
	// the messages then say only the reset.
	Prompt string `json:"prompt,omitempty"`
	// NoOutput, set by the chat when it prices the send's tokens, says
	// that the prompt fits what the limit leaves but not even one output
	// token beside it (and the send's thinking budget): no smaller output
	// budget can pass, so the words say what can (a shorter prompt, the
	// reset), never a smaller max tokens.
	NoOutput bool `json:"-"`
	// Thinking is the send's thinking budget (tokens) beside which no
	// output token fits, said with NoOutput; 0: none.
	Thinking int `json:"-"`
	// Least, set by the chat with NoOutput, is the least the send may
	// hold: its prompt, the thinking budget and one output token. When
	// the limit's whole Amount is less (ResetHelps false), no reset lets
	// it through: the words say what can (a shorter prompt, an admin
	// raising the limit), not the reset. "" when unknown.
	Least string `json:"-"`
	// Floor, set by the chat with Least, is the least any send at the
	// send's level may hold: the shortest prompt (one token), the
	// thinking budget and one output token. When it is over what the
	// limit leaves, no shorter prompt lets the send through now (the
	// thinking budget alone is over it), so the words offer none. ""
	// when unknown.
	Floor string `json:"-"`
	// Ways are the other ways past the refusal the chat offers (a lower
	// Reasoning level, Reasoning off), each said after what may let it
	// through (a smaller output budget, a shorter prompt) and before the
	// reset, in Error's and APIMessage's words alike; said only where
	// those offer a way now (the prompt fits what the limit leaves).
	Ways []Way `json:"-"`
	// HeldRoom: the member's sends still running (their pending holds)
	// take room in every limit this send breaks, and without them it
	// would fit them all, so as they finish (released, or charged less
	// than they hold) the same send, asked again, may pass before any
	// reset: the local API leaves such a 429 to the SDKs' retries. Set
	// with the refusal (breaking).
	HeldRoom bool `json:"-"`

	// others are the other limits this send breaks (breaking): what
	// each leaves and when it resets.
	others []limitBound
	// beside: said after a refusal that gives the send's cost already
	// (Beside), so the words give the prompt's alone.
	beside bool
}

// Beside is e to be said after another refusal of the same send that
// gives its cost already (a refusal for credits: "… may cost up to 4133
// credits … A spending limit refuses it too: its prompt alone, 37, is over
// the 22 left of the daily limit …"): its words leave out the send's cost.
// The same limit otherwise.
func (e *LimitError) Beside() *LimitError {
	c := *e
	c.beside = true
	return &c
}

// Way is another way past a spending limit's refusal (LimitError.Ways):
// Words for a person ("a lower Reasoning level (at Reasoning medium it may
// cost up to 122.913 credits)"), API for the local API
// ("reasoning_effort medium (…)").
type Way struct {
	Words string
	API   string
}

// through is what may let the send through (first, "a shorter prompt or
// less History"; "" for none), with the other ways (Ways, api: in the
// local API's words) after it: "… may let it through, or turn Reasoning
// off (…)"; "" when there is none of them.
func (e *LimitError) through(first string, api bool) string {
	var items []string
	if first != "" {
		items = append(items, first)
	}
	for _, w := range e.Ways {
		if api {
			items = append(items, w.API)
		} else {
			items = append(items, w.Words)
		}
	}
	if len(items) == 0 {
		return ""
	}
	if api && !strings.HasPrefix(items[0], "reasoning_effort") { // a parameter's name keeps its case
		items[0] = capitalize(items[0])
	}
	return items[0] + " may let it through" + strings.Join(append([]string{""}, items[1:]...), ", or ")
}

// shorterHelps reports whether a shorter prompt may let a send through
// whose prompt leaves no room for one output token (NoOutput): the least
// any send at its level may hold (Floor) fits what the limit leaves. True
// when unknown.
func (e *LimitError) shorterHelps() bool {
	left, ok := e.Left()
	return !ok || FloorFits(e.Floor, left)
}

// FloorFits is the one rule by which a refusal (by a spending limit, or
// chat's for credits) offers a shorter prompt to a send whose prompt
// leaves no room for one output token: floor, the least any send at its
// level may hold (Floor: a one-token prompt, the thinking budget and one
// output token), fits left. True when floor is unknown ("" or no number).
func FloorFits(floor string, left decimal.Decimal) bool {
	f, err := decimal.NewFromString(floor)
	return err != nil || f.LessThanOrEqual(left)
}

// noOutputThen is what the words say may let through a send whose prompt
// leaves no room for one output token (NoOutput): a shorter prompt (when
// one may: shorterHelps), the Ways, then the reset (resets; api: the
// local API's retry) or, when it cannot help (ResetHelps), an admin
// raising the limit.
func (e *LimitError) noOutputThen(api bool, resets, retry string) string {
	first := "a shorter prompt or less History"
	if api {
		first = "A shorter prompt (fewer messages)"
	}
	if !e.shorterHelps() {
		first = ""
	}
	ways := e.through(first, api)
	if !e.ResetHelps() {
		who, why := e.noReset(api)
		if ways == "" {
			if api {
				return capitalize(who) + " may let it through" + why + "."
			}
			return who + " may let it through" + why
		}
		if api {
			return ways + ", or " + who + why + "."
		}
		return ways + ", or " + who + why
	}
	switch {
	case ways == "" && api:
		return "Retry after " + retry + "."
	case ways == "":
		return "it can be sent after the limit resets " + resets
	case api:
		return ways + "; otherwise retry after " + retry + "."
	}
	return ways + ", or the limit resets " + resets
}

// ResetHelps reports whether the limits' resets may let the send through:
// false for a limit of 0 (Zero: an admin's way to stop a member's sends,
// or those to a model; no paid send fits it in any period), and when the whole
// Amount of this limit, or of another it breaks, is less than the least
// the send may hold (Least: its prompt, the thinking budget and one output
// token), so only a shorter prompt or a higher limit can. True when
// either is unknown. The local API then says no Retry-After and no reset,
// with X-Should-Retry: false; Getting started gives no time it may clear.
func (e *LimitError) ResetHelps() bool {
	if e.Zero() {
		return false
	}
	_, ok := e.tooSmall()
	return !ok
}

// Zero reports whether the limit is 0: every send that holds anything is
// refused, in every period, until an admin raises it. Its words say so
// (Error, APIMessage), never a reset, and that it refuses paid sends
// (zeroRefuses): a free model's holds nothing and passes it.
func (e *LimitError) Zero() bool {
	amount, err := decimal.NewFromString(e.Amount)
	return err == nil && amount.IsZero()
}

// usedAny reports whether something is used (or held) in the limit's
// period; true when the numbers cannot say.
func (e *LimitError) usedAny() bool {
	used, err := decimal.NewFromString(e.Used)
	return err != nil || used.IsPositive()
}

// zeroRefuses is what a limit of 0 refuses, said once for the window,
// the CLI and the local API: a send to a free model holds nothing, so it
// passes a limit of 0 while nothing is used in its period, and the words
// say the paid ones ("no send fits it" → "no paid send fits it", "sends
// are refused" → "paid sends are refused"); once something is used (a
// limit lowered to 0 after), nothing passes, a free model's send neither,
// and the words are as given. They said "no send fits it" while a free
// model's send did.
func zeroRefuses(used bool, words string) string {
	if used {
		return words
	}
	if rest, ok := strings.CutPrefix(words, "no "); ok {
		return "no paid " + rest
	}
	return "paid " + words
}

// tooSmall is the limit this send breaks whose whole amount is less than
// the least the send may hold (Least): e itself (nil, true) or another it
// breaks (that one, true); ok false when none is, or Least is unknown.
func (e *LimitError) tooSmall() (other *limitBound, ok bool) {
	least, err := decimal.NewFromString(e.Least)
	if err != nil {
		return nil, false
	}
	if amount, err := decimal.NewFromString(e.Amount); err == nil && amount.LessThan(least) {
		return nil, true
	}
	leastMinor, err := money.ToMinor(least)
	if err != nil {
		return nil, false
	}
	for i := range e.others {
		if o := &e.others[i]; o.of != nil && o.amount < leastMinor {
			return o, true
		}
	}
	return nil, false
}

// wholeThen is what the words say may let through a send whose prompt
// alone is over what the limit leaves where no reset can (ResetHelps
// false): a shorter prompt, when the least any send at its level may hold
// (Floor) fits the whole of every limit it breaks, or an admin raising
// the limit; api: in the local API's words, a sentence.
func (e *LimitError) wholeThen(api bool) string {
	who, why := e.noReset(api)
	first := "a shorter prompt or less History"
	if api {
		first = "A shorter prompt (fewer messages)"
	}
	if !e.shorterEver() {
		if api {
			return capitalize(who) + " may let it through" + why + "."
		}
		return who + " may let it through" + why
	}
	if api {
		return first + " may let it through, or " + who + why + "."
	}
	return first + " may let it through, or " + who + why
}

// shorterEver reports whether a shorter prompt may let the send through
// once the limits reset: the least any send at its level may hold (Floor)
// fits the whole amount of this limit and of every other it breaks. True
// when unknown.
func (e *LimitError) shorterEver() bool {
	floor, err := decimal.NewFromString(e.Floor)
	if err != nil {
		return true
	}
	if amount, err := decimal.NewFromString(e.Amount); err == nil && amount.LessThan(floor) {
		return false
	}
	floorMinor, err := money.ToMinor(floor)
	if err != nil {
		return true
	}
	for _, o := range e.others {
		if o.of != nil && o.amount < floorMinor {
			return false
		}
	}
	return true
}

// noReset is what the words say in place of the reset when it cannot
// help (ResetHelps false): that an admin raising the limit may (who), and
// why the reset does not; when the limit too small is another the send
// breaks, which one.
func (e *LimitError) noReset(api bool) (who, why string) {
	what := "the prompt and one output token"
	if e.Thinking > 0 {
		what = "the prompt, the thinking budget and one output token"
	}
	least := money.DisplayString(e.Least)
	if api {
		least = money.APIString(e.Least)
	}
	if o, _ := e.tooSmall(); o != nil {
		name := fmt.Sprintf("the %s of %s credits", o.of.what(), money.DisplayString(o.of.Amount))
		if api {
			name = o.of.APIName()
		}
		return "an admin raising " + name, fmt.Sprintf("; no reset helps: that whole limit is less than %s (%s credits)", what, least)
	}
	return "an admin raising the limit", fmt.Sprintf("; its reset does not help: the whole limit is less than %s (%s credits)", what, least)
}

// what names the limit in Error's words: "daily limit", "limit for gpt-4o".
func (e *LimitError) what() string {
	if e.Limit == LimitModel {
		return "limit for " + e.Model
	}
	return e.Limit + " limit"
}

// limitBound is what a limit leaves (minor units) and when it resets; of
// another limit a send breaks (breaking), its whole amount too, and the
// limit itself, to be named.
type limitBound struct {
	room     int64
	resetsAt time.Time
	amount   int64
	of       *LimitError
}

// sendableAt is when a send whose prompt alone is over what this limit
// leaves may go: the latest reset of this limit and of the other limits
// it breaks whose room the prompt is over too.
func (e *LimitError) sendableAt() time.Time {
	at := e.ResetsAt
	prompt, err := money.ToMinor(decimalOr(e.Prompt))
	if err != nil {
		return at
	}
	for _, o := range e.others {
		if prompt > o.room && o.resetsAt.After(at) {
			at = o.resetsAt
		}
	}
	return at
}

// decimalOr is s as a decimal, 0 when it is none.
func decimalOr(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero
	}
	return d
}

// Left is what the limit leaves in its period (the limit less Used, never
// below 0); ok is false when Amount or Used is no number.
func (e *LimitError) Left() (left decimal.Decimal, ok bool) {
	amount, err1 := decimal.NewFromString(e.Amount)
	used, err2 := decimal.NewFromString(e.Used)
	if err1 != nil || err2 != nil {
		return decimal.Zero, false
	}
	return decimal.Max(amount.Sub(used), decimal.Zero), true
}

// PromptFits reports whether a smaller output budget may let the send
// through: the limit is not reached and the prompt alone (Prompt, when
// known) fits what it leaves.
func (e *LimitError) PromptFits() bool {
	left, ok := e.Left()
	if !ok || left.IsZero() {
		return false
	}
	if e.Prompt == "" {
		return true // unknown: it may
	}
	prompt, err := decimal.NewFromString(e.Prompt)
	return err == nil && prompt.LessThanOrEqual(left)
}

// reached reports whether the period's use is at or over the limit (or
// the numbers cannot say).
func (e *LimitError) reached() bool {
	amount, err1 := decimal.NewFromString(e.Amount)
	used, err2 := decimal.NewFromString(e.Used)
	return err1 != nil || err2 != nil || used.GreaterThanOrEqual(amount)
}

// ErrLimitExceeded is matched by every *LimitError (errors.Is).
var ErrLimitExceeded = errors.New("spending limit reached")

// Error says whether the limit is reached or only this send's worst case
// would cross it (then, when the prompt alone fits what it leaves, a
// smaller output budget may pass; when it does not, only the reset helps),
// and when it resets, in the workspace's zone.
func (e *LimitError) Error() string {
	what := e.Limit + " limit"
	if e.Limit == LimitModel {
		what = "limit for " + e.Model
	}
	if e.Zero() {
		// An admin's block: no reset helps, only an admin raising it.
		return fmt.Sprintf("%s is 0 credits, so %s until an admin raises it (its reset does not help)", what, zeroRefuses(e.usedAny(), "no send fits it"))
	}
	resets := resetText(e.ResetsAt, e.TimeZone)
	if at := e.RetryTime(); at.After(e.ResetsAt) {
		resets += " (the other limits it is over reset by " + resetText(at, e.TimeZone) + ")"
	}
	if e.reached() {
		if !e.ResetHelps() { // a limit of 0, or one less than this send's least hold: its reset does not help
			who, why := e.noReset(false)
			return fmt.Sprintf("%s of %s credits reached (used %s); %s may let it through%s", what, money.DisplayString(e.Amount), money.DisplayString(e.Used), who, why)
		}
		return fmt.Sprintf("%s of %s credits reached (used %s); it resets %s", what, money.DisplayString(e.Amount), money.DisplayString(e.Used), resets)
	}
	left, _ := e.Left()
	if !e.PromptFits() && !e.ResetHelps() {
		// The prompt alone is over what is left, and a limit it breaks
		// is, whole, less than the least the send may hold: no reset
		// lets it through (wholeThen).
		if e.beside {
			return fmt.Sprintf("its prompt alone, %s, is over the %s left of the %s of %s credits (used %s); %s",
				money.DisplayString(e.Prompt), money.Display(left), what, money.DisplayString(e.Amount), money.DisplayString(e.Used), e.wholeThen(false))
		}
		return fmt.Sprintf("this send may cost up to %s credits and its prompt alone %s, more than the %s left of the %s of %s credits (used %s); %s",
			money.DisplayString(e.Requested), money.DisplayString(e.Prompt), money.Display(left), what, money.DisplayString(e.Amount), money.DisplayString(e.Used),
			e.wholeThen(false))
	}
	if !e.PromptFits() {
		sendable, retry := e.sendableAt(), e.RetryTime()
		after := "the limit resets " + resetText(e.ResetsAt, e.TimeZone)
		if !sendable.Equal(e.ResetsAt) {
			after = resetText(sendable, e.TimeZone) + ", when the other limits it is over reset too"
		}
		if retry.After(sendable) {
			// Then the prompt fits every limit, and a smaller output budget
			// passes; the send as it is waits for the last reset (RetryAt).
			if !sendable.Equal(e.ResetsAt) {
				after = resetText(sendable, e.TimeZone) + ", when the other limits its prompt is over reset too"
			}
			after = "with a smaller output budget (max tokens) after " + after + ", and as it is after " +
				resetText(retry, e.TimeZone) + ", when the other limits it is over reset too"
		} else {
			after = "after " + after
		}
		if e.beside {
			return fmt.Sprintf("its prompt alone, %s, is over the %s left of the %s of %s credits (used %s); it can be sent %s",
				money.DisplayString(e.Prompt), money.Display(left), what, money.DisplayString(e.Amount), money.DisplayString(e.Used), after)
		}
		return fmt.Sprintf("this send may cost up to %s credits and its prompt alone %s, more than the %s left of the %s of %s credits (used %s); "+
			"it can be sent %s",
			money.DisplayString(e.Requested), money.DisplayString(e.Prompt), money.Display(left), what, money.DisplayString(e.Amount), money.DisplayString(e.Used), after)
	}
	if e.NoOutput {
		beside := fmt.Sprintf("its prompt (%s)", money.DisplayString(e.Prompt))
		if e.Thinking > 0 {
			beside += fmt.Sprintf(" and the thinking budget of its Reasoning level (%s tokens)", money.GroupInt(int64(e.Thinking)))
		}
		then := e.noOutputThen(false, resets, "")
		if e.beside {
			return fmt.Sprintf("not even one output token fits beside %s in the %s left of the %s of %s credits (used %s); %s",
				beside, money.Display(left), what, money.DisplayString(e.Amount), money.DisplayString(e.Used), then)
		}
		return fmt.Sprintf("this send may cost up to %s credits, more than the %s left of the %s of %s credits (used %s), and not even one "+
			"output token fits in it beside %s, so no smaller output budget helps; %s",
			money.DisplayString(e.Requested), money.Display(left), what, money.DisplayString(e.Amount), money.DisplayString(e.Used), beside, then)
	}
	return fmt.Sprintf("this send may cost up to %s credits, more than the %s left of the %s of %s credits (used %s); "+
		"%s, or the limit resets %s",
		money.DisplayString(e.Requested), money.Display(left), what, money.DisplayString(e.Amount), money.DisplayString(e.Used),
		e.through("a smaller output budget (max tokens)", false), resets)
}

// APIMessage says what Error says in the terms of the local API (the
// gateway's 429, whose client is a program acting as the key's member, not
// a person at the window): which spending limit of the key's member
// (APIName), whether it is reached or only this request's worst case would
// cross it (then a smaller max_tokens may pass when the prompt alone fits), and when it resets
// (APIResets). It carries no wrapping context and names no window control
// or command.
func (e *LimitError) APIMessage() string {
	if e.Zero() {
		return capitalize(e.APIName()) + " is 0, so " + zeroRefuses(e.usedAny(), "no request fits it") + " until an admin raises it; its reset does not help."
	}
	// A retry of the same request waits for every limit it breaks
	// (RetryAt), as Retry-After does.
	retry := "the limit resets " + e.APIResets()
	if at := e.RetryTime(); at.After(e.ResetsAt) {
		retry = strings.TrimPrefix(e.apiAt(at), "at ") + ", when the other limits it is over reset too"
	}
	if e.reached() {
		if !e.ResetHelps() {
			who, why := e.noReset(true)
			return fmt.Sprintf("%s is reached. %s may let it through%s.", capitalize(e.APIName()), capitalize(who), why)
		}
		if at := e.RetryTime(); at.After(e.ResetsAt) {
			return fmt.Sprintf("%s is reached. It resets %s; retry after %s.", capitalize(e.APIName()), e.APIResets(), retry)
		}
		return fmt.Sprintf("%s is reached. It resets %s; retry then.", capitalize(e.APIName()), e.APIResets())
	}
	left, _ := e.Left()
	if !e.PromptFits() && !e.ResetHelps() {
		if e.beside {
			return fmt.Sprintf("Its prompt alone, %s, is over the %s left of %s. %s", money.APIString(e.Prompt), money.API(left), e.APIName(), e.wholeThen(true))
		}
		return fmt.Sprintf("This request may cost up to %s and its prompt alone %s, more than the %s left of %s. %s",
			money.Credits(money.APIString(e.Requested)), money.APIString(e.Prompt), money.API(left), e.APIName(), e.wholeThen(true))
	}
	if !e.PromptFits() {
		if e.beside {
			prompt := fmt.Sprintf("Its prompt alone, %s, is over the %s left of %s.", money.APIString(e.Prompt), money.API(left), e.APIName())
			if sendable := e.sendableAt(); e.RetryTime().After(sendable) {
				return fmt.Sprintf("%s A smaller max_tokens may let it through %s; otherwise retry after %s.", prompt, e.apiAt(sendable), retry)
			}
			return fmt.Sprintf("%s Retry after %s.", prompt, retry)
		}
		if sendable := e.sendableAt(); e.RetryTime().After(sendable) {
			// A smaller max_tokens passes once the limits the prompt is
			// over have reset; the request as it is waits for RetryAt.
			return fmt.Sprintf("This request may cost up to %s and its prompt alone %s, more than the %s left of %s. "+
				"A smaller max_tokens may let it through %s; otherwise retry after %s.", money.Credits(money.APIString(e.Requested)), money.APIString(e.Prompt), money.API(left),
				e.APIName(), e.apiAt(sendable), retry)
		}
		return fmt.Sprintf("This request may cost up to %s and its prompt alone %s, more than the %s left of %s. "+
			"Retry after %s.", money.Credits(money.APIString(e.Requested)), money.APIString(e.Prompt), money.API(left), e.APIName(), retry)
	}
	if e.NoOutput {
		beside := fmt.Sprintf("its prompt (%s)", money.APIString(e.Prompt))
		if e.Thinking > 0 {
			beside += fmt.Sprintf(" and the thinking budget of its reasoning_effort (%d tokens)", e.Thinking)
		}
		then := e.noOutputThen(true, "", retry)
		if e.beside {
			return fmt.Sprintf("Not even one output token fits beside %s in the %s left of %s. %s", beside, money.API(left), e.APIName(), then)
		}
		return fmt.Sprintf("This request may cost up to %s, more than the %s left of %s, and not even one output token fits in it beside %s, "+
			"so no smaller max_tokens helps. %s",
			money.Credits(money.APIString(e.Requested)), money.API(left), e.APIName(), beside, then)
	}
	return fmt.Sprintf("This request may cost up to %s, more than the %s left of %s. %s; otherwise retry after %s.",
		money.Credits(money.APIString(e.Requested)), money.API(left), e.APIName(), e.through("A smaller max_tokens", true), retry)
}

// APIName names the limit for the local API: "the daily spending limit of
// this API key's member (10 credits a day, 9.5 used)" (one credit is "1
// credit a day", money.Credits); a model limit
// "the spending limit for gpt-4o of …" with its period. Member limits are
// the only spending limits there are (a department's credits are its
// balance, not a limit).
func (e *LimitError) APIName() string {
	per := "a month"
	if e.Period == PeriodDay || e.Period == "" && e.Limit == LimitDaily {
		per = "a day"
	}
	what := e.Limit + " spending limit"
	if e.Limit == LimitModel {
		what = "spending limit for " + e.Model
	}
	return fmt.Sprintf("the %s of this API key's member (%s %s, %s used)", what, money.Credits(money.APIString(e.Amount)), per, money.APIString(e.Used))
}

// APIResets says when the limit resets: "at 2026-06-16T00:00:00Z" (RFC 3339,
// UTC, as the X-Meterdesk-Limit-Resets-At header), with the workspace's
// local time and zone when that is not UTC ("at 2026-03-29T22:00:00Z (Mon 30
// Mar 2026 00:00 CEST, time zone Europe/Berlin)"; not for a zone that is UTC
// by another name, such as Etc/UTC).
func (e *LimitError) APIResets() string { return e.apiAt(e.ResetsAt) }

// apiAt is the instant at as APIResets says it, with "at" before it.
func (e *LimitError) apiAt(at time.Time) string {
	out := "at " + at.UTC().Format(time.RFC3339)
	if name, offset := at.Zone(); offset != 0 || name != "UTC" { // not UTC by another name (Etc/UTC)
		local := at.Format("Mon 2 Jan 2006 15:04 MST")
		if e.TimeZone != "" && at.Format("MST") != e.TimeZone {
			local += ", time zone " + e.TimeZone
		}
		out += " (" + local + ")"
	}
	return out
}

// RetryTime is when this send, asked again as it is, may pass every limit
// it breaks: RetryAt, or ResetsAt when that is later (RetryAt is zero in a
// LimitError not made by breaking). The one reading of it: the words
// (Error, APIMessage), the window's and `chat --json`'s "retryAt"
// (chat.ErrorInfo) and the local API's Retry-After all use it.
func (e *LimitError) RetryTime() time.Time {
	if e.RetryAt.After(e.ResetsAt) {
		return e.RetryAt
	}
	return e.ResetsAt
}

// capitalize upper-cases s's first letter (an ASCII one: "the …").
func capitalize(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

// resetText is when a limit resets, as the Usage page and Team → Limits
// say it (localTime in frontend/src/lib/dates.ts): the local date and time
// in the workspace's zone to the minute (workzone.LocalTime), then the zone
// named once, "2026-06-01 00:00 (Europe/Berlin)", "2026-11-24 00:00
// (Etc/UTC)". It used to add the zone's name after its abbreviation ("Tue
// 24 Nov 2026 00:00 UTC (Etc/UTC)", naming UTC twice).
func resetText(at time.Time, zone string) string {
	if zone == "" {
		zone = at.Location().String()
	}
	return workzone.LocalTime(at, at.Location(), workzone.Minutes) + " (" + zone + ")"
}

// Is makes errors.Is(err, ErrLimitExceeded) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimitExceeded }

func (l Limit) normalize() (Limit, int64, error) {
	var err error
	if l.Model, err = limitModel(l.Kind, l.Model); err != nil {
		return l, 0, err
	}
	if l.Period, err = LimitPeriod(l.Kind, l.Period); err != nil {
		return l, 0, err
	}
	d, err := money.ParseNonNegative(l.Amount)
	if err != nil {
		return l, 0, inputerr.New(ErrInvalid, "%v", money.Named("limit", err))
	}
	minor, err := money.ToMinor(d)
	if err != nil {
		return l, 0, inputerr.New(ErrInvalid, "%v", money.Named("limit", err))
	}
	l.Amount = money.String(d)
	return l, minor, nil
}

// LimitPeriod is the period a limit of kind counts in, given period (as
// typed; "" for none): a daily limit's is the day and a monthly one's the
// month, so a period given with either is refused (it was dropped, and
// "monthly … per day" saved a monthly limit); a model limit's is day or
// month, the month when none is given. ChangeLimit checks it before
// anything is read or written; the CLI asks it before it looks the member
// up, so `limits set alice daily 5 --period day` is refused in these
// words for a member that does not exist too. A kind there is none of is
// limitModel's to refuse: its period is given back as it is.
func LimitPeriod(kind, period string) (string, error) {
	switch kind {
	case LimitDaily, LimitMonthly:
		per := map[string]string{LimitDaily: PeriodDay, LimitMonthly: PeriodMonth}[kind]
		if period != "" && period != PeriodDay && period != PeriodMonth {
			// Not "goes with a model limit": a model limit refuses it too.
			return "", inputerr.New(ErrInvalid, "period %q (want day or month, with a model limit alone: a %s limit is per %s)", period, kind, per)
		}
		if period != "" {
			return "", inputerr.New(ErrInvalid, "period %q goes with a model limit (a %s limit is per %s)", period, kind, per)
		}
		return per, nil
	case LimitModel:
		if period == "" {
			return PeriodMonth, nil
		}
		if period != PeriodDay && period != PeriodMonth {
			return "", inputerr.New(ErrInvalid, "period %q (want day or month)", period)
		}
	}
	return period, nil
}

// limitModel checks a limit's kind (daily, monthly or model) and gives its
// model: trimmed, for a model limit, which needs one; "" for the others.
// SetLimit and RemoveLimit refuse a kind or model in the same words.
func limitModel(kind, model string) (string, error) {
	switch kind {
	case LimitDaily, LimitMonthly:
		return "", nil
	case LimitModel:
		model = strings.TrimSpace(model)
		if model == "" || len(model) > 200 {
			return "", inputerr.New(ErrInvalid, "a model limit needs a model name (at most 200 characters)")
		}
		return model, nil
	default:
		return "", inputerr.New(ErrInvalid, "limit kind %q (want daily, monthly or model)", kind)
	}
}

// SetLimit creates or replaces a member's limit (admin only, audited as
// limit.set): ChangeLimit without its report.
func (s *Service) SetLimit(ctx context.Context, in Limit) (Limit, error) {
	ch, err := s.ChangeLimit(ctx, in)
	return ch.Limit, err
}

// LimitChange is what ChangeLimit did: the limit as it is now (with its
// Note, at the top level of its JSON) and whether the member had it
// already, so nothing was written or audited.
type LimitChange struct {
	Limit
	Unchanged bool `json:"unchanged"`
}

// ChangeLimit creates or replaces a member's limit (admin only, audited as
// limit.set) and reports what it did. The limit the member has already
// (the same period and amount, 50 and 50.00 alike) is checked as any
// other, then written and audited not at all (Unchanged; its Note that the
// limit already bites is still given).
func (s *Service) ChangeLimit(ctx context.Context, in Limit) (LimitChange, error) {
	a, err := access.RequireAdmin(ctx, "set a limit")
	if err != nil {
		return LimitChange{}, err
	}
	l, minor, err := in.normalize()
	if err != nil {
		return LimitChange{}, fmt.Errorf("set a limit: %w", err)
	}
	unchanged := false
	err = s.write(ctx, func(tx *sql.Tx) error {
		unchanged = false
		m, err := getMember(ctx, tx, l.UserID)
		if err != nil {
			return err
		}
		if m.Status == StatusRemoved {
			return Removed(m)
		}
		before, err := getLimit(ctx, tx, l.UserID, l.Kind, l.Model)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		var b any
		if err == nil {
			b = before
		}
		if b != nil && before.Period == l.Period && before.Amount == money.MinorString(minor) {
			// The limit it has already: nothing to write, nothing to log.
			unchanged = true
			l.Note, err = s.limitNote(ctx, tx, m, l, minor)
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_limits(user_id, kind, model, period, amount_minor) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(user_id, kind, model) DO UPDATE SET period = excluded.period, amount_minor = excluded.amount_minor`,
			l.UserID, l.Kind, l.Model, l.Period, minor); err != nil {
			return err
		}
		if err := s.audit(ctx, tx, a, "limit.set", fmt.Sprintf("user:%d", l.UserID), b, l); err != nil {
			return err
		}
		l.Note, err = s.limitNote(ctx, tx, m, l, minor)
		return err
	})
	if err != nil {
		return LimitChange{}, fmt.Errorf("set a limit for member %d: %w", in.UserID, err)
	}
	if !unchanged {
		s.limitsChanged()
	}
	return LimitChange{Limit: l, Unchanged: unchanged}, nil
}

// limitsChanged tells the window in this process that what a member may
// spend changed (a limit set, changed or removed), as the ledger does when
// credits move: events.BalanceChanged, on which the pages that show what
// a limit allows read it again (Chat's Getting started and its limit
// step, a refused send's banner, the estimate, Usage's limits, Team →
// Limits). Another process's change reaches them as data:changed; this
// process's changed nothing the window heard of, so a member's window
// kept "Chat is paused" after an admin raised their limit of 0 until it
// was opened again.
func (s *Service) limitsChanged() {
	if s.em != nil {
		s.em.Emit(events.BalanceChanged, nil)
	}
}

// limitNote says, when member m has already used (posted, or held by sends
// in flight) at least amount credits in limit l's current period, that
// their sends are refused until it resets: "alice has already used 20
// credits this month (the limit is 10): their sends are refused until it
// resets 2026-06-01 00:00 (Europe/Berlin)"; for a limit of 0, until an
// admin raises it (no reset helps). "" otherwise (a limit of 0 on nothing
// used blocks on purpose and needs no note).
func (s *Service) limitNote(ctx context.Context, q queryer, m Member, l Limit, amount int64) (string, error) {
	loc, err := workzone.Load(ctx, q)
	if err != nil {
		return "", err
	}
	start, end, err := periodBounds(s.now(), loc, l.Period)
	if err != nil {
		return "", err
	}
	used, pending, err := spent(ctx, q, m.ID, l.Model, start, end)
	if err != nil {
		return "", err
	}
	if used+pending == 0 || used+pending < amount {
		return "", nil
	}
	when, sends := "this month", "their sends"
	if l.Period == PeriodDay {
		when = "today"
	}
	if l.Kind == LimitModel {
		when, sends = "on "+l.Model+" "+when, "their sends to "+l.Model
	}
	name := m.DisplayName
	if name == "" {
		name = m.Name
	}
	until := "until it resets " + resetText(end, loc.String())
	if amount == 0 {
		until = "until an admin raises it (its reset does not help a limit of 0)"
	}
	return fmt.Sprintf("%s has already used %s credits %s (the limit is %s): %s are refused %s",
		name, money.DisplayMinor(used+pending), when, money.DisplayString(l.Amount), sends, until), nil
}

// RemoveLimit deletes a member's limit (admin only, audited).
func (s *Service) RemoveLimit(ctx context.Context, userID int64, kind, model string) error {
	a, err := access.RequireAdmin(ctx, "remove a limit")
	if err != nil {
		return err
	}
	if model, err = limitModel(kind, model); err != nil {
		return fmt.Errorf("remove a limit: %w", err) // nothing read or written
	}
	var none error // the member has no such limit, in plain words
	err = s.write(ctx, func(tx *sql.Tx) error {
		before, err := getLimit(ctx, tx, userID, kind, model)
		if errors.Is(err, ErrNotFound) {
			m, merr := getMember(ctx, tx, userID)
			if merr != nil {
				return merr // no such member: "member 9: not found"
			}
			none = namedf(true, ErrNotFound, "%s has no %s",
				people.Member(m.Name, m.DisplayName, m.Status == StatusRemoved), LimitWhat(kind, model))
			return none
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM member_limits WHERE user_id = ? AND kind = ? AND model = ?",
			userID, kind, model); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, "limit.remove", fmt.Sprintf("user:%d", userID), before, nil)
	})
	if none != nil && errors.Is(err, none) {
		// Said as the removal's success is ("Robert's limit for gpt-4o
		// removed"): "Robert has no limit for gpt-4o", still ErrNotFound.
		return none
	}
	if err != nil {
		return fmt.Errorf("remove the %s limit of member %d: %w", kind, userID, err)
	}
	s.limitsChanged()
	return nil
}

// LimitWhat names a limit as the Limits page does after the member's
// name: "daily limit", "monthly limit", "limit for gpt-4o" ("Robert's
// daily limit removed", "Robert has no limit for gpt-4o").
func LimitWhat(kind, model string) string {
	if kind == LimitModel {
		return "limit for " + model
	}
	return kind + " limit"
}

func getLimit(ctx context.Context, q queryer, userID int64, kind, model string) (Limit, error) {
	l := Limit{UserID: userID, Kind: kind, Model: model}
	var minor int64
	err := q.QueryRowContext(ctx, "SELECT period, amount_minor FROM member_limits WHERE user_id = ? AND kind = ? AND model = ?",
		userID, kind, model).Scan(&l.Period, &minor)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("%s limit: %w", kind, ErrNotFound)
	}
	l.Amount = money.MinorString(minor)
	return l, err
}

type limitRow struct {
	Limit
	minor int64
}

// memberLimits reads, in one statement, what a limit check needs of the
// member and the workspace: the member's status (found is false when there
// is no such member), their limits (daily, monthly, then model limits by
// model) and the workspace's zone (workzone.Named).
func memberLimits(ctx context.Context, q queryer, userID int64) (status string, limits []limitRow, loc *time.Location, found bool, err error) {
	rows, err := q.QueryContext(ctx, `SELECT u.status, COALESCE((SELECT value FROM settings WHERE key = ?), ''),
		l.kind, l.model, l.period, l.amount_minor
		FROM users u LEFT JOIN member_limits l ON l.user_id = u.id WHERE u.id = ?
		ORDER BY CASE l.kind WHEN 'daily' THEN 0 WHEN 'monthly' THEN 1 ELSE 2 END, l.model`, workzone.Key, userID)
	if err != nil {
		return "", nil, nil, false, fmt.Errorf("read limits: %w", err)
	}
	defer rows.Close()
	var zone string
	for rows.Next() {
		var kind, model, period sql.NullString
		var minor sql.NullInt64
		if err := rows.Scan(&status, &zone, &kind, &model, &period, &minor); err != nil {
			return "", nil, nil, false, fmt.Errorf("read limits: %w", err)
		}
		found = true
		if kind.Valid { // a member without limits has one row with no limit
			limits = append(limits, limitRow{Limit: Limit{UserID: userID, Kind: kind.String, Model: model.String,
				Period: period.String, Amount: money.MinorString(minor.Int64)}, minor: minor.Int64})
		}
	}
	if err := rows.Err(); err != nil {
		return "", nil, nil, false, fmt.Errorf("read limits: %w", err)
	}
	if !found {
		return "", nil, nil, false, nil
	}
	loc, err = workzone.Named(zone)
	return status, limits, loc, true, err
}

// period is the half-open interval [start, end) of a limit's current period.
type period struct{ start, end time.Time }

// spent returns a member's posted usage in [start, end) and the amount held
// by their pending holds (any age), optionally for one model: spentIn for
// one period.
func spent(ctx context.Context, q queryer, userID int64, model string, start, end time.Time) (used, pending int64, err error) {
	u, pending, err := spentIn(ctx, q, userID, model, []period{{start, end}})
	if err != nil {
		return 0, 0, err
	}
	return u[0], pending, nil
}

// spentIn returns a member's posted usage in each of periods and the amount
// held by their pending holds (any age), optionally for one model, in one
// statement. Usage is what was credited to sys:usage net of reversals from
// it.
//
// The usage is summed from team_usage_quarters (migration 0700: the usage
// per member, model and quarter hour, kept by a trigger as the ledger
// posts), so a check costs the same on a member's thousandth message of the
// month as on the first; the periods (a day and the month around it) are
// summed in one pass over the widest. A period that does not start and end
// on a quarter hour (no zone in use today has such an offset) is summed
// from the transfers themselves (spentExactly).
func spentIn(ctx context.Context, q queryer, userID int64, model string, periods []period) (used []int64, pending int64, err error) {
	text, args, quarters := spentQuery(userID, model, periods)
	used = make([]int64, len(periods))
	dest := make([]any, 0, len(periods)+1)
	if quarters {
		for i := range used {
			dest = append(dest, &used[i])
		}
	}
	dest = append(dest, &pending)
	if err := q.QueryRowContext(ctx, text, args...).Scan(dest...); err != nil {
		return nil, 0, fmt.Errorf("sum usage of member %d: %w", userID, err)
	}
	if !quarters {
		modelCond, modelArgs := modelFilter(model)
		for i, p := range periods {
			if used[i], err = spentExactly(ctx, q, userID, modelCond, modelArgs, p.start, p.end); err != nil {
				return nil, 0, fmt.Errorf("sum usage of member %d: %w", userID, err)
			}
		}
	}
	return used, pending, nil
}

// modelFilter is the condition on t.model of a limit on model ("" = none):
// a model's limit counts its dated snapshots too (rates.IsSnapshotOf).
func modelFilter(model string) (cond string, args []any) {
	if model == "" {
		return "", nil
	}
	cond = " AND (t.model = ?"
	args = []any{model}
	for _, g := range rates.SnapshotGlobs(model) {
		cond += " OR t.model GLOB ?"
		args = append(args, g)
	}
	return cond + ")", args
}

// spentQuery is spentIn's statement: the usage in each period (when every
// period is on quarter hours, else left to spentExactly) and the pending
// holds, in that order.
func spentQuery(userID int64, model string, periods []period) (text string, args []any, quarters bool) {
	modelCond, modelArgs := modelFilter(model)
	quarters = true
	first, last := periods[0].start, periods[0].end
	for _, p := range periods {
		quarters = quarters && onQuarter(p.start) && onQuarter(p.end)
		if p.start.Before(first) {
			first = p.start
		}
		if p.end.After(last) {
			last = p.end
		}
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	if quarters {
		for _, p := range periods {
			b.WriteString("COALESCE(SUM(CASE WHEN t.quarter >= ? AND t.quarter < ? THEN t.used_minor END), 0), ")
			args = append(args, quarterOf(p.start), quarterOf(p.end))
		}
	}
	// From the pending holds (few: the sends in flight, through the
	// partial index ledger_holds_pending) to their transfers, never from the
	// member's transfers (all of them, ever): CROSS JOIN keeps that order.
	b.WriteString(`(SELECT COALESCE(SUM(h.amount_minor), 0) FROM ledger_holds h
		CROSS JOIN ledger_transfers t ON t.id = h.transfer_id
		WHERE h.status = 'pending' AND t.user_id = ?` + modelCond + ")")
	args = append(append(args, userID), modelArgs...)
	if quarters {
		b.WriteString(" FROM team_usage_quarters t WHERE t.user_id = ? AND t.quarter >= ? AND t.quarter < ?" + modelCond)
		args = append(append(args, userID, quarterOf(first), quarterOf(last)), modelArgs...)
	}
	return b.String(), args, quarters
}

// spentExactly sums a member's posted usage in [start, end) from the
// ledger's transfers: what team_usage_quarters holds per quarter hour.
func spentExactly(ctx context.Context, q queryer, userID int64, modelCond string, modelArgs []any, start, end time.Time) (used int64, err error) {
	args := append([]any{userID, store.FormatTime(start), store.FormatTime(end)}, modelArgs...)
	err = q.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN c.code = 'sys:usage' THEN t.amount_minor ELSE -t.amount_minor END), 0)
		FROM ledger_transfers t
		JOIN ledger_accounts c ON c.id = t.credit_id
		JOIN ledger_accounts d ON d.id = t.debit_id
		WHERE t.user_id = ? AND t.kind IN ('posted','post') AND (c.code = 'sys:usage' OR d.code = 'sys:usage')
		AND t.created_at >= ? AND t.created_at < ?`+modelCond, args...).Scan(&used)
	return used, err
}

// onQuarter reports whether t is on a quarter hour in UTC (:00, :15, :30,
// :45, no seconds).
func onQuarter(t time.Time) bool {
	u := t.UTC()
	return u.Minute()%15 == 0 && u.Second() == 0 && u.Nanosecond() == 0
}

// quarterOf is the team_usage_quarters key of the quarter hour that starts
// at t (UTC): "2026-11-22T16:45".
func quarterOf(t time.Time) string { return t.UTC().Format("2006-01-02T15:04") }

// LimitGuard returns the ledger Guard the chat flow passes to ledger.Hold:
// inside the ledger's write transaction it refuses the hold, with a
// *LimitError, when the member's usage plus pending holds in a period plus
// amount would exceed one of their limits. It also refuses members that are
// not active. Because it runs in the single write transaction, concurrent
// sends cannot overshoot a limit.
func (s *Service) LimitGuard(userID int64, model string, amount decimal.Decimal) func(ctx context.Context, tx *sql.Tx) error {
	return func(ctx context.Context, tx *sql.Tx) error {
		// cached statements: this runs in every send's hold
		_, err := s.guardLimits(ctx, s.db.PreparedTx(tx), userID, model, amount)
		return err
	}
}

// PrecheckLimits runs LimitGuard's checks on the read pool, reserving
// nothing: nil means the member is active and amount fits every limit as of
// now; limited says whether any limit applies to model (also with an error
// from those limits). Chat uses it to
// decide whether a provider request may start while the hold is being
// written; the hold's Guard still decides.
func (s *Service) PrecheckLimits(ctx context.Context, userID int64, model string, amount decimal.Decimal) (limited bool, err error) {
	return s.guardLimits(ctx, s.db.Prepared(), userID, model, amount)
}

// guardLimits is the body of LimitGuard and PrecheckLimits; limited says
// whether any limit applies to model. It reads the member, their limits and
// the zone in one statement, and the usage and holds the limits on model
// count in one more per model filter.
func (s *Service) guardLimits(ctx context.Context, q queryer, userID int64, model string, amount decimal.Decimal) (limited bool, err error) {
	status, limits, loc, found, err := memberLimits(ctx, q, userID)
	if err != nil {
		return false, fmt.Errorf("check limits: %w", err)
	}
	if !found {
		return false, fmt.Errorf("check limits: member %d: %w", userID, ErrNotFound)
	}
	if status != StatusActive {
		return false, fmt.Errorf("check limits: member %d: %w", userID, ErrDisabled)
	}
	want, err := money.ToMinor(amount)
	if err != nil || want < 0 {
		return false, fmt.Errorf("check limits: %w", inputerr.New(ErrInvalid, "amount %s", amount.String()))
	}
	return s.checkLimits(ctx, q, userID, model, want, limits, loc)
}

// checkLimits returns a *LimitError when want more minor units for model
// would take the member past one of limits (theirs, read with loc by
// memberLimits); limited says whether any limit applies to model. Of the
// limits broken, the one reported is the one that leaves the least room
// (breaking).
func (s *Service) checkLimits(ctx context.Context, q queryer, userID int64, model string, want int64, limits []limitRow, loc *time.Location) (limited bool, err error) {
	apply, err := limitsInForce(ctx, q, userID, model, s.now(), limits, loc)
	if err != nil || len(apply) == 0 {
		return len(apply) > 0, err
	}
	if le := breaking(apply, want, loc); le != nil {
		return true, le
	}
	return true, nil
}

// breaking is the refusal of want when it does not fit one of apply: of
// the limits it breaks, the one that leaves the least room (of equals, a
// limit of 0, then the one that resets last, then the first in limits'
// order), since a send
// must fit that one to pass: its
// room is what a smaller output budget must fit in. The other limits it
// breaks go with it (LimitError.others), so that a prompt too large for
// several says when the last of them resets. nil when want fits them all.
func breaking(apply []limitUse, want int64, loc *time.Location) *LimitError {
	tightest := -1
	for i, a := range apply {
		if !a.fits(want) && (tightest < 0 || a.room() < apply[tightest].room() ||
			a.room() == apply[tightest].room() && a.before(apply[tightest])) {
			tightest = i
		}
	}
	if tightest < 0 {
		return nil
	}
	le := apply[tightest].refusal(want, loc)
	le.HeldRoom = true
	for i, a := range apply {
		if !a.fits(want) && (a.pending == 0 || a.used+want > a.minor) {
			le.HeldRoom = false
		}
		if i != tightest && !a.fits(want) {
			le.others = append(le.others, limitBound{room: a.room(), resetsAt: a.end, amount: a.minor, of: a.refusal(want, loc)})
			if a.end.After(le.RetryAt) {
				le.RetryAt = a.end
			}
		}
	}
	return le
}

// before reports whether a is named before b of the same room (breaking):
// a limit of 0 first, whose reset never helps, then the one that resets
// last.
func (a limitUse) before(b limitUse) bool {
	if (a.minor == 0) != (b.minor == 0) {
		return a.minor == 0
	}
	return a.end.After(b.end)
}

// limitUse is a limit that applies to a model, with its period around an
// instant and what the member has used in it and holds now.
type limitUse struct {
	limitRow
	period
	used, pending int64
}

// fits is the one rule of a limit: want more minor units fit when the
// usage in the period, the pending holds and want together stay within it.
func (a limitUse) fits(want int64) bool { return a.used+a.pending+want <= a.minor }

// room is the most that fits (fits), never below 0.
func (a limitUse) room() int64 { return max(a.minor-a.used-a.pending, 0) }

// refusal is the *LimitError of want not fitting a.
func (a limitUse) refusal(want int64, loc *time.Location) *LimitError {
	return &LimitError{Limit: a.Kind, Model: a.Model, Period: a.Period, Amount: a.Amount,
		Used: money.MinorString(a.used + a.pending), Requested: money.MinorString(want),
		ResetsAt: a.end, RetryAt: a.end, TimeZone: loc.String()}
}

// limitsInForce returns the limits (theirs, read with loc by memberLimits)
// that apply to model, each with its period around the instant at and the
// member's usage in it and pending holds (any age), in limits' order.
func limitsInForce(ctx context.Context, q queryer, userID int64, model string, at time.Time, limits []limitRow, loc *time.Location) ([]limitUse, error) {
	var apply []limitUse
	byModel := map[string][]int{} // a limit's model filter -> its indexes in apply
	for _, l := range limits {
		if l.Kind == LimitModel && !rates.IsSnapshotOf(model, l.Model) {
			continue
		}
		start, end, err := periodBounds(at, loc, l.Period)
		if err != nil {
			return nil, err
		}
		byModel[l.Model] = append(byModel[l.Model], len(apply))
		apply = append(apply, limitUse{limitRow: l, period: period{start, end}})
	}
	for m, idx := range byModel {
		ps := make([]period, len(idx))
		for k, i := range idx {
			ps[k] = apply[i].period
		}
		used, pending, err := spentIn(ctx, q, userID, m, ps)
		if err != nil {
			return nil, err
		}
		for k, i := range idx {
			apply[i].used, apply[i].pending = used[k], pending
		}
	}
	return apply, nil
}

// LimitsLeft is the least that userID's spending limits on model leave
// now (each limit less its period's use and the member's pending holds,
// never below 0: LimitGuard's rule), so that a refusal's largest fitting
// output budget fits every limit as well as the payer's credits (chat's
// Call.room); limited is false when no limit applies to model (left is
// then 0 and bounds nothing). The member themself or an admin.
func (s *Service) LimitsLeft(ctx context.Context, userID int64, model string) (left decimal.Decimal, limited bool, err error) {
	if _, err := access.RequireSelfOrAdmin(ctx, userID, "read limits"); err != nil {
		return decimal.Zero, false, err
	}
	q := s.db.Prepared()
	_, limits, loc, found, err := memberLimits(ctx, q, userID)
	if err != nil {
		return decimal.Zero, false, fmt.Errorf("read limits: %w", err)
	}
	if !found {
		return decimal.Zero, false, fmt.Errorf("read limits: member %d: %w", userID, ErrNotFound)
	}
	apply, err := limitsInForce(ctx, q, userID, model, s.now(), limits, loc)
	if err != nil || len(apply) == 0 {
		return decimal.Zero, false, err
	}
	least := apply[0].room()
	for _, a := range apply[1:] {
		least = min(least, a.room())
	}
	return money.FromMinor(least), true, nil
}

// LimitRoom returns the ledger Cap (ledger.TransferRequest.Cap) of a
// charge for model that no hold reserved room for (chat's reply that
// outlived its hold): inside the ledger's write transaction it returns as
// much of want as userID's limits allow, by LimitGuard's rule, in the
// periods that contain at, the instant the charge is recorded at (a
// stream that crossed midnight counts on the new day, and is checked
// there): want when it fits, and otherwise the least room any limit on
// model leaves (0 when one is used up) with the *LimitError of that limit.
// Unlike LimitGuard it does not refuse a member who is no longer active:
// what they were delivered is owed all the same.
func (s *Service) LimitRoom(userID int64, model string) func(ctx context.Context, tx *sql.Tx, at time.Time, want decimal.Decimal) (decimal.Decimal, error) {
	return func(ctx context.Context, tx *sql.Tx, at time.Time, want decimal.Decimal) (decimal.Decimal, error) {
		q := s.db.PreparedTx(tx)
		w, err := money.ToMinor(want)
		if err != nil || w < 0 {
			return decimal.Zero, fmt.Errorf("check limits: %w", inputerr.New(ErrInvalid, "amount %s", want.String()))
		}
		_, limits, loc, found, err := memberLimits(ctx, q, userID)
		if err != nil {
			return decimal.Zero, fmt.Errorf("check limits: %w", err)
		}
		if !found {
			return decimal.Zero, fmt.Errorf("check limits: member %d: %w", userID, ErrNotFound)
		}
		apply, err := limitsInForce(ctx, q, userID, model, at, limits, loc)
		if err != nil {
			return decimal.Zero, fmt.Errorf("check limits: %w", err)
		}
		le := breaking(apply, w, loc)
		if le == nil {
			return want, nil
		}
		left, _ := le.Left()
		return left, le
	}
}

// Limits returns a member's limits with what is used in each current period
// (the member themself or an admin).
func (s *Service) Limits(ctx context.Context, userID int64) ([]LimitStatus, error) {
	if _, err := access.RequireSelfOrAdmin(ctx, userID, "read limits"); err != nil {
		return nil, err
	}
	db := s.db.Read()
	_, limits, loc, _, err := memberLimits(ctx, db, userID)
	if err != nil {
		return nil, err
	}
	out := []LimitStatus{}
	now := s.now()
	for _, l := range limits {
		start, end, err := periodBounds(now, loc, l.Period)
		if err != nil {
			return nil, err
		}
		used, pending, err := spent(ctx, db, userID, l.Model, start, end)
		if err != nil {
			return nil, err
		}
		rem := l.minor - used - pending
		if rem < 0 {
			rem = 0
		}
		st := LimitStatus{Limit: l.Limit, Used: money.MinorString(used), Pending: money.MinorString(pending),
			Remaining: money.MinorString(rem), ResetsAt: end, TimeZone: loc.String(), Reached: limitReached(l.minor, used, pending)}
		st.ResetFreesRoom = st.ResetHelps()
		out = append(out, st)
	}
	return out, nil
}
