package chat

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/metering"
	"meterdesk/backend/money"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
	"meterdesk/backend/tokenizer"
)

// RateSource gives the rate version in force now (*rates.Service).
type RateSource interface {
	Current(ctx context.Context) (*rates.Version, error)
}

// HoldTTL is how long a send's hold lives: longer than any stream.
const HoldTTL = 2 * time.Hour

// Meter is the metered-call step API shared by chat and the API gateway:
// Begin (estimate, payer, limits, hold), Call.Stream (the provider),
// Call.Settle (price the usage, post, release the rest), or Run for all three.
type Meter struct {
	led      *ledger.Service
	rates    RateSource
	funder   Funder // nil: everything is paid from the pool, no limits
	resolver Resolver
	db       *store.DB // set by chat.New: cached statements for the charge row; nil = plain tx.ExecContext

	log        *slog.Logger // nil: slog.Default()
	ensured    sync.Map     // payer account codes known to exist
	overlapped atomic.Int64 // sends whose provider request started while the hold was written (overlap.go)
	holding    holds        // holds being written by BeginStream (overlap.go)
}

// NewMeter returns a Meter. funder may be nil (the pool pays, no limits).
// The app uses chat.Service.Meter() instead, whose Meter also writes the
// charge row with a cached prepared statement.
func NewMeter(led *ledger.Service, rs RateSource, funder Funder, resolver Resolver) *Meter {
	if resolver == nil {
		resolver = NoProviders{}
	}
	return &Meter{led: led, rates: rs, funder: funder, resolver: resolver}
}

// logger is where the Meter reports what it cannot return: a failure
// after a charge was made (request ids only, never a key or a text).
func (m *Meter) logger() *slog.Logger {
	if m.log != nil {
		return m.log
	}
	return slog.Default()
}

// exec runs q in tx (a ledger transaction on the writer), with a cached
// prepared statement when the Meter knows the database.
func (m *Meter) exec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if m.db != nil {
		return m.db.ExecTx(ctx, tx, q, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

// Resolver returns the provider resolver.
func (m *Meter) Resolver() Resolver { return m.resolver }

// MeterRequest is one metered provider call.
type MeterRequest struct {
	// ID is the idempotency base: the hold is "hold:"+ID, the posting
	// "post:"+ID, the void "void:"+ID. Chat uses the assistant message uid;
	// the gateway its request id. Retrying with the same ID never charges twice.
	ID        string
	Provider  string // configured provider name; "" = the one serving Model
	Model     string
	Messages  []providers.Message
	MaxTokens int                // output budget sent to the provider and held for; 0 = DefaultMaxOutput(Model)
	Sampling  providers.Sampling // temperature, top_p, stop: sent as they are (they do not change the hold)
	// Reasoning is the reasoning level sent ("" = none: the provider's
	// default). A thinking budget (providers.ReasoningPlan.Budget) is added
	// to MaxTokens when the call is prepared, so the hold covers the
	// thinking and the answer alike; Call.Req.MaxTokens is then the sum.
	Reasoning providers.Reasoning
	// ExactReasoning: the caller named Reasoning itself (the local API's
	// reasoning_effort) and expects the model to get it, so a level the
	// model does not honour (providers.ReasoningPlan.Honours: any level but
	// Default on a model that takes no reasoning setting, Off on one that
	// always reasons) is refused with a *ReasoningError before anything is
	// held or sent. Without it such a level sends nothing, as the chat's
	// Reasoning setting does where it does not apply.
	ExactReasoning bool
	Source         string // ui | cli | api
	ConversationID int64
	// OnHold runs inside the ledger transaction that writes the hold (chat
	// stores the messages there, atomically with the hold). Optional.
	OnHold func(ctx context.Context, tx *sql.Tx, c *Call) error

	// newID: the caller looked the id up and found it unused (chat: no
	// message has it), so BeginStream skips the ledger's look-up.
	newID bool
}

// Call is a metered request between Begin and Settle: the hold is taken.
type Call struct {
	m         *Meter
	Req       MeterRequest
	Target    Target
	Estimate  metering.Estimate
	Payer     string
	Dims      ledger.Dims
	HoldID    string
	HoldMinor int64

	version *rates.Version
	prompt  []tokenizer.Message
	guard   ledger.Guard // the team's limits, checked in the hold's transaction
	settled bool
	// pre is what BeginStream read of the member and the payer before the
	// hold with the Funder's FundingPrecheck (nil: none), and the hold
	// generation before that read; roomFor decides with it.
	pre    *team.FundingPrecheck
	preGen int64
	// promised: the hold overlaps its provider request and is not written
	// yet, so other holds leave it room; promisedLimit: and it is under the
	// member's limits, so their other sends wait for it (guarded by
	// Meter.holding.mu).
	promised, promisedLimit bool
	// afterCharge: the Funder's AfterCharge has something to do after this
	// call's charge (set in the posting's transaction, AfterChargeChecker;
	// true when the Funder cannot say).
	afterCharge bool
	// thinking is the thinking budget within Req.MaxTokens (the reasoning
	// level's providers.ReasoningPlan.Budget; 0 for none).
	thinking int
	// reasons: the reply may be billed reasoning tokens apart from its
	// output (billsReasoning), so its estimate, hold and the budgets that
	// fit one price the output budget at the reasoning rate where that is
	// above the output rate.
	reasons bool
	// limitsOnly: room counts the spending limits alone, not what the
	// payer may spend: the composer's estimate words a limit's warning
	// beside a refusal for credits as the limit's refusal would be once
	// credits suffice (its hold checks the balance first), never the
	// credits' room as the limit's.
	limitsOnly bool
}

// ThinkingBudget is the part of the call's output budget (Req.MaxTokens)
// asked for thinking: the reasoning level's thinking budget (Claude's
// budget_tokens, Gemini's thinkingBudget), 0 for none.
func (c *Call) ThinkingBudget() int { return c.thinking }

// DefaultRate reports whether the call's model has no input or no output
// rate of its own on its provider, so the rate table's default rate, the
// admins' setting for every unpriced model, prices it
// (rates.Rate.UsesDefaults): the picker's "default rate", the local API's
// X-Meterdesk-Default-Rate header.
func (c *Call) DefaultRate() bool {
	if c.version == nil {
		return false
	}
	rt := c.version.Resolve(c.Target.RateProvider, c.Req.Model)
	return rt.UsesDefaults()
}

// Begin estimates the request, finds the payer, and takes the hold (the
// upper end of the estimate) with the team's limit Guard. It fails with
// ErrInsufficientCredits (nothing is sent), a limit error, ErrNoProvider or
// ErrInvalid; no provider request has been made when it returns.
func (m *Meter) Begin(ctx context.Context, req MeterRequest) (*Call, error) {
	c, err := m.prepare(ctx, req, false)
	if err != nil {
		return nil, err
	}
	limited := c.guard != nil // unknown here: count it against overlapping sends of the member
	m.holding.add(c, limited)
	err = c.hold(ctx)
	m.holding.done(c, limited)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Overlapped is how many sends began their provider request while their
// hold was being written (BeginStream), for tests and benchmarks.
func (m *Meter) Overlapped() int64 { return m.overlapped.Load() }

// prepare is Begin up to the hold: the checks, the estimate, the payer and
// the limit Guard. It writes nothing but the payer's (empty) account.
// precheck (BeginStream): a Funder that is a FundingPrechecker also
// pre-checks the member's limits and reads the payer's spendable credits
// in the read that finds the payer (Call.pre, for roomFor).
func (m *Meter) prepare(ctx context.Context, req MeterRequest, precheck bool) (*Call, error) {
	actor, err := access.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	if err := checkMeterRequest(&req); err != nil {
		return nil, err
	}
	// The rate table's "local/m1" is the local server's m1 (rateRowModel).
	if req.Provider, req.Model, err = m.rateRowModel(ctx, req.Provider, req.Model); err != nil {
		return nil, fmt.Errorf("send to %s: %w", req.Model, err)
	}
	target, err := m.resolver.Resolve(ctx, req.Provider, req.Model)
	if err != nil {
		return nil, fmt.Errorf("send to %s: %w", req.Model, err)
	}
	if target.Client == nil {
		return nil, fmt.Errorf("send to %s: provider %q has no client: %w", req.Model, target.Name, ErrNoProvider)
	}
	if plan := providers.ReasoningFor(target.Kind, target.SelfHosted, req.Model, req.Reasoning); req.ExactReasoning && !plan.Honours(req.Reasoning) {
		return nil, &ReasoningError{Model: req.Model, Level: req.Reasoning, AlwaysReasons: plan.Applies, Takes: plan.Takes}
	}
	plan, err := checkPlan(target, req)
	if err != nil {
		return nil, err // names the model, and what to change
	}
	req.MaxTokens = outputBudget(target, req)
	v, err := m.rates.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("send to %s: rates: %w", req.Model, err)
	}
	c := &Call{m: m, Req: req, Target: target, version: v, HoldID: holdID(req.ID), thinking: plan.Budget, reasons: billsReasoning(target, req)}
	c.prompt = make([]tokenizer.Message, len(req.Messages))
	for i, msg := range req.Messages {
		c.prompt[i] = tokenizer.Message{Role: msg.Role, Content: msg.Content}
	}
	count, err := tokenizer.CountMessages(target.RateProvider, req.Model, c.prompt)
	if err != nil {
		return nil, fmt.Errorf("send to %s: %w", req.Model, inputerr.New(ErrInvalid, "%v", err))
	}
	c.Estimate, err = metering.PriceEstimate(v, target.RateProvider, req.Model, count, int64(req.MaxTokens), c.reasons)
	if err != nil {
		return nil, fmt.Errorf("send to %s: %w", req.Model, err)
	}
	c.HoldMinor = c.Estimate.HighMinor

	var guard ledger.Guard
	c.Payer, c.Dims.DepartmentID = ledger.AccountPool, 0
	if m.funder != nil && actor.UserID != 0 {
		var f team.Funding
		if pf, ok := m.funder.(FundingPrechecker); ok && precheck {
			c.preGen = m.holding.generation()
			pre, err := pf.FundingPrecheck(ctx, actor.UserID, req.Model, money.FromMinor(c.HoldMinor).Mul(decimal.NewFromInt(2)))
			if err != nil {
				return nil, fmt.Errorf("send to %s: %w", req.Model, err)
			}
			f, c.pre = pre.Funding, &pre
		} else if f, err = m.funder.Funding(ctx, actor.UserID); err != nil {
			return nil, fmt.Errorf("send to %s: %w", req.Model, err)
		}
		c.Payer, c.Dims.DepartmentID = f.PayerAccount, f.DepartmentID
		guard = m.funder.LimitGuard(actor.UserID, req.Model, money.FromMinor(c.HoldMinor))
	}
	c.Dims.UserID, c.Dims.Model, c.Dims.Source, c.Dims.ConversationID = actor.UserID, req.Model, req.Source, req.ConversationID
	c.guard = guard
	if err := m.ensure(ctx, c.Payer); err != nil {
		return nil, err
	}
	return c, nil
}

// hold takes the call's hold (Begin's last step).
func (c *Call) hold(ctx context.Context) error {
	m, req := c.m, c.Req
	meta, _ := json.Marshal(holdMeta{Estimate: c.Estimate, Provider: c.Target.Name})
	attach := func(ctx context.Context, tx *sql.Tx, _ ledger.Transfer) error {
		m.holding.keep(c) // written: the promise is kept (no-op unless overlapped)
		if req.OnHold != nil {
			return req.OnHold(ctx, tx, c)
		}
		return nil
	}
	if c.guard != nil {
		if err := m.holding.waitForPromise(ctx, c); err != nil {
			return fmt.Errorf("send to %s: %w", req.Model, err)
		}
	}
	hold, err := m.led.Hold(ctx, ledger.HoldRequest{ID: c.HoldID, From: c.Payer, Amount: money.FromMinor(c.HoldMinor),
		TTL: HoldTTL, Dims: c.Dims, Meta: meta, Guard: c.guard, Attach: attach,
		Reserve: func() int64 { return m.holding.reserve(c) }})
	if errors.Is(err, ledger.ErrInsufficientFunds) {
		return m.insufficient(ctx, c, err)
	}
	if err != nil {
		return fmt.Errorf("send to %s: %w", req.Model, c.overLimit(ctx, err))
	}
	if hold.Replayed { // the id's hold was taken before, by another send
		if hold.Status == "pending" { // still running, maybe in another process
			return fmt.Errorf("send %s: %w (a send with it is still running)", req.ID, ErrDuplicate)
		}
		return fmt.Errorf("send %s: %w (its hold is %s)", req.ID, ErrDuplicate, hold.Status)
	}
	return nil
}

// HoldStatus returns the status of the hold of the send with request id
// (pending while it runs, here or in another process; orphaned when that
// process is gone; then posted or voided), or "" when no send took one:
// the gateway's Idempotency-Key asks before it sends.
func (m *Meter) HoldStatus(ctx context.Context, id string) (string, error) {
	return m.led.HoldStatus(ctx, holdID(id))
}

// holdID is the ledger id of the hold of the send with request id.
func holdID(id string) string { return "hold:" + id }

// insufficient explains a refused hold: how much the send may cost, how
// much the payer has, and what helps: a top-up, or for anyone but an admin
// (who cannot top up), asking an admin for credits.
func (m *Meter) insufficient(ctx context.Context, c *Call, cause error) error {
	// What the payer may still spend: its available balance less a minimum
	// balance, or plus an overdraft, as the ledger's policy counts it, less
	// what other sends starting now hold (the hold's rule, ledger.HoldFits).
	availMinor, known := c.spendable(ctx)
	return m.insufficientWith(ctx, c, cause, availMinor, known)
}

// heldOn is what other sends still running hold on c's payer: the
// ledger's pending holds and the holds being taken in this process
// (holds.reserve), as an exact string; "" when none or unknown.
func (m *Meter) heldOn(ctx context.Context, c *Call) string {
	b, err := m.led.Balance(access.WithActor(context.WithoutCancel(ctx), access.System), c.Payer)
	if err != nil {
		return ""
	}
	held, err := money.ToMinor(b.Pending)
	if err != nil {
		return ""
	}
	if held += m.holding.reserve(c); held <= 0 {
		return ""
	}
	return money.MinorString(held)
}

// insufficientWith is insufficient with what the payer has available
// (availMinor; known false: unknown, said "less") read already: the
// composer's estimate passes its pre-flight's figure, so its refusal and
// its warning say the same.
func (m *Meter) insufficientWith(ctx context.Context, c *Call, cause error, availMinor int64, known bool) error {
	e := &InsufficientCreditsError{Model: c.Req.Model, Needed: c.Estimate.High, cause: cause}
	e.Member, e.Admin = actorOf(ctx)
	e.Payer = m.payerOf(ctx, c.Payer)
	// The room the hold may have (the credits and every spending limit
	// on the model, Call.room): a smaller output budget helps only when
	// the prompt alone fits it, and when a limit leaves less than the
	// prompt, the limit is what to say, not a budget it refuses too.
	room, byLimit, bounded := c.room(ctx, nil)
	roomFitsPrompt := !bounded || room >= c.Estimate.LowMinor
	avail, fitsPrompt := "less", false
	if known {
		avail, fitsPrompt = money.MinorString(availMinor), availMinor >= c.Estimate.LowMinor && roomFitsPrompt
		e.Available = avail
		e.Held = m.heldOn(ctx, c)
	}
	remedy := "ask an admin for credits"
	if e.Admin {
		remedy = "top up credits"
	}
	msg := fmt.Sprintf("%v: this message to %s may cost up to %s credits but %s has %s available; %s to send it (nothing was sent or charged)",
		ErrInsufficientCredits, c.Req.Model, money.DisplayString(c.Estimate.High), e.Payer.Phrase(), money.DisplayString(avail), remedy)
	if fitsPrompt && c.Estimate.MaxOutputTokens > 0 {
		e.room = c.fitting(room, byLimit, bounded)
		// Not even one output token fits beside the prompt (and the
		// level's thinking budget): no smaller output budget helps, so
		// none is offered; a lower level, a shorter prompt, a top-up or a
		// limit's reset may.
		noOutput := e.room != nil && e.room.MaxTokens == 0
		// A shorter prompt may let it through only when the least any
		// send at its level may hold (the thinking budget and one output
		// token beside a one-token prompt) fits what is available and what
		// the limits leave: a spending limit's rule too (Call.shorterHelps).
		left := availMinor
		if bounded {
			left = min(left, room)
		}
		e.noShorter = noOutput && !c.shorterHelps(left)
		// A spending limit leaves room for the prompt but not for one
		// output token: its words follow, saying that a shorter prompt or
		// its reset may let it through, so these do not say it again.
		var noOutputLimit *team.LimitError
		if noOutput && byLimit {
			if le := c.promptOverLimit(ctx); le != nil && le.PromptFits() {
				le.NoOutput = true // Thinking, Least and Floor are set (promptOverLimit)
				noOutputLimit = le.Beside()
			}
		}
		// Most of the hold is the reply's output budget: say so, since a
		// smaller one may be all it takes; and when the reasoning level
		// adds a thinking budget, how much of the hold that is, since a
		// lower level may be.
		e.PromptCost, e.OutputTokens = c.Estimate.Low, c.Estimate.MaxOutputTokens
		if share, ok := c.thinkingShare(); ok {
			e.Thinking, e.Reasoning, e.ThinkingShare = c.thinking, c.Req.Reasoning, share
			msg += fmt.Sprintf(". The prompt costs %s; the rest is the room held for up to %s output tokens, %s of them the thinking budget "+
				"of Reasoning %s (%s credits of the hold)",
				money.DisplayString(c.Estimate.Low), money.GroupInt(int64(c.Estimate.MaxOutputTokens)), money.GroupInt(int64(c.thinking)), c.Req.Reasoning, money.DisplayString(share))
			// The highest lower level whose hold fits as it is, named, or
			// one that fits with a smaller output budget (lowerOffer, a
			// spending limit's rule too).
			level, est, smaller := c.lowerOffer(room, bounded, availMinor, known, noOutput)
			fits := level != ""
			switch {
			case !noOutput:
				msg += ", so a lower Reasoning level or a smaller output budget may let it through"
			case fits:
				msg += ", and not even one output token fits beside that thinking budget, so a lower Reasoning level may let it through"
			case smaller:
				// No lower level fits with this output budget, but one does
				// with a smaller one: never "at any Reasoning level".
				e.lowerSmaller = true
				msg += ", and not even one output token fits beside that thinking budget, so " + lowerSmallerWords + " may let it through"
			default:
				msg += ", and not even one output token fits beside it at any Reasoning level, so " + noOutputRemedy(e.Admin, noOutputLimit, !e.noShorter)
			}
			if fits {
				e.LowerLevel, e.LowerLevelCost = level, est.High
				if e.room != nil {
					e.room.Level = level
				}
				msg += fmt.Sprintf(": at Reasoning %s it may cost up to %s credits", level, money.DisplayString(est.High))
			}
		} else {
			if noOutput {
				msg += fmt.Sprintf(". The prompt alone costs %s and leaves no room for even one output token, so no smaller output budget helps: %s",
					money.DisplayString(c.Estimate.Low), noOutputRemedy(e.Admin, noOutputLimit, !e.noShorter))
			} else {
				msg += fmt.Sprintf(". The prompt costs %s; the rest is the room held for up to %s output tokens, so a smaller output budget may let it through",
					money.DisplayString(c.Estimate.Low), money.GroupInt(int64(c.Estimate.MaxOutputTokens)))
			}
			// Held at the reasoning rate on a model that can stop
			// reasoning (Gemini 2.5 Flash, gpt-5.1 at Default): Off holds
			// its output at the output rate; say so when that hold fits.
			if off, ok := c.reasoningOffFits(room, bounded); ok && off.HighMinor <= availMinor {
				e.ReasoningOff = off.High
				if e.room != nil {
					e.room.ReasoningOff = true
				}
				msg += ", or " + reasoningOffWords(off.High)
			}
		}
		if noOutputLimit != nil {
			// Say which limit, and that its reset (not a smaller budget)
			// is the wait.
			e.Limit = noOutputLimit
			msg += ". A spending limit refuses it too: " + e.Limit.Error()
		}
	}
	if !roomFitsPrompt {
		// A top-up alone would not do when a limit leaves less than the
		// prompt, whether it leaves less than the credits or not (credits
		// as low or lower refuse it first, and a top-up then meets the
		// limit): it refuses the prompt, with any output budget, until it
		// resets; say which and when.
		if le := c.promptOverLimit(ctx); le != nil && !le.PromptFits() {
			e.Limit = le.Beside() // its words leave out the cost this message gives
			msg += ". A spending limit refuses it too: " + e.Limit.Error()
		}
	}
	if c.DefaultRate() {
		// Unpriced: the factory default (1 credit per token) makes a
		// cheap model look dear; a rate of its own is the real fix.
		e.DefaultRate = defaultRateText(c.version.Defaults)
		e.NotOffered = !m.offers(ctx, c.Target.Name, c.Req.Model)
		msg += ". " + defaultRateNote(c.Req.Model, c.version.Defaults, e.Admin)
	}
	e.msg = msg
	return e
}

// noOutputRemedy is what a refusal for credits says may let a send
// through whose prompt leaves no room for even one output token (so no
// smaller output budget does): a top-up (an admin's), and a shorter prompt
// or less History when one may (shorter: Call.shorterHelps; not when the
// level's thinking budget alone is over what is left). When a spending
// limit's own words follow (limit, non-nil: they say whether a shorter
// prompt or its reset may), only the top-up, once the limit resets, or,
// when its whole amount leaves no room for one output token
// (team.LimitError.ResetHelps false), once an admin raises it. A limit is
// named only when its words follow: without them no limit refuses the send
// now (its period reset, or it was raised, since the hold), as the local
// API's words have it (noOutputAPIRemedy).
func noOutputRemedy(admin bool, limit *team.LimitError, shorter bool) string {
	topUp := "credits from an admin"
	if admin {
		topUp = "a top-up"
	}
	switch {
	case limit != nil && !limit.ResetHelps():
		return topUp + " once an admin raises the spending limit may let it through"
	case limit != nil:
		return topUp + " once the spending limit resets may let it through"
	case !shorter:
		return topUp + " may let it through"
	}
	return topUp + ", a shorter prompt or less History may let it through"
}

// noOutputAPIRemedy is noOutputRemedy in the local API's words: when a
// spending limit's words follow (Limit, NoOutput: they say a shorter
// prompt or the retry), only more credits once it resets.
func (e *InsufficientCreditsError) noOutputAPIRemedy() string {
	switch {
	case e.Limit != nil && e.Limit.NoOutput && !e.Limit.ResetHelps():
		return "more credits once an admin raises the spending limit may let it through"
	case e.Limit != nil && e.Limit.NoOutput:
		return "more credits once the spending limit resets may let it through"
	case e.noShorter:
		return "more credits may let it through"
	}
	return "more credits or a shorter prompt (fewer messages) may let it through"
}

// shorterHelps reports whether a shorter prompt may let the call's send
// through where not one output token fits beside its prompt in left (minor
// units: what the payer may spend and the spending limits leave): the
// least any send at its level may hold (leastHold's floor) fits left, by
// team.FloorFits, the rule of a spending limit's refusal too. True when it
// cannot be priced.
func (c *Call) shorterHelps(left int64) bool {
	_, floor := c.leastHold()
	return team.FloorFits(floor, money.FromMinor(left))
}

// spendable is what the call's payer may still spend now (minor units,
// never below 0): its available balance less a minimum balance or plus an
// overdraft, as the ledger's policy counts it, less what other sends
// starting now hold; bounded is false when its policy bounds nothing or
// the ledger cannot say.
func (c *Call) spendable(ctx context.Context) (minor int64, bounded bool) {
	amt, bounded, err := c.m.led.Spendable(access.WithActor(context.WithoutCancel(ctx), access.System), c.Payer)
	if err != nil || !bounded {
		return 0, false
	}
	n, err := money.ToMinor(amt)
	if err != nil {
		return 0, false
	}
	left, _ := ledger.HoldFits(n, true, c.m.holding.reserve(c), 0)
	return left, true
}

// fitting is the OutputRoom of a room (Call.room's answer): nil when
// nothing bounds it (ok false).
func (c *Call) fitting(r int64, byLimit, ok bool) *OutputRoom {
	if !ok {
		return nil
	}
	return &OutputRoom{MaxTokens: c.fittingMaxTokens(r), Thinking: c.thinking, byLimit: byLimit}
}

// promptOverLimit is the refusal, by the member's tightest spending limit
// on the model, of the call's hold, with the prompt's cost on it (so its
// words say that no output budget fits, only the reset): what a refusal
// for credits says when that limit leaves less than the prompt. nil when
// the Funder cannot check limits (LimitPrechecker) or none refuses it now.
func (c *Call) promptOverLimit(ctx context.Context) *team.LimitError {
	pc, ok := c.m.funder.(LimitPrechecker)
	if !ok {
		return nil
	}
	a, err := access.Current(ctx)
	if err != nil || a.UserID == 0 {
		return nil
	}
	_, err = pc.PrecheckLimits(context.WithoutCancel(ctx), a.UserID, c.Req.Model, money.FromMinor(c.Estimate.HighMinor))
	var le *team.LimitError
	if !errors.As(err, &le) {
		return nil
	}
	le.Prompt = c.Estimate.Low
	le.Thinking = c.thinking
	le.Least, le.Floor = c.leastHold()
	return le
}

// room is the most the call's hold may be now (minor units): the least of
// what the payer may spend (spendable, when its policy bounds it) and of
// what every spending limit of the member on the model leaves (le's, for
// a limit's refusal, and the Funder's LimitsReader's, read now). byLimit
// says a limit is what bounds it (less than the credits); ok is false
// when neither bounds it. One rule for a refusal for credits and one by a
// limit, in the window, the CLI and the local API alike.
func (c *Call) room(ctx context.Context, le *team.LimitError) (minor int64, byLimit, ok bool) {
	limit, limited := int64(0), false
	bound := func(d decimal.Decimal) {
		if n, err := money.ToMinor(d); err == nil && (!limited || n < limit) {
			limit, limited = max(n, 0), true
		}
	}
	if le != nil {
		if left, ok := le.Left(); ok {
			bound(left)
		}
	}
	if lr, isReader := c.m.funder.(LimitsReader); isReader {
		if a, err := access.Current(ctx); err == nil && a.UserID != 0 {
			if left, has, err := lr.LimitsLeft(context.WithoutCancel(ctx), a.UserID, c.Req.Model); err == nil && has {
				bound(left)
			}
		}
	}
	credits, bounded := int64(0), false
	if !c.limitsOnly {
		credits, bounded = c.spendable(ctx)
	}
	switch {
	case bounded && limited:
		return min(credits, limit), limit < credits, true
	case bounded:
		return credits, false, true
	case limited:
		return limit, true, true
	}
	return 0, false, false
}

// fittingMaxTokens is the largest output budget (max tokens, without the
// thinking budget that goes on top) whose hold, the prompt and that budget
// priced as the call's estimate is, fits in availMinor: 0 when none does
// (not even one token beside the thinking budget).
func (c *Call) fittingMaxTokens(availMinor int64) int {
	if c.version == nil {
		return 0
	}
	fits := func(answer int64) bool {
		e, err := metering.PriceEstimate(c.version, c.Target.RateProvider, c.Req.Model,
			tokenizer.Count{Tokens: c.Estimate.PromptTokens}, answer+int64(c.thinking), c.reasons)
		return err == nil && e.HighMinor <= availMinor
	}
	lo, hi := int64(0), c.Estimate.MaxOutputTokens-int64(c.thinking) // fits(lo); not fits(hi), the refused budget
	if hi <= 0 || !fits(1) {
		return 0
	}
	lo = 1
	for hi-lo > 1 { // the price grows with the budget: the last that fits
		mid := lo + (hi-lo)/2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return int(lo)
}

// limitRefusal is a spending limit's refusal of a send's hold (it wraps
// the error that holds the *team.LimitError, and says what it says), with
// the output room the limit leaves when the prompt alone fits in it
// (RoomFor).
type limitRefusal struct {
	error
	room *OutputRoom
}

func (e *limitRefusal) Unwrap() error { return e.error }

// overLimit is err, when it is a spending limit's refusal of the call's
// hold, with the prompt's cost on the *team.LimitError (so its words say a
// smaller output budget only when one can help) and, when the prompt fits
// what the limit leaves, the largest output budget whose hold fits it and
// the payer's credits, as a refusal for credits has it (Call.room,
// fitting; RoomFor), and the other ways past it that fit, by the rules of
// a refusal for credits, on the *team.LimitError's Ways: Reasoning off
// (reasoningOffFits), a lower level (lowerOffer). Other errors are
// returned as they are.
func (c *Call) overLimit(ctx context.Context, err error) error {
	var le *team.LimitError
	if !errors.As(err, &le) {
		return err
	}
	le.Prompt = c.Estimate.Low
	// The least the send may hold says whether the limits' resets can
	// help (team.LimitError.ResetHelps), also where the prompt alone is
	// over what is left.
	le.Thinking = c.thinking
	le.Least, le.Floor = c.leastHold()
	if _, ok := le.Left(); !ok || !le.PromptFits() || c.Estimate.MaxOutputTokens <= 0 {
		return err
	}
	r, byLimit, bounded := c.room(ctx, le)
	room := c.fitting(r, byLimit, bounded)
	if room == nil {
		return err
	}
	// Not even one output token fits what the limit leaves beside the
	// prompt (and the thinking budget): its words then offer no smaller
	// output budget.
	le.NoOutput = room.MaxTokens == 0
	le.Ways = nil
	if off, ok := c.reasoningOffFits(r, bounded); ok {
		room.ReasoningOff = true
		le.Ways = append(le.Ways, team.Way{Words: reasoningOffWords(off.High), API: reasoningOffAPIWords(off.High)})
	}
	// r counts the credits already (Call.room): no availMinor of its own.
	switch level, est, smaller := c.lowerOffer(r, bounded, 0, false, le.NoOutput); {
	case level != "":
		room.Level = level
		le.Ways = append(le.Ways, team.Way{Words: lowerLevelWords(level, est.High), API: lowerLevelAPIWords(level, est.High)})
	case smaller:
		le.Ways = append(le.Ways, team.Way{Words: lowerSmallerWords, API: lowerSmallerAPIWords})
	}
	return &limitRefusal{error: err, room: room}
}

// leastHold is the least the call's send may hold (exact, a decimal
// string): its prompt, its level's thinking budget and one output token,
// priced as its estimate is; and floor, the least any send at its level
// may hold, with the shortest prompt (one token) instead (no shorter
// prompt goes under it: team.LimitError.Floor). "" when it cannot be
// priced.
func (c *Call) leastHold() (least, floor string) {
	if c.version == nil {
		return "", ""
	}
	price := func(prompt int64) string {
		e, err := metering.PriceEstimate(c.version, c.Target.RateProvider, c.Req.Model,
			tokenizer.Count{Tokens: prompt}, 1+int64(c.thinking), c.reasons)
		if err != nil {
			return ""
		}
		return e.High
	}
	return price(c.Estimate.PromptTokens), price(1)
}

// actorOf is the signed-in member's name and whether they are an admin.
func actorOf(ctx context.Context) (name string, admin bool) {
	if a, err := access.Current(ctx); err == nil {
		return a.Name, a.IsAdmin()
	}
	return "", false
}

// thinkingShare is the part of the hold that pays for the thinking budget
// (the hold less that of the same send without it, exact), when the call's
// reasoning level adds one.
func (c *Call) thinkingShare() (string, bool) {
	if c.thinking <= 0 || c.version == nil {
		return "", false
	}
	without, err := metering.PriceEstimate(c.version, c.Target.RateProvider, c.Req.Model,
		tokenizer.Count{Tokens: c.Estimate.PromptTokens}, c.Estimate.MaxOutputTokens-int64(c.thinking), c.reasons)
	if err != nil {
		return "", false
	}
	return money.MinorString(c.Estimate.HighMinor - without.HighMinor), true
}

// reasoningOffHold is the estimate of the call's send with Reasoning Off,
// when that narrows its hold: the call's output budget is held at a
// reasoning rate above the output rate (c.reasons and HighThinking) on a
// model whose reply, with Off, bills no reasoning
// (providers.BillsReasoning: Gemini 2.5 Flash and Flash-Lite, OpenAI's
// gpt-5.1 and later), so Off holds its output budget (less the level's
// thinking budget) at the output rate. ok is false otherwise (Off already,
// a model that cannot stop reasoning, or rates that price reasoning no
// higher than output).
func (c *Call) reasoningOffHold() (metering.Estimate, bool) {
	if c.version == nil || !c.reasons || !c.Estimate.HighThinking || c.Req.Reasoning == providers.ReasoningOff ||
		providers.BillsReasoning(c.Target.Kind, c.Target.SelfHosted, c.Req.Model, providers.ReasoningOff) {
		return metering.Estimate{}, false
	}
	plan := providers.ReasoningFor(c.Target.Kind, c.Target.SelfHosted, c.Req.Model, providers.ReasoningOff)
	off, err := metering.PriceEstimate(c.version, c.Target.RateProvider, c.Req.Model, tokenizer.Count{Tokens: c.Estimate.PromptTokens},
		c.Estimate.MaxOutputTokens-int64(c.thinking)+int64(plan.Budget), false)
	if err != nil || off.HighMinor >= c.Estimate.HighMinor {
		return metering.Estimate{}, false
	}
	return off, true
}

// reasoningOffFits is reasoningOffHold when that hold fits room (Call.room's
// answer; bounded false: nothing bounds it): the one rule by which a
// refusal for credits and one by a spending limit offer to turn Reasoning
// off, in the window, the CLI and the local API alike. Only a send whose
// level adds no thinking budget is offered it (one that does is told a
// lower level instead).
func (c *Call) reasoningOffFits(room int64, bounded bool) (metering.Estimate, bool) {
	if c.thinking > 0 {
		return metering.Estimate{}, false
	}
	off, ok := c.reasoningOffHold()
	if !ok || bounded && off.HighMinor > room {
		return metering.Estimate{}, false
	}
	return off, true
}

// lowerLevelFits is the highest reasoning level below the call's (Low,
// Medium or High) that its model takes and whose hold, the same prompt and
// output budget with that level's thinking budget, fits room (bounded
// false: nothing bounds it), with that hold; ok false when none does or the
// call's level is not one of those.
func (c *Call) lowerLevelFits(room int64, bounded bool) (providers.Reasoning, metering.Estimate, bool) {
	order := []providers.Reasoning{providers.ReasoningOff, providers.ReasoningLow, providers.ReasoningMedium, providers.ReasoningHigh}
	at := slices.Index(order, c.Req.Reasoning)
	if c.version == nil || at < 1 || !bounded {
		return "", metering.Estimate{}, false
	}
	for i := at - 1; i >= 0; i-- {
		level := order[i]
		plan := providers.ReasoningFor(c.Target.Kind, c.Target.SelfHosted, c.Req.Model, level)
		if plan.Refused || !plan.Honours(level) {
			continue
		}
		est, err := metering.PriceEstimate(c.version, c.Target.RateProvider, c.Req.Model, tokenizer.Count{Tokens: c.Estimate.PromptTokens},
			c.Estimate.MaxOutputTokens-int64(c.thinking)+int64(plan.Budget),
			providers.BillsReasoning(c.Target.Kind, c.Target.SelfHosted, c.Req.Model, level))
		if err == nil && est.HighMinor <= room {
			return level, est, true
		}
	}
	return "", metering.Estimate{}, false
}

// lowerOffer is the lower reasoning level a refusal for credits or by a
// spending limit offers a send whose level adds a thinking budget, the one
// rule of both: the highest lower level its model takes whose hold, as the
// send is, fits room (Call.room's answer; bounded false: nothing bounds
// it) and availMinor (known false: unknown), with that hold
// (lowerLevelFits); or, when none does and not even one output token fits
// beside the send's thinking budget (noOutput), smaller: a lower level
// fits with a smaller output budget (lowerLevelRoom). Nothing for a send
// whose level adds no thinking budget.
func (c *Call) lowerOffer(room int64, bounded bool, availMinor int64, known, noOutput bool) (level providers.Reasoning, est metering.Estimate, smaller bool) {
	if c.thinking <= 0 {
		return "", metering.Estimate{}, false
	}
	if level, est, ok := c.lowerLevelFits(room, bounded); ok && (!known || est.HighMinor <= availMinor) {
		return level, est, false
	}
	return "", metering.Estimate{}, noOutput && c.lowerLevelRoom(room, bounded, availMinor, known)
}

// lowerSmallerWords is what a refusal offers when a lower level fits only
// with a smaller output budget (lowerOffer's smaller);
// lowerSmallerAPIWords in the local API's words.
const (
	lowerSmallerWords    = "a lower Reasoning level with a smaller output budget"
	lowerSmallerAPIWords = "a lower reasoning_effort with a smaller max_tokens"
)

// lowerLevelRoom reports whether some reasoning level below the call's
// that its model takes fits room (bounded false: nothing bounds it) and
// availMinor (known false: unknown) with one output token beside the
// prompt and that level's thinking budget: a smaller output budget at that
// level may then pass where lowerLevelFits, the same output budget, finds
// none.
func (c *Call) lowerLevelRoom(room int64, bounded bool, availMinor int64, known bool) bool {
	order := []providers.Reasoning{providers.ReasoningOff, providers.ReasoningLow, providers.ReasoningMedium, providers.ReasoningHigh}
	at := slices.Index(order, c.Req.Reasoning)
	if c.version == nil || at < 1 || !bounded {
		return false
	}
	for _, level := range order[:at] {
		plan := providers.ReasoningFor(c.Target.Kind, c.Target.SelfHosted, c.Req.Model, level)
		if plan.Refused || !plan.Honours(level) {
			continue
		}
		est, err := metering.PriceEstimate(c.version, c.Target.RateProvider, c.Req.Model, tokenizer.Count{Tokens: c.Estimate.PromptTokens},
			1+int64(plan.Budget), providers.BillsReasoning(c.Target.Kind, c.Target.SelfHosted, c.Req.Model, level))
		if err == nil && est.HighMinor <= room && (!known || est.HighMinor <= availMinor) {
			return true
		}
	}
	return false
}

// reasoningOffWords is what a refusal for credits or by a spending limit
// says when the send with Reasoning off would fit (cost: its hold then);
// reasoningOffAPIWords says it to the local API, whose name for Reasoning
// off is reasoning_effort "none" (gateway's effortOf).
func reasoningOffWords(cost string) string {
	return fmt.Sprintf("turn Reasoning off (it may then cost up to %s credits, its output held at the output rate, not the reasoning rate)",
		money.DisplayString(cost))
}

func reasoningOffAPIWords(cost string) string {
	return fmt.Sprintf(`reasoning_effort "none" (it may then cost up to %s credits, its output held at the output rate)`, money.APIString(cost))
}

// InsufficientCreditsError is a send refused, or a reply that outlived its
// hold left uncharged, because the payer has too few credits
// (ErrInsufficientCredits, with the ledger's own error, whose hold ids,
// account codes and policy names stay out of the messages, reachable with
// errors.Is/As). Error is what the window and the CLI say to the person
// signed in; APIMessage says it to a program using the local API. Both are
// built from the fields, one source for the facts of the refusal.
type InsufficientCreditsError struct {
	Model  string     // the model asked
	Member string     // the member who sent (the signed-in actor; "" when unknown)
	Admin  bool       // the member is an admin (and may top up)
	Payer  team.Payer // the account that pays for the member's sends, named as far as known
	// Needed is what the send may cost, the hold it asked for (the upper
	// end of its estimate); "" for a reply that outlived its hold (Lapsed).
	Needed string
	// Available is what the payer may still spend (its policy's minimum
	// balance or overdraft counted, and what other sends starting now
	// hold); "" when the ledger could not say.
	Available string
	// Held is what other sends still running hold on the payer (its
	// pending holds and those being taken: heldOn), which Available
	// leaves out and which is released or charged as they finish; ""
	// when none or unknown. Parallel requests to the local API, each
	// holding its whole output budget, meet it.
	Held string
	// PromptCost, when the prompt alone fits what is available and what
	// the member's spending limits leave (Call.room), is what
	// it costs: the rest of Needed is the room held for up to
	// OutputTokens output tokens ("" otherwise).
	PromptCost   string
	OutputTokens int64
	// Thinking is the thinking budget among OutputTokens that the
	// reasoning level Reasoning adds, ThinkingShare the credits of the hold
	// it takes (0 and "" when none).
	Thinking      int
	Reasoning     providers.Reasoning
	ThinkingShare string
	// ReasoningOff, when the same send with Reasoning off would fit (its
	// output held at the output rate, not the reasoning rate:
	// Call.reasoningOffHold), is what it may then cost ("" otherwise).
	ReasoningOff string
	// LowerLevel, when the send's level adds a thinking budget and a lower
	// level the model takes fits as the send is (Call.lowerLevelFits), is
	// the highest such, LowerLevelCost what the send may then cost ("" otherwise).
	LowerLevel     providers.Reasoning
	LowerLevelCost string
	// Limit, when a spending limit of the member's leaves less than the
	// prompt alone (so no smaller output budget passes, and a top-up
	// alone does not either), is that limit's refusal of the send, its
	// Prompt set: its words say which limit and when it resets
	// (RetryTime). nil otherwise.
	Limit *team.LimitError
	// DefaultRate, when the model has no rate of its own, says what the
	// default rate charges ("1 credit per token").
	DefaultRate string
	// NotOffered, with DefaultRate: the provider the send goes to does not
	// offer the model among those the model lists show (Meter.Models: the
	// picker's, the local API's GET /v1/models, whose /v1/models/{id}
	// answers 404 for it), a misspelled name most likely, which routing
	// still sends as it is (a model new since the last listing may be
	// real) at the default rate.
	NotOffered bool
	// Lapsed: the reply outlived its hold (a stream longer than HoldTTL)
	// and the payer has nothing left to pay for it under its balance
	// policy; it was delivered, and nothing was charged.
	Lapsed bool

	msg   string
	cause error
	room  *OutputRoom // nil: the prompt alone does not fit, or no balance bounds the payer
	// lowerSmaller: not one output token fits beside the level's thinking
	// budget and no lower level fits with this output budget, but one
	// does with a smaller one (Call.lowerLevelRoom).
	lowerSmaller bool
	// noShorter: not one output token fits beside the prompt, and no
	// shorter prompt helps either: the level's thinking budget and one
	// output token beside a one-token prompt are over what is left
	// (Call.shorterHelps).
	noShorter bool
}

// OutputRoom says, of a send refused for credits or by a spending limit
// whose prompt fits but not the room held for its output budget, what
// would fit now: MaxTokens is the largest output budget (the thinking
// budget on top) whose hold fits the payer's credits and every limit on
// the model alike (Call.room), 0 when none does; Thinking is the thinking budget
// of the send's reasoning level (0: none), so a lower level may fit too.
type OutputRoom struct {
	MaxTokens int
	Thinking  int
	// ReasoningOff: the send as it is, with Reasoning off, fits too (its
	// output held at the output rate, not the reasoning rate:
	// InsufficientCreditsError.ReasoningOff).
	ReasoningOff bool
	// Level: the highest lower reasoning level that fits as the send is
	// (InsufficientCreditsError.LowerLevel); "" when none or not asked.
	Level providers.Reasoning

	byLimit bool // a spending limit leaves less than the credits: it is what MaxTokens fits
}

// RoomFor is the OutputRoom of a send refused for credits (err: Send's
// ErrInsufficientCredits, or EstimateDraft's Refusal) or by a spending
// limit (a *team.LimitError of Send's or the Refusal's) when the output
// budget's hold is what does not fit, the room being the least of what
// the payer has and what the member's spending limits leave (Call.room),
// whichever refused it; ok is false otherwise. The CLI names
// --max-tokens with it, in `chat` and `chat --estimate` alike.
func RoomFor(err error) (room OutputRoom, ok bool) {
	var ie *InsufficientCreditsError
	if errors.As(err, &ie) && ie.room != nil {
		return *ie.room, true
	}
	var lr *limitRefusal
	if errors.As(err, &lr) && lr.room != nil {
		return *lr.room, true
	}
	return OutputRoom{}, false
}

func (e *InsufficientCreditsError) Error() string { return e.msg }

// Unwrap makes errors.Is(err, ErrInsufficientCredits) true, and reaches
// the ledger's error.
func (e *InsufficientCreditsError) Unwrap() []error { return []error{ErrInsufficientCredits, e.cause} }

// APIMessage is the refusal in the local API's words (the gateway's 402):
// how many credits the request needed against what is available to the
// API key's member and from which account, what may let it through (a
// smaller max_tokens, a lower reasoning_effort), and that an admin adds
// credits to that account. No wrapping context, no window control or
// command: the client is a program, and the remedy is an admin's.
func (e *InsufficientCreditsError) APIMessage() string {
	member := "this API key's member"
	if e.Member != "" {
		member = e.Member + " (" + member + ")"
	}
	from := apiPayer(e.Payer, e.Member)
	topUp := "An admin can add credits to " + from + "."
	if e.Payer.Kind == team.PayerPool {
		topUp = "An admin can top up " + from + "."
	}
	if e.Admin {
		topUp = strings.Replace(topUp, "An admin can", "This key's member is an admin and can", 1)
	}
	if e.Lapsed {
		return fmt.Sprintf("The reply to this request outlived its hold (a stream longer than %s), and %s has nothing left to pay "+
			"for it under its balance policy, so nothing was charged. %s", HoldTTL, from, topUp)
	}
	var b strings.Builder
	switch e.Available {
	case "":
		fmt.Fprintf(&b, "This request to %s may cost up to %s credits (what is held while it runs), more than is available to %s from %s.",
			e.Model, money.APIString(e.Needed), member, from)
	case "0":
		fmt.Fprintf(&b, "This request to %s may cost up to %s credits (what is held while it runs), but no credits are available to %s from %s.",
			e.Model, money.APIString(e.Needed), member, from)
	default:
		fmt.Fprintf(&b, "This request to %s may cost up to %s credits (what is held while it runs), but only %s are available to %s from %s.",
			e.Model, money.APIString(e.Needed), money.APIString(e.Available), member, from)
	}
	if e.DefaultRate != "" && e.NotOffered {
		// Why it costs so much, first: a model the API does not list
		// (its /v1/models/{id} is a 404) is priced at the default rate.
		fmt.Fprintf(&b, " %s is not a model GET /v1/models lists (check its name), so it has no rate of its own and is priced at the "+
			"default rate (%s).", e.Model, e.DefaultRate)
	}
	if e.Held != "" {
		// Why /v1/credits may show more a moment later: parallel
		// requests each hold their whole output budget while they run.
		fmt.Fprintf(&b, " Another %s credits are held by requests still running on that account (each holds its whole max_tokens "+
			"while it runs), released or charged as they finish.", money.APIString(e.Held))
	}
	// Not even one output token fits beside the prompt: no smaller
	// max_tokens helps, so none is offered.
	noOutput := e.room != nil && e.room.MaxTokens == 0
	if e.PromptCost != "" {
		if e.Thinking > 0 {
			fmt.Fprintf(&b, " The prompt costs %s; the rest is held for up to %s output tokens, %s of them the thinking budget of "+
				"reasoning_effort %s (%s credits)",
				money.APIString(e.PromptCost), money.GroupInt(int64(e.OutputTokens)), money.GroupInt(int64(e.Thinking)), e.Reasoning, money.APIString(e.ThinkingShare))
			switch {
			case !noOutput:
				b.WriteString(", so a lower reasoning_effort or a smaller max_tokens may let it through.")
			case e.LowerLevel != "":
				b.WriteString(", and not even one output token fits beside that thinking budget, so a lower reasoning_effort may let it through.")
			case e.lowerSmaller:
				b.WriteString(", and not even one output token fits beside that thinking budget, so " + lowerSmallerAPIWords + " may let it through.")
			default:
				b.WriteString(", and not even one output token fits beside it at any reasoning_effort, so no smaller max_tokens helps: " +
					e.noOutputAPIRemedy() + ".")
			}
			if e.LowerLevel != "" {
				effort := string(e.LowerLevel)
				if e.LowerLevel == providers.ReasoningOff {
					effort = `"none"` // the API's name of Reasoning off (gateway's effortOf)
				}
				fmt.Fprintf(&b, " At reasoning_effort %s it may cost up to %s credits.", effort, money.APIString(e.LowerLevelCost))
			}
		} else if noOutput {
			fmt.Fprintf(&b, " The prompt alone costs %s and leaves no room for even one output token, so no smaller max_tokens helps: %s",
				money.APIString(e.PromptCost), e.noOutputAPIRemedy())
			if e.ReasoningOff != "" {
				b.WriteString(", or " + reasoningOffAPIWords(e.ReasoningOff))
			}
			b.WriteString(".")
		} else {
			fmt.Fprintf(&b, " The prompt costs %s; the rest is held for up to %s output tokens, so a smaller max_tokens may let it through",
				money.APIString(e.PromptCost), money.GroupInt(int64(e.OutputTokens)))
			if e.ReasoningOff != "" {
				b.WriteString(", or " + reasoningOffAPIWords(e.ReasoningOff))
			}
			b.WriteString(".")
		}
	}
	if e.Limit != nil { // no smaller max_tokens passes it: say the limit and when it resets
		fmt.Fprintf(&b, " A spending limit refuses it too. %s", e.Limit.APIMessage())
	}
	if e.room != nil && e.room.MaxTokens > 0 {
		fmt.Fprintf(&b, " A max_tokens of %d or less fits what is available now", e.room.MaxTokens)
		if e.room.byLimit { // the member's spending limits leave less: it fits them too
			b.WriteString(" and the spending limits of this API key's member")
		}
		if e.room.Thinking > 0 {
			fmt.Fprintf(&b, " (at reasoning_effort %s)", e.Reasoning)
		}
		b.WriteString(".")
	}
	switch {
	case e.DefaultRate != "" && e.NotOffered: // said first
		b.WriteString(" An admin can give it a rate.")
	case e.DefaultRate != "":
		fmt.Fprintf(&b, " %s has no rate of its own, so the default rate applies (%s); an admin can give it one.", e.Model, e.DefaultRate)
	}
	b.WriteString(" " + topUp + " Nothing was sent or charged.")
	return b.String()
}

// apiPayer names payer for the local API, in the third person (a program
// reads it, for the key's member): "the workspace pool", "the Research
// department", "bob's wallet".
func apiPayer(p team.Payer, member string) string {
	whose := "the member's"
	if member != "" {
		whose = member + "'s"
	}
	switch {
	case p.Kind == team.PayerWallet:
		return whose + " wallet"
	case p.Kind == team.PayerDepartment && strings.TrimSpace(p.Name) == "":
		return whose + " department"
	}
	return p.Phrase()
}

// payerReader names the signed-in member's payer; *team.Service
// implements it (MyPayer, as the window's header has it).
type payerReader interface {
	MyPayer(ctx context.Context) (team.Payer, error)
}

// payerName names the account code that pays for the signed-in member's
// sends as the chat speaks to them, by team.Payer.Phrase (the CLI's rule
// too): "the workspace pool", "your wallet" or "the Research department"
// (unnamed, "your department", when the funder cannot name it, or the
// member's payer has changed since).
func (m *Meter) payerName(ctx context.Context, code string) string {
	return m.payerOf(ctx, code).Phrase()
}

// payerOf is the account code as a team.Payer, named as far as the funder
// can (payerName).
func (m *Meter) payerOf(ctx context.Context, code string) team.Payer {
	if pr, ok := m.funder.(payerReader); ok {
		if p, err := pr.MyPayer(ctx); err == nil && p.Account == code {
			return p
		}
	}
	return team.PayerOf(code)
}

// ensure creates the payer account once (an empty account moves no money).
func (m *Meter) ensure(ctx context.Context, code string) error {
	if _, ok := m.ensured.Load(code); ok {
		return nil
	}
	if err := m.led.EnsureAccount(access.WithActor(context.WithoutCancel(ctx), access.System), code); err != nil {
		return fmt.Errorf("payer account: %w", err)
	}
	m.ensured.Store(code, true)
	return nil
}

func checkMeterRequest(req *MeterRequest) error {
	if req.ID == "" || len(req.ID) > 100 || strings.ContainsAny(req.ID, " \t\r\n") {
		return inputerr.New(ErrInvalid, "request id must be 1-100 characters without spaces")
	}
	if err := rates.CheckModel(req.Model); err != nil {
		return inputerr.New(ErrInvalid, "%v", err)
	}
	if len(req.Messages) == 0 {
		return inputerr.New(ErrInvalid, "no messages")
	}
	for i, msg := range req.Messages {
		if msg.Role != "system" && msg.Role != "user" && msg.Role != "assistant" {
			return inputerr.New(ErrInvalid, "message %d has role %q (want system, user or assistant)", i+1, msg.Role)
		}
	}
	switch req.Source {
	case SourceUI, SourceCLI, SourceAPI:
	default:
		return inputerr.New(ErrInvalid, "source %q (want ui, cli or api)", req.Source)
	}
	if err := checkMaxOutput(req.MaxTokens, "max tokens"); err != nil {
		return err
	}
	if req.MaxTokens == 0 {
		req.MaxTokens = DefaultMaxOutput(req.Model)
	}
	level, err := checkReasoning(req.Reasoning)
	if err != nil {
		return err
	}
	req.Reasoning = level // as stored: "HIGH" is high, for the budget and the request alike
	return checkSampling(req.Sampling)
}

// outputBudget is the output budget a checked request asks target for, and
// holds credits for: the answer's (req.MaxTokens) plus the thinking budget
// its reasoning level asks the model for (providers.ReasoningFor: Claude's
// budget_tokens and Gemini's thinkingBudget count within max_tokens and
// maxOutputTokens, and are billed as output). OpenAI's reasoning_effort
// has no budget: its reasoning counts within max_completion_tokens as
// before. The composer's estimate uses the same (EstimateDraft).
func outputBudget(target Target, req MeterRequest) int {
	return req.MaxTokens + providers.ReasoningFor(target.Kind, target.SelfHosted, req.Model, req.Reasoning).Budget
}

// billsReasoning reports whether the reply of a checked request to target
// may be billed reasoning tokens apart from its output
// (providers.BillsReasoning): when it cannot (Claude, whose thinking is
// billed as output; deepseek-chat; Gemini 2.5 Flash and OpenAI's gpt-5.1
// and later with thinking off), the estimate and the hold price its output
// budget at the output rate, not at a reasoning rate above it that no
// reply of it is charged. A reply that reports
// reasoning all the same is charged what it reports (Settle: an overrun).
// The composer's estimate uses the same (EstimateDraft).
func billsReasoning(target Target, req MeterRequest) bool {
	return providers.BillsReasoning(target.Kind, target.SelfHosted, req.Model, req.Reasoning)
}

// Stream sends the request to the provider, calling onDelta with each piece
// of text. providers.ErrOffline is reported as ErrOffline (wrapping both).
// A provider that keeps writing far past the output budget (a local server
// in a loop, or one that ignores max_tokens) is cut off once its text and
// reasoning text together pass outputByteCap (the budget covers both): the
// stream ends with ErrOverBudget, and what was delivered is charged as for
// an interrupted stream.
func (c *Call) Stream(ctx context.Context, onDelta func(text string) error) (providers.Result, error) {
	return c.StreamReasoning(ctx, onDelta, nil)
}

// StreamReasoning is Stream that also calls onReasoning (when not nil)
// with each piece of reasoning text as it arrives (DeepSeek's
// reasoning_content, OpenRouter's reasoning, Anthropic's thinking, Gemini's
// thoughts): the API gateway forwards it to its client. An error from
// onReasoning stops the stream and is returned, as one from onDelta does.
func (c *Call) StreamReasoning(ctx context.Context, onDelta, onReasoning func(text string) error) (providers.Result, error) {
	if onDelta == nil {
		onDelta = func(string) error { return nil }
	}
	limit, delivered := outputByteCap(c.Req.MaxTokens), 0
	count := func(text string) error {
		if delivered += len(text); delivered > limit {
			return fmt.Errorf("%w: more than %d bytes for a budget of %d tokens", ErrOverBudget, limit, c.Req.MaxTokens)
		}
		return nil
	}
	capped := func(text string) error {
		if err := onDelta(text); err != nil {
			return err
		}
		return count(text)
	}
	reasoned := count
	if onReasoning != nil {
		reasoned = func(text string) error {
			if err := onReasoning(text); err != nil {
				return err
			}
			return count(text)
		}
	}
	res, err := c.Target.Client.Stream(ctx, providers.Request{Model: c.Req.Model, Messages: c.Req.Messages,
		MaxTokens: c.Req.MaxTokens, Sampling: c.Req.Sampling, Reasoning: c.Req.Reasoning, OnReasoning: reasoned}, capped)
	if err != nil && errors.Is(err, providers.ErrOffline) {
		err = offlineError{err}
	}
	return res, err
}

// offlineError is a provider's offline error as chat reports it: it
// matches ErrOffline as well as providers.ErrOffline, and reads as the
// provider's error alone, which already says "offline" ("offline: the
// provider cannot be reached: …", not "offline: offline: …").
type offlineError struct{ err error }

func (e offlineError) Error() string        { return e.err.Error() }
func (e offlineError) Unwrap() error        { return e.err }
func (e offlineError) Is(target error) bool { return target == ErrOffline }

// outputByteCap is how much reply text a budget of maxTokens may bring
// before the stream is cut: 32 bytes a token (a token is about 4 bytes of
// English, 3-6 of other scripts; a run of one character can be one token)
// plus 64 KiB, so that only a provider far past its budget is stopped.
func outputByteCap(maxTokens int) int { return max(maxTokens, 1)*32 + 64<<10 }

// Settle resolves the hold after the stream: an error before any reply
// text, reasoning text or tool-call text arrived (a provider error, a cut,
// a timeout, a stop, the output cap) voids it, charging nothing; otherwise
// the usage the provider reported, or, when it reported no final usage (a
// stream cut after text, reasoning text or tool calls only: the provider
// generated and bills them), an estimate (Call.usage, marked estimated),
// is priced with the rate version of the estimate and posted.
// The ledger releases the rest of the hold. onPost (optional) runs inside
// the posting's transaction, after the charge row is written. Settle
// returns nil when nothing was charged. It runs even if ctx is cancelled.
func (c *Call) Settle(ctx context.Context, res providers.Result, streamErr error,
	onPost func(ctx context.Context, tx *sql.Tx, ch *Charge) error) (*Charge, error) {
	if c.settled {
		return nil, fmt.Errorf("settle %s: already settled", c.Req.ID)
	}
	c.settled = true
	ctx = context.WithoutCancel(ctx)
	if !res.Produced() && streamErr != nil {
		if _, err := c.m.led.Void(ctx, "void:"+c.Req.ID, c.HoldID); err != nil {
			return nil, fmt.Errorf("release the hold of %s: %w", c.Req.ID, err)
		}
		return nil, nil
	}
	c.afterCharge = true // until the posting's transaction says otherwise
	ch, err := c.charge(ctx, res, onPost)
	if err != nil {
		// Nothing could be posted: release the hold now rather than leave
		// the credits reserved until it expires.
		if _, verr := c.m.led.Void(ctx, "void:"+c.Req.ID, c.HoldID); verr != nil && !errors.Is(verr, ledger.ErrHoldResolved) {
			err = fmt.Errorf("%w (and releasing its hold failed: %v)", err, verr)
		}
		return nil, err
	}
	if c.m.funder != nil && c.afterCharge {
		c.m.funder.AfterCharge(ctx, c.Payer)
	}
	return ch, nil
}

// usage is what a settled call is charged for: the usage the provider
// reported, or, when it reported no final usage (a cut or stopped stream,
// none sent), metering.EstimateDelivered (marked estimated): the input-side
// counts the provider reported before the cut (else the tokenizer's count
// of the prompt), and for output and reasoning the larger of its counts so
// far and the tokenizer's count of the delivered text (with the tool
// calls' names and arguments) and reasoning text.
func (c *Call) usage(res providers.Result) (metering.Usage, error) {
	var u metering.Usage
	if res.Usage != nil {
		u = *res.Usage
		if u.Requests == 0 {
			u.Requests = 1
		}
	} else {
		est, err := metering.EstimateDelivered(c.Target.RateProvider, c.Req.Model, c.prompt, metering.Delivered{
			Text: res.Text, Reasoning: res.Reasoning, ReasoningInOutput: res.ReasoningInOutput, ToolText: res.ToolText,
			ReasoningHidden: res.ReasoningHidden, Reported: res.Partial})
		if err != nil {
			return u, fmt.Errorf("count the usage of %s: %w", c.Req.ID, err)
		}
		u = est
	}
	if int64(res.ToolCalls) > u.ToolCalls {
		u.ToolCalls = int64(res.ToolCalls)
	}
	return u, nil
}

// charge prices the call's usage and posts it. Reported usage (final or
// partial) that cannot be priced (so large that its cost is beyond the
// ledger's largest amount) is not believed: it is counted like usage the
// provider did not report.
// An overrun above the hold that the payer's balance policy or the member's
// limits do not allow is capped at the hold. A reply whose hold lapsed
// before it was posted is charged by the same rule (chargeLapsed).
func (c *Call) charge(ctx context.Context, res providers.Result, onPost func(ctx context.Context, tx *sql.Tx, ch *Charge) error) (*Charge, error) {
	u, err := c.usage(res)
	if err != nil {
		return nil, err
	}
	bd, err := metering.Price(c.version, c.Target.RateProvider, c.Req.Model, u)
	if (res.Usage != nil || res.Partial != nil) && errors.Is(err, money.ErrOverflow) {
		res.Usage, res.Partial = nil, nil
		if u, err = c.usage(res); err != nil {
			return nil, err
		}
		bd, err = metering.Price(c.version, c.Target.RateProvider, c.Req.Model, u)
	}
	if err != nil {
		return nil, fmt.Errorf("price %s: %w", c.Req.ID, err)
	}
	ch := &Charge{RequestID: c.Req.ID, Payer: c.Payer, Provider: c.Target.Name, Model: c.Req.Model,
		Source: c.Req.Source, ConversationID: c.Req.ConversationID, RateVersion: c.version.ID,
		RatesAt: timeOrNil(c.version.EffectiveAt), Usage: usageOf(u), Estimated: u.Estimated, Hold: money.MinorString(c.HoldMinor),
		Amount: bd.Total, Price: bd.Total, Breakdown: bd, thinking: c.thinking}
	post := bd.TotalMinor
	t, err := c.post(ctx, ch, post, onPost)
	if (errors.Is(err, ledger.ErrInsufficientFunds) || errors.Is(err, errOverrunLimit)) && post > c.HoldMinor {
		// The payer's policy or the member's limits do not allow the
		// overrun: post the hold, which both allowed.
		ch.Capped, ch.Amount = true, money.MinorString(c.HoldMinor)
		t, err = c.post(ctx, ch, c.HoldMinor, onPost)
	}
	if errors.Is(err, ledger.ErrHoldExpired) || (errors.Is(err, ledger.ErrHoldResolved) && c.holdVoided(ctx)) {
		t, err = c.chargeLapsed(ctx, ch, onPost)
	}
	if err != nil {
		return nil, fmt.Errorf("charge %s: %w", c.Req.ID, err)
	}
	// What was posted or moved (a replayed charge's too, whose Attach did
	// not run again: whether it was capped is in its meta).
	amount, err := money.ToMinor(t.Amount)
	if err != nil {
		return nil, fmt.Errorf("charge %s: %w", c.Req.ID, err)
	}
	ch.TransferID, ch.Amount = t.ID, money.MinorString(amount)
	if t.Replayed {
		ch.Capped = cappedMeta(t.Meta)
	}
	ch.Summary, ch.Free = Summary(ch), Free(ch)
	return ch, nil
}

// errOverrunLimit: a posting above the hold would take the member past one
// of their spending limits (Settle then posts the hold).
var errOverrunLimit = errors.New("the charge above the hold would exceed a spending limit")

// overrunLimits wraps a posting's Attach for an amount above the hold: once
// the posting is written, in its transaction, the member's limits must still
// hold, else the posting is rolled back with errOverrunLimit. The hold was
// checked against the limits when it was taken; only the overrun is new.
func (c *Call) overrunLimits(attach ledger.Attach) ledger.Attach {
	check := c.m.funder.LimitGuard(c.Dims.UserID, c.Req.Model, decimal.Zero)
	return func(ctx context.Context, tx *sql.Tx, t ledger.Transfer) error {
		if err := check(ctx, tx); err != nil {
			return fmt.Errorf("%w: %w", errOverrunLimit, err)
		}
		return attach(ctx, tx, t)
	}
}

// holdMeta is the hold's JSON meta (fields in key order, as a map would
// marshal them).
type holdMeta struct {
	Estimate metering.Estimate `json:"estimate"`
	Provider string            `json:"provider"`
}

// postMeta is the posting's JSON meta: the breakdown and how it was counted
// ("usage" carries the token counts the per-message statement CSV reads),
// and what was held for the reply ("hold", as its Charge says it: with the
// breakdown it tells a free model's reply from a charge of nothing,
// chat.Free, so the credits history says "free" where the chat does;
// postings written before it was recorded have none).
// Fields are in key order, so the bytes are those a map would marshal to.
type postMeta struct {
	Breakdown   metering.Breakdown `json:"breakdown"`
	Capped      bool               `json:"capped"`
	Estimated   bool               `json:"estimated"`
	Hold        string             `json:"hold,omitempty"`
	Price       string             `json:"price"`
	Provider    string             `json:"provider"`
	RateVersion int64              `json:"rateVersion"`
	Usage       Usage              `json:"usage"`
}

// meta is the posting's JSON meta.
func (c *Call) meta(ch *Charge) json.RawMessage {
	b, _ := json.Marshal(postMeta{Breakdown: ch.Breakdown, Capped: ch.Capped, Estimated: ch.Estimated, Hold: ch.Hold, Price: ch.Price,
		Provider: ch.Provider, RateVersion: ch.RateVersion, Usage: ch.Usage})
	return b
}

// askedCharge is what a settle asks the ledger for (the idempotency
// content of its posting or usage transfer, ledger.PostRequest.Asked and
// ledger.TransferRequest.Asked): the usage, priced by a rate version at a
// price, capped at the hold when need be. It is the same for each of the
// settle's attempts (the price, then capped at the hold or at what the
// payer's policy and the member's limits allow), whatever the ledger then
// decided, so a settle retried with the same usage gets the charge that
// was made, capped or not, and one with other usage is a conflict. Fields
// are in key order (canonical JSON).
type askedCharge struct {
	Estimated   bool   `json:"estimated"`
	Hold        string `json:"hold"`
	Price       string `json:"price"`
	RateVersion int64  `json:"rateVersion"`
	Usage       Usage  `json:"usage"`
}

// asked is the charge's askedCharge as JSON.
func (c *Call) asked(ch *Charge) json.RawMessage {
	b, _ := json.Marshal(askedCharge{Estimated: ch.Estimated, Hold: money.MinorString(c.HoldMinor), Price: ch.Price,
		RateVersion: ch.RateVersion, Usage: ch.Usage})
	return b
}

// cappedMeta reads whether a recorded charge (a replayed posting or usage
// transfer) was capped, from its meta (postMeta.Capped).
func cappedMeta(meta json.RawMessage) bool {
	var m struct {
		Capped bool `json:"capped"`
	}
	return json.Unmarshal(meta, &m) == nil && m.Capped
}

// errNotCapped: a charge meant to be capped found the payer able to pay its
// price after all (credits arrived since its price was refused); it is
// rolled back and charged again from its price (chargeLapsed).
var errNotCapped = errors.New("the capped charge would be the whole price")

// attach writes the charge row of posting or transfer t (what moved: the
// amount asked for, or less for a transfer with UpTo) and runs onPost, in
// the ledger's transaction.
func (c *Call) attach(ch *Charge, onPost func(context.Context, *sql.Tx, *Charge) error) ledger.Attach {
	// Marshalled here, outside the ledger's (serialized) write transaction.
	bd, err := json.Marshal(storedBreakdown{Breakdown: ch.Breakdown, ThinkingBudget: ch.thinking})
	return func(ctx context.Context, tx *sql.Tx, t ledger.Transfer) error {
		if err != nil {
			return fmt.Errorf("charge row: %w", err)
		}
		amount, err := money.ToMinor(t.Amount)
		if err != nil {
			return fmt.Errorf("charge row: %w", err)
		}
		if ch.Capped && amount >= ch.Breakdown.TotalMinor {
			return errNotCapped
		}
		ch.TransferID, ch.Amount = t.ID, money.MinorString(amount)
		if err := insertCharge(ctx, tx, ch, c, amount, t, bd); err != nil {
			return err
		}
		if onPost != nil {
			if err := onPost(ctx, tx, ch); err != nil {
				return err
			}
		}
		// Whether AfterCharge has anything to do, decided here on the
		// writer's warm connection (the last run of this hook is the one
		// committed).
		c.afterCharge = true
		if ck, ok := c.m.funder.(AfterChargeChecker); ok {
			c.afterCharge = ck.AfterChargeNeeded(ctx, tx, c.Payer)
		}
		return nil
	}
}

func (c *Call) post(ctx context.Context, ch *Charge, amount int64, onPost func(context.Context, *sql.Tx, *Charge) error) (ledger.Transfer, error) {
	return c.m.led.Post(ctx, ledger.PostRequest{ID: "post:" + c.Req.ID, HoldID: c.HoldID,
		Amount: money.FromMinor(amount), Meta: c.meta(ch), Asked: c.asked(ch), Attach: c.limited(c.attach(ch, onPost), amount)})
}

// limited is attach, checked against the member's limits when amount is
// above the hold (overrunLimits): the hold was within them when it was
// taken, so only a charge beyond it is asked again.
func (c *Call) limited(attach ledger.Attach, amount int64) ledger.Attach {
	if amount > c.HoldMinor && c.guard != nil {
		return c.overrunLimits(attach)
	}
	return attach
}

// holdVoided reports whether the call's hold was voided by someone else
// while the call ran (its posting failed with ledger.ErrHoldResolved): once
// a hold has expired (a stream longer than HoldTTL), any other debit of the
// payer voids it before it runs, and so does every process start
// (ledger.VoidStaleHolds). The reply was delivered all the same, so it is
// charged directly (chargeLapsed). A hold that was posted is not voided: it
// was charged, and is never charged again. A hold's status never changes
// once it is resolved, so reading it after the failed posting is safe.
func (c *Call) holdVoided(ctx context.Context) bool {
	status, err := c.m.led.HoldStatus(ctx, c.HoldID)
	return err == nil && status == "voided"
}

// lapsedRounds bounds how often chargeLapsed starts again from the price
// when its capped charge found the price payable after all (credits
// arrived in between; each round needs another such change).
const lapsedRounds = 3

// chargeLapsed charges a request whose hold lapsed before it could be
// posted: it expired (a stream longer than HoldTTL), or was voided after it
// expired (holdVoided). The reply was delivered, so it is charged like any
// other, by a direct usage transfer from the payer ("usage:"+ID) instead of
// the hold's posting. With no reservation left, what the payer can pay is
// decided in the transfer's write transaction (after the payer's expired
// holds, this one too, are voided):
//
//  1. the price, when the payer's balance policy allows it and the
//     member's limits do too, for the whole price (lapsedLimits): the
//     voided hold reserves no room under them any more, and the member's
//     next send may have taken the room it gave back;
//  2. otherwise it is capped (Capped): at the hold, or the price when that
//     is lower, or at what the payer can still pay under its policy when
//     that is less (ledger.TransferRequest.UpTo), or at the room the
//     member's limits leave when that is less still
//     (ledger.TransferRequest.Cap): never a balance its policy forbids (a
//     transfer is checked as a debit by every policy, carry too), never
//     past a limit, never nothing when something can be paid (but for a
//     hold of nothing, a free estimate whose reply made priced tool calls:
//     a capped charge of 0, as its posting would have been);
//  3. when the payer can pay nothing at all, or the member's limits leave
//     nothing, nothing is charged and the error says so
//     (ErrInsufficientCredits, wrapping the ledger's ErrInsufficientFunds;
//     or, for the limits, a limit reached: lapsedLimitError, wrapping the
//     *team.LimitError, as a send over the limit is refused): the reply
//     stays delivered.
//
// The limits are those of the day and the month the charge is recorded in
// (a stream that crossed midnight counts on the new day, and is checked
// there).
//
// The transfer's id and what the settle asked (asked: the same for the
// price and the capped attempt) make a settle retried with the same usage
// replay the first transfer, capped or not (no second charge; other usage
// is an idempotency conflict). The hold, should it still be
// pending, is voided afterwards; a failure there is only logged: the
// charge was made and is reported, and a still pending expired hold is
// voided by the payer's next debit or the next start (VoidStaleHolds).
func (c *Call) chargeLapsed(ctx context.Context, ch *Charge, onPost func(context.Context, *sql.Tx, *Charge) error) (ledger.Transfer, error) {
	price := ch.Breakdown.TotalMinor
	var t ledger.Transfer
	var err error
	for range lapsedRounds {
		ch.Capped, ch.Amount = false, ch.Price
		t, err = c.transferUsage(ctx, ch, price, false, onPost)
		if !errors.Is(err, ledger.ErrInsufficientFunds) && !errors.Is(err, errOverrunLimit) {
			break
		}
		// A hold of nothing (a free estimate: tool calls are not predicted,
		// so a model priced only per tool call holds 0) caps at nothing: a
		// capped charge of 0, as the hold's posting would have been
		// (charge). The price 0 is never refused (lapsedLimits, and no
		// policy blocks a usage transfer of nothing), so capAt is 0 only
		// when the hold was.
		capAt := min(price, c.HoldMinor)
		ch.Capped, ch.Amount = true, money.MinorString(capAt) // the Attach sets what moved
		t, err = c.transferUsage(ctx, ch, capAt, true, onPost)
		if errors.Is(err, ledger.ErrInsufficientFunds) {
			e := &InsufficientCreditsError{Model: c.Req.Model, Payer: c.m.payerOf(ctx, c.Payer), Lapsed: true, cause: err}
			e.Member, e.Admin = actorOf(ctx)
			e.msg = fmt.Sprintf("%v: the reply outlived its hold (a stream longer than %s), "+
				"and %s has nothing left to pay for it under its balance policy; nothing was charged",
				ErrInsufficientCredits, HoldTTL, e.Payer.Phrase())
			return t, e
		}
		var le *team.LimitError
		if errors.Is(err, errNoLimitRoom) && errors.As(err, &le) {
			return t, &lapsedLimitError{limit: le}
		}
		if !errors.Is(err, errNotCapped) {
			break
		}
	}
	if err != nil {
		return t, err
	}
	lapsedStep("void")
	if _, verr := c.m.led.Void(ctx, "void:"+c.Req.ID, c.HoldID); verr != nil && !errors.Is(verr, ledger.ErrHoldResolved) {
		c.m.logger().Warn("chat: a charged reply's lapsed hold could not be voided; the payer's next debit or the next start voids it",
			"request", c.Req.ID, "transfer", t.ID, "err", verr)
	}
	return t, nil
}

// transferUsage charges amount (or, with upTo, as much of it as the payer's
// policy and the member's limits allow) by a direct usage transfer
// (chargeLapsed).
func (c *Call) transferUsage(ctx context.Context, ch *Charge, amount int64, upTo bool, onPost func(context.Context, *sql.Tx, *Charge) error) (ledger.Transfer, error) {
	lapsedStep("transfer")
	return c.m.led.Transfer(ctx, ledger.TransferRequest{ID: "usage:" + c.Req.ID, Op: ledger.OpUsage,
		From: c.Payer, To: ledger.AccountUsage, Amount: money.FromMinor(amount), Dims: c.Dims, UpTo: upTo,
		Meta: c.meta(ch), Asked: c.asked(ch), Cap: c.lapsedLimits(upTo), Attach: c.attach(ch, onPost)})
}

// errNoLimitRoom: the member's limits leave nothing of a capped lapsed
// charge (chargeLapsed says so).
var errNoLimitRoom = errors.New("the spending limits leave nothing to charge")

// lapsedLimits is the ledger Cap of a lapsed charge (nil when no limits
// apply: the pool pays for the system, or no Funder): the member's limits
// are asked for the whole amount, in the day and the month the transfer is
// recorded in (team.Service.LimitRoom), since no hold reserves room for it
// any more. A charge they do not allow fails with errOverrunLimit, or, with
// upTo, moves the room they leave (errNoLimitRoom when that is nothing).
func (c *Call) lapsedLimits(upTo bool) func(context.Context, *sql.Tx, time.Time, decimal.Decimal) (decimal.Decimal, error) {
	if c.guard == nil {
		return nil
	}
	room := c.m.funder.LimitRoom(c.Dims.UserID, c.Req.Model)
	return func(ctx context.Context, tx *sql.Tx, at time.Time, amount decimal.Decimal) (decimal.Decimal, error) {
		if amount.Sign() == 0 {
			// A charge of nothing (a free reply, or one capped at a hold
			// of nothing) takes no one past a limit, even one already
			// passed (lowered meanwhile), as the hold's posting of 0 is
			// not asked either (limited).
			return amount, nil
		}
		fit, err := room(ctx, tx, at, amount)
		switch {
		case err == nil:
			return amount, nil
		case !errors.Is(err, team.ErrLimitExceeded):
			return decimal.Zero, err
		case !upTo:
			return decimal.Zero, fmt.Errorf("%w: %w", errOverrunLimit, err)
		case fit.Sign() <= 0:
			return decimal.Zero, fmt.Errorf("%w: %w", errNoLimitRoom, err)
		}
		return fit, nil
	}
}

// lapsedLimitError is chargeLapsed's refusal when the member's spending
// limits leave nothing to pay for a reply that outlived its hold: a limit
// reached, as a send over the limit is refused (team.ErrLimitExceeded,
// *team.LimitError: the window says "Spending limit", offers no top-up;
// the gateway answers 429), not "not enough credits". Its message says
// which limit, that the reply outlived its hold and that nothing was
// charged (LimitMessage).
type lapsedLimitError struct{ limit *team.LimitError }

func (e *lapsedLimitError) Error() string {
	return fmt.Sprintf("%s: the reply outlived its hold (a stream longer than %s), and the member's spending limits leave "+
		"nothing to pay for it; nothing was charged", e.limit.Error(), HoldTTL)
}
func (e *lapsedLimitError) Unwrap() error { return e.limit }

// LimitMessage is what a refusal by a member's spending limit (an error
// matching team.ErrLimitExceeded) says to a person, without the request's
// ids: the limit's own words, and, for a reply that outlived its hold and
// could not be charged for it, that too. ok is false when err is no
// limit's refusal. The window (Classify) and the gateway say the same.
func LimitMessage(err error) (msg string, ok bool) {
	var lapsed *lapsedLimitError
	if errors.As(err, &lapsed) {
		return lapsed.Error(), true
	}
	var le *team.LimitError
	if errors.As(err, &le) {
		return le.Error(), true // with its Ways (overLimit)
	}
	return "", false
}

// lowerLevelWords is what a spending limit's refusal says of the lower
// reasoning level that fits (Call.lowerLevelFits, the level a refusal for
// credits names); lowerLevelAPIWords says it to the local API, whose name
// for Reasoning off is reasoning_effort "none".
func lowerLevelWords(level providers.Reasoning, cost string) string {
	return fmt.Sprintf("a lower Reasoning level (at Reasoning %s it may cost up to %s credits)", level, money.DisplayString(cost))
}

func lowerLevelAPIWords(level providers.Reasoning, cost string) string {
	effort := string(level)
	if level == providers.ReasoningOff {
		effort = `"none"`
	}
	return fmt.Sprintf("reasoning_effort %s (it may then cost up to %s credits)", effort, money.APIString(cost))
}

// LimitAPIMessage is LimitMessage in the local API's words (the gateway's
// 429): the limit's (team.LimitError.APIMessage), with the largest
// max_tokens that fits when a smaller one can pass (RoomFor), and, for a reply that
// outlived its hold and could not be charged for it, that nothing was
// charged, which limit left nothing, and when it resets. ok is false when
// err is no limit's refusal.
func LimitAPIMessage(err error) (msg string, ok bool) {
	var lapsed *lapsedLimitError
	if errors.As(err, &lapsed) {
		return fmt.Sprintf("The reply to this request outlived its hold (a stream longer than %s), and %s leaves nothing to pay "+
			"for it, so nothing was charged. The limit resets %s.", HoldTTL, lapsed.limit.APIName(), lapsed.limit.APIResets()), true
	}
	var le *team.LimitError
	if errors.As(err, &le) {
		msg := le.APIMessage() // with its Ways (overLimit)
		if room, ok := RoomFor(err); ok && room.MaxTokens > 0 {
			// The largest max_tokens that passes, as the 402 names it and
			// the window ("Use N") and `meterdesk chat` offer it: it fits
			// the payer's credits and every limit on the model (Call.room).
			msg += fmt.Sprintf(" A max_tokens of %d or less fits what is available now and the spending limits of this API key's member", room.MaxTokens)
			if room.Thinking > 0 {
				msg += " (beside the thinking budget of its reasoning_effort)"
			}
			msg += "."
		}
		return msg, true
	}
	return "", false
}

// lapsedStep runs before each step of chargeLapsed: "transfer" before
// each transfer, "void" before the hold's void (tests change the payer's
// balance or the ledger between them).
var lapsedStep = func(step string) {}

// Run is Begin, Stream and Settle in one call. It returns the charge (nil
// when nothing was charged), what the provider delivered, and the first
// error (Begin's, the stream's, or the settlement's).
func (m *Meter) Run(ctx context.Context, req MeterRequest, onDelta func(string) error) (*Charge, providers.Result, error) {
	c, res, serr, err := m.BeginStream(ctx, req, onDelta)
	if err != nil {
		return nil, providers.Result{}, err
	}
	ch, err := c.Settle(ctx, res, serr, nil)
	if serr != nil {
		return ch, res, serr
	}
	return ch, res, err
}
