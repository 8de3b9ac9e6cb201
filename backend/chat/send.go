package chat

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/providers"
	"meterdesk/backend/store"
)

// SendRequest is one user turn (or a regenerate / edit-and-resend).
type SendRequest struct {
	ConversationID int64
	// MessageID is the uid of the assistant reply to create (a UUID from
	// the UI or CLI, so that Stop can name it before Send returns); "" = a
	// new random id. Sending the same MessageID again returns the stored
	// reply instead of sending (and charging) twice.
	MessageID string
	Provider  string // configured provider; "" = the conversation's, or the one serving Model
	Model     string // "" = the conversation's model
	Text      string // the user's message (ignored by Regenerate)
	// Regenerate replaces the last reply with a new one to the same history.
	Regenerate bool
	// EditMessageID replaces that user message (and everything after it)
	// with Text and sends again.
	EditMessageID string
	// MaxTokens, Temperature, TopP, Reasoning and History override the
	// conversation's model settings for this send (0 / nil / "" = the
	// conversation's; History HistoryAll = every exchange).
	MaxTokens   int
	Temperature *float64
	TopP        *float64
	Reasoning   providers.Reasoning
	History     *int
	Source      string // ui | cli | api
	// OnDelta receives each piece of streamed text (besides the
	// events.ChatDelta event). Optional.
	OnDelta func(text string)

	noDraft bool // set by SendNew: the text is never the new conversation's draft
}

// ownsDraft reports whether the text of req is the conversation's draft: a
// new message from the window's composer (not an edit or a regenerate, and
// not a send from the CLI, which has its prompt on its command line). Only
// such a send clears the draft when it is stored and keeps its text as the
// draft when it is undone; any other send leaves the draft as it was (what
// the window has in its composer).
func (req *SendRequest) ownsDraft() bool {
	return req.Source == SourceUI && !req.Regenerate && req.EditMessageID == "" && !req.noDraft
}

// NewID returns a random UUID (version 4) for message ids.
func NewID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// beforeClaim runs in Send after it read the conversation and before it
// claims it (tests finish another send or rename the conversation there).
var beforeClaim = func() {}

// plan is what a send will store and send.
type plan struct {
	conv       Conversation
	earlier    bool     // a visible message precedes the new turn (else a first message names the conversation)
	supersede  []string // uids hidden by this send
	userText   string   // "" for Regenerate
	userUID    string
	draft      bool   // the text is the composer's draft (SendRequest.ownsDraft): stored, it clears it; undone, it is kept as it
	title      string // the conversation's title once the turn is stored (set by store)
	renamed    bool   // the turn named the conversation, from the default title (set by store)
	provider   string
	model      string
	promptMsgs []providers.Message
	author     int64  // the sender's user id, stored with both messages (the owner: ownConversation)
	replyID    int64  // row id of the stored reply (set by store)
	storedAt   string // its created_at
}

// Send runs one metered turn: it stores the user's message and the reply,
// streams the reply (events.ChatDelta and req.OnDelta), and charges it. It
// returns the assistant message with its charge. When the send fails before
// any output (insufficient credits, a limit, offline, a provider error),
// nothing is stored or charged; the error says why, and the text of a new
// message from the window is kept as the conversation's draft (a CLI send's
// is not: see SendRequest.ownsDraft). When the stream breaks after some
// output, the partial reply is stored and charged, and both the message and
// the error are returned.
func (s *Service) Send(ctx context.Context, req SendRequest) (*Message, error) {
	if _, err := access.Current(ctx); err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	// newID: no message has the id, so its hold is new too (a message is
	// stored with its hold), unless another client reused it for a gateway
	// request or a send that was undone, whose hold the ledger then refuses
	// as a duplicate before any text, as it would without this hint.
	newID := true
	if req.MessageID == "" {
		// Made here, random: no earlier send can have it, so there is
		// nothing to look up (the CLI, and API requests without an
		// Idempotency-Key).
		req.MessageID = NewID()
	} else {
		prev, err := s.Message(ctx, req.MessageID)
		if err == nil && prev.Status != StatusStreaming {
			return &prev, nil // a retry of a finished send: never charge twice
		}
		newID = errors.Is(err, ErrNotFound)
	}
	p, err := s.prepare(ctx, &req)
	if err != nil {
		return nil, err
	}
	beforeClaim()
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// Whether a send already runs in the conversation and this send's
	// registration are one step (claim): of two sends racing into one
	// conversation (two clicks, an edit and a new message, a regenerate and
	// a send), one runs and the other is refused as busy before its
	// history is read, anything is estimated or held, or the provider is
	// asked; it writes nothing.
	cl, err := s.claim(p.conv.ID, req.MessageID, runningSend{cancel: cancel, by: actorID(ctx)})
	if err != nil {
		return nil, err
	}
	defer s.release(p.conv.ID, cl)
	if err := s.planTurns(ctx, &req, p); err != nil {
		return nil, err
	}

	// The hold (with the messages stored in its transaction) and the
	// provider request, overlapped when the credits clearly suffice
	// (Meter.BeginStream); no text is shown before the hold is committed.
	set := p.conv.Settings.withOverrides(&req)
	call, res, serr, err := s.meter.BeginStream(sctx, MeterRequest{ID: req.MessageID, Provider: p.provider, Model: p.model,
		Messages: p.promptMsgs, MaxTokens: set.MaxOutput, Sampling: set.sampling(), Reasoning: set.Reasoning,
		Source: req.Source, ConversationID: p.conv.ID,
		OnHold: func(ctx context.Context, tx *sql.Tx, c *Call) error {
			p.provider = c.Target.Name
			return s.store(ctx, tx, req, p)
		}, newID: newID}, func(text string) error {
		s.em.Emit(events.ChatDelta, Delta{ConversationID: p.conv.ID, MessageID: req.MessageID, Text: text, UserID: actorID(ctx)})
		if req.OnDelta != nil {
			req.OnDelta(text)
		}
		return nil
	})
	if err != nil {
		err = namedContextTooLong(err, p.model, p.promptMsgs)
		s.keepDraft(ctx, p, nil)
		s.done(ctx, cl, p.conv.ID, req.MessageID, nil, err)
		return nil, err
	}
	status, msgErr := StatusDone, ""
	if serr != nil {
		// Stored as an admin reads it (the address and all); a member
		// reads it worded (decorate, providers.StoredErrorWords).
		status, msgErr = StatusInterrupted, providers.AdminText(Classify(serr).Message, serr)
		if errors.Is(serr, context.Canceled) && ctx.Err() == nil {
			status, msgErr = StatusStopped, ""
			serr = nil // the user pressed Stop: not an error
			// Stopped while the model only thought: the reasoning was
			// generated (and billed by the provider), so it is charged.
			if !res.Produced() {
				serr = fmt.Errorf("stopped before any output: %w", context.Canceled)
			}
		}
	}
	// Why the reply ended and the budget it had, kept with it: a reply cut
	// off at its budget, or one that spent it all thinking, says so (Note).
	end := ending{reason: finishReason(res.FinishReason), budget: call.Req.MaxTokens}
	ch, err := call.Settle(ctx, res, serr, func(ctx context.Context, tx *sql.Tx, ch *Charge) error {
		return s.finish(ctx, tx, req.MessageID, res.Text, status, msgErr, end)
	})
	if err != nil {
		s.fail(ctx, req.MessageID, res.Text, end, err)
		s.done(ctx, cl, p.conv.ID, req.MessageID, nil, err)
		return nil, err
	}
	if ch == nil { // nothing delivered: nothing charged, the turn is undone
		serr = namedContextTooLong(serr, p.model, p.promptMsgs) // a refusal before any output
		s.keepDraft(ctx, p, []string{p.userUID, req.MessageID})
		s.done(ctx, cl, p.conv.ID, req.MessageID, nil, serr)
		return nil, serr
	}
	m := s.reply(req.MessageID, p, res.Text, status, msgErr, end, ch)
	if m.Error != "" {
		// As Message(uid) reads it back for the sender.
		if words, err := providers.StoredErrorWords(ctx, s.db, m.Provider); err == nil {
			m.Error = words(m.Error)
		} else {
			m.Error = Classify(serr).Message // the live error, worded for ctx's actor
		}
		m.StatusNote = StatusNote(m)
	}
	s.done(ctx, cl, p.conv.ID, req.MessageID, &m, serr)
	return &m, serr
}

// SendNew sends req.Text as the first message of a new conversation made
// with in (meterdesk chat without --conversation), through Send, and
// returns the conversation's id with what Send returns. A send that stores
// nothing (refused for credits or by a limit, offline, a provider error or
// an unknown model before any output, Stop before the first text, a bad
// request) removes the conversation again and returns id 0: retrying does
// not leave an empty "New chat" behind each time, and the text is not kept
// as a draft (the caller has it). A send that stored the message (a reply
// cut off after some output, or one whose charge could not be posted) keeps
// the conversation, as Send does. req names no conversation, regenerate or
// edit; a MessageID already sent returns that reply and its conversation
// without sending again, as Send does. With in.Settings nil, the new
// conversation's model settings are req's own (MaxTokens, Temperature,
// TopP, Reasoning, History: newSettings), so that the sends that continue
// it use them, as `meterdesk conversations set` would have set them.
func (s *Service) SendNew(ctx context.Context, in ConversationInput, req SendRequest) (int64, *Message, error) {
	if req.ConversationID != 0 || req.Regenerate || req.EditMessageID != "" {
		return 0, nil, fmt.Errorf("send: %w", inputerr.New(ErrInvalid, "a new conversation's first message names no conversation and no reply to regenerate or edit"))
	}
	if in.Settings == nil {
		set, err := newSettings(req)
		if err != nil {
			return 0, nil, fmt.Errorf("send: %w", err)
		}
		in.Settings = &set
	}
	if req.MessageID != "" {
		if prev, err := s.Message(ctx, req.MessageID); err == nil && prev.Status != StatusStreaming {
			return prev.ConversationID, &prev, nil // a retry of a finished send: never charge twice
		}
	}
	// The text as Send would refuse it (checkMessage), before the
	// conversation is made: a refused first message writes nothing.
	if err := checkMessage(req.Text); err != nil {
		return 0, nil, fmt.Errorf("send: %w", err)
	}
	conv, err := s.CreateConversation(ctx, in)
	if err != nil {
		return 0, nil, err
	}
	req.ConversationID = conv.ID
	req.noDraft = true
	m, err := s.Send(ctx, req)
	if err != nil && m == nil && s.removeUnused(ctx, conv.ID) {
		return 0, nil, err
	}
	return conv.ID, m, err
}

// newSettings are the model settings of a conversation whose first send is
// req: the send's own settings, the defaults where it sets none (History
// HistoryAll is All). A bad one is refused in the send's words ("max
// tokens"), before anything is stored.
func newSettings(req SendRequest) (ModelSettings, error) {
	if err := checkMaxOutput(req.MaxTokens, "max tokens"); err != nil {
		return ModelSettings{}, err
	}
	if err := checkHistory(req.History, true); err != nil {
		return ModelSettings{}, err
	}
	set := ModelSettings{Reasoning: providers.ReasoningDefault}.withOverrides(&req)
	set.History = set.historyFor(req.History)
	return set, nil
}

// removeUnused deletes conversation id, made by SendNew, if its send stored
// nothing: no message (not even a superseded one) and no draft (the window
// may have opened it and typed one meanwhile). It reports whether the
// conversation is gone. Its id is not handed out again (the voided hold of
// the send may name it).
func (s *Service) removeUnused(ctx context.Context, id int64) bool {
	ctx = context.WithoutCancel(ctx)
	var n int64
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM chat_conversations WHERE id = ? AND draft = ''
			AND NOT EXISTS (SELECT 1 FROM chat_messages WHERE conversation_id = ?)`, id, id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return err == nil && n == 1
}

// reply is the settled assistant message exactly as Message(uid) reads it
// back (tested), built from what the send stored and the charge it posted,
// without reading the message, its conversation and its charge again.
func (s *Service) reply(uid string, p *plan, text, status, errText string, end ending, ch *Charge) Message {
	stored := *ch
	m := Message{ID: p.replyID, UID: uid, ConversationID: p.conv.ID, Role: RoleAssistant, Content: text,
		Status: status, Provider: p.provider, Model: p.model, Error: errText, CreatedAt: store.ParseTime(p.storedAt),
		Charge: &stored, FinishReason: end.reason, OutputBudget: end.budget,
		author: sql.NullInt64{Int64: p.author, Valid: true}}
	m.Note, m.StatusNote = ReplyNote(m), StatusNote(m)
	// No WrittenBy: the sender is the conversation's owner (ownConversation).
	return m
}

// ending is why a reply ended and the output budget it had (stored with it).
type ending struct {
	reason string // finishReason of the provider's
	budget int    // max output tokens sent and held for
}

// done ends the send of uid: it is no longer running (release), so that a
// send the window makes on chat:done is not refused as busy, and
// events.ChatDone says how it ended.
func (s *Service) done(ctx context.Context, cl *claimed, convID int64, uid string, m *Message, err error) {
	s.release(convID, cl)
	s.em.Emit(events.ChatDone, Done{ConversationID: convID, MessageID: uid, Message: m, Error: ClassifyFor(ctx, err), UserID: actorID(ctx)})
}

// plan validates req against the conversation and builds the prompt, as
// Send does; a conversation a send of this process is answering in is
// refused as busy (busyIn). The composer's estimate plans with it.
func (s *Service) plan(ctx context.Context, req *SendRequest) (*plan, error) {
	p, err := s.prepare(ctx, req)
	if err != nil {
		return nil, err
	}
	busy, err := s.busyIn(ctx, p.conv.ID, true)
	if err != nil {
		return nil, err
	}
	if busy {
		return nil, fmt.Errorf("send: %w", ErrBusy)
	}
	if err := s.planTurns(ctx, req, p); err != nil {
		return nil, err
	}
	return p, nil
}

// prepare validates req against the conversation: what a send checks
// before it claims the conversation (Send) or asks whether it is busy
// (plan).
func (s *Service) prepare(ctx context.Context, req *SendRequest) (*plan, error) {
	switch req.Source {
	case SourceUI, SourceCLI, SourceAPI:
	default:
		return nil, fmt.Errorf("send: %w", inputerr.New(ErrInvalid, "source %q (want ui, cli or api)", req.Source))
	}
	if len(req.MessageID) > 100 || strings.ContainsAny(req.MessageID, " \t\r\n") {
		return nil, fmt.Errorf("send: %w", inputerr.New(ErrInvalid, "message id must be at most 100 characters without spaces"))
	}
	if req.Regenerate && req.EditMessageID != "" {
		return nil, fmt.Errorf("send: %w", inputerr.New(ErrInvalid, "regenerate and edit cannot be combined"))
	}
	if err := checkHistory(req.History, true); err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	what := "send in"
	switch {
	case req.Regenerate:
		what = "regenerate a reply in"
	case req.EditMessageID != "":
		what = "edit a message in"
	}
	conv, err := s.ownConversation(ctx, req.ConversationID, selectConversationForSend, what)
	if err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	p := &plan{conv: conv, provider: req.Provider, model: req.Model, userUID: req.MessageID + ":user",
		draft: req.ownsDraft(), author: actorID(ctx)}
	if p.model == "" {
		p.provider, p.model = conv.sendTarget(req.Provider)
	}
	if p.model == "" {
		return nil, fmt.Errorf("send: %w", inputerr.New(ErrInvalid, "choose a model"))
	}
	// The rate table's "local/m1" is the local server's m1: the turn is
	// stored, sent and priced as that (rateRowModel).
	if p.provider, p.model, err = s.meter.rateRowModel(ctx, p.provider, p.model); err != nil {
		return nil, fmt.Errorf("send: %w", err)
	}
	if !req.Regenerate {
		if err := checkMessage(req.Text); err != nil {
			return nil, fmt.Errorf("send: %w", err)
		}
		p.userText = req.Text
	}
	return p, nil
}

// planTurns reads the history req's prompt carries and what it replaces
// (an edit's or a regenerate's), and builds the prompt. Send reads it only
// once it has claimed the conversation, so that what it replaces is not
// changed by another send of this process meanwhile.
func (s *Service) planTurns(ctx context.Context, req *SendRequest, p *plan) error {
	conv := p.conv
	// Only the turns the model answered (promptTurns): never two user
	// messages in a row; only the last exchanges the History setting
	// keeps, read from the newest back (boundedTurns). The composer's
	// estimate plans the same prompt (EstimateDraft).
	t, err := readTurns(s, ctx, conv.ID, req, conv.Settings.historyFor(req.History))
	if err != nil {
		return err
	}
	p.supersede, p.earlier = t.supersede, t.earlier
	p.promptMsgs = promptMessages(conv.SystemPrompt, t.prompt, p.userText)
	return nil
}

// checkMessage is the check of a new message's text that a send makes
// (plan) and the estimate of a new conversation's first message makes too
// (EstimateDraftWith, which has no plan to run), so that an estimate refuses
// what the send refuses, in the same words (ErrInvalid: not blank, valid
// UTF-8, at most MaxText bytes).
func checkMessage(text string) error {
	if strings.TrimSpace(text) == "" {
		return inputerr.New(ErrInvalid, "the message is empty")
	}
	if len(text) > MaxText {
		return inputerr.New(ErrInvalid, "the message is %d bytes, more than the %d a message may be", len(text), MaxText)
	}
	if !utf8.ValidString(text) {
		return inputerr.New(ErrInvalid, "the message is not valid text: it holds bytes that are not UTF-8 (at byte %d)", invalidAt(text)+1)
	}
	return nil
}

// CheckMessage refuses a message text the send refuses for its own sake
// (blank, longer than MaxText bytes, or not valid UTF-8), with the send's
// words: the CLI asks it before it prints the notes about the model, so a
// message refused for its text is told that alone.
func CheckMessage(text string) error { return checkMessage(text) }

// invalidAt is the offset of text's first byte that is not UTF-8, or -1.
func invalidAt(text string) int {
	for i, r := range text {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(text[i:]); n == 1 {
				return i
			}
		}
	}
	return -1
}

// promptMessages is the prompt a send sends: the conversation's system
// prompt (when it has one), the earlier turns it carries, and the new
// message (when there is one: a regenerate has none). The estimate of a
// new conversation's first message builds its prompt here too, with the
// system prompt it is to have (EstimateDraftWith), so that it counts what
// the send will.
func promptMessages(system string, earlier []providers.Message, userText string) []providers.Message {
	var msgs []providers.Message
	if system != "" {
		msgs = append(msgs, providers.Message{Role: "system", Content: system})
	}
	msgs = append(msgs, earlier...)
	if userText != "" {
		msgs = append(msgs, providers.Message{Role: "user", Content: userText})
	}
	return msgs
}

// sendTarget is the provider and model a send to the conversation uses
// when it names no model: the conversation's model, on provider when one is
// given, else on the conversation's provider.
func (c Conversation) sendTarget(provider string) (string, string) {
	return firstNonEmpty(provider, c.Provider), c.Model
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// insertMessage inserts one message (add ",(?,...)" for more rows) with
// its author, the sender's user id.
const insertMessage = `INSERT INTO chat_messages(uid, conversation_id, role, content, status,
	provider, model, created_at, updated_at, author_id) VALUES (?,?,?,?,?,?,?,?,?,?)`

// Conversation updates of a stored turn: a new message from the window's
// composer clears the draft (it was the draft); a regenerate, an edit or a
// CLI send leaves the composer's draft alone.
const (
	updateConversationForTurn = `UPDATE chat_conversations SET provider = ?, model = ?, draft = '',
		updated_at = ? WHERE id = ?`
	updateConversationForResend = `UPDATE chat_conversations SET provider = ?, model = ?,
		updated_at = ? WHERE id = ?`
)

// store writes the turn inside the hold's ledger transaction: the user
// message, the streaming reply, the superseded messages, and the
// conversation's provider, model, title and (for the composer's new
// message) cleared draft.
func (s *Service) store(ctx context.Context, tx *sql.Tx, req SendRequest, p *plan) error {
	now := s.now()
	// The conversation first: one deleted since the send read it (by
	// another process; this one's deletes wait for its sends, claim) is
	// not found, and nothing is stored or held.
	q := updateConversationForResend
	if p.draft {
		q = updateConversationForTurn
	}
	res, err := s.db.ExecTx(ctx, tx, q, p.provider, p.model, now, p.conv.ID)
	if err != nil {
		return fmt.Errorf("store turn: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("send: %w", NoConversation(p.conv.ID))
	}
	// A first message names the conversation, only while its stored title
	// is the default: the title this send read before it claimed the
	// conversation may be stale (a send that finished meanwhile named it,
	// or it was renamed), and is never written back.
	p.title, p.renamed = p.conv.Title, false
	if p.userText != "" && !p.earlier {
		title := titleFrom(p.userText)
		res, err := s.db.ExecTx(ctx, tx, `UPDATE chat_conversations SET title = ? WHERE id = ? AND title = ?`,
			title, p.conv.ID, DefaultTitle)
		if err != nil {
			return fmt.Errorf("store turn: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store turn: %w", err)
		} else if n == 1 {
			p.title, p.renamed = title, true
		}
	}
	// Another process answering in the conversation (this one's sends
	// claim it): refused as busy, nothing held or stored.
	if busy, err := s.answeredElsewhere(ctx, tx, p.conv.ID, req.MessageID, true); err != nil {
		return fmt.Errorf("store turn: %w", err)
	} else if busy {
		return fmt.Errorf("send: %w", errBusyElsewhere)
	}
	for _, uid := range p.supersede {
		if _, err := s.db.ExecTx(ctx, tx, `UPDATE chat_messages SET superseded = 1, updated_at = ? WHERE uid = ?`, now, uid); err != nil {
			return fmt.Errorf("store turn: %w", err)
		}
	}
	// The user's message and the streaming reply in one statement (the
	// reply is the last row, so LastInsertId is its id).
	reply := []any{req.MessageID, p.conv.ID, RoleAssistant, "", StatusStreaming, p.provider, p.model, now, now, p.author}
	q, args := insertMessage, reply
	if p.userText != "" {
		q = insertMessage + ",(?,?,?,?,?,?,?,?,?,?)"
		args = append([]any{p.userUID, p.conv.ID, RoleUser, p.userText, StatusDone, p.provider, p.model, now, now, p.author}, reply...)
	}
	res, err = s.db.ExecTx(ctx, tx, q, args...)
	if err != nil {
		return fmt.Errorf("store the message and the reply: %w", err)
	}
	if p.replyID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("store the reply: %w", err)
	}
	p.storedAt = now
	return nil
}

// finish writes the reply's text, status and ending inside the posting's
// transaction.
func (s *Service) finish(ctx context.Context, tx *sql.Tx, uid, text, status, errText string, end ending) error {
	_, err := s.db.ExecTx(ctx, tx, `UPDATE chat_messages SET content = ?, status = ?, error = ?, finish_reason = ?,
		output_budget = ?, updated_at = ? WHERE uid = ?`,
		text, status, errText, end.reason, end.budget, s.now(), uid)
	if err != nil {
		return fmt.Errorf("store the reply: %w", err)
	}
	return nil
}

// fail records a settlement failure on the reply (the hold stays for the
// ledger's expiry, which voids it).
func (s *Service) fail(ctx context.Context, uid, text string, end ending, cause error) {
	ctx = context.WithoutCancel(ctx)
	_ = s.db.Write(ctx, func(tx *sql.Tx) error {
		return s.finish(ctx, tx, uid, text, StatusError, cause.Error(), end)
	})
}

// undoConversationTurn is keepDraft's undo of what store wrote into the
// conversation: its title (renamed, the title store gave it, DefaultTitle),
// and its updated_at when it is still the turn's (storedAt), back to the
// latest of the one the send read and its remaining messages' created_at.
const undoConversationTurn = `UPDATE chat_conversations SET
	title = CASE WHEN ? AND title = ? THEN ? ELSE title END,
	updated_at = CASE WHEN updated_at = ? THEN MAX(?, COALESCE((SELECT MAX(created_at) FROM chat_messages WHERE conversation_id = ?), ''))
		ELSE updated_at END
	WHERE id = ?`

// keepDraft undoes a turn that produced nothing: it deletes the stored
// messages (remove), restores the superseded ones and the conversation's
// title, provider, model and last update (a first message that was never
// answered does not rename it, a send to another model does not switch it),
// and keeps the text of the composer's new message as the conversation's
// draft. The text of an edit is not a draft: the window keeps it in the
// edit box, and the composer's draft stays as it was; nor is a CLI send's
// (the prompt is on its command line, and the window's draft is not its to
// overwrite).
func (s *Service) keepDraft(ctx context.Context, p *plan, remove []string) {
	ctx = context.WithoutCancel(ctx)
	_ = s.db.Write(ctx, func(tx *sql.Tx) error {
		for _, uid := range remove {
			if _, err := s.db.ExecTx(ctx, tx, `DELETE FROM chat_messages WHERE uid = ?`, uid); err != nil {
				return err
			}
		}
		if len(remove) > 0 {
			for _, uid := range p.supersede {
				if _, err := s.db.ExecTx(ctx, tx, `UPDATE chat_messages SET superseded = 0 WHERE uid = ?`, uid); err != nil {
					return err
				}
			}
			// The default title back when the turn named it, unless it was
			// renamed meanwhile; and the last update as it was before the
			// turn, unless the conversation changed since the turn was
			// stored (a rename, its settings). Not the one the send read
			// before its claim: a send that finished in between (this
			// process's, or another's on the data folder) updated it, and
			// its messages' created_at say when.
			if _, err := s.db.ExecTx(ctx, tx, undoConversationTurn,
				p.renamed, p.title, DefaultTitle, p.storedAt, store.FormatTime(p.conv.UpdatedAt), p.conv.ID, p.conv.ID); err != nil {
				return err
			}
			// The provider and model the turn gave it (a CLI send with
			// --provider or --model), unless another was picked meanwhile.
			if _, err := s.db.ExecTx(ctx, tx, `UPDATE chat_conversations SET provider = ?, model = ?
				WHERE id = ? AND provider = ? AND model = ?`,
				p.conv.Provider, p.conv.Model, p.conv.ID, p.provider, p.model); err != nil {
				return err
			}
		}
		if p.draft {
			_, err := s.db.ExecTx(ctx, tx, `UPDATE chat_conversations SET draft = ? WHERE id = ?`, p.userText, p.conv.ID)
			return err
		}
		return nil
	})
}
