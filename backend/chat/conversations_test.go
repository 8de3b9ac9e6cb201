package chat_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/store"
)

// TestSearchIgnoresCaseAndAccentsInAnyScript: SQLite's LIKE folds A-Z
// only; the search folds case and accents everywhere (store.FoldFunc), in
// titles and messages, and the snippet starts near the match.
func TestSearchIgnoresCaseAndAccentsInAnyScript(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Noted."}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	long := strings.Repeat("filler words here ", 20)
	cafe := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: cafe.ID, Text: long + "Café Crème au Straße", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	greek := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.UpdateConversation(adminCtx, greek.ID, chat.ConversationInput{Title: "ΑΘΉΝΑ trip"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		q    string
		want int64
	}{
		{"CAFÉ", cafe.ID}, {"crème", cafe.ID}, {"CREME", cafe.ID}, {"cafe creme", cafe.ID}, {"STRASSE", 0}, {"straße", cafe.ID},
		{"αθηνα", greek.ID}, {"Αθήνα", greek.ID},
	} {
		list, err := e.svc.ListConversations(adminCtx, c.q, 0)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case c.want == 0 && len(list) != 0, c.want != 0 && (len(list) != 1 || list[0].ID != c.want):
			t.Errorf("search %q found %d conversations", c.q, len(list))
		}
		if c.want == cafe.ID && len(list) == 1 && !strings.Contains(list[0].Snippet, "Café Crème") {
			t.Errorf("search %q: snippet %q misses the match", c.q, list[0].Snippet)
		}
	}
}

func TestConversationsCRUDAndSearch(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Paris is the capital."}, Usage: fake.Usage{Prompt: 8, Completion: 5}})
	a := e.conversation("openai", "gpt-4o", "")
	b := e.conversation("openai", "gpt-4o", "You are terse.")
	if a.Title != chat.DefaultTitle || b.SystemPrompt != "You are terse." {
		t.Fatalf("created %+v %+v", a, b)
	}
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: a.ID, Text: "What is the capital of France? 100% sure_", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	got, _ := e.svc.Conversation(adminCtx, a.ID)
	if got.Title != "What is the capital of France? 100% sure_" || got.Messages != 2 {
		t.Fatalf("after send %+v", got)
	}
	for _, tc := range []struct {
		q    string
		want []int64
	}{
		{"", []int64{a.ID, b.ID}},
		{"PARIS", []int64{a.ID}},
		{"100%", []int64{a.ID}},
		{"%", []int64{a.ID}}, // literal percent, not a wildcard
		{"_", []int64{a.ID}},
		{"nothing like this", nil},
	} {
		list, err := e.svc.ListConversations(adminCtx, tc.q, 0)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, c := range list {
			ids = append(ids, c.ID)
		}
		if len(ids) != len(tc.want) || (len(ids) > 0 && ids[0] != tc.want[0]) {
			t.Fatalf("search %q = %v, want %v", tc.q, ids, tc.want)
		}
	}
	list, _ := e.svc.ListConversations(adminCtx, "paris", 0)
	if !strings.Contains(list[0].Snippet, "Paris") {
		t.Fatalf("snippet %q", list[0].Snippet)
	}
	title, sys := "Geography", "Answer in French."
	up, err := e.svc.UpdateConversation(adminCtx, a.ID, chat.ConversationInput{Title: title, SystemPrompt: &sys})
	if err != nil || up.Title != title || up.SystemPrompt != sys || up.Model != "gpt-4o" {
		t.Fatalf("update = %+v, %v", up, err)
	}
	// Bad input is refused and nothing changes.
	long := strings.Repeat("x", chat.MaxTitle+1)
	for _, in := range []chat.ConversationInput{{Title: long}, {Title: "two\nlines"}} {
		if _, err := e.svc.UpdateConversation(adminCtx, a.ID, in); !errors.Is(err, chat.ErrInvalid) {
			t.Fatalf("update %q = %v", in.Title, err)
		}
		if _, err := e.svc.CreateConversation(adminCtx, in); !errors.Is(err, chat.ErrInvalid) {
			t.Fatalf("create %q = %v", in.Title, err)
		}
	}
	if got, _ := e.svc.Conversation(adminCtx, a.ID); got.Title != title {
		t.Fatalf("title changed to %q", got.Title)
	}
	// Members see only their own conversations.
	if _, err := e.svc.Conversation(memberCtx(9), a.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("member read = %v", err)
	}
	if l, err := e.svc.ListConversations(memberCtx(9), "", 0); err != nil || len(l) != 0 {
		t.Fatalf("member sees %d conversations (%v)", len(l), err)
	}
	if err := e.svc.DeleteConversation(memberCtx(9), a.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("member delete = %v", err)
	}
	// Delete keeps the charge (and the ledger) but removes the messages.
	if err := e.svc.DeleteConversation(adminCtx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Conversation(adminCtx, a.ID); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("deleted conversation still readable: %v", err)
	}
	if e.count(`SELECT count(*) FROM chat_messages`) != 0 || e.count(`SELECT count(*) FROM chat_charges`) != 1 {
		t.Fatal("delete removed the wrong rows")
	}
	if err := e.svc.DeleteConversation(adminCtx, 999); !errors.Is(err, chat.ErrNotFound) {
		t.Fatalf("delete unknown = %v", err)
	}
	e.checkLedger()
}

func TestSummaryFormatsLines(t *testing.T) {
	ch := &chat.Charge{Model: "gpt-4o", Amount: "1234.5", Price: "1234.5", Estimated: true}
	ch.Breakdown.Lines = append(ch.Breakdown.Lines,
		lineOf("input", 523, "2.1"), lineOf("per_request", 1, "0"), lineOf("per_tool_call", 2, "1"))
	want := "gpt-4o · input 523 tokens (2.10 credits) · tool calls 2 (1.00) · total 1,234.50 credits · estimated (the provider reported no usage)"
	if got := chat.Summary(ch); got != want {
		t.Fatalf("summary\n got %s\nwant %s", got, want)
	}
}

// TestStartConversationReusesABlankOne: "New chat" opens the actor's newest
// blank conversation instead of adding another, and creates one as soon as
// the last one is no longer blank.
func TestStartConversationReusesABlankOne(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Hi."}, Usage: fake.Usage{Prompt: 3, Completion: 2}})
	count := func() int {
		t.Helper()
		var n int
		if err := e.db.Writer().QueryRow(`SELECT count(*) FROM chat_conversations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	start := func(ctx context.Context) chat.Conversation {
		t.Helper()
		c, err := e.svc.StartConversation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	first := start(adminCtx)
	if again := start(adminCtx); again.ID != first.ID || first.Title != chat.DefaultTitle || count() != 1 {
		t.Fatalf("second New chat = %d, first %d (%q), %d conversations", again.ID, first.ID, first.Title, count())
	}
	// Picking a model keeps it blank; the pick survives the reuse.
	model := "gpt-4o"
	prov := "openai"
	if _, err := e.svc.UpdateConversation(adminCtx, first.ID, chat.ConversationInput{Provider: &prov, Model: &model}); err != nil {
		t.Fatal(err)
	}
	if again := start(adminCtx); again.ID != first.ID || again.Model != model {
		t.Fatalf("after a model pick: %+v", again)
	}
	// Each thing a person put in the conversation makes it no longer blank.
	sys := "Be brief."
	for _, tc := range []struct {
		name string
		fill func(id int64) error
	}{
		{"message", func(id int64) error {
			_, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: id, Text: "hello", Source: chat.SourceUI})
			return err
		}},
		{"title", func(id int64) error {
			_, err := e.svc.UpdateConversation(adminCtx, id, chat.ConversationInput{Title: "Plans"})
			return err
		}},
		{"system prompt", func(id int64) error {
			_, err := e.svc.UpdateConversation(adminCtx, id, chat.ConversationInput{SystemPrompt: &sys})
			return err
		}},
	} {
		blank := start(adminCtx)
		if _, err := e.svc.UpdateConversation(adminCtx, blank.ID, chat.ConversationInput{Provider: &prov, Model: &model}); err != nil {
			t.Fatal(err)
		}
		if err := tc.fill(blank.ID); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		before := count()
		if next := start(adminCtx); next.ID == blank.ID || count() != before+1 {
			t.Fatalf("%s: New chat reused %d (%d -> %d conversations)", tc.name, next.ID, before, count())
		}
	}
	// A brand-new chat whose send failed before any output (offline) keeps
	// its text as the draft and is handed out again, with it: it added a
	// second empty "New chat" each time. A draft saved by hand alike.
	down := closedURL(t)
	e.add("Lab", providers.KindOpenAI, rates.OpenAI, down, 0)
	blank := start(adminCtx)
	labProv := "Lab"
	if _, err := e.svc.UpdateConversation(adminCtx, blank.ID, chat.ConversationInput{Provider: &labProv, Model: &model}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: blank.ID, Text: "hello offline", Source: chat.SourceUI}); !errors.Is(err, providers.ErrOffline) {
		t.Fatalf("send to a provider that is down: %v, want offline", err)
	}
	before := count()
	if next := start(adminCtx); next.ID != blank.ID || next.Draft != "hello offline" || count() != before {
		t.Fatalf("after a failed first send: New chat = %d (draft %q), the failed one %d; %d -> %d conversations", next.ID, next.Draft, blank.ID, before, count())
	}
	if err := e.svc.SaveDraft(adminCtx, blank.ID, "half a thought"); err != nil {
		t.Fatal(err)
	}
	if next := start(adminCtx); next.ID != blank.ID || next.Draft != "half a thought" || count() != before {
		t.Fatalf("with a draft: New chat = %+v, want %d with its draft", next, blank.ID)
	}
	if err := e.svc.SaveDraft(adminCtx, blank.ID, ""); err != nil {
		t.Fatal(err)
	}
	// Another person's blank conversation is never handed out.
	mine := start(adminCtx)
	if theirs := start(memberCtx(9)); theirs.ID == mine.ID || theirs.UserID != 9 {
		t.Fatalf("member got %+v, admin's blank is %d", theirs, mine.ID)
	}
	// Without a signed-in actor nothing is created.
	before = count()
	if _, err := e.svc.StartConversation(context.Background()); err == nil || count() != before {
		t.Fatalf("no actor: err %v, %d -> %d conversations", err, before, count())
	}
}

// TestConversationIDsAreNeverReused: a deleted conversation's id stays with
// its charges; a new conversation gets a higher one, also after an upgrade
// from a database that predates the id counter (migration 0650).
func TestConversationIDsAreNeverReused(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Hi."}, Usage: fake.Usage{Prompt: 3, Completion: 2}})
	a := e.conversation("openai", "gpt-4o", "")
	b := e.conversation("openai", "gpt-4o", "")
	for _, id := range []int64{a.ID, b.ID} {
		if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: id, Text: "hello", Source: chat.SourceUI}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.DeleteConversation(adminCtx, b.ID); err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.CreateConversation(adminCtx, chat.ConversationInput{})
	if err != nil || c.ID <= b.ID {
		t.Fatalf("after deleting %d (the newest), create = %d, %v", b.ID, c.ID, err)
	}
	if err := e.svc.DeleteConversation(adminCtx, c.ID); err != nil {
		t.Fatal(err)
	}
	if s, err := e.svc.StartConversation(adminCtx); err != nil || s.ID <= c.ID {
		t.Fatalf("after deleting %d, New chat = %d, %v", c.ID, s.ID, err)
	}

	// An older database: no counter yet. The migration starts it at the
	// highest id anything still refers to (b's, kept by its charge), above
	// the highest conversation left (a).
	for _, q := range []string{`DELETE FROM chat_conversations WHERE id <> ?`, `DROP TABLE chat_conversation_ids`,
		`DELETE FROM schema_migrations WHERE version = 650`} {
		args := []any{}
		if strings.Contains(q, "?") {
			args = append(args, a.ID)
		}
		if _, err := e.db.Writer().Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db, err := store.Open(context.Background(), filepath.Dir(e.db.Path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var last int64
	if err := db.Read().QueryRow(`SELECT last FROM chat_conversation_ids`).Scan(&last); err != nil || last != b.ID {
		t.Fatalf("migrated counter = %d, %v; want %d (a is %d)", last, err, b.ID, a.ID)
	}
}

// TestSnippetKeepsItsLineBreaks: the list's snippet is the text the
// message shows, its line breaks kept: a reply's code block is its code,
// without the fence.
func TestSnippetKeepsItsLineBreaks(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Here:\n```go\nfmt.Println(1)\n```"}, Usage: fake.Usage{Prompt: 8, Completion: 5}})
	c := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: c.ID, Text: "code?", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.ListConversations(adminCtx, "", 0)
	if err != nil || len(list) != 1 || list[0].Snippet != "Here:\nfmt.Println(1)" {
		t.Fatalf("snippet %q, %v", list[0].Snippet, err)
	}
}

// TestSnippetOfALongReply: the list's snippet of a long last reply is the
// start of its shown text; only the reply's first 2 KB are read for it (a
// list load makes a snippet for every conversation listed), and a search
// still finds, and shows, a phrase further on.
func TestSnippetOfALongReply(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	reply := "**Hello** wörld. " + strings.Repeat("Filler text, said again and again. ", 300) + "The *hidden* treasure."
	e.openAI(fake.Script{Chunks: []string{reply}, Usage: fake.Usage{Prompt: 8, Completion: 500}})
	c := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: c.ID, Text: "long?", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.ListConversations(adminCtx, "", 0)
	if err != nil || len(list) != 1 || !strings.HasPrefix(list[0].Snippet, "Hello wörld. Filler text") {
		t.Fatalf("snippet %q, %v", list[0].Snippet, err)
	}
	list, err = e.svc.ListConversations(adminCtx, "hidden treasure", 0)
	if err != nil || len(list) != 1 || !strings.Contains(list[0].Snippet, "The hidden treasure.") {
		t.Fatalf("search: %d found, %v", len(list), err)
	}
}

// searchReply is a reply whose words are split by Markdown.
const searchReply = "**very** important: see [the docs](https://example.com/secret-path) and `go vet`, _Café_ Crème\n\n" +
	"# Heading here\n\n- item one\n- item two\n\n| Col A | Col B |\n|---|---|\n| cell x | cell y |"

// TestSearchReadsTheShownText: the search looks in the text a message
// shows, not its Markdown: a reply's emphasis, code span, heading, list and
// table marks are not in the way, its link is found by its text and not by
// its hidden address, and marks that do not show are not found; a member's
// message shows as typed, so it is searched as typed. Case and accents are
// still aside, and a phrase is not found across two messages, two items or
// two cells. A reply stored by a send (its row is written empty, then its
// text) and rows written at once pass both triggers of migration 0941.
func TestSearchReadsTheShownText(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{searchReply}, Usage: fake.Usage{Prompt: 8, Completion: 40}})
	md := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: md.ID, Text: "Tell me about **stars**", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	// Its title is not the member's message: the snippet shows the message
	// (a title that holds the match is shown alone: TestSnippetShowsTheTitleOnce).
	if _, err := e.svc.UpdateConversation(adminCtx, md.ID, chat.ConversationInput{Title: "Markdown"}); err != nil {
		t.Fatal(err)
	}
	two := e.conversation("openai", "gpt-4o", "")
	for i, m := range []struct{ role, content string }{{"user", "alpha"}, {"assistant", "*beta*"}} {
		if _, err := e.db.Writer().Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'done', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`, fmt.Sprint("two-", i), two.ID, m.role, m.content); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name, q string
		want    int64 // 0: nothing found
		snippet string
	}{
		{"across emphasis", "very important", md.ID, "very important: see the docs and go vet, Café Crème"},
		{"case aside", "VERY IMPORTANT", md.ID, "very important"},
		{"accents aside across emphasis", "cafe creme", md.ID, "Café Crème"},
		{"a link by its text", "see the docs and", md.ID, "see the docs and"},
		{"not by its address", "example.com/secret", 0, ""},
		{"code span", "and go vet,", md.ID, "go vet"},
		{"heading", "heading here", md.ID, "Heading here"},
		{"list item", "item one", md.ID, "item one"},
		{"table cell", "cell x", md.ID, "cell x"},
		{"marks that do not show", "**very**", 0, ""},
		{"heading mark", "# heading", 0, ""},
		{"not across two items", "one item", 0, ""},
		{"not across two cells", "cell x cell", 0, ""},
		{"a member's message as typed", "about **stars**", md.ID, "Tell me about **stars**"},
		{"not across two messages", "alpha beta", 0, ""},
		{"one message of two", "beta", two.ID, "beta"},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, err := e.svc.ListConversations(adminCtx, c.q, 0)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.want == 0 && len(list) != 0:
				t.Fatalf("search %q found %d conversations (%q)", c.q, len(list), list[0].Snippet)
			case c.want != 0 && (len(list) != 1 || list[0].ID != c.want):
				t.Fatalf("search %q found %d conversations, want %d", c.q, len(list), c.want)
			case c.want != 0 && (!strings.Contains(list[0].Snippet, c.snippet) || strings.Contains(list[0].Snippet, "](")):
				t.Fatalf("search %q: snippet %q, want it to show %q", c.q, list[0].Snippet, c.snippet)
			}
		})
	}
}

// TestSearchTextOfEarlierMessages: migration 0941 fills search_text for
// the messages stored before it.
func TestSearchTextOfEarlierMessages(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{searchReply}, Usage: fake.Usage{Prompt: 8, Completion: 40}})
	c := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: c.ID, Text: "hello", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER chat_messages_search_text_insert`, `DROP TRIGGER chat_messages_search_text_update`,
		`ALTER TABLE chat_messages DROP COLUMN search_text`, `DELETE FROM schema_migrations WHERE version = 941`} {
		if _, err := e.db.Writer().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db, err := store.Open(context.Background(), filepath.Dir(e.db.Path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.Read().QueryRow(`SELECT count(*) FROM chat_messages WHERE search_text LIKE '%very important%'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("after the migration, %d messages found by their shown text (%v)", n, err)
	}
}

// TestSnippetShowsTheTitleOnce: a conversation found by its title shows the
// title once. The first message, which gave the title its words, is not
// its snippet; another message that holds the match is, and with none the
// snippet is empty (not the last message, which has nothing to do with the
// match). A match in the messages alone shows the message as before.
func TestSnippetShowsTheTitleOnce(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Stars are suns, far away."}, Usage: fake.Usage{Prompt: 8, Completion: 6}})
	stars := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: stars.ID, Text: "Tell me about Stars", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	long := e.conversation("openai", "gpt-4o", "")
	longText := "Comets: " + strings.Repeat("tails of dust and ice ", 6) + "and more"
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: long.ID, Text: longText, Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	renamed := e.conversation("openai", "gpt-4o", "")
	if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: renamed.ID, Text: "Hello", Source: chat.SourceUI}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.UpdateConversation(adminCtx, renamed.ID, chat.ConversationInput{Title: "Astronomy notes"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, q string
		want    int64
		snippet string // exactly
	}{
		{"in the title and a reply: the reply", "stars", stars.ID, "Stars are suns, far away."},
		{"in the title and only the message that titled it: none", "tell me", stars.ID, ""},
		{"case and accents aside", "TËLL ME", stars.ID, ""},
		{"a long first message, its title cut: none", "comets", long.ID, ""},
		{"in the title only: none, not the last message", "astronomy", renamed.ID, ""},
		{"in the messages only: the message", "hello", renamed.ID, "Hello"},
	} {
		t.Run(c.name, func(t *testing.T) {
			list, err := e.svc.ListConversations(adminCtx, c.q, 0)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(list, func(x chat.Conversation) bool { return x.ID == c.want })
			if i < 0 {
				t.Fatalf("search %q did not find conversation %d", c.q, c.want)
			}
			if list[i].Snippet != c.snippet {
				t.Fatalf("search %q: title %q, snippet %q, want %q", c.q, list[i].Title, list[i].Snippet, c.snippet)
			}
		})
	}
	// Without a search the list shows each conversation's last message, as before.
	list, err := e.svc.ListConversations(adminCtx, "", 0)
	if err != nil || len(list) != 3 || list[0].Snippet != "Stars are suns, far away." || list[2].Snippet != "Stars are suns, far away." {
		t.Fatalf("list %+v, %v", list, err)
	}
}

// TestSnippetIsNotTheTitleAgain: without a search, a conversation whose
// last message gave it its title (its reply gone: superseded, as by a
// regenerate not answered yet) lists no snippet, not the title twice (the
// window shows the model there); one whose last message says more than its
// cut title, or is a reply, lists it as before.
func TestSnippetIsNotTheTitleAgain(t *testing.T) {
	e := newEnv(t, nil)
	e.fund("100")
	e.openAI(fake.Script{Chunks: []string{"Stars are suns."}, Usage: fake.Usage{Prompt: 8, Completion: 4}})
	send := func(text string) chat.Conversation {
		t.Helper()
		c := e.conversation("openai", "gpt-4o", "")
		if _, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: c.ID, Text: text, Source: chat.SourceUI}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	only := send("  Tell me\nabout STARS ")
	longText := "Comets: " + strings.Repeat("tails of dust and ice ", 4) + "and more"
	long := send(longText)
	replied := send("Tell me about Stars")
	if err := e.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE chat_messages SET superseded = 1 WHERE role = 'assistant' AND conversation_id IN (?, ?)`, only.ID, long.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	list, err := e.svc.ListConversations(adminCtx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id             int64
		title, snippet string
	}{
		{only.ID, "Tell me about STARS", ""},
		{long.ID, "Comets: tails of dust and ice tails of dust and ice tails of…", longText},
		{replied.ID, "Tell me about Stars", "Stars are suns."},
	} {
		i := slices.IndexFunc(list, func(x chat.Conversation) bool { return x.ID == c.id })
		if i < 0 || list[i].Title != c.title || list[i].Snippet != c.snippet {
			t.Errorf("conversation %d listed with title %q, snippet %q; want %q, %q", c.id, list[i].Title, list[i].Snippet, c.title, c.snippet)
		}
	}
}

// TestStartEmptyConversationPassesOverADraft: the command line's
// `conversations new` (StartEmptyConversation) does not reuse a blank
// conversation holding a draft, which the window's New chat
// (StartConversation) does, for its composer; it reuses one without.
func TestStartEmptyConversationPassesOverADraft(t *testing.T) {
	e := newEnv(t, nil)
	blank, err := e.svc.StartConversation(adminCtx)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SaveDraft(adminCtx, blank.ID, "typed in the window"); err != nil {
		t.Fatal(err)
	}
	empty, err := e.svc.StartEmptyConversation(adminCtx)
	if err != nil || empty.ID == blank.ID {
		t.Fatalf("StartEmptyConversation = %d, %v; want a new one beside %d (it has a draft)", empty.ID, err, blank.ID)
	}
	if again, err := e.svc.StartEmptyConversation(adminCtx); err != nil || again.ID != empty.ID {
		t.Fatalf("StartEmptyConversation again = %d, %v; want %d reused", again.ID, err, empty.ID)
	}
	// The window's New chat still reuses the newest blank one, draft or not.
	if err := e.svc.SaveDraft(adminCtx, empty.ID, "x"); err != nil {
		t.Fatal(err)
	}
	if ui, err := e.svc.StartConversation(adminCtx); err != nil || ui.ID != empty.ID {
		t.Fatalf("StartConversation = %d, %v; want %d", ui.ID, err, empty.ID)
	}
	if c, err := e.svc.Conversation(adminCtx, blank.ID); err != nil || c.Draft != "typed in the window" {
		t.Fatalf("the first one's draft: %+v, %v", c, err)
	}
}

// TestStartConversationPrefersTheDraft: the window's New chat opens the
// never-sent blank conversation holding its draft, not a newer empty one
// the command line's `conversations new` made meanwhile; between two
// holding a draft, the newer.
func TestStartConversationPrefersTheDraft(t *testing.T) {
	for _, c := range []struct {
		name          string
		cliDraft      string // saved later in the command line's blank one
		want, wantTxt string // "window" or "cli", and the draft New chat hands back
	}{
		{"the newer one is empty", "", "window", "typed offline"},
		{"both hold a draft", "later", "cli", "later"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, nil)
			win, err := e.svc.StartConversation(adminCtx)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.svc.SaveDraft(adminCtx, win.ID, "typed offline"); err != nil {
				t.Fatal(err)
			}
			cli, err := e.svc.StartEmptyConversation(adminCtx)
			if err != nil || cli.ID == win.ID {
				t.Fatalf("conversations new = %d, %v; want a new one", cli.ID, err)
			}
			if c.cliDraft != "" {
				if err := e.svc.SaveDraft(adminCtx, cli.ID, c.cliDraft); err != nil {
					t.Fatal(err)
				}
			}
			want := map[string]int64{"window": win.ID, "cli": cli.ID}[c.want]
			got, err := e.svc.StartConversation(adminCtx)
			if err != nil || got.ID != want || got.Draft != c.wantTxt {
				t.Fatalf("New chat = %d (draft %q), %v; want %d (draft %q)", got.ID, got.Draft, err, want, c.wantTxt)
			}
		})
	}
}
