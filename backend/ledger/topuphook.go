package ledger

// topUpHookBox holds the installed top-up hook (atomic.Pointer needs a type).
type topUpHookBox struct{ fn Attach }

// SetTopUpHook installs fn to run inside every new top-up's write
// transaction, once its ledger_topups row exists (a replayed request does
// not run it again). An error from fn rolls the top-up back. core wires the
// statements' invoice issuing here, so that a top-up's invoice is issued
// with it and carries the seller, buyer and package name current at the
// top-up; nil removes it.
func (s *Service) SetTopUpHook(fn Attach) {
	if fn == nil {
		s.topUpHook.Store(nil)
		return
	}
	s.topUpHook.Store(&topUpHookBox{fn})
}
