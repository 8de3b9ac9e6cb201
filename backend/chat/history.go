package chat

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"meterdesk/backend/inputerr"
	"meterdesk/backend/providers"
)

// promptTurns is the history a send carries: the user turns the model
// answered with text, each followed by its reply, in order. A user turn
// whose reply has no text (the whole output budget spent thinking, Stop
// while the model only thought, an error before any text, a reply the app
// was closed on) or that has no reply at all was never answered: it is left
// out with its reply, and the user's later message stands on its own. So
// user and assistant turns always alternate, starting with a user turn:
// deepseek-reasoner refuses two user (or assistant) messages in a row with
// a 400 for the rest of the conversation, Anthropic merges them, and some
// local servers' chat templates refuse them. A reply with text is sent as
// it was, also when it was stopped, interrupted or its charge failed (the
// model said it). The unanswered turns stay in the conversation; only the
// prompt leaves them out.
//
// pending: the history ends with the user turn being answered now (a
// regenerate), which is kept as the prompt's last turn.
//
// history is the conversation's History setting (ModelSettings.History):
// nil carries every exchange; N only the last N of those sent, counted
// after the unanswered turns are left out (0: none, only the message being
// answered). The window keeps the alternation: whole exchanges go.
//
// It is the rule on the whole history; a send reads only the part it needs
// (boundedTurns), tested to give what promptTurns gives on the whole.
func promptTurns(msgs []Message, pending bool, history *int) []providers.Message {
	var out []providers.Message
	for i := 0; i < len(msgs); i++ {
		m := msgs[i]
		if m.Role != RoleUser {
			continue // a reply whose user turn is not there: no turn to answer
		}
		if i+1 < len(msgs) && msgs[i+1].Role == RoleAssistant {
			reply := msgs[i+1]
			i++
			if strings.TrimSpace(reply.Content) != "" {
				out = append(out, providers.Message{Role: RoleUser, Content: m.Content},
					providers.Message{Role: RoleAssistant, Content: reply.Content})
			}
			continue
		}
		if pending && i == len(msgs)-1 {
			out = append(out, providers.Message{Role: RoleUser, Content: m.Content})
		}
	}
	if history != nil {
		exchanges := len(out) / 2 // a pending turn is the odd one, last
		if drop := exchanges - max(*history, 0); drop > 0 {
			out = out[2*drop:]
		}
	}
	return out
}

// turns is what a send's plan takes from its conversation's history.
type turns struct {
	prompt    []providers.Message // promptTurns of the history kept before the new turn
	supersede []string            // uids this send hides (a regenerate's or an edit's), in order
	earlier   bool                // a visible message precedes the new turn (a first message names the conversation)
}

// readTurns reads what req's plan needs of conversation convID's history
// (boundedTurns; tests swap in the whole read the bounded one replaced).
var readTurns = (*Service).boundedTurns

// boundedTurns reads the history a send carries, newest first, and stops
// once it has what the History window keeps (window: nil = every exchange),
// so a long conversation with a short window costs a short read. It returns
// what reading every visible message and running promptTurns on them gives
// (tested against that read): a regenerate supersedes the last reply and
// any turn after it and answers the user turn before it (which must exist);
// an edit supersedes the edited user message and everything after it, and
// carries the history before it.
func (s *Service) boundedTurns(ctx context.Context, convID int64, req *SendRequest, window *int) (turns, error) {
	var t turns
	before := int64(math.MaxInt64)
	if req.EditMessageID != "" {
		// The edited message and every visible one after it: uids only.
		rows, err := s.db.Prepared().QueryContext(ctx, `SELECT id, uid, role FROM chat_messages
			WHERE conversation_id = ? AND superseded = 0 AND id >= (SELECT id FROM chat_messages WHERE uid = ?) ORDER BY id`,
			convID, req.EditMessageID)
		if err != nil {
			return turns{}, fmt.Errorf("messages of conversation %d: %w", convID, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var uid, role string
			if err := rows.Scan(&id, &uid, &role); err != nil {
				return turns{}, fmt.Errorf("messages of conversation %d: %w", convID, err)
			}
			if t.supersede == nil {
				if uid != req.EditMessageID || role != RoleUser {
					break // not visible here (or not a user message): refused below
				}
				before = id
			}
			t.supersede = append(t.supersede, uid)
		}
		if err := rows.Err(); err != nil {
			return turns{}, fmt.Errorf("messages of conversation %d: %w", convID, err)
		}
		rows.Close()
		if before == math.MaxInt64 {
			return turns{}, fmt.Errorf("send: %w", inputerr.New(ErrInvalid, "message %q is not a visible user message of this conversation", req.EditMessageID))
		}
	}
	rows, err := s.db.Prepared().QueryContext(ctx, `SELECT uid, role, content FROM chat_messages
		WHERE conversation_id = ? AND superseded = 0 AND id < ? ORDER BY id DESC`, convID, before)
	if err != nil {
		return turns{}, fmt.Errorf("messages of conversation %d: %w", convID, err)
	}
	defer rows.Close()
	keep := -1 // exchanges the window keeps (-1: all)
	if window != nil {
		keep = max(*window, 0)
	}
	var (
		replied  = !req.Regenerate // a regenerate first finds its reply: the tail up to the last assistant message
		tail     []string          // a regenerate's superseded uids, newest first
		first    = true            // the next row is the newest before the new turn
		userSeen bool              // a user message precedes the regenerated reply
		pending  *string           // a regenerate's user turn, the newest before its reply
		newer    *turnRow          // the row read before this one (the next in time), unpaired
		pairs    []providers.Message
		n        int // exchanges in pairs, newest first
	)
	for rows.Next() {
		var r turnRow
		if err := rows.Scan(&r.uid, &r.role, &r.content); err != nil {
			return turns{}, fmt.Errorf("messages of conversation %d: %w", convID, err)
		}
		if !replied {
			tail = append(tail, r.uid)
			replied = r.role == RoleAssistant
			continue
		}
		t.earlier = true
		if r.role == RoleUser {
			userSeen = true
			switch {
			case first && req.Regenerate:
				pending = &r.content // the turn being answered again
			case newer != nil && newer.role == RoleAssistant && strings.TrimSpace(newer.content) != "" && (keep < 0 || n < keep):
				// An answered exchange (promptTurns: a user message and
				// the reply right after it, with text) the window keeps
				// (a regenerate may read past a full window for its user
				// turn).
				pairs = append(pairs, providers.Message{Role: RoleAssistant, Content: newer.content},
					providers.Message{Role: RoleUser, Content: r.content})
				n++
			}
		}
		first = false
		newer = &r
		if keep >= 0 && n >= keep && (userSeen || !req.Regenerate) {
			break // the window is full (and a regenerate has its user turn)
		}
	}
	if err := rows.Err(); err != nil {
		return turns{}, fmt.Errorf("messages of conversation %d: %w", convID, err)
	}
	if req.Regenerate {
		if !replied || !userSeen {
			return turns{}, fmt.Errorf("send: %w", inputerr.New(ErrInvalid, "there is no reply to regenerate"))
		}
		slices.Reverse(tail)
		t.supersede = tail
	}
	slices.Reverse(pairs)
	t.prompt = pairs
	if pending != nil {
		t.prompt = append(t.prompt, providers.Message{Role: RoleUser, Content: *pending})
	}
	return t, nil
}

// turnRow is a message as boundedTurns reads it.
type turnRow struct{ uid, role, content string }
