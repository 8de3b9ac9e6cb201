package gateway_test

import (
	"io"
	"testing"
	"time"

	"meterdesk/backend/gateway"
	"meterdesk/backend/money"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// TestKeyUsageIsCounted: each API key says how many requests with it were
// charged and their credits (Key.Requests, Key.Charged; `meterdesk apikeys
// list`, Settings → API), added in the transaction that posts each charge,
// so the keys' sum is exactly what the ledger charged. Requests charged
// nothing (refused by a limit, malformed) are not counted. Before, the
// list showed only when a key was last used: a member with two scripts
// could not tell which spent what.
func TestKeyUsageIsCounted(t *testing.T) {
	e := newEnv(t, "100")
	second, err := e.gw.CreateKey(e.as(e.bob), e.bob.ID, "second")
	if err != nil {
		t.Fatal(err)
	}
	if second.Requests != 0 || second.Charged != "0" { // a new key says it was charged nothing, not ""
		t.Errorf("new key: %d requests, %q credits", second.Requests, second.Charged)
	}
	const body = `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`
	const stream = `{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}`
	send := func(key, body string, want int) {
		t.Helper()
		resp := e.post("/v1/chat/completions", key, body)
		defer resp.Body.Close()
		_, _ = io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("status %d, want %d", resp.StatusCode, want)
		}
	}
	send(e.bobKey, body, 200)
	send(e.bobKey, body, 200)
	send(second.Secret, stream, 200)
	send(second.Secret, `{"model":"gpt-4o","messages":[]}`, 400) // nothing charged
	if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: "0.1"}); err != nil {
		t.Fatal(err)
	}
	send(second.Secret, body, 429) // refused by the limit: nothing charged

	keys, err := e.gw.ListKeys(e.as(e.bob), e.bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]gateway.Key{}
	for _, k := range keys {
		got[k.Name] = k
	}
	for _, want := range []struct {
		name     string
		requests int64
		charged  string
	}{
		{"test", 2, "0.064"}, // 2 × okCharge
		{"second", 1, okCharge},
	} {
		if k := got[want.name]; k.Requests != want.requests || k.Charged != want.charged {
			t.Errorf("key %q: %d requests, %s credits; want %d, %s", want.name, k.Requests, k.Charged, want.requests, want.charged)
		}
	}
	a, err1 := money.Parse(got["test"].Charged)
	b, err2 := money.Parse(got["second"].Charged)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if sum := money.String(a.Add(b)); sum != e.charged() {
		t.Errorf("the keys were charged %s, the ledger %s", sum, e.charged())
	}
	e.checkLedger()
}

// TestKeyUsageCountRunsPrepared: the key's usage is added in the ledger's
// one writer (every charge's transaction waits on it), with the writer's
// cached statement, as the chat's hot writes are, not parsed and planned
// for every charge.
func TestKeyUsageCountRunsPrepared(t *testing.T) {
	e := newEnv(t, "100")
	for i := 0; i < 2; i++ {
		resp := e.post("/v1/chat/completions", e.bobKey, `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`)
		_, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for !e.db.WriteCached(gateway.CountChargeQuery) {
		if time.Now().After(deadline) {
			t.Fatal("the key's usage count is not in the writer's statement cache: it runs unprepared for every charge")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestKeyUsageWords: a key's usage reads the same in Settings → API and
// `meterdesk apikeys list` (Key.Usage, gateway.KeyUsage), and a key used only
// with a free model reads "1 request, free", as the composer's estimate
// says a free model "costs nothing", not "1 request charged, 0.00 credits".
//
// A key with free and paid requests says how many were free: "2 requests
// (1 free), 0.032 credits"; it read "2 requests charged, 0.032 credits",
// counting the free one as charged (Key.FreeRequests, counted with the
// charge).
func TestKeyUsageWords(t *testing.T) {
	for _, c := range []struct {
		requests, free int64
		charged        string
		want           string
	}{
		{0, 0, "0", "no requests charged yet"},
		{1, 0, "0", "1 request charged, 0.00 credits"}, // charged 0, not free (chat.Free): it said "free"
		{1, 1, "0", "1 request, free"},
		{2, 1, "0", "2 requests (1 free), 0.00 credits"},
		{3, 3, "0", "3 requests, free"},
		{1234, 1234, "0", "1,234 requests, free"},
		{1, 0, "0.072", "1 request charged, 0.072 credits"},
		{1, 0, "1", "1 request charged, 1.00 credits"},
		{2, 0, "0.5", "2 requests charged, 0.50 credits"},
		{1234, 0, "1500.072", "1,234 requests charged, 1,500.072 credits"},
		{5, 2, "12.5", "5 requests (2 free), 12.50 credits"},
		{2, 1, "0.032", "2 requests (1 free), 0.032 credits"},
		{12345, 1234, "1500.072", "12,345 requests (1,234 free), 1,500.072 credits"},
	} {
		if got := gateway.KeyUsage(c.requests, c.free, c.charged); got != c.want {
			t.Errorf("KeyUsage(%d, %d, %q) = %q, want %q", c.requests, c.free, c.charged, got, c.want)
		}
	}

	// Through the API: a free model's request is counted, and said to be free.
	e := newEnv(t, "100")
	free, err := e.gw.CreateKey(e.as(e.bob), e.bob.ID, "ollama")
	if err != nil {
		t.Fatal(err)
	}
	if free.Usage != "no requests charged yet" {
		t.Errorf("new key: %q", free.Usage)
	}
	rs := rates.New(e.db, nil, e.clock.Now)
	if _, err := rs.Apply(e.admin, rates.Change{Rows: []rates.Row{{Provider: rates.OpenAI, Model: "gpt-4o-mini", Input: "0", Output: "0"}},
		Reason: "free"}); err != nil {
		t.Fatal(err)
	}
	resp := e.post("/v1/chat/completions", free.Secret, `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}`)
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	usage := func(want map[string]string, wantFree int64) {
		t.Helper()
		keys, err := e.gw.ListKeys(e.as(e.bob), e.bob.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if k.Usage != want[k.Name] {
				t.Errorf("key %q: %d requests, %s credits, usage %q; want %q", k.Name, k.Requests, k.Charged, k.Usage, want[k.Name])
			}
			if k.Name == "ollama" && k.FreeRequests != wantFree {
				t.Errorf("key ollama: %d free requests, want %d", k.FreeRequests, wantFree)
			}
		}
	}
	usage(map[string]string{"ollama": "1 request, free", "test": "no requests charged yet"}, 1)

	// Then a paid request with it: one of its two was free, and says so.
	resp = e.post("/v1/chat/completions", free.Secret, `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`)
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	usage(map[string]string{"ollama": "2 requests (1 free), " + okCharge + " credits", "test": "no requests charged yet"}, 1)
}

// TestKeyCountsFreeByTheWindowsRule: an API key counts a request as free
// by the window's rule (chat.Free: every line of its charge rated 0 and
// nothing held for it), not because it was charged 0. A model rated 0 for
// input but not for output whose reply generated nothing is charged 0, yet
// was held for its output and is not free: the window's summary says
// "total 0.00 credits", and the key now says "1 request charged, 0.00
// credits". It counted it free ("1 request, free"). A free model's request
// is still free.
func TestKeyCountsFreeByTheWindowsRule(t *testing.T) {
	e := newEnv(t, "100")
	rs := rates.New(e.db, nil, e.clock.Now)
	if _, err := rs.Apply(e.admin, rates.Change{Rows: []rates.Row{{Provider: rates.OpenAI, Model: "gpt-4o-mini", Input: "0", Output: "0.008"}},
		Reason: "input free"}); err != nil {
		t.Fatal(err)
	}
	send := func(key string) {
		t.Helper()
		resp := e.post("/v1/chat/completions", key, `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}`)
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("X-Meterdesk-Credits-Charged") != "0" {
			t.Fatalf("status %d, charged %q: %s", resp.StatusCode, resp.Header.Get("X-Meterdesk-Credits-Charged"), raw)
		}
	}
	e.fake.Enqueue(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 0}}) // an empty reply
	send(e.bobKey)
	free, err := e.gw.CreateKey(e.as(e.bob), e.bob.ID, "free")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Apply(e.admin, rates.Change{Rows: []rates.Row{{Provider: rates.OpenAI, Model: "gpt-4o-mini", Input: "0", Output: "0"}},
		Reason: "free"}); err != nil {
		t.Fatal(err)
	}
	e.fake.Enqueue(fake.Script{Usage: fake.Usage{Prompt: 8, Completion: 0}})
	send(free.Secret)
	keys, err := e.gw.ListKeys(e.as(e.bob), e.bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		free  int64
		usage string
	}{
		"test": {0, "1 request charged, 0.00 credits"},
		"free": {1, "1 request, free"},
	}
	for _, k := range keys {
		if w := want[k.Name]; k.Requests != 1 || k.FreeRequests != w.free || k.Usage != w.usage {
			t.Errorf("key %q: %d requests (%d free), %q; want 1 (%d free), %q", k.Name, k.Requests, k.FreeRequests, k.Usage, w.free, w.usage)
		}
	}
	e.checkLedger()
}
