package providers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/store"
)

// TestURLCredentialOf: what start-up takes out of a stored base URL
// (MoveURLCredentials), and whether it can be the provider's key.
func TestURLCredentialOf(t *testing.T) {
	for _, tc := range []struct {
		kind    Kind
		raw     string
		ok      bool
		base    string
		key     string
		secrets []string
		what    string
		host    string
	}{
		{KindCompatible, "http://sk-tok1234@localhost:11434/v1/", true, "http://localhost:11434/v1", "sk-tok1234", []string{"sk-tok1234"}, "a token", ""},
		{KindOpenAI, "https://sk-abc123/def456@api.openai.com/v1", true, "https://api.openai.com/v1", "sk-abc123/def456", []string{"sk-abc123/def456"}, "a token", "sk-abc123"},
		{KindCompatible, "http://sk-abc/def@ollama/v1", true, "http://ollama/v1", "sk-abc/def", []string{"sk-abc/def"}, "a token", "sk-abc"},
		{KindCompatible, "https://bob:pa/ss@proxy.example.com/v1", true, "https://proxy.example.com/v1", "", []string{"bob:pa/ss"}, "a user name and password", ""},
		{KindAnthropic, "https://sk-ant-x%2Fy@api.anthropic.com/v1", true, "https://api.anthropic.com", "sk-ant-x/y", []string{"sk-ant-x%2Fy"}, "a token", ""},
		{KindGemini, "https://generativelanguage.googleapis.com/v1beta?key=AIza%2Bk", true, "https://generativelanguage.googleapis.com", "AIza+k", []string{"AIza%2Bk"}, "an API key in its query (key=)", ""},
		{KindCompatible, "https://host.example/v1?api_key=abcd1234&x=1", true, "https://host.example/v1", "", []string{"abcd1234", "1"}, "api_key= and x= in its query, which may be credentials", ""},
		{KindOpenAI, "https://sk-1@api.openai.com/v1?token=t0k3n", true, "https://api.openai.com/v1", "sk-1", []string{"sk-1", "t0k3n"}, "a token, and token= in its query, which may be a credential", ""},
		// Every query parameter's value but a documented plain one
		// (queryValueHidden): ?pwd= and ?foo= were left in the address.
		{KindCompatible, "https://host.example/v1?pwd=hunter2", true, "https://host.example/v1", "", []string{"hunter2"}, "pwd= in its query, which may be a credential", ""},
		{KindCompatible, "https://host.example/v1?pass=p4ss", true, "https://host.example/v1", "", []string{"p4ss"}, "pass= in its query, which may be a credential", ""},
		{KindCompatible, "https://host.example/v1?auth=a1", true, "https://host.example/v1", "", []string{"a1"}, "auth= in its query, which may be a credential", ""},
		{KindCompatible, "https://host.example/v1?sig=s1g", true, "https://host.example/v1", "", []string{"s1g"}, "sig= in its query, which may be a credential", ""},
		{KindCompatible, "https://host.example/v1?apikey=k1", true, "https://host.example/v1", "", []string{"k1"}, "apikey= in its query, which may be a credential", ""},
		{KindCompatible, "https://host.example/v1?api-key=k2", true, "https://host.example/v1", "", []string{"k2"}, "api-key= in its query, which may be a credential", ""},
		{KindCompatible, "https://host.example/v1?access_token=t", true, "https://host.example/v1", "", []string{"t"}, "access_token= in its query, which may be a credential", ""},
		{KindGemini, "https://generativelanguage.googleapis.com/v1beta?x-goog-api-key=AIzaQ", true, "https://generativelanguage.googleapis.com", "", []string{"AIzaQ"}, "x-goog-api-key= in its query, which may be a credential", ""},
		{KindCompatible, "https://host.example/v1?foo=bar", true, "https://host.example/v1", "", []string{"bar"}, "foo= in its query, which may be a credential", ""},
		{KindCompatible, "https://host.example/v1?sk-bare123", true, "https://host.example/v1", "", []string{"sk-bare123"}, "a value with no name in its query, which may be a credential", ""},
		{KindCompatible, "https://host.example/v1?api-version=2024-02-01&pwd=pw", true, "https://host.example/v1", "", []string{"pw"}, "pwd= in its query, which may be a credential", ""},
		// A fragment's name=value parts by the same rule: they stayed in
		// the plain base_url column, hidden only where shown.
		{KindCompatible, "https://host.example/v1#access_token=t0k3n", true, "https://host.example/v1", "", []string{"t0k3n"}, "access_token= in its fragment, which may be a credential", ""},
		{KindGemini, "https://generativelanguage.googleapis.com/v1beta#key=AIzaF", true, "https://generativelanguage.googleapis.com", "AIzaF", []string{"AIzaF"}, "an API key in its fragment (key=)", ""},
		{KindCompatible, "https://host.example/v1?api-version=1#key=k3y&anchor", true, "https://host.example/v1", "", []string{"k3y"}, "key= in its fragment, which may be a credential", ""},
		{KindCompatible, "https://host.example/v1?stream=true&pwd=pw&sk-b4re#access_token=t", true, "https://host.example/v1", "", []string{"true", "pw", "sk-b4re", "t"}, "stream=, pwd= and a value with no name in its query and access_token= in its fragment, which may be credentials", ""},
		{KindGemini, "https://generativelanguage.googleapis.com/v1beta?key=AIzaK&stream=true", true, "https://generativelanguage.googleapis.com", "AIzaK", []string{"AIzaK", "true"}, "an API key in its query (key=), and stream= in its query, which may be a credential", ""},
		// No credential: as the row has it.
		{KindCompatible, "http://localhost:11434/v1", false, "", "", nil, "", ""},
		{KindCompatible, "https://host.example/v1?api-version=2024-02-01", false, "", "", nil, "", ""},
		{KindCompatible, "https://host.example/v1?api-version&alt=sse&.", false, "", "", nil, "", ""}, // as hideQueryCredentials shows it
		{KindCompatible, "https://host.example/v1#usage-tiers", false, "", "", nil, "", ""},           // an anchor
		{KindCompatible, "http://ollama/v1/@x", false, "", "", nil, "", ""},
		{KindCompatible, "https://host.example/v1/me@x", false, "", "", nil, "", ""},
	} {
		c, ok := urlCredentialOf(tc.kind, tc.raw)
		if ok != tc.ok {
			t.Errorf("%s: ok %v, want %v (%+v)", tc.raw, ok, tc.ok, c)
			continue
		}
		if !ok {
			continue
		}
		if c.base != tc.base || c.key != tc.key || !reflect.DeepEqual(c.secrets, tc.secrets) || c.what != tc.what || c.host != tc.host {
			t.Errorf("%s: %+v; want base %q key %q secrets %q what %q host %q", tc.raw, c, tc.base, tc.key, tc.secrets, tc.what, tc.host)
		}
	}
}

// TestURLCredentialMovedMeanwhile: two processes opening the folder at once
// both find the row; the one that writes second finds its address changed
// and skips it (Open must not fail), writing nothing and keeping no key.
func TestURLCredentialMovedMeanwhile(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewService(db, dir, ServiceOptions{Vault: &Sealed{Dir: dir}})
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
			VALUES ('Lab', 'openai_compatible', 'http://sk-token-123456@127.0.0.1:9/v1', 'ref', 'none', '', '')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	stale, err := s.load(ctx, db.Read(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if moved, err := s.MoveURLCredentials(ctx); err != nil || len(moved) != 1 { // the other process
		t.Fatalf("first: %+v, %v", moved, err)
	}
	var audits int
	db.Read().QueryRow("SELECT count(*) FROM audit_log").Scan(&audits)
	if _, err := s.moveURLCredential(ctx, access.System, stale); !errors.Is(err, errMovedMeanwhile) {
		t.Fatalf("second: %v", err)
	}
	var after int
	db.Read().QueryRow("SELECT count(*) FROM audit_log").Scan(&after)
	if after != audits {
		t.Errorf("the second wrote %d audit entries", after-audits)
	}
	if moved, err := s.MoveURLCredentials(ctx); err != nil || len(moved) != 0 {
		t.Errorf("again: %+v, %v", moved, err)
	}
}

// TestHideURLCredentials: every URL in an error's text has its
// credentials hidden, an unparsable one quoted by Go (spaces and all)
// too, and a text with none is left as it was.
func TestHideURLCredentials(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`invalid proxy address "http://alice:s3cret@corp proxy:3128": parse "http://alice:s3cret@corp proxy:3128": invalid character " " in host name`,
			`invalid proxy address "http://alice:xxxxx@corp proxy:3128": parse "http://alice:xxxxx@corp proxy:3128": invalid character " " in host name`},
		{`parse "http://alice:s3 cret@proxy:3128": bad`, `parse "http://alice:xxxxx@proxy:3128": bad`},
		{`Post "https://sk-abc123@api.example.com/v1/chat": EOF`, `Post "https://xxxxx@api.example.com/v1/chat": EOF`},
		{`proxy http://bob:pw@10.0.0.1:8080 refused`, `proxy http://bob:xxxxx@10.0.0.1:8080 refused`},
		{`GET https://g.example.com/v1?alt=sse&key=AIzaSECRET#x failed`, `GET https://g.example.com/v1?alt=sse&key=xxxxx#x failed`},
		{`he said "https://host.example/v1 is down, write to me@example.com`, `he said "https://host.example/v1 is down, write to me@example.com`},
		// Every query value but a documented plain one (queryValueHidden):
		// ?pwd= and ?foo= were shown as they were.
		{`GET https://h.example/v1?pwd=hunter2 failed`, `GET https://h.example/v1?pwd=xxxxx failed`},
		{`GET https://h.example/v1?foo=bar&x-goog-api-key=AIzaQ;sig=s failed`, `GET https://h.example/v1?foo=xxxxx&x-goog-api-key=xxxxx;sig=xxxxx failed`},
		{`GET https://h.example/v1?sk-bare123 failed`, `GET https://h.example/v1?xxxxx failed`},
		{`GET https://h.example/v1?api-version=2024-02-01&pageSize=50&limit=20&after_id=m&pwd=p`, `GET https://h.example/v1?api-version=2024-02-01&pageSize=50&limit=20&after_id=m&pwd=xxxxx`},
		{`GET https://h.example/v1?empty=&flag failed`, `GET https://h.example/v1?empty=&xxxxx failed`},
		{`did you mean http://localhost:11434/v1?`, `did you mean http://localhost:11434/v1?`},
		// A URL in a provider's JSON body: '&' is \u0026 there, and the key
		// was shown as alt's value.
		{`400 {"url":"https://g.example.com/v1?alt=sse\u0026key=AIzaSECRET"}`, `400 {"url":"https://g.example.com/v1?alt=sse\u0026key=xxxxx"}`},
		// A fragment's name=value parts (an OAuth-style #access_token=…);
		// a bare one, an anchor of the provider's documentation, stays.
		{`GET https://h.example/cb#access_token=tok123&state=s failed`, `GET https://h.example/cb#access_token=xxxxx&state=xxxxx failed`},
		{`GET https://h.example/v1?alt=sse#key=AIzaSECRET failed`, `GET https://h.example/v1?alt=sse#key=xxxxx failed`},
		{`see https://platform.example.com/docs/guides/rate-limits#usage-tiers`, `see https://platform.example.com/docs/guides/rate-limits#usage-tiers`},
		// The link a Gemini error gives to enable its API: the project is
		// no secret, and hidden the link opens none.
		{`Generative Language API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456789 then retry.`,
			`Generative Language API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456789 then retry.`},
		{`GET https://h.example/v1?api-version&alt=sse&. failed`, `GET https://h.example/v1?api-version&alt=sse&. failed`},
		// A percent-encoded URL standing alone: its query values and user
		// part were shown as they were.
		{`bad redirect https%3A%2F%2Fhost%2Fv1%3Fkey%3DAIzaSECRET%26alt%3Dsse refused`, `bad redirect https%3A%2F%2Fhost%2Fv1%3Fkey%3Dxxxxx%26alt%3Dsse refused`},
		{`"url":"https%3a%2f%2fhost%2fv1%3fpwd%3dhunter2%23access_token%3dt0k"`, `"url":"https%3a%2f%2fhost%2fv1%3fpwd%3dxxxxx%23access_token%3dxxxxx"`},
		{`bad: client_id%3Dx%26redirect_uri%3Dhttps%3A%2F%2Fh%2Fcb%3Ftoken%3Dt0k3n`, `bad: client_id%3Dx%26redirect_uri%3Dhttps%3A%2F%2Fh%2Fcb%3Ftoken%3Dxxxxx`},
		{`https%3A%2F%2Fh%2Fv1%3Fkey%3Dk3y`, `https%3A%2F%2Fh%2Fv1%3Fkey%3Dxxxxx`},
		{`proxy http%3A%2F%2Fbob%3Apw%40proxy%3A3128 refused`, `proxy http%3A%2F%2Fbob%3Axxxxx%40proxy%3A3128 refused`},
		{`login?next=https%3A%2F%2Fh%2Fcb%3Fsig%3Ds1g%20x&state=abc`, `login?next=https%3A%2F%2Fh%2Fcb%3Fsig%3Dxxxxx&state=abc`},
		{`see https%3A%2F%2Fhost%2Fv1%3Fapi-version%3D2024-02-01 and https%3A%2F%2Fhost%2Fdocs%23usage`, `see https%3A%2F%2Fhost%2Fv1%3Fapi-version%3D2024-02-01 and https%3A%2F%2Fhost%2Fdocs%23usage`},
		// Inside a URL written as it is, the outer URL's rule hides it whole.
		{`GET https://h.example/cb?next=https%3A%2F%2Fx%2F%3Fkey%3Dabc failed`, `GET https://h.example/cb?next=xxxxx failed`},
		{`cannot connect to api.example.com: connection refused`, `cannot connect to api.example.com: connection refused`},
		{`Post "https://api.example.com/v1/chat/completions": EOF`, `Post "https://api.example.com/v1/chat/completions": EOF`},
	} {
		if got := hideURLCredentials(c.in); got != c.want {
			t.Errorf("hideURLCredentials(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// TestURLCredentialNoticeNamesTheAddressAsItWas: the notice (and the audit
// entry) shows the old address with only the credential hidden, not every
// other place its text happens to stand in the address: a token "v1" in
// "https://api.example.com/v1?token=v1" read "https://api.example.com/xxxxx?token=xxxxx".
func TestURLCredentialNoticeNamesTheAddressAsItWas(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewService(db, dir, ServiceOptions{Vault: &Sealed{Dir: dir}})
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
			VALUES ('Lab', 'openai_compatible', 'https://api.example.com/v1?token=v1', 'ref', 'none', '', '')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	moved, err := s.MoveURLCredentials(ctx)
	if err != nil || len(moved) != 1 {
		t.Fatalf("%+v, %v", moved, err)
	}
	const want = "Its saved address (https://api.example.com/v1?token=xxxxx) held token= in its query, which may be a credential; it was removed (no provider sends it)"
	if !strings.HasPrefix(moved[0].Notice, want) {
		t.Errorf("notice:\n got %q\nwant %q…", moved[0].Notice, want)
	}
	var before string
	if err := db.Read().QueryRow("SELECT before_json FROM audit_log WHERE action = 'provider.url_credential'").Scan(&before); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(before, `"https://api.example.com/v1?token=xxxxx"`) {
		t.Errorf("audit entry's before: %s", before)
	}
}

// TestShortURLCredentialsBlankedWhereTheyStandWhole: a credential under 4
// characters ("ab" of "https://ab@host", "v1" of "?token=v1", "x1" of
// "?pwd=x1") was left in the earlier audit entries and the errors stored
// with replies, since blanking it everywhere would blank "/v1" or "ab" in a
// name. It is blanked where it stands whole in a URL after what stood
// before it there (blankWhole); the same text elsewhere is kept.
func TestShortURLCredentialsBlankedWhereTheyStandWhole(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewService(db, dir, ServiceOptions{Vault: &Sealed{Dir: dir}})
	type stored struct{ base, audit, audited, reply, replied string }
	cases := []stored{
		{ // a token as the user part: it becomes the key
			base:    "https://ab@host.example/v1",
			audit:   `{"name":"ab lab","baseUrl":"https://ab@host.example/v1","note":"ab"}`,
			audited: `{"name":"ab lab","baseUrl":"https://xxxxx@host.example/v1","note":"ab"}`,
			reply:   `chat host.example: Post "https://ab@host.example/v1/chat/completions": EOF (ab)`,
			replied: `chat host.example: Post "https://xxxxx@host.example/v1/chat/completions": EOF (ab)`,
		},
		{ // a query value that is also the path's version
			base:    "https://api.example.com/v1?token=v1",
			audit:   `{"baseUrl":"https://api.example.com/v1?token=v1","tokens":"token=v10"}`,
			audited: `{"baseUrl":"https://api.example.com/v1?token=xxxxx","tokens":"token=v10"}`,
			reply:   `GET https://api.example.com/v1?token=v1: refused`,
			replied: `GET https://api.example.com/v1?token=xxxxx: refused`,
		},
		{ // a value after '&' (\u0026 in the JSON), one of a name no credential's, a bare one
			base:    "https://q.example.com/v1?a=1&pwd=x1;zz",
			audit:   `{"baseUrl":"https://q.example.com/v1?a=1\u0026pwd=x1;zz","a":"a=1x","b":"pwd=x1"}`,
			audited: `{"baseUrl":"https://q.example.com/v1?a=xxxxx\u0026pwd=xxxxx;xxxxx","a":"a=1x","b":"pwd=xxxxx"}`,
			reply:   `GET https://q.example.com/v1?a=1&pwd=x1;zz failed`,
			replied: `GET https://q.example.com/v1?a=xxxxx&pwd=xxxxx;xxxxx failed`,
		},
		{ // a bare part whose text stands first in an earlier name: its lead is its own '&'
			base:    "https://r.example.com/v1?abc=1&ab",
			audit:   `{"baseUrl":"https://r.example.com/v1?abc=1\u0026ab"}`,
			audited: `{"baseUrl":"https://r.example.com/v1?abc=xxxxx\u0026xxxxx"}`,
			reply:   `GET https://r.example.com/v1?abc=1&ab failed`,
			replied: `GET https://r.example.com/v1?abc=xxxxx&xxxxx failed`,
		},
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO chat_conversations(id, title, created_at, updated_at) VALUES (1, 'c', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`); err != nil {
			return err
		}
		for i, c := range cases {
			if _, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
				VALUES (?, 'openai_compatible', ?, ?, 'none', '', '')`, fmt.Sprint("P", i), c.base, fmt.Sprint("ref", i)); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_name, action, target, after_json) VALUES ('2026-11-01T00:00:00Z', 'alice', 'provider.add', ?, ?)`,
				fmt.Sprint("provider:", i+1), c.audit); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, error, created_at, updated_at)
				VALUES (?, 1, 'assistant', '', 'error', 'Lab', ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`, fmt.Sprint("m", i), c.reply); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	moved, err := s.MoveURLCredentials(ctx)
	if err != nil || len(moved) != len(cases) {
		t.Fatalf("%+v, %v", moved, err)
	}
	for i, c := range cases {
		var audit, reply string
		if err := db.Read().QueryRow(`SELECT after_json FROM audit_log WHERE action = 'provider.add' AND target = ?`, fmt.Sprint("provider:", i+1)).Scan(&audit); err != nil {
			t.Fatal(err)
		}
		if err := db.Read().QueryRow(`SELECT error FROM chat_messages WHERE uid = ?`, fmt.Sprint("m", i)).Scan(&reply); err != nil {
			t.Fatal(err)
		}
		if audit != c.audited {
			t.Errorf("%s: audit entry\n got %s\nwant %s", c.base, audit, c.audited)
		}
		if reply != c.replied {
			t.Errorf("%s: stored error\n got %s\nwant %s", c.base, reply, c.replied)
		}
	}
}

// TestPlainQueryValuesBlankedOnlyInTheirURL: a stored base URL's query
// values are all taken out (queryValueHidden), but one under a name no
// credential's ("true" of ?stream=true, "gpt-4o" of ?model=gpt-4o) is
// blanked only where it stands in a URL after its name=, not wherever it
// stands: it was blanked in every audit entry and stored error, so an
// unrelated rates entry read {"model":"xxxxx","active":xxxxx}, no longer
// JSON. A credential-named one (api_key=) still goes wherever it stands.
func TestPlainQueryValuesBlankedOnlyInTheirURL(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewService(db, dir, ServiceOptions{Vault: &Sealed{Dir: dir}})
	const base = "https://api.example.com/v1?stream=true&model=gpt-4o&api_key=sk-abcdef123"
	audits := []struct{ action, before, after string }{
		{"provider.add", `{"baseUrl":"https://api.example.com/v1?stream=true\u0026model=gpt-4o\u0026api_key=sk-abcdef123","note":"sk-abcdef123"}`,
			`{"baseUrl":"https://api.example.com/v1?stream=xxxxx\u0026model=xxxxx\u0026api_key=xxxxx","note":"xxxxx"}`},
		{"rates.set", `{"model":"gpt-4o","active":true}`, `{"model":"gpt-4o","active":true}`},
	}
	replies := []struct{ before, after string }{
		{`Post "https://api.example.com/v1?stream=true&model=gpt-4o&api_key=sk-abcdef123": EOF`,
			`Post "https://api.example.com/v1?stream=xxxxx&model=xxxxx&api_key=xxxxx": EOF`},
		{`gpt-4o is busy (retry true)`, `gpt-4o is busy (retry true)`},
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO chat_conversations(id, title, created_at, updated_at) VALUES (1, 'c', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
			VALUES ('P', 'openai_compatible', ?, 'ref', 'none', '', '')`, base); err != nil {
			return err
		}
		for _, a := range audits {
			if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_name, action, target, after_json) VALUES ('2026-11-01T00:00:00Z', 'alice', ?, 'x', ?)`,
				a.action, a.before); err != nil {
				return err
			}
		}
		for i, r := range replies {
			if _, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, error, created_at, updated_at)
				VALUES (?, 1, 'assistant', '', 'error', 'P', ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`, fmt.Sprint("m", i), r.before); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if moved, err := s.MoveURLCredentials(ctx); err != nil || len(moved) != 1 {
		t.Fatalf("%+v, %v", moved, err)
	}
	for _, a := range audits {
		var got string
		if err := db.Read().QueryRow(`SELECT after_json FROM audit_log WHERE action = ?`, a.action).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != a.after {
			t.Errorf("%s entry\n got %s\nwant %s", a.action, got, a.after)
		}
	}
	for i, r := range replies {
		var got string
		if err := db.Read().QueryRow(`SELECT error FROM chat_messages WHERE uid = ?`, fmt.Sprint("m", i)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != r.after {
			t.Errorf("stored error\n got %s\nwant %s", got, r.after)
		}
	}
}

// TestShortQueryCredentialBlankedOnlyInItsURL: a short value under a
// credential's name in a stored base URL ("?auth=none", "?key=1234"), or a
// short user part ("http://admin@192.168.1.5:8080/v1": "role":"admin"), is
// blanked in the audit log and the stored errors only where it stands
// whole after its name: it was blanked wherever it stood, and another
// provider's entry read "keyStore":"xxxxx" and "http://localhost:xxxxx/v1".
// A long one (a key) is still blanked wherever it stands.
func TestShortQueryCredentialBlankedOnlyInItsURL(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewService(db, dir, ServiceOptions{Vault: &Sealed{Dir: dir}})
	audits := []struct{ target, before, after string }{
		{"provider:1", `{"baseUrl":"http://localhost:1234/v1?auth=none\u0026key=1234\u0026token=tok-long-1234567","keyStore":"none"}`,
			`{"baseUrl":"http://localhost:1234/v1?auth=xxxxx\u0026key=xxxxx\u0026token=xxxxx","keyStore":"none"}`},
		{"provider:9", `{"name":"Other","baseUrl":"http://localhost:1234/v1","keyStore":"none","note":"tok-long-1234567"}`,
			`{"name":"Other","baseUrl":"http://localhost:1234/v1","keyStore":"none","note":"xxxxx"}`},
		{"user:2", `{"name":"bob","role":"admin"}`, `{"name":"bob","role":"admin"}`},
	}
	replies := []struct{ before, after string }{
		{`Post "http://localhost:1234/v1?auth=none&key=1234&token=tok-long-1234567": EOF`,
			`Post "http://localhost:1234/v1?auth=xxxxx&key=xxxxx&token=xxxxx": EOF`},
		{`cannot connect to localhost:1234: auth none`, `cannot connect to localhost:1234: auth none`},
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO chat_conversations(id, title, created_at, updated_at) VALUES (1, 'c', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
			VALUES ('Lab', 'openai_compatible', 'http://localhost:1234/v1?auth=none&key=1234&token=tok-long-1234567', 'ref', 'none', '', '')`); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
			VALUES ('LAN', 'openai_compatible', 'http://admin@192.168.1.5:8080/v1', 'ref2', 'none', '', '')`); err != nil {
			return err
		}
		for _, a := range audits {
			if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_name, action, target, after_json) VALUES ('2026-11-01T00:00:00Z', 'alice', 'provider.add', ?, ?)`,
				a.target, a.before); err != nil {
				return err
			}
		}
		for i, r := range replies {
			if _, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, error, created_at, updated_at)
				VALUES (?, 1, 'assistant', '', 'error', 'Lab', ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`, fmt.Sprint("m", i), r.before); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if moved, err := s.MoveURLCredentials(ctx); err != nil || len(moved) != 2 {
		t.Fatalf("%+v, %v", moved, err)
	}
	for _, a := range audits {
		var got string
		if err := db.Read().QueryRow(`SELECT after_json FROM audit_log WHERE action = 'provider.add' AND target = ?`, a.target).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != a.after {
			t.Errorf("%s entry\n got %s\nwant %s", a.target, got, a.after)
		}
	}
	for i, r := range replies {
		var got string
		if err := db.Read().QueryRow(`SELECT error FROM chat_messages WHERE uid = ?`, fmt.Sprint("m", i)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != r.after {
			t.Errorf("stored error\n got %s\nwant %s", got, r.after)
		}
	}
}

// TestCredentialInsideAnotherBlankedWhole: a stored base URL whose
// credential is part of a longer one ("?key=abcdefgh&token=abcdefgh-XYZ1234")
// has both blanked whole in earlier audit entries, stored errors and the
// notice: blanked in the URL's order, the shorter cut the longer to
// "xxxxx-XYZ1234", which was then not found and kept its tail.
func TestCredentialInsideAnotherBlankedWhole(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewService(db, dir, ServiceOptions{Vault: &Sealed{Dir: dir}})
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO chat_conversations(id, title, created_at, updated_at) VALUES (1, 'c', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
			VALUES ('Lab', 'openai_compatible', 'https://lab.example.com/v1?key=abcdefgh&token=abcdefgh-XYZ1234', 'ref', 'none', '', '')`); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_name, action, target, after_json) VALUES ('2026-11-01T00:00:00Z', 'alice', 'provider.test', 'provider:1', ?)`,
			`{"error":"refused abcdefgh-XYZ1234"}`); err != nil {
			return err
		}
		_, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, error, created_at, updated_at)
			VALUES ('m', 1, 'assistant', '', 'error', 'Lab', 'refused abcdefgh-XYZ1234', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	moved, err := s.MoveURLCredentials(ctx)
	if err != nil || len(moved) != 1 {
		t.Fatalf("%+v, %v", moved, err)
	}
	var entry, stored string
	if err := db.Read().QueryRow(`SELECT after_json FROM audit_log WHERE action = 'provider.test'`).Scan(&entry); err != nil {
		t.Fatal(err)
	}
	if err := db.Read().QueryRow(`SELECT error FROM chat_messages WHERE uid = 'm'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if entry != `{"error":"refused xxxxx"}` || stored != "refused xxxxx" {
		t.Errorf("audit entry %s, stored error %q; want the longer credential blanked whole", entry, stored)
	}
	if strings.Contains(moved[0].Notice, "XYZ") {
		t.Errorf("notice names part of a credential: %s", moved[0].Notice)
	}
}

// TestStoredErrorsHiddenAgainUnderTheWiderRule: a database on which the
// start-up job had hidden stored errors' URL credentials when only a
// query value named like one was (its setting
// stored_errors_url_credentials_hidden set) kept "?pwd=hunter2" in the
// file: the job never ran again, though every query value is hidden now.
// It runs once more, and once only.
func TestStoredErrorsHiddenAgainUnderTheWiderRule(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewService(db, dir, ServiceOptions{Vault: &Sealed{Dir: dir}})
	const stored = `GET "https://files.example.com/report?pwd=hunter2-42&api-version=2024-02-01": 403 Forbidden`
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO chat_conversations(id, title, created_at, updated_at) VALUES (1, 'c', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, error, created_at, updated_at)
			VALUES ('m', 1, 'assistant', '', 'error', 'Lab', ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`, stored); err != nil {
			return err
		}
		return store.SetSettingTx(ctx, tx, "stored_errors_url_credentials_hidden", "1")
	}); err != nil {
		t.Fatal(err)
	}
	n, err := s.HideCredentialsInStoredErrors(ctx)
	if err != nil || n != 1 {
		t.Fatalf("hid %d, %v; want the one error", n, err)
	}
	var got string
	if err := db.Read().QueryRow(`SELECT error FROM chat_messages WHERE uid = 'm'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := `GET "https://files.example.com/report?pwd=xxxxx&api-version=2024-02-01": 403 Forbidden`; got != want {
		t.Errorf("stored error\n got %s\nwant %s", got, want)
	}
	assertStoredErrorsJobDone(ctx, t, db, s)
}

// TestFragmentCredentialsMovedOutOfStoredURLs: a credential in a stored
// base URL's fragment ("#access_token=…", a Gemini "#key=…") was hidden
// where the address is shown but left at start-up in the plain base_url
// column, and in the audit entries that repeat it. It goes as a query's
// does: a Gemini key= becomes the key of a provider without one, any other
// is removed; the fragment is dropped; the notice names every name it
// removed, never a value, in one sentence that reads.
func TestFragmentCredentialsMovedOutOfStoredURLs(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewService(db, dir, ServiceOptions{Vault: &Sealed{Dir: dir}})
	cases := []struct {
		kind, base, secret string
		wantBase, notice   string
		asKey              bool
	}{
		{"openai_compatible", "https://frag.example.com/v1#access_token=t0k3n-frag", "t0k3n-frag", "https://frag.example.com/v1",
			"Its saved address (https://frag.example.com/v1#access_token=xxxxx) held access_token= in its fragment, which may be a credential; it was removed (no provider sends it); the address is now https://frag.example.com/v1. If the server needs it, enter the address and API key again.", false},
		{"gemini", "https://generativelanguage.googleapis.com/v1beta#key=AIzaFragKey", "AIzaFragKey", "https://generativelanguage.googleapis.com",
			"Its saved address (https://generativelanguage.googleapis.com/v1beta#key=xxxxx) held an API key in its fragment (key=); it is now the provider's API key, kept encrypted in the data folder, and the address is https://generativelanguage.googleapis.com. Test the connection.", true},
		{"openai_compatible", "https://q.example.com/v1?stream=true&pwd=hunter2", "hunter2", "https://q.example.com/v1",
			"Its saved address (https://q.example.com/v1?stream=xxxxx&pwd=xxxxx) held stream= and pwd= in its query, which may be credentials; they were removed (no provider sends them); the address is now https://q.example.com/v1. If the server needs it, enter the address and API key again.", false},
		{"gemini", "https://generativelanguage.googleapis.com/v1beta?key=AIzaQueryKey#sig=s1gn4ture", "s1gn4ture", "https://generativelanguage.googleapis.com",
			"Its saved address (https://generativelanguage.googleapis.com/v1beta?key=xxxxx#sig=xxxxx) held an API key in its query (key=); it is now the provider's API key, kept encrypted in the data folder, and the address is https://generativelanguage.googleapis.com. It also held sig= in its fragment, which may be a credential; it was removed. Test the connection.", true},
	}
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		for i, c := range cases {
			if _, err := tx.Exec(`INSERT INTO providers(name, kind, base_url, secret_ref, key_store, created_at, updated_at)
				VALUES (?, ?, ?, ?, 'none', '', '')`, fmt.Sprint("P", i), c.kind, c.base, fmt.Sprint("ref", i)); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO audit_log(at, actor_name, action, target, after_json) VALUES ('2026-11-01T00:00:00Z', 'alice', 'provider.add', ?, ?)`,
				fmt.Sprint("provider:", i+1), `{"baseUrl":"`+c.base+`"}`); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	moved, err := s.MoveURLCredentials(ctx)
	if err != nil || len(moved) != len(cases) {
		t.Fatalf("%+v, %v", moved, err)
	}
	for i, c := range cases {
		if moved[i].Notice != c.notice || moved[i].AsKey != c.asKey {
			t.Errorf("%s: as key %v, notice\n got %q\nwant %q", c.base, moved[i].AsKey, moved[i].Notice, c.notice)
		}
		var base, audit string
		if err := db.Read().QueryRow(`SELECT base_url FROM providers WHERE id = ?`, i+1).Scan(&base); err != nil {
			t.Fatal(err)
		}
		if err := db.Read().QueryRow(`SELECT after_json FROM audit_log WHERE action = 'provider.add' AND target = ?`, fmt.Sprint("provider:", i+1)).Scan(&audit); err != nil {
			t.Fatal(err)
		}
		if base != c.wantBase {
			t.Errorf("%s: base_url %q, want %q", c.base, base, c.wantBase)
		}
		if strings.Contains(audit, c.secret) {
			t.Errorf("%s: the audit entry keeps it: %s", c.base, audit)
		}
	}
	// A second open finds nothing left to move.
	if again, err := s.MoveURLCredentials(ctx); err != nil || len(again) != 0 {
		t.Errorf("second run: %+v, %v", again, err)
	}
}

// TestStoredErrorsHiddenAgainForEncodedURLs: a database on which the
// stored-errors job ran before a percent-encoded URL's query values were
// hidden (stored_errors_url_query_values_hidden set) kept
// "key%3DAIza…" in a reply's stored error; the job runs once more, reads
// the errors that hold only an encoded URL, and then not again.
func TestStoredErrorsHiddenAgainForEncodedURLs(t *testing.T) {
	ctx := access.WithActor(context.Background(), access.System)
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := NewService(db, dir, ServiceOptions{Vault: &Sealed{Dir: dir}})
	const stored = `redirect refused: https%3A%2F%2Fg.example.com%2Fv1%3Fkey%3DAIzaSECRET42%26alt%3Dsse`
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO chat_conversations(id, title, created_at, updated_at) VALUES (1, 'c', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, error, created_at, updated_at)
			VALUES ('m', 1, 'assistant', '', 'error', 'Lab', ?, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')`, stored); err != nil {
			return err
		}
		return store.SetSettingTx(ctx, tx, "stored_errors_url_query_values_hidden", "1")
	}); err != nil {
		t.Fatal(err)
	}
	n, err := s.HideCredentialsInStoredErrors(ctx)
	if err != nil || n != 1 {
		t.Fatalf("hid %d, %v; want the one error", n, err)
	}
	var got string
	if err := db.Read().QueryRow(`SELECT error FROM chat_messages WHERE uid = 'm'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if want := `redirect refused: https%3A%2F%2Fg.example.com%2Fv1%3Fkey%3Dxxxxx%26alt%3Dsse`; got != want {
		t.Errorf("stored error\n got %s\nwant %s", got, want)
	}
	assertStoredErrorsJobDone(ctx, t, db, s)
}

// assertStoredErrorsJobDone checks that HideCredentialsInStoredErrors, once
// run, does not run at the next open: an error stored after it (by this
// version, which hides what it stores, so one planted here) is not read
// again. "Hid 0" alone holds whether or not the job ran, once the errors
// it hid are hidden.
func assertStoredErrorsJobDone(ctx context.Context, t *testing.T, db *store.DB, s *Service) {
	t.Helper()
	const planted = `GET "https://files.example.com/x?pwd=planted-after": 403`
	if err := db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO chat_messages(uid, conversation_id, role, content, status, provider, error, created_at, updated_at)
			VALUES ('after', 1, 'assistant', '', 'error', 'Lab', ?, '2026-11-02T00:00:00Z', '2026-11-02T00:00:00Z')`, planted)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.HideCredentialsInStoredErrors(ctx); err != nil || n != 0 {
		t.Errorf("a second open hid %d, %v; want it not run again", n, err)
	}
	var got string
	if err := db.Read().QueryRow(`SELECT error FROM chat_messages WHERE uid = 'after'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != planted {
		t.Errorf("a second open read the stored errors again: %q", got)
	}
}
