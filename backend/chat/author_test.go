package chat_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/money"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

// authorEnv is bob's conversation as an earlier version could leave it,
// when an admin could still write into a member's conversation: bob's
// turns, turns written by the admins alice and Dave (who was removed
// since), bob's turn whose reply alice regenerated, and a turn stored
// before its reply could be charged (nothing says who wrote it).
type authorEnv struct {
	*env
	tm         *team.Service
	alice, bob context.Context
	bobID      int64
	conv       chat.Conversation
}

func newAuthorEnv(t *testing.T) *authorEnv {
	t.Helper()
	e := newEnvWith(t, nil)
	tm, alice := newTeam(t, e)
	e.svc = chat.New(e.db, e.led, e.rates, tm, e.res, e.rec, nil) // as backend/core wires it
	e.openAI(fake.Script{Chunks: []string{"Hello."}, Usage: fake.Usage{Prompt: 8, Completion: 2}})
	e.fund("100")
	add := func(name, display string, role access.Role) (int64, context.Context) {
		t.Helper()
		m, err := tm.AddMember(alice, team.NewMember{Name: name, DisplayName: display, Role: role, SecretKind: team.SecretPIN, Secret: "1234"})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID, access.WithActor(context.Background(), access.Actor{UserID: m.ID, Name: name, Role: role})
	}
	a := &authorEnv{env: e, tm: tm, alice: alice}
	a.bobID, a.bob = add("bob", "", access.RoleMember)
	daveID, dave := add("dave", "Dave Admin", access.RoleAdmin)
	a.conv = e.conversationAs(a.bob, "openai", "gpt-4o", "")
	send := func(ctx context.Context, req chat.SendRequest) {
		t.Helper()
		req.ConversationID, req.Source = a.conv.ID, chat.SourceUI
		if _, err := e.svc.Send(ctx, req); err != nil {
			t.Fatalf("send %+v: %v", req, err)
		}
	}
	// An admin's send into bob's conversation, as an earlier version took
	// it: the conversation is lent to them for the send (only the owner
	// writes in one now).
	asAdmin := func(ctx context.Context, req chat.SendRequest) {
		t.Helper()
		actor, _ := access.FromContext(ctx)
		a.exec(`UPDATE chat_conversations SET user_id = ? WHERE id = ?`, actor.UserID, a.conv.ID)
		send(ctx, req)
		a.exec(`UPDATE chat_conversations SET user_id = ? WHERE id = ?`, a.bobID, a.conv.ID)
	}
	send(a.bob, chat.SendRequest{Text: "Hi"})
	asAdmin(alice, chat.SendRequest{Text: "Alice here"})
	asAdmin(dave, chat.SendRequest{Text: "Dave here"})
	send(a.bob, chat.SendRequest{Text: "Again"})
	asAdmin(alice, chat.SendRequest{Regenerate: true})
	// A turn whose reply failed before it was charged: no charge names
	// its sender.
	a.exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, created_at, updated_at) VALUES
		('lost:user', ?, 'user', 'Lost', 'done', '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z'),
		('lost', ?, 'assistant', '', 'error', '2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z')`, a.conv.ID, a.conv.ID)
	if _, err := tm.RemoveMember(alice, daveID); err != nil {
		t.Fatal(err)
	}
	return a
}

func (a *authorEnv) exec(q string, args ...any) {
	a.t.Helper()
	if _, err := a.db.Writer().Exec(q, args...); err != nil {
		a.t.Fatalf("%s: %v", q, err)
	}
}

// authors lists "content: written by" for each visible message of the
// conversation, as Messages (and MessagesPage, the same) give them.
func (a *authorEnv) authors(ctx context.Context) []string {
	a.t.Helper()
	ms, err := a.svc.Messages(ctx, a.conv.ID)
	if err != nil {
		a.t.Fatal(err)
	}
	page, err := a.svc.MessagesPage(ctx, a.conv.ID, 0, 0)
	if err != nil || len(page.Messages) != len(ms) {
		a.t.Fatalf("page: %d messages, %v (Messages: %d)", len(page.Messages), err, len(ms))
	}
	var out []string
	for i, m := range ms {
		by := ""
		if m.WrittenBy != nil {
			by = m.WrittenBy.Name
		}
		if pb := page.Messages[i].WrittenBy; (pb == nil) != (m.WrittenBy == nil) || pb != nil && *pb != *m.WrittenBy {
			a.t.Errorf("message %s: MessagesPage says written by %v, Messages %v", m.UID, pb, m.WrittenBy)
		}
		if one, err := a.svc.Message(ctx, m.UID); err != nil || (one.WrittenBy == nil) != (m.WrittenBy == nil) {
			a.t.Errorf("Message(%s): written by %v, %v; Messages says %v", m.UID, one.WrittenBy, err, m.WrittenBy)
		}
		out = append(out, m.Role+" "+strings.TrimSuffix(m.Content, ".")+": "+by)
	}
	return out
}

// wantAuthors: who each visible message of bob's conversation is shown as
// written (or sent) by; "" = bob, the owner.
var wantAuthors = []string{
	"user Hi: ", "assistant Hello: ",
	"user Alice here: alice", "assistant Hello: alice",
	"user Dave here: Dave Admin (removed)", "assistant Hello: Dave Admin (removed)",
	"user Again: ", "assistant Hello: alice", // alice regenerated bob's reply
	"user Lost: ", "assistant : ", // nothing records who: read as bob's
}

// TestTurnsWrittenByOthersAreNamed: a turn an admin wrote into a member's
// conversation (before only the owner could), and the reply they sent or
// regenerated there, say who wrote it (Message.WrittenBy, named by the
// people rule: "Dave Admin (removed)"), to the owner and to an admin
// alike; the owner's turns, and turns nothing records the author of, name
// no one. Every send records its author (the actor, the owner now).
// (It was: every turn read as the owner's.)
func TestTurnsWrittenByOthersAreNamed(t *testing.T) {
	a := newAuthorEnv(t)
	for _, ctx := range []context.Context{a.bob, a.alice} {
		if got := a.authors(ctx); strings.Join(got, "\n") != strings.Join(wantAuthors, "\n") {
			t.Errorf("written by:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantAuthors, "\n"))
		}
	}
	if n := a.count(`SELECT count(*) FROM chat_messages WHERE author_id IS NULL`); n != 2 {
		t.Errorf("%d messages with no author recorded, want 2 (the lost turn's)", n)
	}
	if n := a.count(`SELECT count(*) FROM chat_messages WHERE author_id = ? AND content IN ('Hi', 'Again')`, a.bobID); n != 2 {
		t.Errorf("bob's sends recorded %d of his 2 turns as his", n)
	}
}

// TestMigrationNamesTheAuthorsFromTheCharges: a database from before
// migration 0810 records no author; the migration takes each turn's and
// each reply's from the charge of its send (chat_charges.user_id), and
// leaves a turn whose send has no charge unrecorded (read as the owner's).
func TestMigrationNamesTheAuthorsFromTheCharges(t *testing.T) {
	a := newAuthorEnv(t)
	for _, q := range []string{`ALTER TABLE chat_messages DROP COLUMN author_id`, `DELETE FROM schema_migrations WHERE version = 810`} {
		a.exec(q)
	}
	db, err := store.Open(context.Background(), filepath.Dir(a.db.Path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Read().Query(`SELECT uid, author_id FROM chat_messages ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var charged, unknown int
	for rows.Next() {
		var uid string
		var author sql.NullInt64
		if err := rows.Scan(&uid, &author); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(uid, "lost") != !author.Valid {
			t.Errorf("message %s: author %v after the migration", uid, author)
		}
		if author.Valid {
			charged++
		} else {
			unknown++
		}
	}
	if charged != 9 || unknown != 2 { // 4 turns, their replies (1 superseded) and the regenerated one; the lost turn
		t.Errorf("%d messages given an author, %d not; want 9 and 2", charged, unknown)
	}
	if got := a.authors(a.bob); strings.Join(got, "\n") != strings.Join(wantAuthors, "\n") {
		t.Errorf("after the migration, written by:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantAuthors, "\n"))
	}
}

// TestExportNamesOthersAndTheirCharges: the export heads a turn written by
// someone other than the owner with their name, and a reply they sent with
// it, and says how much of the total their sends were charged, per sender.
// The total is still everything the visible replies were charged.
func TestExportNamesOthersAndTheirCharges(t *testing.T) {
	a := newAuthorEnv(t)
	ms, err := a.svc.Messages(a.bob, a.conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	total, others, alice := decimal.Zero, decimal.Zero, decimal.Zero
	for _, m := range ms {
		if m.Charge == nil {
			continue
		}
		amount := decimal.RequireFromString(m.Charge.Amount)
		total = total.Add(amount)
		if m.WrittenBy != nil {
			others = others.Add(amount)
			if m.WrittenBy.Name == "alice" {
				alice = alice.Add(amount)
			}
		}
	}
	if !others.IsPositive() || others.Equal(total) || !alice.LessThan(others) {
		t.Fatalf("test set-up: total %s, by others %s, by alice %s", total, others, alice)
	}
	// The reply alice regenerated was bob's send, and charged: in the
	// total, said apart, and not among others' sends.
	var minor int64
	if err := a.db.Read().QueryRow(`SELECT SUM(amount_minor) FROM chat_charges WHERE conversation_id = ?`, a.conv.ID).Scan(&minor); err != nil {
		t.Fatal(err)
	}
	replaced := money.FromMinor(minor).Sub(total)
	if !replaced.IsPositive() {
		t.Fatalf("test set-up: no replaced reply charged (conversation %s, shown %s)", money.MinorString(minor), total)
	}
	total = total.Add(replaced)
	for _, c := range []struct {
		ctx   context.Context
		owner string // how bob's turns are headed
	}{{a.bob, "You"}, {a.alice, "bob"}} {
		ex, err := a.svc.ExportMarkdown(c.ctx, a.conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			"\n## " + c.owner + "\n\nHi\n",
			"\n## Written by alice\n\nAlice here\n",
			"\n## Assistant · gpt-4o · sent by alice\n\nHello.\n",
			"\n## Written by Dave Admin (removed)\n\nDave here\n",
			"\n## Assistant · gpt-4o · sent by Dave Admin (removed)\n\nHello.\n",
			"\n## " + c.owner + "\n\nAgain\n",
			"\n## " + c.owner + "\n\nLost\n",
			"\nTotal charged: " + money.Display(total) + " credits\n",
			"\nOf which for replaced replies, not shown above (regenerated, or answers to a message edited since): 1 reply, " +
				money.Display(replaced) + " credits\n",
			"\nOf which sent by others than the conversation's owner: " + money.Display(others) + " credits (alice: " +
				money.Display(alice) + " credits; Dave Admin (removed): " + money.Display(others.Sub(alice)) + " credits)\n",
		} {
			if !strings.Contains(ex.Markdown, want) {
				t.Errorf("the export lacks %q:\n%s", want, ex.Markdown)
			}
		}
		if n := strings.Count(ex.Markdown, "## "+c.owner+"\n"); n != 3 {
			t.Errorf("%d turns under %s, want 3 (bob's and the lost one):\n%s", n, c.owner, ex.Markdown)
		}
	}
}

// TestExportOfTheOwnersOwnTurnsNamesNoOne: a conversation only its owner
// wrote in exports as before: the owner's turns under "You" in their own
// export (under their name in an admin's), no "written by" or "sent by",
// and the total without a line for others.
func TestExportOfTheOwnersOwnTurnsNamesNoOne(t *testing.T) {
	a := newAuthorEnv(t)
	c := a.conversationAs(a.bob, "openai", "gpt-4o", "")
	if _, err := a.svc.Send(a.bob, chat.SendRequest{ConversationID: c.ID, Text: "Mine", Source: chat.SourceCLI}); err != nil {
		t.Fatal(err)
	}
	for ctx, owner := range map[context.Context]string{a.bob: "You", a.alice: "bob"} {
		ex, err := a.svc.ExportMarkdown(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(ex.Markdown, "\n## "+owner+"\n\nMine\n") || !strings.Contains(ex.Markdown, "\n## Assistant · gpt-4o\n") ||
			strings.Contains(ex.Markdown, "by ") || strings.Contains(ex.Markdown, "Of which") {
			t.Errorf("export:\n%s", ex.Markdown)
		}
	}
}

// TestExportHeadsTheOwnersTurnsWithTheirNameForOthers: "You" heads the
// owner's turns only in the owner's own export; an admin's export of a
// member's conversation heads them with the owner's name by the people
// rule (the display name, "(removed)" once removed). Before, every export
// said "You", so an admin's file read as the admin's own words.
func TestExportHeadsTheOwnersTurnsWithTheirNameForOthers(t *testing.T) {
	a := newAuthorEnv(t)
	system := access.WithActor(context.Background(), access.System)
	heading := func(ctx context.Context) string {
		t.Helper()
		ex, err := a.svc.ExportMarkdown(ctx, a.conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		// bob's first turn, "Hi", under its heading.
		i := strings.Index(ex.Markdown, "\n\nHi\n")
		if i < 0 {
			t.Fatalf("no turn Hi:\n%s", ex.Markdown)
		}
		head := ex.Markdown[:i]
		return head[strings.LastIndex(head, "\n## ")+4:]
	}
	for _, c := range []struct {
		name   string
		change func()
		bob    string // bob's own export ("" = he can no longer sign in)
		others string // alice's and the system's
	}{
		{"as he is", func() {}, "You", "bob"},
		{"with a display name", func() {
			if _, err := a.tm.UpdateMember(a.alice, a.bobID, team.MemberUpdate{DisplayName: "Bob Martin", Role: access.RoleMember, Funding: team.FundPool}); err != nil {
				t.Fatal(err)
			}
		}, "You", "Bob Martin"},
		{"removed", func() {
			if _, err := a.tm.RemoveMember(a.alice, a.bobID); err != nil {
				t.Fatal(err)
			}
		}, "", "Bob Martin (removed)"},
	} {
		c.change()
		if c.bob != "" {
			if got := heading(a.bob); got != c.bob {
				t.Errorf("%s: bob's own export heads his turns %q, want %q", c.name, got, c.bob)
			}
		}
		for who, ctx := range map[string]context.Context{"alice": a.alice, "the system": system} {
			if got := heading(ctx); got != c.others {
				t.Errorf("%s: %s's export heads bob's turns %q, want %q", c.name, who, got, c.others)
			}
		}
	}
}

// TestExportCountsOthersReplacedSendsAsTheirs: a reply an admin sent and
// that was regenerated since is in the export's total (it was charged) and
// in the line of others' sends, under the admin who sent it, as a reply of
// theirs still shown is.
func TestExportCountsOthersReplacedSendsAsTheirs(t *testing.T) {
	a := newAuthorEnv(t)
	before, err := a.svc.ExportMarkdown(a.bob, a.conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	// alice regenerates the last reply twice (lent the conversation, as
	// newAuthorEnv's earlier sends): the first replaces the reply that
	// failed uncharged, the second her own charged reply.
	aliceID := int64(1)
	a.exec(`UPDATE chat_conversations SET user_id = ? WHERE id = ?`, aliceID, a.conv.ID)
	for range 2 {
		if _, err := a.svc.Send(a.alice, chat.SendRequest{ConversationID: a.conv.ID, Regenerate: true, Source: chat.SourceUI}); err != nil {
			t.Fatal(err)
		}
	}
	a.exec(`UPDATE chat_conversations SET user_id = ? WHERE id = ?`, a.bobID, a.conv.ID)
	ex, err := a.svc.ExportMarkdown(a.bob, a.conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\nTotal charged: 0.224 credits\n",
		"(regenerated, or answers to a message edited since): 2 replies, 0.064 credits\n",
		"\nOf which sent by others than the conversation's owner: 0.16 credits (alice: 0.128 credits; Dave Admin (removed): 0.032 credits)\n",
	} {
		if !strings.Contains(ex.Markdown, want) {
			t.Errorf("the export lacks %q:\nbefore:\n%s\nafter:\n%s", want, before.Markdown, ex.Markdown)
		}
	}
}
