package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// `meterdesk status` prints the chat page's checklist: what is open, with
// the command that does it for an admin, and "ready" in --json. Under
// "Ready to chat: …" it prints the line the window's Getting started shows
// under its heading (Readiness.Summary), which --json had and the text
// left out.
func TestStatusCommand(t *testing.T) {
	dir := t.TempDir()
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	if code, out, errs := runIn(t, "correct horse\n", d("workspace", "setup", "--name", "Acme", "--currency", "EUR",
		"--credit-value", "0.01", "--admin", "alice", "--timezone", "UTC")...); code != 0 {
		t.Fatalf("setup: %d %s %s", code, out, errs)
	}
	code, out, errs := runIn(t, "", d("status")...)
	want := `Ready to chat: no
A few steps before the first metered reply.
[ ] Add a provider: OpenAI, DeepSeek, Gemini, Claude, or a server on this computer such as Ollama.
    meterdesk providers add --name N --kind K [--url URL] [--key-stdin]
[ ] Top up credits: the workspace pool has 0.00 credits available.
    meterdesk credits topup --amount X [--price P --currency C]
[ ] Add your team (optional): each member signs in with a password or PIN and has their own limits and reports.
    meterdesk users add NAME [--pin]
`
	if code != 0 || out != want {
		t.Fatalf("fresh workspace: %d %s\n%s\nwant\n%s", code, errs, out, want)
	}

	for _, args := range [][]string{
		{"providers", "add", "--name", "ollama", "--kind", "openai_compatible", "--url", "http://localhost:11434/v1"},
		{"credits", "topup", "--amount", "500"},
	} {
		if code, out, errs := runIn(t, "", d(args...)...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errs)
		}
	}
	code, out, errs = runIn(t, "", d("--json", "status")...)
	var r struct {
		Ready bool
		Admin bool
		Steps []struct {
			ID   string
			Done bool
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || !r.Ready || !r.Admin || len(r.Steps) != 3 || !r.Steps[0].Done || !r.Steps[1].Done || r.Steps[2].Done {
		t.Fatalf("ready: %d %s %s", code, out, errs)
	}
	code, out, _ = runIn(t, "", d("status")...)
	if code != 0 || !strings.HasPrefix(out, "Ready to chat: yes\nEvery reply is metered and charged to the workspace pool, and shows what it cost.\n[x] Add a provider: 1 configured: ollama.\n[x] Top up credits: the workspace pool has 500.00 credits available.\n") {
		t.Fatalf("ready, text: %d\n%s", code, out)
	}

	// A member sees the two required steps and no commands.
	if code, out, errs := runIn(t, "1234\n", d("users", "add", "bob", "--pin")...); code != 0 {
		t.Fatalf("add bob: %d %s %s", code, out, errs)
	}
	code, out, errs = runIn(t, "1234\n", d("--user", "bob", "status")...)
	if code != 0 || out != "Ready to chat: yes\nEvery reply is metered and charged to the workspace pool, and shows what it cost.\n[x] Add a provider: 1 configured: ollama.\n[x] Credits to spend: the workspace pool has 500.00 credits available.\n" {
		t.Fatalf("member: %d %s\n%s", code, errs, out)
	}
	// A cloud provider offers its catalogue's models, none priced yet: the
	// admin is told what they cost and how to price them; bob is not.
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_PASSWORD", "correct horse") // stdin carries the key
	code, out, errs = runIn(t, "sk-test-0123456789\n", d("--user", "alice", "providers", "add", "--name", "openai", "--kind", "openai",
		"--url", "http://127.0.0.1:9/v1", "--key-stdin")...)
	os.Unsetenv("METERDESK_PASSWORD")
	if code != 0 {
		t.Fatalf("add openai: %d %s %s", code, out, errs)
	}
	code, out, errs = runIn(t, "correct horse\n", d("--user", "alice", "status")...)
	if code != 0 || !strings.HasPrefix(out, "Ready to chat: no\nA few steps before the first metered reply.\n[x] Add a provider: 2 configured: ollama, openai.\n"+
		"[ ] Set rates for openai/gpt-5, openai/gpt-5-mini, openai/gpt-5-nano and 13 more: no model has rates of its own yet: "+
		"they cost the default 1 credit per token until you do. Their rows are under OpenAI on the Rates page.\n"+
		"    meterdesk rates set openai gpt-5 --unit 1m --input X --output Y (or: meterdesk rates import FILE, and so for each model named)\n"+
		"[x] Top up credits:") {
		t.Fatalf("unpriced models: %d %s\n%s", code, errs, out)
	}
	// Once one model has rates of its own, the others at the default rate
	// can chat (charged that rate): a warning, and ready.
	if code, out, errs := runIn(t, "correct horse\n", d("--user", "alice", "rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")...); code != 0 {
		t.Fatalf("rates set: %d %s %s", code, out, errs)
	}
	code, out, errs = runIn(t, "correct horse\n", d("--user", "alice", "status")...)
	if code != 0 || !strings.HasPrefix(out, "Ready to chat: yes\nEvery reply is metered and charged to the workspace pool, and shows what it cost.\n[x] Add a provider: 2 configured: ollama, openai.\n"+
		"[!] 15 models are charged the default rate (openai/gpt-5, openai/gpt-5-mini, openai/gpt-5-nano and 12 more): "+
		"they cost the default 1 credit per token until you set theirs; chatting works meanwhile. Their rows are under OpenAI on the Rates page.\n"+
		"    meterdesk rates set openai gpt-5 --unit 1m --input X --output Y (or: meterdesk rates import FILE, and so for each model named)\n"+
		"[x] Top up credits:") {
		t.Fatalf("some models at the default rate: %d %s\n%s", code, errs, out)
	}
	code, out, _ = runIn(t, "correct horse\n", d("--user", "alice", "--json", "status")...)
	var warned struct {
		Ready bool
		Steps []struct {
			ID      string
			Warning bool
			Rows    []struct{ Provider, Model string }
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &warned) != nil || !warned.Ready || warned.Steps[1].ID != "rates" || !warned.Steps[1].Warning ||
		len(warned.Steps[1].Rows) != 15 || warned.Steps[1].Rows[0].Provider != "openai" || warned.Steps[1].Rows[0].Model != "gpt-5" {
		t.Fatalf("--json with a warning: %d %s", code, out)
	}
	if code, out, _ := runIn(t, "1234\n", d("--user", "bob", "status")...); code != 0 || strings.Contains(out, "rates") || !strings.HasPrefix(out, "Ready to chat: yes\n") {
		t.Fatalf("member, unpriced models: %d\n%s", code, out)
	}
	if code, _, _ := runIn(t, "correct horse\n", d("--user", "alice", "status", "extra")...); code != 2 {
		t.Fatalf("an argument: exit %d, want 2", code)
	}
}

// TestBeforeSetup: before the workspace is set up (the window's first start
// made the database), `status` lists setting it up, and adding a member is
// refused (there is no workspace yet; a member would leave one with no
// admin that could never be set up); setup then works.
func TestBeforeSetup(t *testing.T) {
	dir := unsetDatabase(t)
	d := func(args ...string) []string { return append([]string{"--data-dir", dir}, args...) }
	code, out, errs := runIn(t, "", d("status")...)
	if code != 0 || !strings.HasPrefix(out, "Ready to chat: no\nA few steps before the first metered reply.\n[ ] Set up the workspace: name it, choose its currency and credit value, and add its first admin.\n"+
		"    meterdesk workspace setup --name N --currency EUR --credit-value 0.01 --admin NAME [--pin]\n") || strings.Contains(out, "users add") {
		t.Fatalf("status before setup: %d %s\n%s", code, errs, out)
	}
	before := dbDump(t, dir)
	code, _, errs = runIn(t, "bobpass123\n", d("users", "add", "bob")...)
	if code != ExitNotFound || !strings.Contains(errs, "it was never set up") || !strings.Contains(errs, "meterdesk workspace setup") {
		t.Fatalf("users add before setup: %d %s", code, errs)
	}
	if dbDump(t, dir) != before {
		t.Fatal("a refused member was written")
	}
	if code, out, errs := runIn(t, "correct horse\n", d("workspace", "setup", "--name", "Acme", "--currency", "EUR",
		"--credit-value", "0.01", "--admin", "alice", "--timezone", "UTC")...); code != 0 {
		t.Fatalf("setup: %d %s %s", code, out, errs)
	}
}

// TestExplicitUserGivesThePasswordFirst: in a one-member workspace, --user
// still reads that member's password first (the first stdin line), so a
// script piping "password, then the API key" does not store the password as
// the key; a wrong password is refused.
func TestExplicitUserGivesThePasswordFirst(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	dir := t.TempDir()
	if code, _, errs := runIn(t, "correct horse\n", "--data-dir", dir, "workspace", "setup", "--name", "Acme", "--currency", "EUR",
		"--credit-value", "0.01", "--admin", "alice", "--timezone", "UTC"); code != 0 {
		t.Fatalf("setup: %s", errs)
	}
	add := []string{"--data-dir", dir, "--user", "alice", "providers", "add", "--name", "Local", "--kind", "openai_compatible",
		"--url", "http://127.0.0.1:9/v1", "--key-stdin"}
	if code, _, errs := runIn(t, "wrong horse\nsk-local-key-0001\n", add...); code == 0 || !strings.Contains(errs, "wrong") {
		t.Fatalf("a wrong password: %d %q", code, errs)
	}
	if code, out, errs := runIn(t, "correct horse\nsk-local-key-0001\n", add...); code != 0 || !strings.Contains(out, "…0001") {
		t.Fatalf("password then key: %d %q %q", code, out, errs)
	}
	// Without --user, the only member is signed in and the first line is the key.
	if code, out, errs := runIn(t, "sk-local-key-0002\n", "--data-dir", dir, "providers", "add", "--name", "Local 2",
		"--kind", "openai_compatible", "--url", "http://127.0.0.1:9/v1", "--key-stdin"); code != 0 || !strings.Contains(out, "…0002") {
		t.Fatalf("key alone: %d %q %q", code, out, errs)
	}
}

// TestStatusDetailAfterColon: `status` printed "[ ] Top up credits: The
// workspace pool has …" with a capital after the colon, where the rest of
// the CLI writes lower case ("note: …", "warning: …"). The Detail's first
// word is lowered when it is an ordinary capitalised word; a name keeps
// its capitals, and the window's Detail (--json) is unchanged.
func TestStatusDetailAfterColon(t *testing.T) {
	for _, c := range []struct{ detail, want string }{
		{"The workspace pool has 0.00 credits available.", "the workspace pool has 0.00 credits available."},
		{"Your wallet has 5 credits available.", "your wallet has 5 credits available."},
		{"Each member signs in with a password or PIN.", "each member signs in with a password or PIN."},
		{"They cost the default 1 credit per token. Their rows are under OpenAI.", "they cost the default 1 credit per token. Their rows are under OpenAI."},
		{"A model.", "a model."},
		{"Élan is a word.", "élan is a word."},
		{"OpenAI, DeepSeek, Gemini, Claude, or a server.", "OpenAI, DeepSeek, Gemini, Claude, or a server."},
		{"GPT models.", "GPT models."},
		{"R2 is a name.", "R2 is a name."},
		{"1 configured: ollama.", "1 configured: ollama."},
		{"openai/gpt-5 uses the default rate.", "openai/gpt-5 uses the default rate."},
		{"", ""},
	} {
		if got := afterColon(c.detail); got != c.want {
			t.Errorf("afterColon(%q) = %q, want %q", c.detail, got, c.want)
		}
	}
	// The window's sentence stays as it is.
	d := newDataDir(t, "")
	var r struct{ Steps []struct{ ID, Detail string } }
	if err := json.Unmarshal([]byte(d.must("--json", "status")), &r); err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Steps {
		if s.ID == "credits" && !strings.HasPrefix(s.Detail, "The workspace pool has") {
			t.Errorf("--json detail: %q", s.Detail)
		}
	}
	if out := d.must("status"); !strings.Contains(out, "[ ] Top up credits: the workspace pool has 0.00 credits available.\n") {
		t.Errorf("status:\n%s", out)
	}
}
