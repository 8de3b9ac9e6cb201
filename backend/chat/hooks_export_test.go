package chat

import (
	"context"
	"log/slog"

	"meterdesk/backend/providers"
)

// SetBeforeOverlappedHold makes f run before each overlapped send writes
// its hold, until the returned func restores the default.
func SetBeforeOverlappedHold(f func()) (restore func()) {
	beforeOverlappedHold = f
	return func() { beforeOverlappedHold = func() {} }
}

// Resettle returns a copy of c that has not been settled: a settle retried
// for the same call (same request id, hold and payer), as a process that
// lost the first settle's answer would run it.
func Resettle(c *Call) *Call {
	d := *c
	d.settled = false
	return &d
}

// SetLapsedStep makes f run before each step of the charge of a reply
// whose hold lapsed ("transfer" before each transfer, "void" before the
// hold's void), until the returned func restores the default.
func SetLapsedStep(f func(step string)) (restore func()) {
	lapsedStep = f
	return func() { lapsedStep = func(string) {} }
}

// SetLogger makes m log to l.
func SetLogger(m *Meter, l *slog.Logger) { m.log = l }

// Planned is what a send's plan would send (its whole prompt), hide, and
// whether the new turn has a visible message before it.
type Planned struct {
	Prompt    []providers.Message
	Supersede []string
	Earlier   bool
}

// PlanSend runs Send's plan of req without sending: with the bounded
// history read, or (full) with the whole read it replaced.
func PlanSend(s *Service, ctx context.Context, req SendRequest, full bool) (Planned, error) {
	if full {
		defer SetFullHistoryRead()()
	}
	p, err := s.plan(ctx, &req)
	if err != nil {
		return Planned{}, err
	}
	return Planned{Prompt: p.promptMsgs, Supersede: p.supersede, Earlier: p.earlier}, nil
}

// SetFullHistoryRead makes every send and estimate read the conversation's
// whole history, as before the bounded read (the benchmarks' "before"),
// until the returned func restores the bounded read.
func SetFullHistoryRead() (restore func()) {
	readTurns = (*Service).fullTurns
	return func() { readTurns = (*Service).boundedTurns }
}

// AnsweredElsewhereQuery is the query a send asks, in its hold's
// transaction, whether another process answers in the conversation.
const AnsweredElsewhereQuery = answeredElsewhereQuery

// SetBeforeClaim makes f run in each send after it read the conversation
// and before it claims it, until the returned func restores the default.
func SetBeforeClaim(f func()) (restore func()) {
	beforeClaim = f
	return func() { beforeClaim = func() {} }
}
