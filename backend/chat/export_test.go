package chat_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/money"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/workzone"
)

func TestExportMarkdown(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	srv := e.openAI(fake.Script{Chunks: []string{"Paris is **the** capital."}, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	conv := e.conversation("openai", "gpt-4o", "Answer briefly.\nIn English.")
	for _, text := range []string{"Capital of France?", "And of Italy?"} {
		if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: text, Source: chat.SourceUI}); err != nil {
			t.Fatal(err)
		}
	}
	// A stream that broke after some output: kept, marked, charged.
	srv.SetScript(fake.Script{Chunks: []string{"Rome", " is"}, Fault: fake.Drop, FailAfter: 1, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Sure?", Source: chat.SourceUI}); err == nil {
		t.Fatal("the dropped stream did not fail")
	}
	// The start is printed in the workspace time zone.
	if err := e.db.SetSetting(adminCtx, workzone.Key, "Asia/Kolkata"); err != nil {
		t.Fatal(err)
	}
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	ex, err := e.svc.ExportMarkdown(adminCtx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	md := ex.Markdown
	if ex.FileName != "Capital of France-.md" {
		t.Errorf("file name %q", ex.FileName)
	}
	for _, want := range []string{
		"# Capital of France?\n",
		"Model: gpt-4o (openai)  \n",
		"Started: " + conv.CreatedAt.In(kolkata).Format("2006-01-02 15:04") + " (Asia/Kolkata)  \n",
		"**System prompt**\n\n> Answer briefly.\n> In English.\n",
		"## You\n\nCapital of France?\n",
		"## Assistant · gpt-4o\n\nParis is **the** capital.\n",
		"*gpt-4o · input 9 tokens (0.018 credits) · output 2 tokens (0.016 credits) · total 0.034 credits*",
		"## You\n\nSure?\n\n## Assistant · gpt-4o\n\nRome\n\n*Interrupted: ",
		"\n---\n\nTotal charged: " + money.DisplayString(e.charged()) + " credits\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("export lacks %q:\n%s", want, md)
		}
	}
	if n := strings.Count(md, "## You"); n != 3 {
		t.Errorf("%d user messages in the export, want 3:\n%s", n, md)
	}
	// Another member's conversation is not found; nothing to export.
	if _, err := e.svc.ExportMarkdown(memberCtx(9), conv.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Errorf("member export: %v, want ErrNotFound", err)
	}
	if _, err := e.svc.ExportMarkdown(adminCtx, 999); !errors.Is(err, chat.ErrNotFound) {
		t.Errorf("unknown conversation: %v, want ErrNotFound", err)
	}
}

// The start of a conversation begun in the hour repeated when the clocks go
// back (Europe/Berlin, 2026-10-25: 02:00-02:59 happens twice) says its UTC
// offset, so that the two occurrences read apart; any other start prints
// without one (workzone.LocalTime).
func TestExportStartedInRepeatedHourSaysItsOffset(t *testing.T) {
	clk := &testClock{}
	e := newEnvAt(t, nil, clk.now)
	if err := e.db.SetSetting(adminCtx, workzone.Key, "Europe/Berlin"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ utc, want string }{
		{"2026-10-24T23:30:00Z", "Started: 2026-10-25 01:30 (Europe/Berlin)  \n"},
		{"2026-10-25T00:30:00Z", "Started: 2026-10-25 02:30 +02:00 (Europe/Berlin)  \n"}, // the first 02:30 (CEST)
		{"2026-10-25T01:30:00Z", "Started: 2026-10-25 02:30 +01:00 (Europe/Berlin)  \n"}, // the second 02:30 (CET)
		{"2026-10-25T02:30:00Z", "Started: 2026-10-25 03:30 (Europe/Berlin)  \n"},
		{"2026-03-29T01:30:00Z", "Started: 2026-03-29 03:30 (Europe/Berlin)  \n"}, // spring forward: nothing repeats
	} {
		at, err := time.Parse(time.RFC3339, c.utc)
		if err != nil {
			t.Fatal(err)
		}
		clk.mu.Lock()
		clk.t = at
		clk.mu.Unlock()
		conv := e.conversation("openai", "gpt-4o", "")
		ex, err := e.svc.ExportMarkdown(adminCtx, conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ex.Markdown, c.want) {
			t.Errorf("started at %s: the export lacks %q:\n%s", c.utc, c.want, ex.Markdown)
		}
	}
}

// TestExportTotalIsWhatTheConversationCost: the export's "Total charged"
// summed only the replies it shows, so a conversation with a regenerated
// reply, or one whose message was edited and sent again, read cheaper than
// it was: the replaced replies were charged too. The total is now every
// charge of the conversation (its chat_charges, each the ledger's usage
// transfer), and a line says how many replaced replies it holds and what
// they cost; a conversation with none has no such line.
func TestExportTotalIsWhatTheConversationCost(t *testing.T) {
	const line = "Of which for replaced replies, not shown above (regenerated, or answers to a message edited since): "
	for _, c := range []struct {
		name     string
		steps    []chat.SendRequest // EditMessageID "first": the first message
		shown    string             // the replies shown
		total    string
		replaced string // the line's end; "" = no line
	}{
		{"no replaced replies", []chat.SendRequest{{Text: "q1"}, {Text: "q2"}}, "A|A", "0.064", ""},
		{"a regenerate", []chat.SendRequest{{Text: "q1"}, {Text: "q2"}, {Regenerate: true}}, "A|A", "0.096",
			"1 reply, 0.032 credits"},
		{"two regenerates and an edit", []chat.SendRequest{{Text: "q1"}, {Text: "q2"}, {Regenerate: true}, {Regenerate: true},
			{EditMessageID: "first", Text: "q1 again"}}, "A", "0.16", "4 replies, 0.128 credits"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			e.openAI(fake.Script{Chunks: []string{"A"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
			conv := e.conversation("openai", "gpt-4o", "")
			var first string
			for _, req := range c.steps {
				req.ConversationID, req.Source = conv.ID, chat.SourceUI
				if req.EditMessageID == "first" {
					req.EditMessageID = first
				}
				if _, err := e.svc.Send(adminCtx, req); err != nil {
					t.Fatal(err)
				}
				if first == "" {
					msgs, _ := e.svc.Messages(adminCtx, conv.ID)
					first = msgs[0].UID
				}
			}
			if e.charged() != c.total {
				t.Fatalf("the ledger charged %s, want %s", e.charged(), c.total)
			}
			// Another conversation's charges are not this one's.
			other := e.conversation("openai", "gpt-4o", "")
			if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: other.ID, Text: "elsewhere", Source: chat.SourceUI}); err != nil {
				t.Fatal(err)
			}
			ex, err := e.svc.ExportMarkdown(adminCtx, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			md := ex.Markdown
			if n := strings.Count(md, "## Assistant"); n != strings.Count(c.shown, "A") {
				t.Errorf("%d replies shown, want %d:\n%s", n, strings.Count(c.shown, "A"), md)
			}
			if want := "\n---\n\nTotal charged: " + c.total + " credits\n"; !strings.Contains(md, want) {
				t.Errorf("export lacks %q:\n%s", want, md)
			}
			if c.replaced == "" {
				if strings.Contains(md, "replaced replies") {
					t.Errorf("a line about replaced replies where there are none:\n%s", md)
				}
			} else if want := line + c.replaced + "\n"; !strings.Contains(md, want) {
				t.Errorf("export lacks %q:\n%s", want, md)
			}
		})
	}
}

// TestExportWritesCreditsAsTheWindowDoes: the export is for people, so its
// amounts follow the one display rule (money.Display, the window's
// formatCreditAmount): the cost line under a reply and the total read
// "0.20", as the window's header does, where they read "0.2".
func TestExportWritesCreditsAsTheWindowDoes(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	// 8 prompt tokens at 0.002 and 23 output tokens at 0.008: 0.016 + 0.184 = 0.2.
	e.openAI(fake.Script{Chunks: []string{"A"}, Usage: fake.Usage{Prompt: 8, Completion: 23}})
	conv := e.conversation("openai", "gpt-4o", "")
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if err != nil {
		t.Fatal(err)
	}
	if m.Charge == nil || m.Charge.Amount != "0.2" {
		t.Fatalf("charge %+v, want the canonical 0.2 in the data", m.Charge)
	}
	ex, err := e.svc.ExportMarkdown(adminCtx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"*gpt-4o · input 8 tokens (0.016 credits) · output 23 tokens (0.184 credits) · total 0.20 credits*",
		"\n---\n\nTotal charged: 0.20 credits\n",
	} {
		if !strings.Contains(ex.Markdown, want) {
			t.Errorf("export lacks %q:\n%s", want, ex.Markdown)
		}
	}
}
