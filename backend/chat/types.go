package chat

import (
	"database/sql"
	"time"

	"meterdesk/backend/metering"
)

// Message roles and statuses.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"

	StatusDone        = "done"        // complete reply (or a user message)
	StatusStreaming   = "streaming"   // a reply in progress
	StatusStopped     = "stopped"     // the user pressed Stop: charged for what was generated
	StatusInterrupted = "interrupted" // the stream broke after some output: charged, estimated if no usage
	StatusError       = "error"       // failed after the message was stored
)

// Sources of a send (ledger dimension).
const (
	SourceUI  = "ui"
	SourceCLI = "cli"
	SourceAPI = "api"
)

// Conversation is one chat thread.
type Conversation struct {
	ID           int64  `json:"id"`
	UserID       int64  `json:"userId"`
	Title        string `json:"title"`
	SystemPrompt string `json:"systemPrompt"`
	Provider     string `json:"provider"`
	Model        string `json:"model"`
	Draft        string `json:"draft"` // text of a send that failed before any output
	// Settings are sent with each request of the conversation.
	Settings  ModelSettings `json:"settings"`
	CreatedAt time.Time     `json:"createdAt"`
	UpdatedAt time.Time     `json:"updatedAt"`
	Messages  int           `json:"messages"` // visible messages (lists only)
	Snippet   string        `json:"snippet"`  // the matching or last message as it shows (a reply's Markdown as plain text), cut, with its line breaks (lists only); "" when it only repeats the title
}

// Message is one stored message. Charge is set on assistant messages that
// were metered.
type Message struct {
	ID             int64     `json:"id"`
	UID            string    `json:"uid"`
	ConversationID int64     `json:"conversationId"`
	Role           string    `json:"role"`
	Content        string    `json:"content"`
	Status         string    `json:"status"`
	Provider       string    `json:"provider"`
	Model          string    `json:"model"`
	Error          string    `json:"error"`
	CreatedAt      time.Time `json:"createdAt"`
	Charge         *Charge   `json:"charge,omitempty"`
	// FinishReason is why the provider ended the reply, in the OpenAI
	// vocabulary every adapter maps to: "stop", "length" (the output
	// budget ran out), "content_filter", ...; "" when none was reported
	// (a stopped or cut stream, a user message, an older reply).
	FinishReason string `json:"finishReason"`
	// OutputBudget is the max output tokens the reply was asked for and
	// held for (0: unknown, or a user message).
	OutputBudget int `json:"outputBudget"`
	// Note says in a sentence why a reply ended short or empty (ReplyNote):
	// cut off at its output budget, the whole budget spent thinking with
	// no answer, ...; "" when there is nothing to say. The window, `meterdesk
	// chat`, `conversations show` and the export show it as it is.
	Note string `json:"note"`
	// StatusNote says in a sentence how a reply that did not finish ended
	// (StatusNote: "Stopped — charged for what was generated.", "Stopped —
	// free, nothing charged.", "Interrupted: …", "Error: …"); "" for a
	// finished reply, one being written, or a user message. The window shows
	// it under the reply and `conversations show` prints it.
	StatusNote string `json:"statusNote"`
	// WrittenBy names the member who wrote this user turn, or asked for
	// this reply (its send, regenerate or edit, whose charge is theirs),
	// when that was not the conversation's owner: an admin's turn in a
	// member's conversation, written before only the owner could write
	// there. nil when the owner wrote it, or when nothing records who did
	// (a message stored before authors were recorded whose send left no
	// charge naming its sender). The window labels such a turn "written
	// by NAME"; `conversations show` and the export name them too.
	WrittenBy *Author `json:"writtenBy,omitempty"`
	// Replaced is what the charged replies this reply replaced cost (a
	// regenerate's earlier replies, the answers an edit-and-resend
	// replaced), which the thread does not show but the ledger charged;
	// nil when it replaced none that was charged. Messages and
	// MessagesPage set it; a send's own reply (Done, Send) has none.
	Replaced *Replaced `json:"replaced,omitempty"`

	author sql.NullInt64 // chat_messages.author_id: the sender's user id (NULL: not recorded)
}

// Author is the member who wrote a message that is not its conversation's
// owner's (Message.WrittenBy).
type Author struct {
	ID int64 `json:"id"`
	// Name is the member's name as people.Member gives it ("Alice",
	// "bob (removed)"); "member 7" when no such member is left.
	Name string `json:"name"`
}

// Charge is what one metered request cost, with its exact breakdown.
type Charge struct {
	RequestID      string `json:"requestId"`
	TransferID     int64  `json:"transferId"` // the ledger posting (0 = voided, nothing charged)
	Payer          string `json:"payer"`
	Provider       string `json:"provider"`
	Model          string `json:"model"`
	Source         string `json:"source"`
	ConversationID int64  `json:"conversationId"`
	RateVersion    int64  `json:"rateVersion"`
	// RatesAt is when the rate version that priced the charge took effect
	// (rate_versions.effective_at; nil, and left out of the JSON, if that
	// version is not found): the window says "priced at the rates of 3 Nov"
	// under a reply priced before the rate table last changed.
	RatesAt   *time.Time         `json:"ratesAt,omitempty"`
	Usage     Usage              `json:"usage"`
	Estimated bool               `json:"estimated"` // usage (partly) counted by the tokenizer (Breakdown.InputReported: only the output)
	Hold      string             `json:"hold"`      // credits reserved before the call
	Amount    string             `json:"amount"`    // credits posted
	Price     string             `json:"price"`     // what the usage costs (> Amount only when capped)
	Capped    bool               `json:"capped"`    // less than the price: the payer's policy or the member's limits did not allow it (at the hold; or, for a reply that outlived its hold, what the payer's policy and the member's limits still allowed)
	Breakdown metering.Breakdown `json:"breakdown"`
	Summary   string             `json:"summary"` // "gpt-4o · input 523 tokens (2.10 credits) · ... · total 8.00 credits" (money.Display)
	// Free: what the reply used is rated 0 and nothing was held for it
	// (chat.Free: a model rated 0 for input and output), so it cost exactly
	// nothing and its summary ends "free": the window's announcement of the
	// reply says "free" rather than "0.00 credits".
	Free bool `json:"free"`

	// thinking is the thinking budget the request's reasoning level asked
	// for within its output budget (Call.ThinkingBudget; 0: none, or a
	// charge stored before it was kept), so that a reply's note can tell
	// the answer's budget from the thinking's (ReplyNote). It is kept in
	// the chat_charges row's breakdown JSON (storedBreakdown), not in the
	// ledger.
	thinking int
}

// storedBreakdown is a chat_charges row's breakdown column: the
// metering.Breakdown JSON, and the charge's thinking budget when it had
// one ("thinkingBudget", omitted otherwise: a row without it reads 0).
type storedBreakdown struct {
	metering.Breakdown
	ThinkingBudget int `json:"thinkingBudget,omitempty"`
}

// Usage is metering.Usage with JSON names (for the UI, CLI and gateway),
// fields in JSON key order (the posting's meta is then canonical).
type Usage struct {
	CacheRead  int64 `json:"cacheRead"`
	CacheWrite int64 `json:"cacheWrite"`
	Input      int64 `json:"input"`
	Output     int64 `json:"output"`
	Reasoning  int64 `json:"reasoning"`
	Requests   int64 `json:"requests"`
	ToolCalls  int64 `json:"toolCalls"`
}

func usageOf(u metering.Usage) Usage {
	return Usage{Input: u.Input, CacheRead: u.CacheRead, CacheWrite: u.CacheWrite, Output: u.Output,
		Reasoning: u.Reasoning, Requests: u.Requests, ToolCalls: u.ToolCalls}
}

// Delta is the payload of events.ChatDelta: one piece of streamed text.
type Delta struct {
	ConversationID int64  `json:"conversationId"`
	MessageID      string `json:"messageId"`
	Text           string `json:"text"`
	UserID         int64  `json:"-"` // whose send it is (events.Private)
}

// Owner implements events.Private: only the sender's window sees the text.
func (d Delta) Owner() int64 { return d.UserID }

// Done is the payload of events.ChatDone: the finished assistant message
// (with its charge) or the failure.
type Done struct {
	ConversationID int64      `json:"conversationId"`
	MessageID      string     `json:"messageId"`
	Message        *Message   `json:"message,omitempty"`
	Error          *ErrorInfo `json:"error,omitempty"`
	UserID         int64      `json:"-"` // whose send it is (events.Private)
}

// Owner implements events.Private: only the sender's window sees the reply.
func (d Done) Owner() int64 { return d.UserID }
