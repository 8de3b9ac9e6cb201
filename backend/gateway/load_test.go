package gateway_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"meterdesk/backend/ledger"
	"meterdesk/backend/money"
	"meterdesk/backend/providers/fake"
)

// TestLoadConcurrentStreams runs 200 concurrent streams over loopback, a
// quarter of them cancelled by the client after the first chunk. Afterwards
// every completed stream is charged exactly once at the exact price, the
// ledger's usage equals the recorded charges (nothing lost or doubled), and
// no hold is left.
func TestLoadConcurrentStreams(t *testing.T) {
	const n = 200
	e := newEnv(t, "1000")
	e.fake.SetScript(fake.Script{Chunks: []string{"Hello", " there", " dear", " world"}, Usage: fake.Usage{Prompt: 8, Completion: 2},
		ChunkDelay: 3 * time.Millisecond})
	body := `{"model":"gpt-4o","stream":true,"max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	completed, cancelled := 0, 0
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.srv.URL+"/v1/chat/completions", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+e.bobKey)
			resp, err := client.Do(req)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("request %d: status %d", i, resp.StatusCode)
				return
			}
			if i%4 == 0 { // cancel after the first chunk
				sc := bufio.NewScanner(resp.Body)
				for sc.Scan() && !strings.HasPrefix(sc.Text(), "data: ") {
				}
				cancel()
				mu.Lock()
				cancelled++
				mu.Unlock()
				return
			}
			events := readSSE(t, resp.Body)
			if len(events) == 0 || events[len(events)-1].Data != "[DONE]" {
				t.Errorf("request %d: stream did not finish", i)
				return
			}
			if got := resp.Trailer.Get("X-Meterdesk-Credits-Charged"); got != okCharge {
				t.Errorf("request %d: charged %q", i, got)
			}
			mu.Lock()
			completed++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	e.srv.Close() // waits for every handler (and its settlement) to finish
	if completed != n-n/4 || cancelled != n/4 {
		t.Fatalf("%d completed, %d cancelled", completed, cancelled)
	}
	if got := e.fake.ChatRequests(); got != n {
		t.Fatalf("provider got %d requests", got)
	}
	charges := e.count(`SELECT count(*) FROM chat_charges`)
	if distinct := e.count(`SELECT count(DISTINCT request_id) FROM chat_charges`); distinct != charges {
		t.Fatalf("%d charges for %d requests: doubled", charges, distinct)
	}
	if posts := e.count(`SELECT count(*) FROM ledger_transfers WHERE op = ?`, ledger.OpPost); posts != charges {
		t.Fatalf("%d postings but %d charge rows", posts, charges)
	}
	if charges < completed || charges > n {
		t.Fatalf("%d charges for %d completed streams", charges, completed)
	}
	full := e.count(`SELECT count(*) FROM chat_charges WHERE amount_minor = ?`, money.MustMinor(mustDec(okCharge)))
	if full < completed {
		t.Fatalf("only %d full charges for %d completed streams", full, completed)
	}
	if api := e.count(`SELECT count(*) FROM chat_charges WHERE source = 'api' AND user_id = ?`, e.bob.ID); api != charges {
		t.Fatalf("%d of %d charges are bob's api usage", api, charges)
	}
	pool := mustDec(e.poolAvailable())
	if spent := mustDec("1000").Sub(pool); !spent.Equal(mustDec(e.charged())) {
		t.Fatalf("pool lost %s, charges sum to %s", spent, e.charged())
	}
	e.checkLedger()
}
