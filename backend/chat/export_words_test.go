package chat_test

import (
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
)

// TestExportSaysHowARepliesEndedAsTheWindowDoes: the export printed a
// stopped reply as "*(stopped)*", without the sentence the window and
// `conversations show` give under it (StatusNote: "Stopped — free, nothing
// charged." for a free model's, "Stopped — charged for what was
// generated." for a paid one's), and said the replaced replies of a free
// model cost "0.00 credits" where each one's line, and the window's
// collapsed line, say "free" (ReplacedLine). It now uses the same words.
// Paid replaced replies keep their credits.
func TestExportSaysHowARepliesEndedAsTheWindowDoes(t *testing.T) {
	const replacedLine = "Of which for replaced replies, not shown above (regenerated, or answers to a message edited since): "
	for _, tc := range []struct {
		name, model, rp string
		stopped         string // the stopped reply's sentence
		replaced        string // the replaced replies' line's end
	}{
		{"a free model", "llama3.2", rates.Local, "Stopped — free, nothing charged.", "2 replies, free"},
		{"a paid model", "gpt-4o", rates.OpenAI, "Stopped — charged for what was generated.", "2 replies, 0.064 credits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.fund("100")
			srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
			t.Cleanup(srv.Close)
			e.add("box", providers.KindCompatible, tc.rp, srv.BaseURL(), 0)
			conv := e.conversation("box", tc.model, "")
			send := func(req chat.SendRequest) *chat.Message {
				t.Helper()
				req.ConversationID, req.Source, req.MaxTokens = conv.ID, chat.SourceUI, 10
				if req.MessageID == "" {
					req.MessageID = chat.NewID()
				}
				m, err := e.svc.Send(adminCtx, req)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			send(chat.SendRequest{Text: "Hi"})
			send(chat.SendRequest{Regenerate: true})
			send(chat.SendRequest{Regenerate: true})
			// A reply stopped after its first chunk: kept, and charged (a
			// free model's: nothing).
			srv.Enqueue(fake.Script{Chunks: []string{"Hal", "f"}, Usage: fake.Usage{Prompt: 8, Completion: 9}, Fault: fake.Hang, FailAfter: 1})
			id := chat.NewID()
			if m := send(chat.SendRequest{Text: "More", MessageID: id, OnDelta: func(string) { e.svc.Stop(adminCtx, id) }}); m.Status != chat.StatusStopped {
				t.Fatalf("status %q, want stopped", m.Status)
			}
			ex, err := e.svc.ExportMarkdown(adminCtx, conv.ID)
			if err != nil {
				t.Fatal(err)
			}
			md := ex.Markdown
			for _, want := range []string{
				"\n*" + tc.stopped + "*\n",
				"\n" + replacedLine + tc.replaced + "\n",
			} {
				if !strings.Contains(md, want) {
					t.Errorf("export lacks %q:\n%s", want, md)
				}
			}
			if strings.Contains(md, "*(stopped") {
				t.Errorf("export still says the bare status:\n%s", md)
			}
		})
	}
}
