package gateway_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/providers/fake"
)

const idemBody = `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`

// postKey sends idemBody as the member of apiKey with an Idempotency-Key,
// and returns the status and the error code ("" on success).
func (e *env) postKey(apiKey, idem string) (int, string) {
	e.t.Helper()
	return e.postKeyTo(e.srv.URL, apiKey, idem)
}

// postKeyTo is postKey to the gateway at url.
func (e *env) postKeyTo(url, apiKey, idem string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/chat/completions", strings.NewReader(idemBody))
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Idempotency-Key", idem)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out struct {
		Error *struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &out)
	if out.Error != nil {
		return resp.StatusCode, out.Error.Code
	}
	return resp.StatusCode, ""
}

// keyedReply is the status and error code of a request postKey sent.
type keyedReply struct {
	code    int
	errCode string
}

// postKeySlowly sends idemBody with the Idempotency-Key idem to this
// process's gateway with a reply that takes 700 ms to start, and returns
// once the provider has the request (its hold is taken): the reply arrives
// on the channel.
func (e *env) postKeySlowly(idem string) <-chan keyedReply {
	e.t.Helper()
	slow := okScript
	slow.FirstDelay = 700 * time.Millisecond
	e.fake.Enqueue(slow)
	before := e.fake.ChatRequests()
	first := make(chan keyedReply, 1)
	go func() {
		code, errCode := e.postKey(e.bobKey, idem)
		first <- keyedReply{code, errCode}
	}()
	for deadline := time.Now().Add(10 * time.Second); e.fake.ChatRequests() == before; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			e.t.Fatal("the first request never reached the provider")
		}
	}
	return first
}

// TestIdempotencyKeyAcrossProcesses: two processes serve the API from one
// data folder (the window's and `meterdesk serve`). A retry sent to the
// other one while the first request still streams is refused (409) before
// any provider request: the ledger lets only one send take an attempt's
// hold, so the provider is asked and the member charged once.
func TestIdempotencyKeyAcrossProcesses(t *testing.T) {
	e := newEnv(t, "100")
	other := e.secondProcess()
	first := e.postKeySlowly("order-1")
	if code, errCode := e.postKeyTo(other.URL, e.bobKey, "order-1"); code != http.StatusConflict || errCode != "idempotency_key_reused" {
		t.Fatalf("the retry to the other process while the first streams: %d %s, want 409 idempotency_key_reused", code, errCode)
	}
	if got := <-first; got.code != http.StatusOK {
		t.Fatalf("first request: %d %s", got.code, got.errCode)
	}
	if code, errCode := e.postKeyTo(other.URL, e.bobKey, "order-1"); code != http.StatusConflict || errCode != "idempotency_key_reused" {
		t.Fatalf("the retry to the other process after the first: %d %s", code, errCode)
	}
	if n := e.fake.ChatRequests(); n != 1 || e.charged() != okCharge {
		t.Fatalf("%d provider requests, %s charged; want 1 and %s", n, e.charged(), okCharge)
	}
	e.checkLedger()
}

// TestIdempotencyKeyAfterACrash: a retry whose first attempt's hold was
// left pending by a process that is gone (a crash: nothing streams for it)
// is sent as the next attempt, not refused until that hold is voided.
func TestIdempotencyKeyAfterACrash(t *testing.T) {
	e := newEnv(t, "100")
	other := e.secondProcess()
	first := e.postKeySlowly("order-1")
	// The first request's process "crashed": its hold names a process that is gone.
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.Writer().Exec(`UPDATE ledger_holds SET owner_pid = ?, owner_instance = 'crashed' WHERE status = 'pending'`,
		dead.Process.Pid); err != nil {
		t.Fatal(err)
	}
	if code, errCode := e.postKeyTo(other.URL, e.bobKey, "order-1"); code != http.StatusOK {
		t.Fatalf("the retry after a crash: %d %s, want it sent", code, errCode)
	}
	<-first
	if n := e.fake.ChatRequests(); n != 2 {
		t.Fatalf("%d provider requests, want 2", n)
	}
	e.checkLedger()
}

// TestIdempotencyKeyChargesOnce: a request repeated with its Idempotency-Key
// (a client retrying after a lost connection) is never sent or charged
// again (409), also while the first still runs; a key whose request was
// refused with nothing charged may be retried; another member's same key is
// theirs; a malformed key is refused.
func TestIdempotencyKeyChargesOnce(t *testing.T) {
	e := newEnv(t, "100")
	if code, errCode := e.postKey(e.bobKey, "order-1"); code != http.StatusOK {
		t.Fatalf("first request: %d %s", code, errCode)
	}
	if code, errCode := e.postKey(e.bobKey, "order-1"); code != http.StatusConflict || errCode != "idempotency_key_reused" {
		t.Fatalf("repeat: %d %s", code, errCode)
	}
	if n := e.fake.ChatRequests(); n != 1 || e.charged() != okCharge {
		t.Fatalf("after a repeat: %d provider requests, %s charged", n, e.charged())
	}

	// Refused by the provider, nothing charged: the same key may try again.
	e.fake.Enqueue(fake.Script{Fault: fake.ServerError})
	if code, _ := e.postKey(e.bobKey, "order-2"); code != http.StatusInternalServerError {
		t.Fatalf("provider error: %d", code)
	}
	if code, errCode := e.postKey(e.bobKey, "order-2"); code != http.StatusOK {
		t.Fatalf("retry after a refusal: %d %s", code, errCode)
	}
	if code, _ := e.postKey(e.bobKey, "order-2"); code != http.StatusConflict {
		t.Fatalf("repeat after the retry: %d", code)
	}

	// A key refused too often (20 attempts, nothing charged) says so.
	for i := 0; i < 20; i++ {
		e.fake.Enqueue(fake.Script{Fault: fake.ServerError})
		if code, _ := e.postKey(e.bobKey, "order-x"); code != http.StatusInternalServerError {
			t.Fatalf("attempt %d: %d", i, code)
		}
	}
	if code, errCode := e.postKey(e.bobKey, "order-x"); code != http.StatusConflict || errCode != "idempotency_key_exhausted" {
		t.Fatalf("after 20 refusals: %d %s", code, errCode)
	}

	// Another member's key of the same name is theirs.
	alice, _ := access.FromContext(e.admin)
	k, err := e.gw.CreateKey(e.admin, alice.UserID, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if code, errCode := e.postKey(k.Secret, "order-1"); code != http.StatusOK {
		t.Fatalf("alice's order-1: %d %s", code, errCode)
	}
	for _, bad := range []string{strings.Repeat("k", 201), "ключ"} {
		if code, errCode := e.postKey(e.bobKey, bad); code != http.StatusBadRequest || errCode != "invalid_value" {
			t.Fatalf("key %.10q: %d %s", bad, code, errCode)
		}
	}

	// Two at once: one is served, the other refused; one provider request.
	e.fake.SetScript(fake.Script{Chunks: []string{"Hello", " world"}, Usage: fake.Usage{Prompt: 8, Completion: 2}, FirstDelay: 300 * time.Millisecond})
	before := e.fake.ChatRequests()
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, _ := e.postKey(e.bobKey, "order-3")
			codes <- code
		}()
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for c := range codes {
		got[c]++
	}
	if got[http.StatusOK] != 1 || got[http.StatusConflict] != 1 || e.fake.ChatRequests() != before+1 {
		t.Fatalf("two at once: %v, %d provider requests", got, e.fake.ChatRequests()-before)
	}
	e.checkLedger()
}
