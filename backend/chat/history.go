package chat

import (
	"strings"

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
