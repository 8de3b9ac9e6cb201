package gateway_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"meterdesk/backend/chat"
	"meterdesk/backend/ledger"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
	"meterdesk/backend/team"
)

// afterStream is a provider client that runs after once the provider's
// stream has ended, before the gateway settles it.
type afterStream struct {
	providers.Client
	after func()
}

func (a afterStream) Stream(ctx context.Context, req providers.Request, onDelta func(string) error) (providers.Result, error) {
	res, err := a.Client.Stream(ctx, req, onDelta)
	a.after()
	return res, err
}

// outlivingGateway is a second gateway on e's database whose provider
// stream outlives its hold: once the stream has ended, the clock moves past
// chat.HoldTTL and meanwhile runs, before the gateway settles the request.
func outlivingGateway(t *testing.T, e *env, meanwhile func()) *httptest.Server {
	t.Helper()
	client, err := providers.New(providers.Config{Kind: providers.KindOpenAI, BaseURL: e.fake.BaseURL(), APIKey: "sk-test"})
	if err != nil {
		t.Fatal(err)
	}
	slow := afterStream{Client: client, after: func() {
		e.clock.Add(chat.HoldTTL + time.Minute) // the stream outlived its hold
		meanwhile()
	}}
	srv := httptest.NewServer(newGatewayWith(e.db, e.led, rates.New(e.db, nil, e.clock.Now), e.team, slow, e.clock).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// outlivingReply sends "Hi" to gpt-4o, streamed or not, as bob to the
// gateway srv (with the Idempotency-Key idem when not ""), and returns the
// status, the body and the charge its header (streamed: its trailer) says.
func outlivingReply(t *testing.T, e *env, srv *httptest.Server, stream bool, idem string) (status int, body, charged string) {
	t.Helper()
	status, body, charged, _ = outlivingReplyWithHeader(t, e, srv, stream, idem)
	return status, body, charged
}

// outlivingReplyWithHeader is outlivingReply that also gives the response's
// header.
func outlivingReplyWithHeader(t *testing.T, e *env, srv *httptest.Server, stream bool, idem string) (status int, body, charged string, header http.Header) {
	t.Helper()
	resp := postTo(t, srv.URL, e.bobKey, idem, fmt.Sprintf(`{"model":"gpt-4o","stream":%v,"messages":[{"role":"user","content":"Hi"}]}`, stream))
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read the reply: %v", err)
	}
	charged = resp.Header.Get("X-Meterdesk-Credits-Charged")
	if stream {
		charged = resp.Trailer.Get("X-Meterdesk-Credits-Charged")
	}
	return resp.StatusCode, string(raw), charged, resp.Header
}

// checkOutlivedLimit checks the answer to a request that outlived its hold
// and found the member's limit used up: a limit reached, as for a send over
// the limit (429 rate_limit_error limit_exceeded with Retry-After and the
// reset header; streamed, at the end of a 200 stream), never a 402 for
// credits, saying that the reply outlived its hold, that nothing was
// charged, and each of also.
func checkOutlivedLimit(t *testing.T, status int, raw string, header http.Header, stream bool, also ...string) {
	t.Helper()
	ok := strings.Contains(raw, `"code":"limit_exceeded"`) && strings.Contains(raw, `"type":"rate_limit_error"`) &&
		strings.Contains(raw, "outlived its hold") && strings.Contains(raw, "nothing was charged") &&
		!strings.Contains(raw, "insufficient_credits")
	for _, a := range also {
		ok = ok && strings.Contains(raw, a)
	}
	if stream {
		ok = ok && status == 200 // the reply was streamed; the stream ends with the error
	} else {
		ok = ok && status == http.StatusTooManyRequests && header.Get("Retry-After") != "" &&
			header.Get("X-Meterdesk-Limit-Resets-At") != ""
	}
	if !ok {
		t.Fatalf("status %d (%v): %s", status, header, raw)
	}
}

// checkOutlivedCharge checks the answer to a request that outlived its hold
// and could be charged only want: capped in the body, want in the header
// or trailer; or, where want is "0", refused with insufficient_credits
// (402; streamed, at the end of a 200 stream) saying that the reply
// outlived its hold, and each of also.
func checkOutlivedCharge(t *testing.T, status int, raw, charged string, stream bool, want string, also ...string) {
	t.Helper()
	if want != "0" {
		if status != 200 || charged != want ||
			!strings.Contains(raw, `"credits_charged":"`+want+`"`) || !strings.Contains(raw, `"capped":true`) {
			t.Fatalf("status %d, charged %q: %s", status, charged, raw)
		}
		return
	}
	wantStatus := http.StatusPaymentRequired
	if stream {
		wantStatus = 200 // the reply was streamed; the stream ends with the error
	}
	ok := status == wantStatus && strings.Contains(raw, `"code":"insufficient_credits"`) && strings.Contains(raw, "outlived its hold")
	for _, a := range also {
		ok = ok && strings.Contains(raw, a)
	}
	if !ok {
		t.Fatalf("status %d (want %d): %s", status, wantStatus, raw)
	}
}

// TestRequestOutlivingItsHoldIsCharged: a request whose provider stream
// lasted longer than its hold (chat.HoldTTL) is charged its price, whether
// its expired hold was voided meanwhile by another debit of the payer (the
// pool, for bob) or by a process start; and its Idempotency-Key is then
// used up: the same key again is refused with 409, not sent again for free.
func TestRequestOutlivingItsHoldIsCharged(t *testing.T) {
	for _, meanwhile := range []struct {
		name string
		run  func(t *testing.T, e *env)
		pool string // the pool's balance after it and the charge
	}{
		{"another debit of the pool", func(t *testing.T, e *env) {
			dep, err := e.team.CreateDepartment(e.admin, team.DepartmentInput{Name: "Ops"})
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := e.team.Allocate(e.admin, dep.ID, "1", ""); err != nil {
				t.Errorf("allocate: %v", err)
			}
		}, "98.968"},
		{"a process start voided stale holds", func(t *testing.T, e *env) {
			if n, err := e.led.VoidStaleHolds(e.admin); err != nil || n != 1 {
				t.Errorf("VoidStaleHolds = %d, %v; want 1", n, err)
			}
		}, "99.968"},
	} {
		for _, stream := range []bool{false, true} {
			name := meanwhile.name + ", not streamed"
			if stream {
				name = meanwhile.name + ", streamed"
			}
			t.Run(name, func(t *testing.T) {
				e := newEnv(t, "100")
				srv := outlivingGateway(t, e, func() { meanwhile.run(t, e) })
				status, raw, charged := outlivingReply(t, e, srv, stream, "long-one")
				if status != 200 || charged != okCharge || !strings.Contains(raw, `"credits_charged":"`+okCharge+`"`) {
					t.Fatalf("status %d, charged %q: %s", status, charged, raw)
				}
				if e.charged() != okCharge || e.poolAvailable() != meanwhile.pool {
					t.Fatalf("charged %s, pool %s (want %s)", e.charged(), e.poolAvailable(), meanwhile.pool)
				}
				e.checkLedger()
				// The key was charged: a retry is refused, and the provider is not called again.
				again := postTo(t, srv.URL, e.bobKey, "long-one", `{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`)
				ae := decode[apiErr](t, again.Body)
				again.Body.Close()
				if again.StatusCode != http.StatusConflict || ae.Error.Code == nil || *ae.Error.Code != "idempotency_key_reused" {
					t.Fatalf("the same key again: status %d, %+v", again.StatusCode, ae.Error)
				}
				if n := e.fake.ChatRequests(); n != 1 || e.charged() != okCharge {
					t.Fatalf("%d provider requests, charged %s", n, e.charged())
				}
			})
		}
	}
}

// TestRequestOutlivingItsHoldIsChargedWhatThePayerCanPay: the local API
// charges a request that outlived its hold by chat's rule (the same Meter):
// when the pool was spent meanwhile, capped at what it has left (capped in
// the body, the charge in the header or trailer), never below its policy;
// with nothing left, a 402 (insufficient_credits) and nothing charged.
func TestRequestOutlivingItsHoldIsChargedWhatThePayerCanPay(t *testing.T) {
	for _, tc := range []struct {
		name    string
		left    string // what the pool has left after another debit meanwhile
		charged string // "0": nothing could be charged
	}{
		{"the pool spent down to 0.01 meanwhile", "0.01", "0.01"},
		{"the pool spent to nothing meanwhile", "0", "0"},
	} {
		for _, stream := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, streamed %v", tc.name, stream), func(t *testing.T) {
				e := newEnv(t, "100")
				srv := outlivingGateway(t, e, func() {
					dep, err := e.team.CreateDepartment(e.admin, team.DepartmentInput{Name: "Ops"})
					if err == nil {
						_, err = e.team.Allocate(e.admin, dep.ID, decimal.NewFromInt(100).Sub(decimal.RequireFromString(tc.left)).String(), "")
					}
					if err != nil {
						t.Errorf("spend the pool: %v", err)
					}
				})
				status, raw, charged := outlivingReply(t, e, srv, stream, "")
				checkOutlivedCharge(t, status, raw, charged, stream, tc.charged)
				if e.charged() != tc.charged || e.poolAvailable() != "0" {
					t.Fatalf("charged %s, pool %s; want %s, 0", e.charged(), e.poolAvailable(), tc.charged)
				}
				e.checkLedger()
			})
		}
	}
}

// TestRequestOutlivingItsHoldKeepsTheLimits: the local API charges a
// request that outlived its hold within bob's spending limits, asked for
// the whole price (the voided hold reserves no room): when another send of
// bob's, still running, took the room meanwhile, capped at what his daily
// limit leaves
// (capped in the body, the charge in the header or trailer); with none
// left, a 429 (limit_exceeded, as for a send over the limit) naming the
// limit, and nothing charged.
func TestRequestOutlivingItsHoldKeepsTheLimits(t *testing.T) {
	for _, tc := range []struct {
		name    string
		room    string // what bob's daily limit of 100 leaves beside his other send
		charged string // "0": nothing could be charged
	}{
		{"the limit leaves 0.01", "0.01", "0.01"},
		{"the limit leaves nothing", "0", "0"},
	} {
		for _, stream := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, streamed %v", tc.name, stream), func(t *testing.T) {
				e := newEnv(t, "1000")
				if _, err := e.team.SetLimit(e.admin, team.Limit{UserID: e.bob.ID, Kind: team.LimitDaily, Amount: "100"}); err != nil {
					t.Fatal(err)
				}
				other := decimal.NewFromInt(100).Sub(decimal.RequireFromString(tc.room))
				srv := outlivingGateway(t, e, func() {
					// bob's other send meanwhile, still running: its hold takes the room
					if _, err := e.led.Hold(e.as(e.bob), ledger.HoldRequest{ID: "hold:other", From: ledger.AccountPool, Amount: other,
						TTL: chat.HoldTTL, Dims: ledger.Dims{UserID: e.bob.ID, Model: "gpt-4o", Source: "api"},
						Guard: e.team.LimitGuard(e.bob.ID, "gpt-4o", other)}); err != nil {
						t.Errorf("bob's other send: %v", err)
					}
				})
				status, raw, charged, header := outlivingReplyWithHeader(t, e, srv, stream, "")
				if tc.charged != "0" {
					checkOutlivedCharge(t, status, raw, charged, stream, tc.charged)
				} else {
					checkOutlivedLimit(t, status, raw, header, stream,
						"the daily spending limit of this API key's member (100 credits a day, 100 used) leaves nothing to pay for it")
				}
				if e.charged() != tc.charged {
					t.Fatalf("charged %s, want %s", e.charged(), tc.charged)
				}
				ls, err := e.team.Limits(e.admin, e.bob.ID)
				if err != nil || len(ls) != 1 || ls[0].Used != tc.charged || ls[0].Pending != other.String() || ls[0].Remaining != "0" {
					t.Fatalf("limits %+v, %v; want %s used, %s pending, nothing left", ls, err, tc.charged, other)
				}
				if _, err := e.led.Void(e.admin, "void:other", "hold:other"); err != nil { // the other send ends
					t.Fatal(err)
				}
				e.checkLedger()
			})
		}
	}
}
