package chat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/providers"
	"meterdesk/backend/store"
)

const selectMessage = `SELECT id, uid, conversation_id, role, content, status, provider, model, error, created_at,
	finish_reason, output_budget, author_id FROM chat_messages`

func scanMessage(sc interface{ Scan(...any) error }) (Message, error) {
	var m Message
	var created string
	err := sc.Scan(&m.ID, &m.UID, &m.ConversationID, &m.Role, &m.Content, &m.Status, &m.Provider, &m.Model, &m.Error, &created,
		&m.FinishReason, &m.OutputBudget, &m.author)
	m.CreatedAt = store.ParseTime(created)
	m.Note, m.StatusNote = ReplyNote(m), StatusNote(m)
	return m, err
}

// Messages returns the visible messages of a conversation in order, each
// assistant message with its charge and the charges of the replies it
// replaced (Replaced). A message still marked streaming with
// no send running (the app was closed mid-reply) reads as interrupted.
func (s *Service) Messages(ctx context.Context, conversationID int64) ([]Message, error) {
	conv, err := s.Conversation(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	ms, err := s.visible(ctx, s.db.Prepared(), conversationID)
	if err != nil {
		return nil, err
	}
	authors := authorNames{owner: conv.UserID}
	for i := range ms {
		if err := s.decorate(ctx, &ms[i], &authors); err != nil {
			return nil, err
		}
	}
	if err := s.addReplaced(ctx, conversationID, ms, true, true, &authors); err != nil {
		return nil, err
	}
	return ms, nil
}

// Message pages: the window reads a conversation's newest messages and
// older ones on request, never a long conversation whole.
const (
	PageSize    = 200    // messages a page holds by default
	MaxPageSize = 10_000 // the most a page holds
)

// MessagesState tells cheaply whether a conversation's messages may have
// changed since it was read: another process may have sent, regenerated,
// edited or finished a reply in it, or renamed it. Equal states mean the
// same visible messages (only a new message supersedes or un-supersedes
// any, and it moves LastID), shown against the same rate table.
type MessagesState struct {
	UpdatedAt  time.Time `json:"updatedAt"`  // the conversation's
	Count      int       `json:"count"`      // visible messages
	LastID     int64     `json:"lastId"`     // the newest visible message (0: none)
	LastStatus string    `json:"lastStatus"` // its stored status
	// RateVersion is the rate table's current version (rates.Current's):
	// a reply whose Charge.RateVersion is another was priced at rates that
	// have changed since, which the window says ("priced at the rates of
	// 3 Nov"). A rate change moves it, so the window reads again.
	RateVersion int64 `json:"rateVersion"`
}

// MessagePage is the newest visible messages of a conversation up to a
// point, in order.
type MessagePage struct {
	Messages []Message `json:"messages"`
	// Earlier says whether older visible messages exist (the window offers
	// to show them).
	Earlier bool `json:"earlier"`
	// State is the conversation's state read before the messages: a state
	// read later that differs from it means they may have changed since.
	State MessagesState `json:"state"`
}

// selectMessagesState reads a conversation's owner and MessagesState in
// one query: the count and the newest visible message come from the
// chat_messages_conversation index, the current rate version (the latest
// effective, as rates.latestID finds it) from rate_versions_effective
// (two searches; ORDER BY ... LIMIT 1 would be planned as a scan).
const selectMessagesState = `SELECT c.user_id, c.updated_at,
	(SELECT count(*) FROM chat_messages m WHERE m.conversation_id = c.id AND m.superseded = 0),
	COALESCE(l.id, 0), COALESCE(l.status, ''),
	COALESCE((SELECT max(id) FROM rate_versions WHERE effective_at = (SELECT max(effective_at) FROM rate_versions)), 0)
	FROM chat_conversations c LEFT JOIN chat_messages l ON l.id = (SELECT id FROM chat_messages
		WHERE conversation_id = c.id AND superseded = 0 ORDER BY id DESC LIMIT 1)
	WHERE c.id = ?`

// MessagesState returns what MessagePage.State says of the conversation
// now (its owner or an admin), in one read.
func (s *Service) MessagesState(ctx context.Context, conversationID int64) (MessagesState, error) {
	st, _, err := s.messagesState(ctx, conversationID)
	return st, err
}

// messagesState is MessagesState with the conversation's owner.
func (s *Service) messagesState(ctx context.Context, conversationID int64) (MessagesState, int64, error) {
	// Nobody signed in (a window whose session ended): refused as not
	// signed in before the row is read, as conversation refuses it, not
	// "not found", which would not send the window back to the sign-in.
	if _, err := access.Current(ctx); err != nil {
		return MessagesState{}, 0, fmt.Errorf("conversation %d: %w", conversationID, err)
	}
	var st MessagesState
	var owner int64
	var updated string
	err := s.db.Prepared().QueryRowContext(ctx, selectMessagesState, conversationID).Scan(&owner, &updated, &st.Count, &st.LastID, &st.LastStatus,
		&st.RateVersion)
	if errors.Is(err, sql.ErrNoRows) {
		return MessagesState{}, 0, NoConversation(conversationID)
	}
	if err != nil {
		return MessagesState{}, 0, fmt.Errorf("conversation %d: %w", conversationID, err)
	}
	if _, err := access.RequireSelfOrAdmin(ctx, owner, "open conversation"); err != nil {
		return MessagesState{}, 0, NoConversation(conversationID)
	}
	st.UpdatedAt = store.ParseTime(updated)
	return st, owner, nil
}

// MessagesPage returns the newest limit visible messages of a conversation
// whose id is below before (0: the newest of all), in order, each assistant
// message with its charge and what it replaced as Messages gives it. limit <= 0 is PageSize; it
// is at most MaxPageSize.
func (s *Service) MessagesPage(ctx context.Context, conversationID, before int64, limit int) (MessagePage, error) {
	st, owner, err := s.messagesState(ctx, conversationID)
	if err != nil {
		return MessagePage{}, err
	}
	switch {
	case limit <= 0:
		limit = PageSize
	case limit > MaxPageSize:
		limit = MaxPageSize
	}
	newest := before <= 0
	if newest {
		before = math.MaxInt64
	}
	rows, err := s.db.Prepared().QueryContext(ctx, selectMessage+` WHERE conversation_id = ? AND superseded = 0 AND id < ?
		ORDER BY id DESC LIMIT ?`, conversationID, before, limit+1)
	if err != nil {
		return MessagePage{}, fmt.Errorf("messages of conversation %d: %w", conversationID, err)
	}
	ms, err := scanMessages(rows, conversationID)
	if err != nil {
		return MessagePage{}, err
	}
	page := MessagePage{Messages: ms, State: st}
	if len(page.Messages) > limit {
		page.Messages, page.Earlier = page.Messages[:limit], true
	}
	slices.Reverse(page.Messages)
	authors := authorNames{owner: owner}
	for i := range page.Messages {
		if err := s.decorate(ctx, &page.Messages[i], &authors); err != nil {
			return MessagePage{}, err
		}
	}
	if err := s.addReplaced(ctx, conversationID, page.Messages, newest, false, &authors); err != nil {
		return MessagePage{}, err
	}
	return page, nil
}

type rowsQuerier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// visible reads the non-superseded messages of a conversation.
func (s *Service) visible(ctx context.Context, q rowsQuerier, conversationID int64) ([]Message, error) {
	rows, err := q.QueryContext(ctx, selectMessage+` WHERE conversation_id = ? AND superseded = 0 ORDER BY id`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("messages of conversation %d: %w", conversationID, err)
	}
	return scanMessages(rows, conversationID)
}

// scanMessages reads and closes rows of selectMessage.
func scanMessages(rows *sql.Rows, conversationID int64) ([]Message, error) {
	defer rows.Close()
	out := []Message{}
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, fmt.Errorf("messages of conversation %d: %w", conversationID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("messages of conversation %d: %w", conversationID, err)
	}
	return out, nil
}

// decorate adds the charge, names the author when it is not the
// conversation's owner (WrittenBy), words a stored error for the reader
// (storedError) and fixes the status of an orphaned stream.
func (s *Service) decorate(ctx context.Context, m *Message, authors *authorNames) error {
	if err := s.nameAuthor(ctx, m, authors); err != nil {
		return err
	}
	if err := s.storedError(ctx, m, authors); err != nil {
		return err
	}
	if m.Role != RoleAssistant {
		return nil
	}
	ch, err := loadCharge(ctx, s.db.Prepared(), m.UID)
	if err != nil {
		return err
	}
	m.Charge = ch
	if m.Status == StatusStreaming && !s.isRunning(m.UID) {
		elsewhere, err := s.writtenElsewhere(ctx, m.UID)
		if err != nil {
			return err
		}
		switch {
		case elsewhere:
			// Another process on the data folder is writing it (a
			// command while the window reads, or the other way round):
			// still streaming, and it will be charged.
			if m.Error == "" {
				m.Error = writtenElsewhereWords
			}
		default:
			m.Status = StatusInterrupted
			if m.Error == "" {
				m.Error = "the app was closed before the reply finished; nothing was charged"
			}
		}
	}
	m.Note = ReplyNote(*m)        // again: the charge keeps the thinking budget it tells apart
	m.StatusNote = StatusNote(*m) // again: the error as its reader reads it, the status fixed, the charge
	return nil
}

// Message returns one message by uid (its conversation's owner or an admin).
func (s *Service) Message(ctx context.Context, uid string) (Message, error) {
	// Nobody signed in: refused before the row is read, so whether uid
	// exists is not told apart ("not found" for one that does not).
	if _, err := access.Current(ctx); err != nil {
		return Message{}, fmt.Errorf("message %q: %w", uid, err)
	}
	m, err := scanMessage(s.db.Prepared().QueryRowContext(ctx, selectMessage+` WHERE uid = ?`, uid))
	if errors.Is(err, sql.ErrNoRows) {
		return Message{}, fmt.Errorf("message %q: %w", uid, ErrNotFound)
	}
	if err != nil {
		return Message{}, fmt.Errorf("message %q: %w", uid, err)
	}
	conv, err := s.Conversation(ctx, m.ConversationID)
	if err != nil {
		return Message{}, err
	}
	if err := s.decorate(ctx, &m, &authorNames{owner: conv.UserID}); err != nil {
		return Message{}, err
	}
	return m, nil
}

// authorNames names the authors of one conversation's messages who are
// not its owner, each looked up once, and words their stored errors for
// the reader, each provider's looked up once.
type authorNames struct {
	owner int64                          // the conversation's owner
	names map[int64]string               // user id -> name, as looked up
	words map[string]func(string) string // provider name -> providers.StoredErrorWords
}

// storedError sets m.Error, stored as an admin reads it, to what ctx's
// actor may read (providers.StoredErrorWords: a member reads no address).
func (s *Service) storedError(ctx context.Context, m *Message, authors *authorNames) error {
	if m.Error == "" {
		return nil
	}
	words, ok := authors.words[m.Provider]
	if !ok {
		var err error
		if words, err = providers.StoredErrorWords(ctx, s.db, m.Provider); err != nil {
			return fmt.Errorf("message %q: its error: %w", m.UID, err)
		}
		if authors.words == nil {
			authors.words = map[string]func(string) string{}
		}
		authors.words[m.Provider] = words
	}
	m.Error = words(m.Error)
	return nil
}

// memberName names a member by people.Member's rule (md_member_label).
const memberName = `SELECT md_member_label(name, display_name, status) FROM users WHERE id = ?`

// nameAuthor sets m.WrittenBy when its recorded author is not the
// conversation's owner (an author not recorded reads as the owner).
func (s *Service) nameAuthor(ctx context.Context, m *Message, authors *authorNames) error {
	a, err := s.authorName(ctx, m.author, authors)
	if err != nil {
		return fmt.Errorf("message %q: its author: %w", m.UID, err)
	}
	m.WrittenBy = a
	return nil
}

// authorName names author when it is recorded and not the conversation's
// owner (nil otherwise), each member looked up once.
func (s *Service) authorName(ctx context.Context, author sql.NullInt64, authors *authorNames) (*Author, error) {
	if !author.Valid || author.Int64 == authors.owner {
		return nil, nil
	}
	id := author.Int64
	name, ok := authors.names[id]
	if !ok {
		var err error
		if name, err = s.memberLabel(ctx, id); err != nil {
			return nil, err
		}
		if authors.names == nil {
			authors.names = map[int64]string{}
		}
		authors.names[id] = name
	}
	return &Author{ID: id, Name: name}, nil
}

// memberLabel names member id for people (memberName: people.Member's
// rule, "bob (removed)"), or "member 7" when no such member is left.
func (s *Service) memberLabel(ctx context.Context, id int64) (string, error) {
	var label sql.NullString
	err := s.db.Prepared().QueryRowContext(ctx, memberName, id).Scan(&label)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && label.String == "":
		return fmt.Sprintf("member %d", id), nil // no such member is left
	case err != nil:
		return "", err
	}
	return label.String, nil
}

func (s *Service) isRunning(uid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.running[uid]
	return ok
}

// busyIn reports whether a send is running in conversation convID: a
// send of this process whose reply is stored there still streaming
// (visibleOnly: and not superseded). It looks at the send running into the
// conversation (runningIn), its row by uid, not at the conversation's
// messages, which a long conversation has thousands of. The composer's
// estimate asks it (plan); a send claims the conversation instead (claim).
func (s *Service) busyIn(ctx context.Context, convID int64, visibleOnly bool) (bool, error) {
	s.mu.Lock()
	c, ok := s.runningIn[convID]
	s.mu.Unlock()
	if !ok || c.uid == deleting {
		return false, nil
	}
	uid := c.uid
	var one int
	err := s.db.Prepared().QueryRowContext(ctx, `SELECT 1 FROM chat_messages WHERE uid = ? AND conversation_id = ?
		AND status = 'streaming' AND (superseded = 0 OR NOT ?)`, uid, convID, visibleOnly).Scan(&one)
	switch {
	case err == nil:
		return true, nil
	case !errors.Is(err, sql.ErrNoRows):
		return false, fmt.Errorf("messages of conversation %d: %w", convID, err)
	}
	return false, nil
}

// deleting marks a conversation claimed by DeleteConversation in runningIn.
// (No send has it for an id: ids have no spaces.)
const deleting = "\x00 delete"

// claim registers the send of reply uid into conversation convID, in one
// step with the check that nothing else runs there: another send of this
// process (of any uid, running, storing its turn or settling it, until
// release) or a delete of the conversation (uid deleting). Either refuses
// it as ErrBusy, with nothing written; so is a second send with the same
// uid. A conversation has at most one send of this process at a time, so
// two sends never stream into one thread, nor does an edit's replacement of
// the replies after it race another send. (A send of another process on
// the same data folder is refused in the hold's transaction:
// answeredElsewhere.)
func (s *Service) claim(convID int64, uid string, run runningSend) (*claimed, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.running[uid]; dup {
		return nil, fmt.Errorf("send %s: %w", uid, ErrBusy)
	}
	if _, busy := s.runningIn[convID]; busy {
		return nil, fmt.Errorf("send: %w", ErrBusy)
	}
	c := &claimed{uid: uid, run: run}
	if uid != deleting {
		s.running[uid] = c
	}
	s.runningIn[convID] = c
	return c, nil
}

// claimed is one send's (or delete's) claim of a conversation: release
// drops this claim only, never a newer one made for the same uid or
// conversation since (a send released early, on done, then retried with
// the same message id while the first one's deferred release is still to
// run).
type claimed struct {
	uid string
	run runningSend
}

// answeredElsewhere reports, inside the write transaction tx, whether a
// send of another process on the same data folder (a window, a command,
// meterdesk serve; or another Service of this one) is answering in
// conversation convID: a reply streaming there (visibleOnly: and not
// superseded), other than except, whose hold is still held by a holder
// that is running (ledger.HeldElsewhere: not expired, not left by a
// process that is gone). Writes are one at a time on the data folder, so
// a send that asks it in its hold's transaction and stores its reply there
// cannot race another process's send that does the same. A reply left
// streaming by an app that was closed does not count.
func (s *Service) answeredElsewhere(ctx context.Context, tx *sql.Tx, convID int64, except string, visibleOnly bool) (bool, error) {
	// The writer's cached statement: a send asks it in the ledger's writer,
	// where preparing the join each time cost ~60 µs of every hold.
	rows, err := s.db.QueryTx(ctx, tx, answeredElsewhereQuery, convID, visibleOnly, except)
	if err != nil {
		return false, fmt.Errorf("replies streaming in conversation %d: %w", convID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid int
		var inst, expires string
		if err := rows.Scan(&pid, &inst, &expires); err != nil {
			return false, fmt.Errorf("replies streaming in conversation %d: %w", convID, err)
		}
		if s.led.HeldElsewhere(pid, inst, expires) {
			return true, nil
		}
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("replies streaming in conversation %d: %w", convID, err)
	}
	return false, nil
}

// writtenElsewhereWords is what a reply another process is still writing
// says where it is read (its Error, which the window shows only of a reply
// interrupted or failed; `meterdesk conversations show` prints it).
const writtenElsewhereWords = "being written in another window or command using this data folder"

// writtenElsewhere reports whether reply uid, stored streaming and not
// being written by this process, is being written by another one: its hold
// is pending and held by a holder that is running, as answeredElsewhere
// tells (ledger.HeldElsewhere). Otherwise it was left by an app that was
// closed (its process gone, its hold voided or expired).
func (s *Service) writtenElsewhere(ctx context.Context, uid string) (bool, error) {
	var pid int
	var inst, expires string
	err := s.db.Prepared().QueryRowContext(ctx, `SELECT h.owner_pid, h.owner_instance, h.expires_at FROM ledger_transfers t
		JOIN ledger_holds h ON h.transfer_id = t.id WHERE t.request_id = ? AND t.leg = 0 AND h.status = 'pending'`,
		"hold:"+uid).Scan(&pid, &inst, &expires)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("message %q: its hold: %w", uid, err)
	}
	return s.led.HeldElsewhere(pid, inst, expires), nil
}

// answeredElsewhereQuery is answeredElsewhere's: the holders of the holds
// of the replies streaming in a conversation (the partial index of
// migration 1021), still pending.
const answeredElsewhereQuery = `SELECT h.owner_pid, h.owner_instance, h.expires_at FROM chat_messages m
	JOIN ledger_transfers t ON t.request_id = 'hold:' || m.uid AND t.leg = 0
	JOIN ledger_holds h ON h.transfer_id = t.id
	WHERE m.conversation_id = ? AND m.status = 'streaming' AND (m.superseded = 0 OR NOT ?) AND m.uid <> ?
	AND h.status = 'pending'`

// errBusyElsewhere is ErrBusy for a send of another process.
var errBusyElsewhere = fmt.Errorf("%w (in another window or command using this data folder)", ErrBusy)

// release ends the claim c (claim) of convID, and only that one: a newer
// claim of the same uid or conversation is left alone (again: a no-op).
func (s *Service) release(convID int64, c *claimed) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running[c.uid] == c {
		delete(s.running, c.uid)
	}
	if s.runningIn[convID] == c {
		delete(s.runningIn, convID)
	}
}

// runningSend is a send in progress: how to cancel it and who started it.
type runningSend struct {
	cancel context.CancelFunc
	by     int64 // the sender's user id (0: the system)
}

// actorID is the user id of ctx's actor (0 for none or the system).
func actorID(ctx context.Context) int64 {
	a, _ := access.FromContext(ctx)
	return a.UserID
}

// Stop cancels the running send of assistant message uid; the reply is
// charged for what was generated so far. It reports whether a send was
// running that the actor may stop: only their own (a send runs in its
// sender's own conversation, and a reply stopped short is written there as
// theirs: an admin does not stop another member's, see ownConversation).
func (s *Service) Stop(ctx context.Context, uid string) bool {
	a, err := access.Current(ctx)
	if err != nil {
		return false
	}
	s.mu.Lock()
	c, ok := s.running[uid]
	s.mu.Unlock()
	if !ok || c.run.by != a.UserID {
		return false
	}
	c.run.cancel()
	return true
}
