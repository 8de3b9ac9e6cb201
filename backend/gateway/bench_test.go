package gateway_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"meterdesk/backend/providers"
	"meterdesk/backend/tokenizer"
)

// BenchmarkGateway measures, side by side in one run, a streamed completion
// sent straight to the fake provider (the providers client, no metering) and
// the same completion through the gateway (HTTP + key check + estimate +
// hold + settle with a real SQLite ledger):
//
//	latency:    one request at a time; reports direct-ms, gateway-ms and added-ms per request
//	streams-64: 64 concurrent streams; reports direct-req/s and gateway-req/s
//
// Run: go test -run '^$' -bench BenchmarkGateway -benchtime 400x ./backend/gateway
func BenchmarkGateway(b *testing.B) {
	if err := tokenizer.Warm(); err != nil { // as the app does at start-up
		b.Fatal(err)
	}
	e := newEnv(b, "100000000")
	direct, err := providers.New(providers.Config{Kind: providers.KindOpenAI, BaseURL: e.fake.BaseURL(), APIKey: "sk-test"})
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	body := `{"model":"gpt-4o","stream":true,"max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`
	viaGateway := func() error {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/v1/chat/completions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.bobKey)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != 200 || !strings.Contains(string(b), "[DONE]") {
			return io.ErrUnexpectedEOF
		}
		return nil
	}
	viaDirect := func() error {
		_, err := direct.Stream(context.Background(), providers.Request{Model: "gpt-4o", MaxTokens: 10,
			Messages: []providers.Message{{Role: "user", Content: "Hi"}}}, func(string) error { return nil })
		return err
	}

	b.Run("latency", func(b *testing.B) {
		var dTotal, gTotal time.Duration
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			if err := viaDirect(); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if err := viaGateway(); err != nil {
				b.Fatal(err)
			}
			dTotal += t1.Sub(t0)
			gTotal += time.Since(t1)
		}
		n := float64(b.N)
		b.ReportMetric(float64(dTotal.Microseconds())/1000/n, "direct-ms")
		b.ReportMetric(float64(gTotal.Microseconds())/1000/n, "gateway-ms")
		b.ReportMetric(float64((gTotal-dTotal).Microseconds())/1000/n, "added-ms")
	})

	b.Run("streams-64", func(b *testing.B) {
		run := func(fn func() error) float64 {
			var next atomic.Int64
			var wg sync.WaitGroup
			start := time.Now()
			for w := 0; w < 64; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						if err := fn(); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			return float64(b.N) / time.Since(start).Seconds()
		}
		b.ReportMetric(run(viaDirect), "direct-req/s")
		b.ReportMetric(run(viaGateway), "gateway-req/s")
	})
}
