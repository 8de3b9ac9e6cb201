package chat_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers/fake"
)

// TestReplacedRepliesChargesShowOnTheReplyThatReplacedThem: a regenerate of
// a charged reply (a stopped one, charged for what it generated) or an
// edit-and-resend hid the replaced replies and with them their charges: the
// pool had paid more than the thread's replies said, and only the export
// told. Each visible reply now carries the charges of the replies it
// replaced (Message.Replaced), so a conversation's replies' charges and
// their replaced charges add up to what the ledger took, read whole
// (Messages) or page by page (MessagesPage, the window's read).
func TestReplacedRepliesChargesShowOnTheReplyThatReplacedThem(t *testing.T) {
	// Each step: "q" a new message, "stop" a new message stopped after its
	// first text, "regen" a regenerate, "edit" an edit-and-resend of the
	// first message. want: per visible reply, the statuses of the replies
	// it replaced ("" = none).
	for _, c := range []struct {
		name  string
		steps []string
		want  []string
	}{
		{"nothing replaced", []string{"q", "q"}, []string{"", ""}},
		{"a stopped reply regenerated", []string{"q", "stop", "regen"}, []string{"", "stopped"}},
		{"regenerated twice", []string{"q", "regen", "regen"}, []string{"done done"}},
		{"an edit replaces a branch", []string{"q", "stop", "q", "edit"}, []string{"done stopped done"}},
		{"a regenerate, then an edit, then more", []string{"q", "q", "regen", "edit", "q", "regen"},
			[]string{"done done done", "done"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := e.openAI(fake.Script{Chunks: []string{"A"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
			conv := e.conversation("openai", "gpt-4o", "")
			var first string
			for _, step := range c.steps {
				req := chat.SendRequest{ConversationID: conv.ID, Source: chat.SourceUI, MessageID: chat.NewID(), Text: "q"}
				switch step {
				case "stop":
					srv.Enqueue(fake.Script{Chunks: []string{"Hal", "f"}, Usage: fake.Usage{Prompt: 8, Completion: 9}, Fault: fake.Hang, FailAfter: 1})
					id := req.MessageID
					req.OnDelta = func(string) { e.svc.Stop(adminCtx, id) }
				case "regen":
					req.Text, req.Regenerate = "", true
				case "edit":
					req.Text, req.EditMessageID = "q again", first
				}
				m, err := e.svc.Send(adminCtx, req)
				if err != nil {
					t.Fatalf("%s: %v", step, err)
				}
				if step == "stop" && m.Status != chat.StatusStopped {
					t.Fatalf("stop: status %q, want stopped", m.Status)
				}
				if first == "" {
					msgs, _ := e.svc.Messages(adminCtx, conv.ID)
					first = msgs[0].UID
				}
			}
			// What the ledger took from the pool.
			took := decimal.RequireFromString("100").Sub(decimal.RequireFromString(e.balance(ledger.AccountPool)))
			if took.String() != e.charged() {
				t.Fatalf("the pool paid %s, the charges say %s", took, e.charged())
			}
			msgs, err := e.svc.Messages(adminCtx, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range msgs {
				if m.Role != chat.RoleAssistant {
					if m.Replaced != nil {
						t.Errorf("a user turn carries replaced replies: %+v", m.Replaced)
					}
					continue
				}
				var st []string
				if m.Replaced != nil {
					sum := decimal.Zero
					for _, r := range m.Replaced.Replies {
						st = append(st, r.Status)
						sum = sum.Add(decimal.RequireFromString(r.Charge.Amount))
						if r.Charge.Summary == "" || r.Charge.RequestID != r.UID || r.Model != "gpt-4o" {
							t.Errorf("replaced reply %+v: want its charge, summary and model", r)
						}
					}
					if m.Replaced.Amount != sum.String() {
						t.Errorf("replaced amount %s, the replies add up to %s", m.Replaced.Amount, sum)
					}
				}
				got = append(got, strings.Join(st, " "))
			}
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("replaced per reply %q, want %q", got, c.want)
			}
			if shown := shownTotal(msgs); shown.String() != took.String() {
				t.Errorf("the thread shows %s credits of charges, the ledger took %s", shown, took)
			}
			// Page by page, as the window reads a long conversation: each
			// charge on exactly one page.
			for _, size := range []int{1, 2, 3} {
				total, before := decimal.Zero, int64(0)
				for {
					page, err := e.svc.MessagesPage(adminCtx, conv.ID, before, size)
					if err != nil {
						t.Fatal(err)
					}
					total = total.Add(shownTotal(page.Messages))
					if !page.Earlier {
						break
					}
					before = page.Messages[0].ID
				}
				if total.String() != took.String() {
					t.Errorf("pages of %d show %s credits of charges, the ledger took %s", size, total, took)
				}
			}
			// The export's total is the same.
			ex, err := e.svc.ExportMarkdown(adminCtx, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := "\nTotal charged: " + took.StringFixed(3) + " credits\n"; !strings.Contains(ex.Markdown, want) &&
				!strings.Contains(ex.Markdown, "\nTotal charged: "+took.String()+" credits\n") {
				t.Errorf("the export's total is not %s:\n%s", took, ex.Markdown)
			}
		})
	}
}

// shownTotal is the charges msgs show: each reply's and those of the replies
// it replaced.
func shownTotal(msgs []chat.Message) decimal.Decimal {
	sum := decimal.Zero
	for _, m := range msgs {
		if m.Charge != nil {
			sum = sum.Add(decimal.RequireFromString(m.Charge.Amount))
		}
		if m.Replaced != nil {
			sum = sum.Add(decimal.RequireFromString(m.Replaced.Amount))
		}
	}
	return sum
}

// TestAPageListsTheNewestReplacedRepliesOnly: a reply that replaced many
// (regenerated again and again; an edit of a long conversation's first
// message replaces thousands) made the window's page read, send and render
// every one with its breakdown: a page of 2 messages carried 1,000 replaced
// replies (14 ms, against 0.9 ms for 50 messages). A page now lists the
// newest MaxReplacedListed, with Count and Amount of all; the whole read
// (conversations show, the export) lists all.
func TestAPageListsTheNewestReplacedRepliesOnly(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"A"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	n := chat.MaxReplacedListed + 3
	for i := 0; i <= n; i++ {
		req := chat.SendRequest{ConversationID: conv.ID, Source: chat.SourceUI, MessageID: chat.NewID(), Text: "q"}
		if i > 0 {
			req.Text, req.Regenerate = "", true
		}
		if _, err := e.svc.Send(adminCtx, req); err != nil {
			t.Fatal(err)
		}
	}
	took := decimal.RequireFromString("100").Sub(decimal.RequireFromString(e.balance(ledger.AccountPool)))
	whole, err := e.svc.Messages(adminCtx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	page, err := e.svc.MessagesPage(adminCtx, conv.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	w, p := whole[len(whole)-1].Replaced, page.Messages[len(page.Messages)-1].Replaced
	if w == nil || p == nil {
		t.Fatalf("no replaced replies: whole %+v, page %+v", w, p)
	}
	if len(w.Replies) != n || w.Count != n {
		t.Errorf("the whole read lists %d of %d replaced replies, want all %d", len(w.Replies), w.Count, n)
	}
	if len(p.Replies) != chat.MaxReplacedListed || p.Count != n {
		t.Errorf("a page lists %d of %d replaced replies, want the newest %d of %d", len(p.Replies), p.Count, chat.MaxReplacedListed, n)
	} else if p.Replies[0].UID != w.Replies[n-chat.MaxReplacedListed].UID || p.Replies[len(p.Replies)-1].UID != w.Replies[n-1].UID {
		t.Errorf("a page lists %s…%s, want the newest, oldest first", p.Replies[0].UID, p.Replies[len(p.Replies)-1].UID)
	}
	if p.Amount != w.Amount {
		t.Errorf("a page's replaced amount %s, the whole read's %s", p.Amount, w.Amount)
	}
	if shown := shownTotal(page.Messages); shown.String() != took.String() {
		t.Errorf("the page shows %s credits of charges, the ledger took %s", shown, took)
	}
}

// TestAReplyReadVisibleIsNotItsOwnReplacedReply: the messages and their
// replaced replies are two reads; a regenerate between them supersedes a
// reply the first read shows, and the second put it under itself, "1
// earlier reply replaced" with its own charge: the page showed that charge
// twice. A reply read as visible is not taken as replaced in that read.
func TestAReplyReadVisibleIsNotItsOwnReplacedReply(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"A"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Source: chat.SourceUI, MessageID: chat.NewID(), Text: "q"}); err != nil {
		t.Fatal(err)
	}
	page, err := e.svc.MessagesPage(adminCtx, conv.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The regenerate lands between the page's two reads.
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Source: chat.SourceUI, MessageID: chat.NewID(), Regenerate: true}); err != nil {
		t.Fatal(err)
	}
	msgs := page.Messages
	for i := range msgs {
		msgs[i].Replaced = nil
	}
	if err := e.svc.AddReplacedTo(adminCtx, conv.ID, conv.UserID, msgs); err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Replaced == nil {
			continue
		}
		for _, r := range m.Replaced.Replies {
			if r.UID == m.UID {
				t.Errorf("reply %s is shown as a reply it replaced (its charge twice): %+v", m.UID, m.Replaced)
			}
		}
	}
}
