package chat

import (
	"errors"
	"testing"
)

// TestReleaseDropsOnlyItsOwnClaim: a send's claim is released twice (on
// done, so that a send made on chat:done is not refused, then by Send's
// deferred release). A newer claim made in between, for the same message
// id (a retry of a send that was undone) or another one into the same
// conversation, must survive the late release: it still refuses a third
// send as busy and can still be stopped. Before the fix the release
// compared uids only, so the first send's deferred release dropped a retry
// with its id, and a third send could then run beside it.
func TestReleaseDropsOnlyItsOwnClaim(t *testing.T) {
	for _, tc := range []struct{ name, newer string }{
		{"same message id", "m1"},
		{"another message id", "m2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Service{running: map[string]*claimed{}, runningIn: map[int64]*claimed{}}
			first, err := s.claim(7, "m1", runningSend{by: 1})
			if err != nil {
				t.Fatal(err)
			}
			s.release(7, first) // done
			stopped := false
			newer, err := s.claim(7, tc.newer, runningSend{by: 1, cancel: func() { stopped = true }})
			if err != nil {
				t.Fatalf("the newer claim: %v", err)
			}
			s.release(7, first) // the first send's deferred release, late
			if s.runningIn[7] != newer || s.running[tc.newer] != newer {
				t.Fatal("the first send's late release dropped the newer claim")
			}
			if _, err := s.claim(7, "m3", runningSend{}); !errors.Is(err, ErrBusy) {
				t.Errorf("a third send beside the newer one: %v, want ErrBusy", err)
			}
			if _, err := s.claim(8, tc.newer, runningSend{}); !errors.Is(err, ErrBusy) {
				t.Errorf("a second send with the newer one's id: %v, want ErrBusy", err)
			}
			if s.running[tc.newer].run.cancel(); !stopped {
				t.Error("the newer send cannot be stopped")
			}
			s.release(7, newer)
			if len(s.running) != 0 || len(s.runningIn) != 0 {
				t.Errorf("left registered: %v %v", s.running, s.runningIn)
			}
		})
	}
}
