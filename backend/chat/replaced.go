package chat

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

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
	// Replies are the replaced replies, oldest first.
	Replies []ReplacedReply `json:"replies"`
}

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
}

// selectReplaced reads the charged replies a conversation's visible replies
// replaced, with their charges (chargeColumns), in one read: the superseded
// messages with a charge whose id is above the visible reply before the
// first message read (the replies up to it replaced those below it) and
// below hi, oldest first.
const selectReplaced = `SELECT m.id, m.status, m.model, m.created_at, NULLIF(COALESCE(m.author_id, ch.user_id), 0), ` + chargeColumns + `
	FROM chat_messages m JOIN chat_charges ch ON ch.request_id = m.uid
	WHERE m.conversation_id = ? AND m.superseded = 1 AND m.id < ?
		AND m.id > COALESCE((SELECT max(id) FROM chat_messages WHERE conversation_id = ? AND superseded = 0
			AND role = 'assistant' AND id < ?), 0)
	ORDER BY m.id`

// addReplaced sets Replaced on the replies of msgs (a conversation's
// visible messages in order, as read) from one read (selectReplaced): each
// charged reply that is no longer shown goes to the first visible reply
// after it, the one that replaced it (a regenerate's new reply, or the
// answer to the edited message; a reply replaced in turn passes what it
// replaced on). newest says msgs end with the conversation's newest
// message: a replaced reply after its last reply (none is made so, but a
// database may hold one) goes to that last reply, so every charge of the
// conversation is on some reply. Without newest, those after the last
// reply of msgs are the next page's.
func (s *Service) addReplaced(ctx context.Context, convID int64, msgs []Message, newest bool, authors *authorNames) error {
	var replies []int // indexes of msgs' replies
	for i, m := range msgs {
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
	rows, err := s.db.Prepared().QueryContext(ctx, selectReplaced, convID, hi, convID, msgs[0].ID)
	if err != nil {
		return fmt.Errorf("replaced replies of conversation %d: %w", convID, err)
	}
	defer rows.Close()
	type found struct {
		id     int64
		reply  ReplacedReply
		author sql.NullInt64
		amount int64
	}
	var all []found
	for rows.Next() {
		var f found
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
		f.reply.UID, f.reply.Charge, f.reply.CreatedAt, f.amount = ch.RequestID, *ch, store.ParseTime(created), c.amount
		all = append(all, f)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("replaced replies of conversation %d: %w", convID, err)
	}
	rows.Close()
	sums := map[int]int64{}
	r := 0 // the first reply after all[k]: ids ascend in both
	for _, f := range all {
		for r < len(replies)-1 && msgs[replies[r]].ID < f.id {
			r++
		}
		i := replies[r]
		if msgs[i].Replaced == nil {
			msgs[i].Replaced = &Replaced{}
		}
		if f.reply.WrittenBy, err = s.authorName(ctx, f.author, authors); err != nil {
			return fmt.Errorf("replaced reply %q: its sender: %w", f.reply.UID, err)
		}
		msgs[i].Replaced.Replies = append(msgs[i].Replaced.Replies, f.reply)
		sums[i] += f.amount
	}
	for i, sum := range sums {
		msgs[i].Replaced.Amount = money.MinorString(sum)
	}
	return nil
}
