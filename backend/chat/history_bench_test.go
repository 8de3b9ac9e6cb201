package chat_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/store"
)

// BenchmarkChatLongConversation: an estimate (the composer's, EstimateDraft)
// and a send (Service.Send to a fake that answers at once) in a
// conversation of 5,000 answered turns (10,000 messages of ~300 bytes,
// another conversation's messages interleaved) whose History is 10, with
// the bounded history read (bounded) and the whole read it replaced
// (whole: every visible message read, then windowed), alternated in one
// run, each iteration running both in turn (which one first alternates
// too). It reports the p50 of each and their ratio. Each send adds a turn.
//
//	go test -run '^$' -bench ChatLongConversation -benchtime 200x ./backend/chat/
func BenchmarkChatLongConversation(b *testing.B) {
	const turns, history = 5000, 10
	for _, op := range []string{"estimate", "send"} {
		b.Run(op, func(b *testing.B) {
			e, _ := benchEnv(b)
			h, sys, p, m := history, "You are a helpful assistant.", "openai", "gpt-4o"
			conv, err := e.svc.CreateConversation(adminCtx, chat.ConversationInput{Provider: &p, Model: &m, SystemPrompt: &sys,
				Settings: &chat.ModelSettings{History: &h}})
			if err != nil {
				b.Fatal(err)
			}
			other := e.conversation("openai", "gpt-4o", "")
			longConversation(b, e, conv.ID, other.ID, turns)
			run := func() (time.Duration, error) {
				start := time.Now()
				var err error
				if op == "estimate" {
					_, err = e.svc.EstimateDraft(adminCtx, conv.ID, "", "", "And what about the next one?", 0, "", nil)
				} else {
					_, err = e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "And what about the next one?",
						Source: chat.SourceAPI})
				}
				return time.Since(start), err
			}
			var whole, bounded []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for k := range 2 {
					full := (i+k)%2 == 0
					if full {
						restore := chat.SetFullHistoryRead()
						d, err := run()
						restore()
						if err != nil {
							b.Fatal(err)
						}
						whole = append(whole, d)
					} else {
						d, err := run()
						if err != nil {
							b.Fatal(err)
						}
						bounded = append(bounded, d)
					}
				}
			}
			b.StopTimer()
			w, _ := percentiles(whole)
			bd, _ := percentiles(bounded)
			b.ReportMetric(us(w), "whole-p50-µs")
			b.ReportMetric(us(bd), "bounded-p50-µs")
			b.ReportMetric(float64(bd)/float64(w), "bounded/whole")
		})
	}
}

// longConversation stores n answered turns in conversation convID, with a
// turn of conversation otherID after every tenth, in one transaction.
func longConversation(b *testing.B, e *env, convID, otherID int64, n int) {
	b.Helper()
	ctx := context.Background()
	q := strings.Repeat("How does this part of the plan work, and what would you change about it? ", 4)
	r := strings.Repeat("It reads the newest messages first and stops once the window is full. ", 4)
	now := store.FormatTime(time.Now())
	err := e.db.Write(ctx, func(tx *sql.Tx) error {
		ins := func(uid string, conv int64, role, content string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO chat_messages(uid, conversation_id, role, content, status,
				provider, model, created_at, updated_at) VALUES (?,?,?,?,'done','openai','gpt-4o',?,?)`,
				uid, conv, role, content, now, now)
			return err
		}
		for i := range n {
			if err := ins(fmt.Sprintf("t%d:user", i), convID, chat.RoleUser, fmt.Sprint(i, " ", q)); err != nil {
				return err
			}
			if err := ins(fmt.Sprintf("t%d", i), convID, chat.RoleAssistant, fmt.Sprint(i, " ", r)); err != nil {
				return err
			}
			if i%10 == 0 {
				if err := ins(fmt.Sprintf("o%d:user", i), otherID, chat.RoleUser, q); err != nil {
					return err
				}
				if err := ins(fmt.Sprintf("o%d", i), otherID, chat.RoleAssistant, r); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
