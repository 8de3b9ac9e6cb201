package app

import (
	"context"
	"fmt"

	"meterdesk/backend/chat"
	"meterdesk/backend/events"
	"meterdesk/backend/fileout"
	"meterdesk/backend/inputerr"
)

func init() { register(func(a *App) any { return &Chat{app: a} }) }

// Chat is the bound struct for the chat window: conversations, messages,
// the metered send (streamed through events.ChatDelta), Stop and the model
// picker.
type Chat struct {
	app *App
	// emit sends StartSend's result (nil: the app's Emitter); tests record it.
	emit func(name string, payload any)
}

// SendInput is what the window sends.
type SendInput struct {
	ConversationID int64  `json:"conversationId"`
	MessageID      string `json:"messageId"` // the reply's uid, made by the window (for Stop)
	Provider       string `json:"provider"`
	Model          string `json:"model"`
	Text           string `json:"text"`
	Regenerate     bool   `json:"regenerate"`
	EditMessageID  string `json:"editMessageId"`
}

// SendOutcome is the result of a send: the reply (nil when nothing was
// stored) and the classified error (nil on success). A failed send is an
// outcome, not a rejected promise, so that the window can offer a top-up or
// keep the draft by error code.
type SendOutcome struct {
	Message *chat.Message   `json:"message"`
	Error   *chat.ErrorInfo `json:"error"`
}

// Conversations lists the signed-in member's conversations ("" = all).
func (c *Chat) Conversations(query string) ([]chat.Conversation, error) {
	// One more than the list shows: the window says "only the most recent"
	// when that one is there.
	return c.app.Backend.Chat.ListConversations(c.app.Ctx(), query, chat.ListLimit+1)
}

// Conversation returns one conversation.
func (c *Chat) Conversation(id int64) (chat.Conversation, error) {
	return c.app.Backend.Chat.Conversation(c.app.Ctx(), id)
}

// CreateConversation starts a conversation.
func (c *Chat) CreateConversation(in chat.ConversationInput) (chat.Conversation, error) {
	return c.app.Backend.Chat.CreateConversation(c.app.Ctx(), in)
}

// StartConversation is "New chat": the newest blank conversation, or a new one.
func (c *Chat) StartConversation() (chat.Conversation, error) {
	return c.app.Backend.Chat.StartConversation(c.app.Ctx())
}

// UpdateConversation renames it or changes its system prompt or model.
func (c *Chat) UpdateConversation(id int64, in chat.ConversationInput) (chat.Conversation, error) {
	return c.app.Backend.Chat.UpdateConversation(c.app.Ctx(), id, in)
}

// DeleteConversation deletes a conversation and returns its id.
func (c *Chat) DeleteConversation(id int64) (int64, error) {
	return id, c.app.Backend.Chat.DeleteConversation(c.app.Ctx(), id)
}

// SaveDraft stores the unsent text of a conversation.
func (c *Chat) SaveDraft(id int64, text string) (bool, error) {
	return true, c.app.Backend.Chat.SaveDraft(c.app.Ctx(), id, text)
}

// Messages returns a conversation's visible messages with their charges.
func (c *Chat) Messages(id int64) ([]chat.Message, error) {
	return c.app.Backend.Chat.Messages(c.app.Ctx(), id)
}

// MessagesPage returns the newest limit (0: chat.PageSize) visible messages
// of a conversation below message id before (0: the newest), and whether
// there are older ones.
func (c *Chat) MessagesPage(id, before int64, limit int) (chat.MessagePage, error) {
	return c.app.Backend.Chat.MessagesPage(c.app.Ctx(), id, before, limit)
}

// MessagesState is a cheap read of whether a conversation's messages may
// have changed (compared with the State of the page last read).
func (c *Chat) MessagesState(id int64) (chat.MessagesState, error) {
	return c.app.Backend.Chat.MessagesState(c.app.Ctx(), id)
}

// Send runs one metered turn; text arrives as chat:delta events. It returns
// when the reply is done (scripts, tests); the window starts its sends with
// StartSend.
func (c *Chat) Send(in SendInput) (SendOutcome, error) {
	return c.send(c.app.Ctx(), in), nil
}

func (c *Chat) send(ctx context.Context, in SendInput) SendOutcome {
	m, err := c.app.Backend.Chat.Send(ctx, chat.SendRequest{ConversationID: in.ConversationID,
		MessageID: in.MessageID, Provider: in.Provider, Model: in.Model, Text: in.Text, Regenerate: in.Regenerate,
		EditMessageID: in.EditMessageID, Source: chat.SourceUI})
	return SendOutcome{Message: m, Error: chat.ClassifyFor(ctx, err)}
}

// SendResult is the payload of events.ChatSent: the outcome of the send
// StartSend started for message MessageID, as Send returns it.
type SendResult struct {
	MessageID string      `json:"messageId"`
	Outcome   SendOutcome `json:"outcome"`
	userID    int64       // whose send it is (events.Private)
}

// Owner implements events.Private: only the sender's window learns how it ended.
func (r SendResult) Owner() int64 { return r.userID }

// StartSend is Send for the window: it starts the turn and returns at once
// (true), the text arrives as chat:delta events and the outcome as one
// events.ChatSent (SendResult, after the send's chat:done when it ran). A
// call that lasted as long as its reply held back every call the page made
// behind it under Wails' dev server, which answers one page's calls one at
// a time (its websocket's loop runs each binding before it reads the next
// message): Stop could not reach a running send there, nor an estimate or a
// balance read. The desktop window runs each call in a goroutine of its
// own; there nothing changes. messageID is required: the result is matched
// to it (and Stop names it).
func (c *Chat) StartSend(in SendInput) (bool, error) {
	if in.MessageID == "" {
		return false, fmt.Errorf("send: %w", inputerr.New(chat.ErrInvalid, "a started send needs its message id"))
	}
	ctx, actor, _ := c.app.CtxActor()
	emit := c.emit
	if emit == nil {
		emit = c.app.Emitter.Emit
	}
	go func() {
		emit(events.ChatSent, SendResult{MessageID: in.MessageID, Outcome: c.send(ctx, in), userID: actor.UserID})
	}()
	return true, nil
}

// Stop cancels the running reply messageID; it reports whether one was running.
func (c *Chat) Stop(messageID string) (bool, error) {
	return c.app.Backend.Chat.Stop(c.app.Ctx(), messageID), nil
}

// Models lists the configured providers' models with their rates.
func (c *Chat) Models() ([]chat.ModelOption, error) {
	return c.app.Backend.Chat.Models(c.app.Ctx())
}

// Status returns the payer's available balance and the low-balance flag.
func (c *Chat) Status() (chat.BalanceStatus, error) {
	return c.app.Backend.Chat.Status(c.app.Ctx())
}

// Readiness is the "Getting started" checklist: what stands between the
// signed-in member and a first metered reply (the same as `meterdesk status`).
func (c *Chat) Readiness() (chat.Readiness, error) {
	return c.app.Backend.Chat.Readiness(c.app.Ctx())
}

// EstimateDraft is the composer's live estimate: the cost range of sending
// text now in the conversation with model (provider "" = the conversation's),
// with any balance or limit warning. It reserves nothing.
func (c *Chat) EstimateDraft(conversationID int64, provider, model, text string) (chat.DraftEstimate, error) {
	return c.app.Backend.Chat.EstimateDraft(c.app.Ctx(), conversationID, provider, model, text, 0, "", nil)
}

// EstimateEdit is EstimateDraft for edit-and-resend: the cost range of
// sending text in place of user message editMessageID (its earlier
// history only, as the edit's send prices it), with the same warnings.
func (c *Chat) EstimateEdit(conversationID int64, editMessageID, provider, model, text string) (chat.DraftEstimate, error) {
	return c.app.Backend.Chat.EstimateDraftWith(c.app.Ctx(), conversationID, provider, model, text,
		chat.DraftOptions{EditMessageID: editMessageID})
}

// ExportToFile renders conversation id as Markdown, asks where to save it
// and writes it there; it returns the path ("" if the user cancelled).
func (c *Chat) ExportToFile(id int64) (string, error) {
	ex, err := c.app.Backend.Chat.ExportMarkdown(c.app.Ctx(), id)
	if err != nil {
		return "", err
	}
	path, err := c.app.SaveFileDialog("Export conversation", ex.FileName, "*.md")
	if err != nil || path == "" {
		return "", err
	}
	if err := fileout.WriteBytes(path, 0o600, []byte(ex.Markdown)); err != nil {
		return "", fmt.Errorf("export conversation: %w", err)
	}
	return path, nil
}
