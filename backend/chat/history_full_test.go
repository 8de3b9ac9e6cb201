package chat

import (
	"context"
	"fmt"
)

// fullTurns is the history read boundedTurns replaced, kept for the tests
// that compare the two and for the benchmark's "before": every visible
// message of the conversation is read, scanned for a running send, cut at
// the regenerated reply or the edited message, and handed to promptTurns.
func (s *Service) fullTurns(ctx context.Context, convID int64, req *SendRequest, window *int) (turns, error) {
	msgs, err := s.visible(ctx, s.db.Prepared(), convID)
	if err != nil {
		return turns{}, err
	}
	for _, m := range msgs {
		if m.Status == StatusStreaming && s.isRunning(m.UID) {
			return turns{}, fmt.Errorf("send: %w", ErrBusy)
		}
	}
	var t turns
	switch {
	case req.Regenerate:
		i := len(msgs) - 1
		for i >= 0 && msgs[i].Role != RoleAssistant {
			i--
		}
		if i < 0 || !hasUser(msgs[:i]) {
			return turns{}, fmt.Errorf("send: %w: there is no reply to regenerate", ErrInvalid)
		}
		for _, m := range msgs[i:] {
			t.supersede = append(t.supersede, m.UID)
		}
		msgs = msgs[:i]
	case req.EditMessageID != "":
		i := 0
		for i < len(msgs) && msgs[i].UID != req.EditMessageID {
			i++
		}
		if i == len(msgs) || msgs[i].Role != RoleUser {
			return turns{}, fmt.Errorf("send: %w: message %q is not a visible user message of this conversation", ErrInvalid, req.EditMessageID)
		}
		for _, m := range msgs[i:] {
			t.supersede = append(t.supersede, m.UID)
		}
		msgs = msgs[:i]
	}
	t.earlier = len(msgs) > 0
	t.prompt = promptTurns(msgs, req.Regenerate, window)
	return t, nil
}

func hasUser(ms []Message) bool {
	for _, m := range ms {
		if m.Role == RoleUser {
			return true
		}
	}
	return false
}
