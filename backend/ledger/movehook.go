package ledger

import (
	"context"
	"slices"
)

// MoveHook is told, right after a commit, which pool, department and user
// accounts a move changed the balance of: a transfer, a grant, a refund or
// an adjustment (Transfer, TransferMany, whoever called them: the window,
// the CLI, the team's moves and recharges) and the expiry of credit lots
// (ExpireLots). Usage is not told: the metered flow that charges it runs
// its own check after the charge (chat's Funder.AfterCharge), and neither
// is a transfer asked Unhooked (the auto-recharge that check makes, so
// that its accounts are evaluated once, by the check). A replayed request
// moved nothing and is not told either. The hook runs in the
// caller's goroutine, after the write transaction, and cannot fail it.
type MoveHook func(ctx context.Context, accounts []string)

// moveHookBox holds the installed MoveHook (atomic.Pointer needs a type).
type moveHookBox struct{ fn MoveHook }

// SetMoveHook installs fn to run after every committed move (MoveHook);
// core.Open wires the team's balance alerts here, as it wires the open and
// policy checks, so a wallet or the pool a move takes under a threshold
// warns at once, not at its next charge. nil removes it.
func (s *Service) SetMoveHook(fn MoveHook) {
	if fn == nil {
		s.moveHook.Store(nil)
		return
	}
	s.moveHook.Store(&moveHookBox{fn})
}

// moved tells the installed hook about the committed transfers ts: the
// pool, department and user accounts on either side of each, once, in
// order, leaving out usage and replays.
func (s *Service) moved(ctx context.Context, ts []Transfer) {
	b := s.moveHook.Load()
	if b == nil {
		return
	}
	var accounts []string
	for _, t := range ts {
		if t.Replayed || t.Op == OpUsage {
			continue
		}
		accounts = appendOwned(accounts, t.From, t.To)
	}
	if len(accounts) > 0 {
		b.fn(ctx, accounts)
	}
}

// appendOwned appends to list the codes that are the pool's, a
// department's or a member's and not in it yet.
func appendOwned(list []string, codes ...string) []string {
	for _, c := range codes {
		if k, err := kindOf(c); err == nil && k != "system" && !slices.Contains(list, c) {
			list = append(list, c)
		}
	}
	return list
}
