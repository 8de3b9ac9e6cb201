package app

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/store"
	"meterdesk/backend/team"
)

// hostsOf are the addresses the stored errors below name: none may reach
// a member.
var hostsOf = []string{"meterdesk-test.invalid", "10.0.0.5", "10.1.2.3", "127.0.0.1", "://", "alice:", "s3cret", "corp-proxy", "/chat/completions"}

// storedErrorCase is a failed reply stored as an older version stored it
// (its error the admin's full text) and what each reader reads of it.
type storedErrorCase struct {
	name, provider, stored string
	member                 string // what a member reads; "" = as stored
}

// storedErrorCases: the provider Lab as it is, Moved at another address
// since, Gone removed, Ancient removed before the audit log kept
// providers (no address known), and an error that names no address.
var storedErrorCases = []storedErrorCase{
	{"step with host and IPs", "Lab",
		"chat stream lab.meterdesk-test.invalid:8080: the reply was cut off before it finished: read tcp 10.1.2.3:5555->10.0.0.5:8080: connection reset by peer",
		"chat stream the provider Lab: the reply was cut off before it finished: read tcp [address hidden]->[address hidden]: connection reset by peer"},
	{"a URL", "Lab",
		`the provider stopped responding (timeout): Post "http://lab.meterdesk-test.invalid:8080/v1": context deadline exceeded`,
		`the provider stopped responding (timeout): Post "the provider Lab": context deadline exceeded`},
	{"address changed since", "Moved",
		"chat stream moved-old.meterdesk-test.invalid:8080: the provider sent a malformed response",
		"chat stream the provider Moved: the provider sent a malformed response"},
	{"provider removed", "Gone",
		"chat stream gone.meterdesk-test.invalid:7000: the reply was cut off before it finished",
		"chat stream the provider Gone (since removed): the reply was cut off before it finished"},
	{"no address known", "Ancient",
		"chat stream ancient.meterdesk-test.invalid:7000: the reply was cut off before it finished",
		"the provider Ancient (since removed) failed; its error is shown to admins only, since it may name the provider's address"},
	{"no address in it", "Lab", "the provider kept writing far past the output budget, so the reply was cut off", ""},
	// A proxy's host, credentials, and the provider's URL with its path:
	// none of them the provider's address as stored.
	{"a proxy on the way", "Lab",
		"offline: the provider cannot be reached: cannot connect to lab.meterdesk-test.invalid:8080: its address could not be found (DNS lookup of corp-proxy.meterdesk-test.invalid: no such host)",
		"offline: the provider cannot be reached: cannot reach the provider Lab (the network path to it failed); ask your admin"},
	{"a proxy URL and a path", "Lab",
		"chat lab.meterdesk-test.invalid:8080: upstream http://alice:s3cret@corp-proxy.meterdesk-test.invalid:3128 refused http://lab.meterdesk-test.invalid:8080/v1/chat/completions?stream=true",
		"chat the provider Lab: upstream [address hidden] refused the provider Lab"},
}

// adminReadsOf: what an admin reads of a stored error, where it is not
// the text as stored: the addresses, never a URL's credentials nor its
// query's values but a documented plain one's (?stream= is none).
var adminReadsOf = map[string]string{
	"a proxy URL and a path": "chat lab.meterdesk-test.invalid:8080: upstream http://alice:xxxxx@corp-proxy.meterdesk-test.invalid:3128 refused http://lab.meterdesk-test.invalid:8080/v1/chat/completions?stream=xxxxx",
}

// seedStoredErrors adds the providers of storedErrorCases (through the
// providers service, so the audit log keeps their addresses) and stores
// one conversation of owner per case whose reply failed with its error,
// written to the database as an older version wrote it. It returns the
// conversations' ids, in the cases' order.
func seedStoredErrors(t *testing.T, db *store.DB, provs *providers.Service, admin context.Context, owner int64) []int64 {
	t.Helper()
	add := func(name, base string) providers.Provider {
		p, err := provs.Add(admin, providers.Input{Name: name, Kind: providers.KindCompatible, BaseURL: base})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	add("Lab", "http://lab.meterdesk-test.invalid:8080/v1")
	moved := add("Moved", "http://moved-old.meterdesk-test.invalid:8080/v1")
	if _, err := provs.Update(admin, moved.ID, providers.Input{Name: "Moved", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:1/v1"}); err != nil {
		t.Fatal(err)
	}
	gone := add("Gone", "http://gone.meterdesk-test.invalid:7000/v1")
	if err := provs.Remove(admin, gone.ID); err != nil {
		t.Fatal(err)
	}
	return seedStoredRows(t, db, owner, storedErrorCases)
}

// seedStoredRows writes, for each case, a conversation of owner with a
// question and a reply that failed with the case's error.
func seedStoredRows(t *testing.T, db *store.DB, owner int64, cases []storedErrorCase) []int64 {
	t.Helper()
	var ids []int64
	err := db.Write(context.Background(), func(tx *sql.Tx) error {
		for i, c := range cases {
			const at = "2025-01-02T03:04:05.000Z"
			res, err := tx.Exec(`INSERT INTO chat_conversations(user_id, title, provider, model, created_at, updated_at)
				VALUES (?, ?, ?, 'm', ?, ?)`, owner, "Stored "+c.name, c.provider, at, at)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			ids = append(ids, id)
			if _, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, model, error,
				created_at, updated_at, author_id) VALUES (?, ?, 'user', 'Question', 'done', ?, 'm', '', ?, ?, ?),
				(?, ?, 'assistant', 'Part of an answer', 'interrupted', ?, 'm', ?, ?, ?, ?)`,
				fmt.Sprintf("r%d:user", i), id, c.provider, at, at, owner,
				fmt.Sprintf("r%d", i), id, c.provider, c.stored, at, at, owner); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestStoredErrorsShowAMemberNoAddress: a failed reply stored before a
// member's errors were worded (or by an admin's send) keeps the admin's
// full text; the member who owns it reads it through the window's bound
// methods (Messages, MessagesPage), an export and a search with the
// provider's name instead of its address, IP addresses hidden, a removed
// provider "(since removed)" and one with no address known not at all.
// An admin reads the stored text; an error naming no address is the same
// for both.
func TestStoredErrorsShowAMemberNoAddress(t *testing.T) {
	a, b := openApp(t)
	alice := setUp(t, b)
	lee, err := b.Team.AddMember(alice, team.NewMember{Name: "lee", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"})
	if err != nil {
		t.Fatal(err)
	}
	ids := seedStoredErrors(t, b.DB, b.Providers, alice, lee.ID)
	admin, err := b.Team.Authenticate(context.Background(), "alice", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	member, err := b.Team.Authenticate(context.Background(), "lee", "1234")
	if err != nil {
		t.Fatal(err)
	}
	c := &Chat{app: a}
	for _, who := range []access.Actor{member, admin} {
		a.SetActor(who)
		for i, sc := range storedErrorCases {
			t.Run(who.Name+"/"+sc.name, func(t *testing.T) {
				want := sc.stored
				if who.Role == access.RoleMember && sc.member != "" {
					want = sc.member
				}
				if admin, ok := adminReadsOf[sc.name]; ok && who.Role == access.RoleAdmin {
					want = admin
				}
				msgs, err := c.Messages(ids[i])
				if err != nil || len(msgs) != 2 || msgs[1].Error != want {
					t.Fatalf("Messages: %v\n got %+v\nwant error %q", err, msgs, want)
				}
				page, err := c.MessagesPage(ids[i], 0, 0)
				if err != nil || len(page.Messages) != 2 || page.Messages[1].Error != want {
					t.Fatalf("MessagesPage: %v %+v, want error %q", err, page, want)
				}
				one, err := b.Chat.Message(a.Ctx(), fmt.Sprintf("r%d", i))
				if err != nil || one.Error != want {
					t.Fatalf("Message: %v %q, want %q", err, one.Error, want)
				}
				ex, err := b.Chat.ExportMarkdown(a.Ctx(), ids[i])
				if err != nil {
					t.Fatal(err)
				}
				if who.Role == access.RoleMember {
					noAddress(t, "export", ex.Markdown)
				}
				if !strings.Contains(ex.Markdown, "*Interrupted: ") {
					t.Fatalf("export has no error line:\n%s", ex.Markdown)
				}
				if who.Role == access.RoleAdmin && !strings.Contains(ex.Markdown, strings.SplitN(sc.stored, ":", 2)[0]) {
					t.Fatalf("the admin's export lost the stored error %q:\n%s", sc.stored, ex.Markdown)
				}
			})
		}
		// Search reads what messages show, never their errors: no
		// address finds a conversation, or shows in a snippet.
		a.SetActor(who)
		for _, q := range []string{"meterdesk-test", "10.0.0.5", "Part of"} {
			found, err := c.Conversations(q)
			if err != nil {
				t.Fatal(err)
			}
			if q != "Part of" && len(found) != 0 {
				t.Errorf("%s: a search for %q found %+v", who.Name, q, found)
			}
			for _, f := range found {
				noAddress(t, "snippet", f.Snippet)
			}
		}
	}
}

// noAddress fails t when text names any address of the stored errors.
func noAddress(t *testing.T, what, text string) {
	t.Helper()
	for _, h := range hostsOf {
		if strings.Contains(text, h) {
			t.Fatalf("%s names %q:\n%s", what, h, text)
		}
	}
}

// TestAMembersFailedReplyIsStoredInFullAndReadWorded: a member's reply cut
// off mid-stream is stored with the admin's full text (the address the
// provider was dialled at), which an admin reads back; the member's send
// returns, and a reload reads, the same words with no address.
func TestAMembersFailedReplyIsStoredInFullAndReadWorded(t *testing.T) {
	a, b := openApp(t)
	alice := setUp(t, b)
	if _, err := b.Ledger.TopUp(alice, ledger.TopUpRequest{ID: "t1", Account: ledger.AccountPool, Credits: decimal.RequireFromString("100"),
		Price: "0", Currency: "EUR", Source: "cli"}); err != nil {
		t.Fatal(err)
	}
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello", " there"}, FailAfter: 1, Fault: fake.Drop,
		Usage: fake.Usage{Prompt: 8, Completion: 2}, Models: []string{"gpt-4o"}})
	t.Cleanup(srv.Close)
	if _, err := b.Providers.Add(alice, providers.Input{Name: "fake", Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rates.Apply(alice, rates.Change{Rows: []rates.Row{{Provider: rates.Local, Model: "gpt-4o", Input: "0.002", Output: "0.008"}},
		Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team.AddMember(alice, team.NewMember{Name: "lee", Role: access.RoleMember, SecretKind: team.SecretPIN, Secret: "1234"}); err != nil {
		t.Fatal(err)
	}
	member, err := b.Team.Authenticate(context.Background(), "lee", "1234")
	if err != nil {
		t.Fatal(err)
	}
	a.SetActor(member)
	c := &Chat{app: a}
	prov, model := "fake", "gpt-4o"
	conv, err := c.CreateConversation(chat.ConversationInput{Provider: &prov, Model: &model})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := c.Send(SendInput{ConversationID: conv.ID, MessageID: "m-1", Text: "Hi"})
	if out.Message == nil || out.Message.Status != chat.StatusInterrupted || out.Message.Error == "" {
		t.Fatalf("outcome %+v, want a reply cut off", out)
	}
	host := strings.TrimPrefix(srv.URL, "http://") // 127.0.0.1:PORT
	live := out.Message.Error
	if strings.Contains(live, "127.0.0.1") || !strings.Contains(live, "the provider fake") {
		t.Fatalf("the member's reply reads %q", live)
	}
	var stored string
	if err := b.DB.Read().QueryRow(`SELECT error FROM chat_messages WHERE uid = 'm-1'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stored, host) {
		t.Fatalf("stored %q, want the admin's full text naming %s", stored, host)
	}
	if m, err := b.Chat.Message(a.Ctx(), "m-1"); err != nil || m.Error != live {
		t.Fatalf("the member reads back %q (%v), the send returned %q", m.Error, err, live)
	}
	if m, err := b.Chat.Message(alice, "m-1"); err != nil || m.Error != stored {
		t.Fatalf("the admin reads %q (%v), want %q", m.Error, err, stored)
	}
}
