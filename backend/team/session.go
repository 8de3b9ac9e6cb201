package team

import (
	"context"
	"errors"
	"fmt"

	"meterdesk/backend/access"
)

// Recheck returns a signed-in actor as the members table has them now. A
// window's session lasts for hours while other admins, the CLI or the local
// API change members, so the window re-reads its actor before every call: a
// member whose role changed acts with the new role. ok is false when the
// session must end: the member was disabled or removed, or a is the system
// actor that stands in before the first-run setup and the workspace has
// since been set up (by the CLI, say).
func (s *Service) Recheck(ctx context.Context, a access.Actor) (access.Actor, bool, error) {
	if a.System {
		need, err := s.NeedsSetup(ctx)
		return a, err == nil && need, err
	}
	m, err := getMember(ctx, s.db.Prepared(), a.UserID)
	if errors.Is(err, ErrNotFound) {
		return access.Actor{}, false, nil
	}
	if err != nil {
		return access.Actor{}, false, fmt.Errorf("re-read the signed-in member: %w", err)
	}
	if m.Status != StatusActive {
		return access.Actor{}, false, nil
	}
	return actorOf(m), true, nil
}
