package chat

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/money"
	"meterdesk/backend/store"
)

// Replaced is what the charged replies a reply replaced were charged:
// those a regenerate replaced (a stopped reply, charged for what it
// generated, included) and those an edit-and-resend replaced (the answers
// after the edited message), which the thread no longer shows but the
// ledger charged. The window shows it as a collapsed line on the reply that
// replaced them ("1 earlier reply replaced · 0.054 credits"), expandable to
// each one's breakdown; `meterdesk conversations show` prints it under the
// reply, and the export counts it in its total.
type Replaced struct {
	// Amount is their charges' sum, credits (canonical, as Charge.Amount).
	Amount string `json:"amount"`
	// Count is how many they are. Replies lists them all in a whole read
	// (Messages: conversations show, the export); a page (MessagesPage,
	// the window's read) lists only the newest MaxReplacedListed, so that a
	// reply that replaced thousands (an edit of a long conversation's first
	// message) does not make the page read, send and render them all;
	// Amount and Count are always of all.
	Count int `json:"count"`
	// Replies are the replaced replies, oldest first (see Count).
	Replies []ReplacedReply `json:"replies"`
	// Free says every one of them was free (Free: a free model's replies),
	// all Count of them, listed or not.
	Free bool `json:"free"`
	// Summary says them on one line (ReplacedLine), as the window's
	// collapsed line and `conversations show` both print it: "2 earlier
	// replies replaced · 1.608 credits", or "· free" when every one was free.
	Summary string `json:"summary"`
	// NotListed says the replaced replies a page does not list (Count
	// beyond Replies, ReplacedNotListed), "" when every one is listed: the
	// window's expanded line under the listed ones.
	NotListed string `json:"notListed"`
}

// ReplacedLine is the one line that says what the replies a reply
// replaced cost: "1 earlier reply replaced · 0.632 credits", "1,000
// earlier replies replaced · 32.00 credits" (money.Display); when they
// cost nothing and every one was free (r.Free: a free model's replies),
// "… · free", as each one's own line ends, not "· 0.00 credits", whether
// a page lists them all or not.
func ReplacedLine(r *Replaced) string {
	n := max(r.Count, len(r.Replies))
	what := money.GroupInt(int64(n)) + " earlier replies replaced · "
	if n == 1 {
		what = "1 earlier reply replaced · "
	}
	if d, err := decimal.NewFromString(r.Amount); r.Free && err == nil && d.IsZero() {
		return what + FreeWord
	}
	return what + money.Credits(money.DisplayString(r.Amount))
}

// ReplacedNotListed is what the window's expanded line says of the
// replaced replies a page does not list (it lists the newest
// MaxReplacedListed), "" when all are listed: "and 990 earlier ones, not
// listed here (meterdesk conversations show lists them)". Their charges
// are in the collapsed line's sum (ReplacedLine).
func ReplacedNotListed(r *Replaced) string {
	more := r.Count - len(r.Replies)
	if more <= 0 {
		return ""
	}
	ones := "ones"
	if more == 1 {
		ones = "one"
	}
	return "and " + money.GroupInt(int64(more)) + " earlier " + ones + ", not listed here (meterdesk conversations show lists them)"
}

// ReplacedReplyLine is one replaced reply as the window's expanded line
// and `conversations show` say it: how it ended, who sent it when not the
// conversation's owner, and its charge's breakdown ("Stopped reply ·
// gpt-4o · input 8 tokens (0.016 credits) · … · total 0.054 credits",
// "Reply sent by Ann · …").
func ReplacedReplyLine(r *ReplacedReply) string {
	ended := "Reply"
	switch r.Status {
	case StatusStopped:
		ended = "Stopped reply"
	case StatusInterrupted:
		ended = "Interrupted reply"
	case StatusError:
		ended = "Failed reply"
	}
	if r.WrittenBy != nil {
		ended += " sent by " + r.WrittenBy.Name
	}
	return ended + " · " + r.Charge.Summary
}

// MaxReplacedListed is how many replaced replies a page lists on one reply
// (the newest); Replaced.Count and Amount count all of them.
const MaxReplacedListed = 10

// ReplacedReply is one replaced reply that was charged.
type ReplacedReply struct {
	UID       string    `json:"uid"`
	Status    string    `json:"status"` // as stored: "done", "stopped", "interrupted", "error"
	Model     string    `json:"model"`
	CreatedAt time.Time `json:"createdAt"`
	// WrittenBy names the member whose send it was when that was not the
	// conversation's owner (as Message.WrittenBy).
	WrittenBy *Author `json:"writtenBy,omitempty"`
	Charge    Charge  `json:"charge"`
	// Line says it on one line (ReplacedReplyLine), as the window's
	// expanded line and `conversations show` print it.
	Line string `json:"line"`
}

// replacedRange is the superseded messages with a charge that the visible
// replies of a read replaced: above the visible reply before the first
// message read (the replies up to it replaced those below it) and below hi.
const replacedRange = `FROM chat_messages m JOIN chat_charges ch ON ch.request_id = m.uid
	WHERE m.conversation_id = ? AND m.superseded = 1 AND m.id < ?
		AND m.id > COALESCE((SELECT max(id) FROM chat_messages WHERE conversation_id = ? AND superseded = 0
			AND role = 'assistant' AND id < ?), 0)`

// selectReplacedAmounts reads the id and amount of each (replacedRange),
// for the counts and sums of a page, whatever their number, and the
// breakdown of those that may be free (nothing charged, priced or held;
// ” for the others), for the rule of Free to say whether all were.
const selectReplacedAmounts = `SELECT m.id, ch.amount_minor,
	CASE WHEN ch.amount_minor = 0 AND ch.price_minor = 0 AND ch.hold_minor = 0 THEN ch.breakdown ELSE '' END ` +
	replacedRange + ` ORDER BY m.id`

// selectReplacedReply reads the replaced replies listed, with their charges
// (chargeColumns), oldest first: add the range (replacedRange) or the ids.
const selectReplacedReply = `SELECT m.id, m.status, m.model, m.created_at, NULLIF(COALESCE(m.author_id, ch.user_id), 0), ` + chargeColumns

// addReplaced sets Replaced on the replies of msgs (a conversation's
// visible messages in order, as read): each charged reply that is no
// longer shown goes to the first visible reply after it, the one that
// replaced it (a regenerate's new reply, or the answer to the edited
// message; a reply replaced in turn passes what it replaced on). newest
// says msgs end with the conversation's newest message: a replaced reply
// after its last reply (none is made so, but a database may hold one) goes
// to that last reply, so every charge of the conversation is on some reply.
// Without newest, those after the last reply of msgs are the next page's.
// listAll lists every replaced reply (one read with their charges); without
// it, a first read of ids and amounts counts and sums them all and a second
// reads the newest MaxReplacedListed of each reply (a page stays bounded).
func (s *Service) addReplaced(ctx context.Context, convID int64, msgs []Message, newest, listAll bool, authors *authorNames) error {
	var replies []int // indexes of msgs' replies
	read := make(map[int64]bool, len(msgs))
	for i, m := range msgs {
		read[m.ID] = true
		if m.Role == RoleAssistant {
			replies = append(replies, i)
		}
	}
	if len(replies) == 0 {
		return nil
	}
	hi := int64(math.MaxInt64)
	if !newest {
		hi = msgs[replies[len(replies)-1]].ID
	}
	rangeArgs := []any{convID, hi, convID, msgs[0].ID}
	// Each replaced reply's id and amount, oldest first.
	type found struct {
		id, amount int64
		free       bool
	}
	var all []found
	rows, err := s.db.Prepared().QueryContext(ctx, selectReplacedAmounts, rangeArgs...)
	if err != nil {
		return fmt.Errorf("replaced replies of conversation %d: %w", convID, err)
	}
	for rows.Next() {
		var f found
		var bd string
		if err := rows.Scan(&f.id, &f.amount, &bd); err != nil {
			rows.Close()
			return fmt.Errorf("replaced replies of conversation %d: %w", convID, err)
		}
		if bd != "" {
			if f.free, err = freeOfNothing(bd); err != nil {
				rows.Close()
				return fmt.Errorf("replaced replies of conversation %d: %w", convID, err)
			}
		}
		// Superseded since msgs were read (a send came between the two
		// reads): msgs show it as a reply, with its charge; taken as
		// replaced too, it would be under itself, its charge twice.
		if read[f.id] {
			continue
		}
		all = append(all, f)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("replaced replies of conversation %d: %w", convID, err)
	}
	if len(all) == 0 {
		return nil
	}
	// The reply each goes to (msgs' index), its count and sum.
	to := make(map[int64]int, len(all))
	byReply := map[int][]int64{}
	sums := map[int]int64{}
	paid := map[int]bool{} // some of the reply's are not free
	r := 0                 // the first reply after all[k]: ids ascend in both
	for _, f := range all {
		for r < len(replies)-1 && msgs[replies[r]].ID < f.id {
			r++
		}
		i := replies[r]
		to[f.id] = i
		byReply[i] = append(byReply[i], f.id)
		sums[i] += f.amount
		paid[i] = paid[i] || !f.free
	}
	for i, ids := range byReply {
		msgs[i].Replaced = &Replaced{Amount: money.MinorString(sums[i]), Count: len(ids), Free: !paid[i]}
	}
	// The replies listed, with their charges.
	q, args := selectReplacedReply+" "+replacedRange+" ORDER BY m.id", rangeArgs
	if !listAll {
		var listed []any
		for _, ids := range byReply {
			for _, id := range ids[max(0, len(ids)-MaxReplacedListed):] {
				listed = append(listed, id)
			}
		}
		q = selectReplacedReply + ` FROM chat_messages m JOIN chat_charges ch ON ch.request_id = m.uid
			WHERE m.id IN (?` + strings.Repeat(",?", len(listed)-1) + `) ORDER BY m.id`
		args = listed
	}
	rows, err = s.db.Prepared().QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("replaced replies of conversation %d: %w", convID, err)
	}
	defer rows.Close()
	type listedReply struct {
		id     int64
		reply  ReplacedReply
		author sql.NullInt64
	}
	var got []listedReply
	for rows.Next() {
		var f listedReply
		var created string
		var c chargeScan
		dest := append([]any{&f.id, &f.reply.Status, &f.reply.Model, &created, &f.author}, c.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("replaced replies of conversation %d: %w", convID, err)
		}
		ch, err := c.done()
		if err != nil {
			return err
		}
		f.reply.UID, f.reply.Charge, f.reply.CreatedAt = ch.RequestID, *ch, store.ParseTime(created)
		got = append(got, f)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("replaced replies of conversation %d: %w", convID, err)
	}
	rows.Close()
	for _, f := range got {
		i, ok := to[f.id]
		if !ok {
			continue // replaced since the first read: the next read has it
		}
		if f.reply.WrittenBy, err = s.authorName(ctx, f.author, authors); err != nil {
			return fmt.Errorf("replaced reply %q: its sender: %w", f.reply.UID, err)
		}
		f.reply.Line = ReplacedReplyLine(&f.reply)
		msgs[i].Replaced.Replies = append(msgs[i].Replaced.Replies, f.reply)
	}
	for i := range byReply {
		msgs[i].Replaced.Summary = ReplacedLine(msgs[i].Replaced)
		msgs[i].Replaced.NotListed = ReplacedNotListed(msgs[i].Replaced)
	}
	return nil
}
