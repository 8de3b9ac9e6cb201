package gateway_test

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"meterdesk/backend/providers/fake"
)

// TestRefusalForCreditsSaysWhatRunningRequestsHold: a script sending
// requests in parallel, each holding its whole max_tokens while it runs,
// gets a 402 saying "only 3.984 are available" while /v1/credits showed 10
// a moment before and shows about that again once the first finishes. The
// 402 now says what the requests still running hold ("Another 6.016 credits
// are held by requests still running …"); a 402 with nothing running says
// nothing of it.
func TestRefusalForCreditsSaysWhatRunningRequestsHold(t *testing.T) {
	e := newEnv(t, "10")
	send := func(maxTokens string) (int, string) {
		resp := e.post("/v1/chat/completions", e.bobKey,
			`{"model":"gpt-4o","max_tokens":`+maxTokens+`,"messages":[{"role":"user","content":"Hi"}]}`)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// Nothing running: no word of holds.
	if status, body := send("2000"); status != 402 || strings.Contains(body, "held by requests still running") {
		t.Fatalf("alone: %d %s", status, body)
	}
	e.fake.SetScript(fake.Script{Chunks: []string{"Hello", " world"}, Usage: fake.Usage{Prompt: 8, Completion: 2},
		FirstDelay: 700 * time.Millisecond})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if status, body := send("600"); status != 200 { // holds 8×0.002 + 600×0.01 (the row's reasoning rate) = 6.016
			t.Errorf("first: %d %s", status, body)
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for e.count(`SELECT count(*) FROM ledger_holds WHERE status = 'pending'`) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the first request's hold never came")
		}
		time.Sleep(5 * time.Millisecond)
	}
	status, body := send("1000") // 10.016 > 10 - 6.016
	want := "but only 3.984 are available to bob (this API key's member) from the workspace pool. Another 6.016 credits are held " +
		"by requests still running on that account (each holds its whole max_tokens while it runs), released or charged as they finish."
	if status != 402 || !strings.Contains(body, want) {
		t.Errorf("while another runs: %d %s\nwant %q", status, body, want)
	}
	wg.Wait()
	e.checkLedger()
}
