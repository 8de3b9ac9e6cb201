package chat

import (
	"strings"

	"meterdesk/backend/money"
)

// Finish reasons a reply can end with (providers.Result.FinishReason: every
// adapter maps its provider's to these names; others are kept as sent).
const (
	FinishStop          = "stop"           // the model finished its answer
	FinishLength        = "length"         // the output budget ran out (Anthropic max_tokens, Gemini MAX_TOKENS)
	FinishContentFilter = "content_filter" // the provider's filter ended it (Anthropic refusal, Gemini SAFETY)
)

// ReplyNote is the sentence shown with an assistant reply that ended short
// or empty, from what is stored with it (Message.Note): "" for a user
// message, a reply being written, or a reply with nothing to say. A reply
// whose status already says how it ended (stopped, interrupted, error)
// gets a note only for its finish reason.
//
//   - the output budget ran out with no text: the model used it all
//     thinking ("… (16,384 tokens) thinking and wrote no answer; raise Max
//     output tokens in Model settings.");
//   - the output budget ran out after some text: "Cut off at the output
//     budget (4,096 tokens).";
//   - either, when the reasoning level added a thinking budget to it (kept
//     with the reply's charge): the two parts, as Max output tokens and
//     the level set them: "Cut off at the output budget (4,096 output
//     tokens + 16,384 thinking).", "The model spent its whole output
//     budget (4,096 output tokens + 16,384 thinking) on thinking and …";
//   - the provider's content filter ended it, with or without text;
//   - a finished reply with no text for any other reason: "The model wrote
//     no answer." (never an empty reply with only its charge).
func ReplyNote(m Message) string {
	if m.Role != RoleAssistant || m.Status == StatusStreaming {
		return ""
	}
	empty := strings.TrimSpace(m.Content) == ""
	budget := "the output budget"
	thinking := 0
	if m.Charge != nil && m.Charge.thinking > 0 && m.Charge.thinking < m.OutputBudget {
		thinking = m.Charge.thinking
	}
	switch {
	case thinking > 0:
		budget += " (" + money.GroupInt(int64(m.OutputBudget-thinking)) + " output tokens + " + money.GroupInt(int64(thinking)) + " thinking)"
	case m.OutputBudget > 0:
		budget += " (" + money.GroupInt(int64(m.OutputBudget)) + " tokens)"
	}
	switch {
	case m.FinishReason == FinishLength && empty && thinking > 0:
		return "The model spent its whole output budget" + strings.TrimPrefix(budget, "the output budget") +
			" on thinking and wrote no answer; raise Max output tokens in Model settings."
	case m.FinishReason == FinishLength && empty:
		return "The model used its whole output budget" + strings.TrimPrefix(budget, "the output budget") +
			" thinking and wrote no answer; raise Max output tokens in Model settings."
	case m.FinishReason == FinishLength:
		return "Cut off at " + budget + "."
	case m.FinishReason == FinishContentFilter && empty:
		return "The provider's content filter withheld the answer."
	case m.FinishReason == FinishContentFilter:
		return "Cut off by the provider's content filter."
	case empty && m.Status == StatusDone:
		return "The model wrote no answer."
	}
	return ""
}

// StatusNote is the sentence shown with a reply that did not finish
// (Message.StatusNote), from its status, its error as its reader may read
// it, and its charge: a stopped reply is charged for what was generated,
// unless it was free (Free: what it used is rated 0), when it says so
// rather than that it was charged. "" for a finished reply, one being
// written, or a user message.
func StatusNote(m Message) string {
	if m.Role != RoleAssistant {
		return ""
	}
	switch m.Status {
	case StatusStopped:
		if Free(m.Charge) {
			return "Stopped — free, nothing charged."
		}
		return "Stopped — charged for what was generated."
	case StatusInterrupted:
		return "Interrupted: " + m.Error
	case StatusError:
		return "Error: " + m.Error
	}
	return ""
}

// finishReason is the provider's finish reason as stored: a short word of
// lower-case letters, digits, "_" and "-" (what every provider sends), else
// "other", so that a server's odd value cannot fill the column.
func finishReason(r string) string {
	if len(r) > 32 {
		return "other"
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return "other"
		}
	}
	return r
}
