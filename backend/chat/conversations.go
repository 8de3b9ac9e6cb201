package chat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"meterdesk/backend/access"
	"meterdesk/backend/audit"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/ledger"
	"meterdesk/backend/mdtext"
	"meterdesk/backend/providers"
	"meterdesk/backend/store"
	"meterdesk/backend/textcheck"
	"meterdesk/backend/textfold"
)

// DefaultTitle is the title of a conversation until its first message.
const DefaultTitle = "New chat"

// Limits on stored text.
const (
	MaxTitle        = 200
	MaxSystemPrompt = 100_000
	MaxText         = 1_000_000
)

// ConversationInput creates or updates a conversation. Empty Title means
// DefaultTitle (create) or unchanged (update); nil pointers leave fields
// unchanged on update.
type ConversationInput struct {
	Title        string  `json:"title"`
	SystemPrompt *string `json:"systemPrompt"`
	Provider     *string `json:"provider"`
	Model        *string `json:"model"`
	// Settings replaces all of the conversation's model settings (nil =
	// unchanged on update, the defaults on create).
	Settings *ModelSettings `json:"settings"`
}

func checkInput(in ConversationInput) (ConversationInput, error) {
	in.Title = strings.TrimSpace(in.Title)
	if utf8.RuneCountInString(in.Title) > MaxTitle {
		return in, inputerr.New(ErrInvalid, "title must be one line of at most %d characters", MaxTitle)
	}
	if err := textcheck.Line(in.Title); err != nil {
		return in, inputerr.New(ErrInvalid, "the title: %v", err)
	}
	if in.SystemPrompt != nil && len(*in.SystemPrompt) > MaxSystemPrompt {
		return in, inputerr.New(ErrInvalid, "system prompt longer than %d bytes", MaxSystemPrompt)
	}
	if in.SystemPrompt != nil {
		if err := textcheck.Lines(*in.SystemPrompt); err != nil {
			return in, inputerr.New(ErrInvalid, "the system prompt: %v", err)
		}
	}
	for _, f := range []*string{in.Provider, in.Model} {
		if f != nil && (len(*f) > 200 || textcheck.Line(*f) != nil) {
			return in, inputerr.New(ErrInvalid, "provider and model must be one line of at most 200 characters")
		}
	}
	if in.Settings != nil {
		set, err := checkSettings(*in.Settings)
		if err != nil {
			return in, err
		}
		in.Settings = &set
	}
	return in, nil
}

// CreateConversation starts a conversation owned by the signed-in actor.
func (s *Service) CreateConversation(ctx context.Context, in ConversationInput) (Conversation, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return Conversation{}, fmt.Errorf("create conversation: %w", err)
	}
	in, err = checkInput(in)
	if err != nil {
		return Conversation{}, fmt.Errorf("create conversation: %w", err)
	}
	if in.Title == "" {
		in.Title = DefaultTitle
	}
	var id int64
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		id, err = s.insertConversation(ctx, tx, a.UserID, in)
		return err
	})
	if err != nil {
		return Conversation{}, fmt.Errorf("create conversation: %w", err)
	}
	return s.Conversation(ctx, id)
}

// insertConversation stores a new conversation of user (in checked, its
// title set) and returns its id.
func (s *Service) insertConversation(ctx context.Context, tx *sql.Tx, user int64, in ConversationInput) (int64, error) {
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	// A new id, above every id ever handed out (never a deleted
	// conversation's: its charges keep it).
	var id int64
	if err := tx.QueryRowContext(ctx, `UPDATE chat_conversation_ids
		SET last = max(last, (SELECT COALESCE(max(id), 0) FROM chat_conversations)) + 1 RETURNING last`).Scan(&id); err != nil {
		return 0, fmt.Errorf("next conversation id: %w", err)
	}
	set := ModelSettings{Reasoning: providers.ReasoningDefault}
	if in.Settings != nil {
		set = *in.Settings
	}
	now := s.now()
	_, err := tx.ExecContext(ctx, `INSERT INTO chat_conversations(id, user_id, title, system_prompt, provider, model,
		temperature, top_p, max_output, reasoning, history, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`, id, user, in.Title,
		deref(in.SystemPrompt), deref(in.Provider), deref(in.Model), set.Temperature, set.TopP, set.MaxOutput, set.Reasoning, set.History,
		now, now)
	return id, err
}

// selectBlank finds a user's newest blank conversation: default title, no
// system prompt, and no message (not even a superseded one). A draft does
// not count: a never-sent conversation's draft is the text of its first
// send that failed before any output (offline), which New chat hands back
// in the composer for the next try.
//
// The third parameter is true to pass over a blank conversation holding a
// draft (StartEmptyConversation). Otherwise one holding a draft comes
// first, newer blank ones or not: it is the window's never-sent chat, whose
// text New chat hands back, and a newer empty one made meanwhile by
// `meterdesk conversations new` would hide it.
const selectBlank = `SELECT c.id FROM chat_conversations c
	WHERE c.user_id = ? AND c.title = ? AND c.system_prompt = ''
	AND NOT EXISTS (SELECT 1 FROM chat_messages m WHERE m.conversation_id = c.id)
	AND NOT (? AND c.draft <> '')
	ORDER BY c.draft <> '' DESC, c.updated_at DESC, c.id DESC LIMIT 1`

// StartConversation is "New chat": it opens the signed-in actor's newest
// blank conversation, one holding a draft first (see selectBlank), if there
// is one, so that pressing
// New chat again does not pile up empty conversations, and creates one
// otherwise. A blank conversation keeps the provider and model picked in it,
// and its draft: a brand-new chat whose send failed offline left its text
// there as the draft and was no longer "blank", so New chat added a second
// empty "New chat" beside it, each time.
func (s *Service) StartConversation(ctx context.Context) (Conversation, error) {
	return s.startConversation(ctx, false)
}

// StartEmptyConversation is `meterdesk conversations new`: as
// StartConversation, but a blank conversation holding a draft is passed
// over (a new one is made beside it when no other is blank). That draft is
// the window's, in its composer: handed to the command line, a `chat
// --conversation N` sent there left it in place, and it came back in the
// window's composer under a conversation the window no longer had as new.
func (s *Service) StartEmptyConversation(ctx context.Context) (Conversation, error) {
	return s.startConversation(ctx, true)
}

func (s *Service) startConversation(ctx context.Context, noDraft bool) (Conversation, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return Conversation{}, fmt.Errorf("start conversation: %w", err)
	}
	var id int64
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, selectBlank, a.UserID, DefaultTitle, noDraft).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			id, err = s.insertConversation(ctx, tx, a.UserID, ConversationInput{Title: DefaultTitle})
		}
		return err
	})
	if err != nil {
		return Conversation{}, fmt.Errorf("start conversation: %w", err)
	}
	return s.Conversation(ctx, id)
}

// UpdateConversation renames a conversation or changes its system prompt,
// provider, model or model settings (its owner only: see ownConversation).
func (s *Service) UpdateConversation(ctx context.Context, id int64, in ConversationInput) (Conversation, error) {
	in, err := checkInput(in)
	if err != nil {
		return Conversation{}, fmt.Errorf("update conversation %d: %w", id, err)
	}
	if _, err := s.ownConversation(ctx, id, selectConversationForSend, "change"); err != nil {
		return Conversation{}, err
	}
	setNew, set := in.Settings != nil, ModelSettings{}
	if setNew {
		set = *in.Settings
	}
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE chat_conversations SET
			title = CASE WHEN ? = '' THEN title ELSE ? END,
			system_prompt = COALESCE(?, system_prompt), provider = COALESCE(?, provider), model = COALESCE(?, model),
			temperature = CASE WHEN ? THEN ? ELSE temperature END, top_p = CASE WHEN ? THEN ? ELSE top_p END,
			max_output = CASE WHEN ? THEN ? ELSE max_output END, reasoning = CASE WHEN ? THEN ? ELSE reasoning END,
			history = CASE WHEN ? THEN ? ELSE history END,
			updated_at = ? WHERE id = ?`, in.Title, in.Title, in.SystemPrompt, in.Provider, in.Model,
			setNew, set.Temperature, setNew, set.TopP, setNew, set.MaxOutput, setNew, set.Reasoning, setNew, set.History, s.now(), id)
		return err
	})
	if err != nil {
		return Conversation{}, fmt.Errorf("update conversation %d: %w", id, err)
	}
	return s.Conversation(ctx, id)
}

// SaveDraft stores the unsent text of a conversation ("" clears it; its
// owner only: see ownConversation).
func (s *Service) SaveDraft(ctx context.Context, id int64, text string) error {
	if len(text) > MaxText {
		return fmt.Errorf("save draft: %w", inputerr.New(ErrInvalid, "longer than %d bytes", MaxText))
	}
	if _, err := s.ownConversation(ctx, id, selectConversationForSend, "save a draft in"); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE chat_conversations SET draft = ? WHERE id = ?`, text, id)
		return err
	})
}

// DeleteConversation deletes a conversation and its messages: its owner, or
// an admin (who may have to, to honour a request to erase a member's data).
// An admin deleting another member's conversation is an admin action on
// that member's data: it is written to the audit log ("conversation.delete",
// target the owner's user:<id>, naming the conversation, its title, its
// owner and how many messages it held) in the transaction that deletes it.
// Its charges and ledger postings are kept.
func (s *Service) DeleteConversation(ctx context.Context, id int64) error {
	conv, err := s.Conversation(ctx, id)
	if err != nil {
		return err
	}
	a, err := access.Current(ctx)
	if err != nil {
		return fmt.Errorf("delete conversation %d: %w", id, err)
	}
	// Claimed as a send claims it: a send running in it refuses the
	// delete, and a send made while it is deleted is refused (busy), or
	// after (not found), not stored into a conversation that is gone.
	cl, err := s.claim(id, deleting, runningSend{})
	if err != nil {
		return fmt.Errorf("delete conversation %d: %w", id, ErrBusy)
	}
	defer s.release(id, cl)
	var logged *deletedConversation
	if a.UserID != conv.UserID {
		logged = &deletedConversation{ID: conv.ID, Title: conv.Title, OwnerID: conv.UserID,
			Owner: s.memberName(ctx, conv.UserID)}
	}
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		// A reply another process is still writing in it: refused too.
		if busy, err := s.answeredElsewhere(ctx, tx, id, "", false); err != nil {
			return err
		} else if busy {
			return errBusyElsewhere
		}
		if logged != nil {
			// Counted in the transaction: what the entry says is what went.
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM chat_messages WHERE conversation_id = ?`, id).Scan(&logged.Messages); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM chat_messages WHERE conversation_id = ?`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM chat_conversations WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 || logged == nil {
			return nil // gone meanwhile (nothing deleted, nothing to log), or the owner's own
		}
		return audit.Record(ctx, tx, s.clock(), a, "conversation.delete", ledger.UserAccount(conv.UserID), logged, nil)
	})
	if err != nil {
		return fmt.Errorf("delete conversation %d: %w", id, err)
	}
	return nil
}

// deletedConversation is the audit log's view of a conversation an admin
// deleted: no message text (only how many there were).
type deletedConversation struct {
	ID       int64  `json:"conversation"`
	Title    string `json:"title"`
	OwnerID  int64  `json:"ownerId"`
	Owner    string `json:"owner"`    // the owner's sign-in name ("" when the funder cannot say)
	Messages int64  `json:"messages"` // stored, superseded ones included
}

// memberName is the sign-in name of member id, as the funder gives it
// (MemberReader), or "".
func (s *Service) memberName(ctx context.Context, id int64) string {
	mr, ok := s.meter.funder.(MemberReader)
	if !ok || id == 0 {
		return ""
	}
	m, err := mr.Member(ctx, id)
	if err != nil {
		return ""
	}
	return m.Name
}

const selectConversation = `SELECT c.id, c.user_id, c.title, c.system_prompt, c.provider, c.model, c.draft,
	c.temperature, c.top_p, c.max_output, c.reasoning, c.history, c.created_at, c.updated_at,
	(SELECT count(*) FROM chat_messages m WHERE m.conversation_id = c.id AND m.superseded = 0)
	FROM chat_conversations c`

func scanConversation(sc interface{ Scan(...any) error }) (Conversation, error) {
	var c Conversation
	var created, updated string
	var temp, topP sql.NullFloat64
	var history sql.NullInt64
	err := sc.Scan(&c.ID, &c.UserID, &c.Title, &c.SystemPrompt, &c.Provider, &c.Model, &c.Draft,
		&temp, &topP, &c.Settings.MaxOutput, &c.Settings.Reasoning, &history, &created, &updated, &c.Messages)
	if history.Valid {
		n := int(history.Int64)
		c.Settings.History = &n
	}
	if temp.Valid {
		c.Settings.Temperature = &temp.Float64
	}
	if topP.Valid {
		c.Settings.TopP = &topP.Float64
	}
	c.CreatedAt, c.UpdatedAt = store.ParseTime(created), store.ParseTime(updated)
	return c, err
}

// selectConversationForSend is selectConversation without the message
// count (a scan of the conversation's messages that a send does not need).
const selectConversationForSend = `SELECT c.id, c.user_id, c.title, c.system_prompt, c.provider, c.model, c.draft,
	c.temperature, c.top_p, c.max_output, c.reasoning, c.history, c.created_at, c.updated_at, 0 FROM chat_conversations c WHERE c.id = ?`

// Conversation returns one conversation (its owner or an admin: an admin
// may read and export any conversation, but only its owner writes in it).
func (s *Service) Conversation(ctx context.Context, id int64) (Conversation, error) {
	return s.conversation(ctx, id, selectConversation+` WHERE c.id = ?`)
}

// conversation reads conversation id with query (selectConversation or
// selectConversationForSend) and checks the actor may open it. With nobody
// signed in (a window whose session ended) it is refused as not signed in
// (or, before setup, no workspace yet), before any row is read: not "not
// found", which would not send the window back to the sign-in.
func (s *Service) conversation(ctx context.Context, id int64, query string) (Conversation, error) {
	if _, err := access.Current(ctx); err != nil {
		return Conversation{}, fmt.Errorf("conversation %d: %w", id, err)
	}
	c, err := scanConversation(s.db.Prepared().QueryRowContext(ctx, query, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Conversation{}, NoConversation(id)
	}
	if err != nil {
		return Conversation{}, fmt.Errorf("conversation %d: %w", id, err)
	}
	if _, err := access.RequireSelfOrAdmin(ctx, c.UserID, "open conversation"); err != nil {
		return Conversation{}, NoConversation(id)
	}
	return c, nil
}

// ownConversation reads conversation id with query, as conversation does,
// and checks that the actor owns it. A conversation is its owner's: only
// they send, regenerate or edit in it, stop its replies, keep a draft in
// it or change its title, system prompt, model or model settings (what is
// written there reads as their own words, and in their history). An admin,
// who may read any conversation, is refused with access.ErrForbidden
// (nothing written or charged); anyone else does not see it (ErrNotFound).
// what names the operation ("send in", "change", ...).
func (s *Service) ownConversation(ctx context.Context, id int64, query, what string) (Conversation, error) {
	c, err := s.conversation(ctx, id, query)
	if err != nil {
		return Conversation{}, err
	}
	a, err := access.Current(ctx)
	if err != nil {
		return Conversation{}, fmt.Errorf("%s conversation %d: %w", what, id, err)
	}
	if a.UserID != c.UserID {
		return Conversation{}, fmt.Errorf("conversation %d is another member's: %w: only its owner may %s it (an admin may read, export or delete it)",
			id, access.ErrForbidden, what)
	}
	return c, nil
}

// ListLimit is how many conversations ListConversations returns by
// default, newest first; MaxListLimit the most it returns.
const (
	ListLimit    = 200
	MaxListLimit = 1000
)

// ListConversations returns the actor's conversations, most recently
// updated first. A non-empty query keeps those whose title or visible
// messages contain it, case and accents aside, in the text a message shows
// (a reply's Markdown as it reads: mdtext.Message); Snippet shows the match.
func (s *Service) ListConversations(ctx context.Context, query string, limit int) ([]Conversation, error) {
	a, err := access.Current(ctx)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	switch {
	case limit <= 0:
		limit = ListLimit
	case limit > MaxListLimit+1: // one more than a list shows tells whether there are more
		limit = MaxListLimit + 1
	}
	query = strings.TrimSpace(query)
	q := selectConversation + ` WHERE c.user_id = ?`
	args := []any{a.UserID}
	if query != "" {
		// Case and accents aside, in any script (store.FoldFunc); a
		// message's search_text is its shown text folded (migration 0941,
		// store.MessageSearchFunc).
		like := "%" + escapeLike(textfold.Fold(query)) + "%"
		q += ` AND (md_fold(c.title) LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM chat_messages m
			WHERE m.conversation_id = c.id AND m.superseded = 0 AND m.search_text LIKE ? ESCAPE '\'))`
		args = append(args, like, like)
	}
	q += ` ORDER BY c.updated_at DESC, c.id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := s.db.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	defer rows.Close()
	out := []Conversation{}
	for rows.Next() {
		c, err := scanConversation(rows)
		if err != nil {
			return nil, fmt.Errorf("list conversations: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list conversations: %w", err)
	}
	for i := range out {
		out[i].Snippet = s.snippet(ctx, out[i].ID, out[i].Title, query)
	}
	return out, nil
}

// snippet is the shown text (mdtext.Message) of the first visible message
// containing query, or of the last one. When the title holds the match the
// list shows it there: the snippet is then a message's that holds it too
// and does not just repeat the title (the first message gave the title its
// words), else none ("" rather than the title twice, or a last message
// that has nothing to do with the match). Without a search, the last
// message, unless it says just the title (sameAsTitle): "", and the window
// shows the model there.
func (s *Service) snippet(ctx context.Context, id int64, title, query string) string {
	var role, content string
	if query != "" {
		inTitle := strings.Contains(textfold.Fold(title), textfold.Fold(query))
		rows, err := s.db.Read().QueryContext(ctx, `SELECT role, content FROM chat_messages WHERE conversation_id = ? AND superseded = 0
			AND search_text LIKE ? ESCAPE '\' ORDER BY id LIMIT 2`, id, "%"+escapeLike(textfold.Fold(query))+"%")
		if err == nil {
			defer rows.Close()
			for rows.Next() {
				if rows.Scan(&role, &content) != nil {
					break
				}
				shown := mdtext.Message(role, content)
				if inTitle && repeatsTitle(title, shown) {
					continue
				}
				return around(shown, query, 120)
			}
		}
		if inTitle {
			return ""
		}
	}
	_ = s.db.Read().QueryRowContext(ctx, `SELECT role, content FROM chat_messages WHERE conversation_id = ? AND superseded = 0
		ORDER BY id DESC LIMIT 1`, id).Scan(&role, &content)
	shown := around(mdtext.Message(role, head(content, snippetSource)), "", 120)
	if sameAsTitle(title, shown) {
		return "" // the last message gave the title its words: the window shows the title once
	}
	return shown
}

// sameAsTitle reports whether a snippet says just what the title says, as
// the list shows both (on one line, trimmed; case and accents aside): the
// last message is the one the title was made from (titleFrom), whole. A
// longer one, whose title was cut with "…", says more and is shown.
func sameAsTitle(title, shown string) bool {
	t := oneLine(title)
	return t != "" && textfold.Fold(oneLine(shown)) == textfold.Fold(t)
}

// repeatsTitle reports whether a message's shown text starts with the
// conversation's title (case and accents aside, on one line; a title cut
// with "…" by its first 60 characters): the message the title was made
// from (titleFrom), whose snippet would say the title again.
func repeatsTitle(title, shown string) bool {
	t := strings.TrimSuffix(oneLine(title), "…")
	return t != "" && strings.HasPrefix(textfold.Fold(oneLine(shown)), textfold.Fold(t))
}

// snippetSource is how much of the last message a list's snippet reads: it
// shows about 120 characters from the start, and every list load makes one
// for each conversation listed.
const snippetSource = 2 << 10

// head is the first n bytes of s, or less to end at a character's end.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// around cuts text to about n runes around the first match of query. Its
// line breaks are kept (the list shows them as spaces).
func around(text, query string, n int) string {
	text = strings.TrimSpace(text)
	r := []rune(text)
	start := 0
	if query != "" {
		// Fold keeps one rune per rune: a match's place in the folded text
		// is its place in text.
		folded := textfold.Fold(text)
		if i := strings.Index(folded, textfold.Fold(query)); i > 0 {
			start = max(0, utf8.RuneCountInString(folded[:i])-n/3)
		}
	}
	end := min(len(r), start+n)
	out := string(r[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(r) {
		out += "…"
	}
	return out
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// oneLine folds s onto one line, its runs of white space made one space
// (titles, snippets, export headings).
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// titleFrom makes a conversation title from the first message.
func titleFrom(text string) string {
	t := oneLine(text)
	if r := []rune(t); len(r) > 60 {
		t = string(r[:60]) + "…"
	}
	if t == "" {
		return DefaultTitle
	}
	return t
}
