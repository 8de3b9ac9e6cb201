package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/chat"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/providers"
	"meterdesk/backend/team"
)

// TestInternalErrorsHideTheirText: a failure the client cannot act on is
// answered with a reference, never with its text (paths, queries); a mapped
// error keeps its message.
func TestInternalErrorsHideTheirText(t *testing.T) {
	err := fmt.Errorf("post usage: %w", errors.New("open /home/alice/.local/share/meterdesk/meterdesk.db: disk I/O error"))
	e := mapError(err, time.Now())
	if e.Status != http.StatusInternalServerError || strings.Contains(e.Message, "meterdesk.db") || strings.Contains(e.Message, "alice") ||
		!strings.Contains(e.Message, "reference ") {
		t.Fatalf("internal error answered %d %q", e.Status, e.Message)
	}
	if a, b := mapError(err, time.Now()).Message, mapError(err, time.Now()).Message; a == b {
		t.Fatalf("two internal errors share the reference: %q", a)
	}
}

// TestProviderHangUpAndClientCancelAreNotInternal: a provider that closes
// the connection without answering is the provider's failure (502,
// interrupted), and a client that went away (a cancel, or a write to it
// that failed: a broken pipe) is no internal error either.
func TestProviderHangUpAndClientCancelAreNotInternal(t *testing.T) {
	hungUp := fmt.Errorf("send: %w", fmt.Errorf("chat x: %w: Post \"http://x/v1/chat/completions\": EOF", providers.ErrInterrupted))
	if e := mapError(hungUp, time.Now()); e.Status != http.StatusBadGateway || *e.Code != chat.CodeInterrupted {
		t.Fatalf("hang-up answered %d %v", e.Status, *e.Code)
	}
	for _, gone := range []error{fmt.Errorf("chat: %w", context.Canceled),
		fmt.Errorf("%w: write tcp 127.0.0.1:8787->127.0.0.1:51234: write: broken pipe", errClientGone)} {
		if e := mapError(gone, time.Now()); e.Status == http.StatusInternalServerError || strings.Contains(e.Message, "reference") || e.internal != nil {
			t.Fatalf("a client gone (%v) answered %d %q", gone, e.Status, e.Message)
		}
	}
}

// TestProviderRedirectIsNotInternal: a provider that redirected to another
// server, or something that answered for it with what is not its API's
// answer, is answered 502 with the reason (no key in it), not as an
// internal error under a reference; after the provider's host when the
// error has it (providers' classify gives it), as a status's.
func TestProviderRedirectIsNotInternal(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&providers.RedirectError{To: "https://elsewhere.example"},
			"the provider redirected to another server (https://elsewhere.example); Meterdesk does not send the key there"},
		{&providers.RedirectError{To: "https://elsewhere.example", Host: "api.example.com"},
			"api.example.com: the provider redirected to another server (https://elsewhere.example); Meterdesk does not send the key there"},
		{&providers.NotAnAnswerError{What: "plain text", ContentType: "text/plain", Excerpt: "Hello", Host: "api.example.com:8443"},
			`api.example.com:8443: the provider answered with plain text (text/plain) saying "Hello", not a model's answer: is a proxy or a sign-in page in the way?`},
		{&providers.NotAnAnswerError{What: "an HTML page", ContentType: "text/html"},
			"the provider answered with an HTML page (text/html), not a model's answer: is a proxy or a sign-in page in the way?"},
	} {
		err := fmt.Errorf("send: %w", fmt.Errorf("chat stream api.example.com: %w", c.err))
		e := mapError(err, time.Now())
		if e.Status != http.StatusBadGateway || *e.Code != chat.CodeProvider || e.Message != c.want {
			t.Errorf("%v answered %d %v %q, want %q", c.err, e.Status, *e.Code, e.Message, c.want)
		}
	}
}

// TestContextWindowRefusalKeepsOpenAIsShape: a provider's refusal of a
// prompt over the context window is answered with its status and words,
// OpenAI's type, param and code for it (context_length_exceeded) and a
// hint; another 400 of the provider's stays a provider_error.
// The hint follows the provider's words as a clause, or, after a message
// that ends a sentence (OpenAI's, DeepSeek's, Gemini's), as a sentence of
// its own: it read ".; shorten the messages" there.
func TestContextWindowRefusalKeepsOpenAIsShape(t *testing.T) {
	const hint = "shorten the messages (fewer earlier turns) or use a model with a larger context window"
	for _, tc := range []struct{ msg, want string }{
		{"prompt is too long: 208310 tokens > 200000 maximum", "provider error 400 Bad Request: prompt is too long: 208310 tokens > 200000 maximum; " + hint},
		{"This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.",
			"provider error 400 Bad Request: This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. " +
				"Please reduce the length of the messages. Shorten the messages (fewer earlier turns) or use a model with a larger context window."},
		{"The input token count (1250000) exceeds the maximum number of tokens allowed (1048576).",
			"provider error 400 Bad Request: The input token count (1250000) exceeds the maximum number of tokens allowed (1048576). " +
				"Shorten the messages (fewer earlier turns) or use a model with a larger context window."},
	} {
		pe := &providers.APIError{Status: http.StatusBadRequest, Message: tc.msg, ContextWindow: true}
		e := mapError(fmt.Errorf("send: %w", pe), time.Now())
		if e.Status != http.StatusBadRequest || *e.Code != "context_length_exceeded" || e.Type != typeInvalid || *e.Param != "messages" ||
			e.Message != tc.want || strings.Contains(e.Message, ".;") {
			t.Fatalf("answered %d %v %q %q\nwant message %q", e.Status, *e.Code, e.Type, e.Message, tc.want)
		}
	}
	pe := &providers.APIError{Status: http.StatusBadRequest, Message: "prompt is too long: 208310 tokens > 200000 maximum"}
	if e := mapError(fmt.Errorf("send: %w", pe), time.Now()); e.Status != http.StatusBadRequest || *e.Code != chat.CodeProvider {
		t.Fatalf("another 400 answered %d %v", e.Status, *e.Code)
	}
}

// TestFromSentinel: the one helper that cuts a wrapping chain off an
// error's text keeps the sentinel's words and the detail after them, and
// falls back to its own words when the sentinel's are not in the text.
func TestFromSentinel(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"chain before", fmt.Errorf("send to gpt-4o: %w", fmt.Errorf("chat stream api.openai.com: %w (no finish_reason)", providers.ErrInterrupted)),
			"the reply was cut off before it finished (no finish_reason)"},
		{"sentinel first", fmt.Errorf("%w: cannot connect to api.openai.com: connection refused", providers.ErrOffline),
			"offline: the provider cannot be reached: cannot connect to api.openai.com: connection refused"},
		{"text not carried", fmt.Errorf("chat: %w", errors.Join(providers.ErrInterrupted)), "the reply was cut off before it finished"},
		{"absent", errors.New("something else"), "fallback"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := fromSentinel(tc.err, "fallback", providers.ErrInterrupted, providers.ErrOffline); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestMappedErrorsCarryNoChain: the classes the HTTP table
// (TestErrorStatuses) cannot reach are answered in the API's words too,
// without the wrapping chain (send to …, funding of member …, chat …).
func TestMappedErrorsCarryNoChain(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
		want   string // the whole message
	}{
		{"disabled between key check and hold", fmt.Errorf("send to gpt-4o: %w", fmt.Errorf("funding of member 5: %w", team.ErrDisabled)),
			http.StatusForbidden, "forbidden",
			"This API key's member is disabled (an admin disabled them after the key was checked); an admin can enable them again."},
		{"forbidden", fmt.Errorf("send: %w", access.ErrForbidden), http.StatusForbidden, "forbidden",
			"The role of this API key's member does not allow this request."},
		// A refusal's typed reason after its kind (refusalWords), never the operations around it.
		{"chat invalid", fmt.Errorf("send to gpt-4o: %w", inputerr.New(chat.ErrInvalid, "%v", errors.New("unknown tokenizer"))), http.StatusBadRequest, "invalid_value",
			"invalid chat request: unknown tokenizer"},
		{"provider invalid", fmt.Errorf("send to claude-x: %w", fmt.Errorf("chat: %w", inputerr.New(providers.ErrBadRequest, "max tokens %d leave no room", 100))),
			http.StatusBadRequest, "invalid_value", "invalid chat request: max tokens 100 leave no room"},
		{"a setting", fmt.Errorf("send to gpt-4o: %w", &providers.SamplingError{Param: "top_p", Msg: "top_p must be a number from 0 to 1"}),
			http.StatusBadRequest, "invalid_value", "invalid chat request: top_p must be a number from 0 to 1"},
		{"words after the refusal", fmt.Errorf("send: %w", inputerr.More(inputerr.New(chat.ErrInvalid, "history must be all or from 0 to 1000 exchanges"), " (not %d)", -2)),
			http.StatusBadRequest, "invalid_value", "invalid chat request: history must be all or from 0 to 1000 exchanges (not -2)"},
		// A refusal written into another's reason is said once: the text search said the kind twice.
		{"a refusal inside a refusal", fmt.Errorf("send to claude-x: %w", inputerr.New(chat.ErrInvalid, "%v", inputerr.New(providers.ErrBadRequest, "no messages"))),
			http.StatusBadRequest, "invalid_value", "invalid chat request: no messages"},
		// An operation's words that hold the kind's text ("invalid chat request" as a conversation's title) are no
		// place to cut: the text search cut there and kept them.
		{"the kind in an operation's words", fmt.Errorf(`send in "my invalid chat request test": %w`, inputerr.New(chat.ErrInvalid, "choose a model")),
			http.StatusBadRequest, "invalid_value", "invalid chat request: choose a model"},
		{"a kind alone", fmt.Errorf("send: %w", inputerr.New(chat.ErrInvalid, "")), http.StatusBadRequest, "invalid_value", "invalid chat request"},
		{"timeout", fmt.Errorf("chat stream api.openai.com: %w (nothing received for 2m0s)", providers.ErrTimeout),
			http.StatusGatewayTimeout, chat.CodeTimeout, "the provider stopped responding (timeout) (nothing received for 2m0s)"},
		{"deadline", fmt.Errorf("chat api.openai.com: %w", context.DeadlineExceeded), http.StatusGatewayTimeout, chat.CodeTimeout,
			"the provider stopped responding (timeout)"},
		{"over budget", fmt.Errorf("%w: more than 65568 bytes for a budget of 1 tokens", chat.ErrOverBudget), http.StatusBadGateway,
			chat.CodeInterrupted, "the provider kept writing far past max_tokens, so the reply was cut off"},
		{"offline", fmt.Errorf("send: %w", fmt.Errorf("%w: cannot connect to api.openai.com: no such host", providers.ErrOffline)),
			http.StatusServiceUnavailable, chat.CodeOffline, "offline: the provider cannot be reached: cannot connect to api.openai.com: no such host"},
		{"malformed", fmt.Errorf("chat stream: %w: invalid character 'x'", providers.ErrMalformed), http.StatusBadGateway, chat.CodeMalformed,
			"the provider sent a malformed response: invalid character 'x'"},
		// The provider's failures the window names the host of keep it
		// (before, "the provider stopped responding (timeout) …" alone),
		// never the step nor the chain.
		{"timeout at a host", fmt.Errorf("send to gpt-4o: %w", &providers.StepError{Step: "chat stream", Host: "api.openai.com",
			Err: fmt.Errorf("%w (nothing received for 2m0s)", providers.ErrTimeout)}), http.StatusGatewayTimeout, chat.CodeTimeout,
			"api.openai.com: the provider stopped responding (timeout) (nothing received for 2m0s)"},
		{"cut at a host", fmt.Errorf("send to gpt-4o: %w", &providers.StepError{Step: "chat stream", Host: "llm.example.com:8443",
			Err: fmt.Errorf("%w (no finish_reason)", providers.ErrInterrupted)}), http.StatusBadGateway, chat.CodeInterrupted,
			"llm.example.com:8443: the reply was cut off before it finished (no finish_reason)"},
		{"malformed at a host", fmt.Errorf("send to gpt-4o: %w", &providers.StepError{Step: "chat stream", Host: "api.deepseek.com",
			Err: fmt.Errorf("%w: invalid character 'x'", providers.ErrMalformed)}), http.StatusBadGateway, chat.CodeMalformed,
			"api.deepseek.com: the provider sent a malformed response: invalid character 'x'"},
		{"provider error", fmt.Errorf("chat stream: %w", &providers.APIError{Status: 529, Message: "Overloaded"}), 529, chat.CodeProvider,
			"provider error 529: Overloaded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mapError(tc.err, time.Now())
			if e.Status != tc.status || e.Code == nil || *e.Code != tc.code || e.Message != tc.want {
				t.Fatalf("answered %d %v %q\nwant %d %s %q", e.Status, e.Code, e.Message, tc.status, tc.code, tc.want)
			}
			if e.internal != nil {
				t.Fatalf("answered as internal")
			}
		})
	}
}

// TestLimitRetryAfterReadsAsTheWordsDo: a 429's Retry-After and reset
// header are the instant its words say (team.LimitError.RetryTime): a
// LimitError without a RetryAt of its own is read as its ResetsAt, not the
// zero time (which made Retry-After 1 second).
func TestLimitRetryAfterReadsAsTheWordsDo(t *testing.T) {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	resets := now.Add(12 * time.Hour)
	for _, tc := range []struct {
		name    string
		retryAt time.Time
		want    time.Time
	}{
		{"no RetryAt of its own", time.Time{}, resets},
		{"another limit resets later", resets.Add(24 * time.Hour), resets.Add(24 * time.Hour)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			le := &team.LimitError{Limit: team.LimitDaily, Amount: "1", Used: "1", Requested: "0.5",
				ResetsAt: resets, RetryAt: tc.retryAt, TimeZone: "UTC"}
			e := mapError(le, now)
			if e.Status != http.StatusTooManyRequests || e.RetryAfter != tc.want.Sub(now) ||
				e.Header[HeaderLimitResetsAt] != tc.want.Format(time.RFC3339) {
				t.Fatalf("mapError = status %d, Retry-After %v, header %q; want %v, %s", e.Status, e.RetryAfter,
					e.Header[HeaderLimitResetsAt], tc.want.Sub(now), tc.want.Format(time.RFC3339))
			}
		})
	}
}

// TestRetryAfterAtLeastOneSecond: a limit that resets within the second, or
// whose reset has just passed (the request raced it), is answered with
// Retry-After 1, never 0 or none, which clients read as "retry now" or as
// no hint at all; the header rounds a wait up to whole seconds.
func TestRetryAfterAtLeastOneSecond(t *testing.T) {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		resets time.Time
		header string
	}{
		{"resets in 300 ms", now.Add(300 * time.Millisecond), "1"},
		{"reset this instant", now, "1"},
		{"reset 5 s ago", now.Add(-5 * time.Second), "1"},
		{"resets in 1.5 s", now.Add(1500 * time.Millisecond), "2"},
		{"resets in 90 s", now.Add(90 * time.Second), "90"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			le := &team.LimitError{Limit: team.LimitDaily, Amount: "1", Used: "1", Requested: "0.5",
				ResetsAt: tc.resets, TimeZone: "UTC"}
			rec := httptest.NewRecorder()
			mapError(le, now).write(rec)
			if got := rec.Header().Get("Retry-After"); rec.Code != http.StatusTooManyRequests || got != tc.header {
				t.Fatalf("status %d, Retry-After %q; want 429 and %q", rec.Code, got, tc.header)
			}
		})
	}
}

// TestRequestIDForIdempotencyKey: an Idempotency-Key of 1 to 200 printable
// ASCII characters gives an id of its own for each member (the same key of
// another member never shares one); a longer key, or one with a control or
// non-ASCII character, is refused with 400 before anything is held.
func TestRequestIDForIdempotencyKey(t *testing.T) {
	alice, bob := access.Actor{UserID: 1, Role: access.RoleAdmin}, access.Actor{UserID: 2, Role: access.RoleMember}
	id := func(a access.Actor, key string) (string, *apiError) {
		r := httptest.NewRequest(http.MethodPost, "/v1/chat/completions", nil)
		if key != "" {
			r.Header.Set(HeaderIdempotencyKey, key)
		}
		return requestIDFor(a, r)
	}
	for _, tc := range []struct {
		name string
		key  string
		ok   bool
	}{
		{"one character", "k", true},
		{"200 characters", strings.Repeat("k", 200), true},
		{"201 characters", strings.Repeat("k", 201), false},
		{"printable punctuation and a space", "retry #3: job/42 ~ok", true},
		{"a tab", "a\tb", false},
		{"not ASCII", "café", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, aerr := id(alice, tc.key)
			if !tc.ok {
				if aerr == nil || aerr.Status != http.StatusBadRequest || a != "" {
					t.Fatalf("id %q, error %+v; want a 400", a, aerr)
				}
				return
			}
			b, berr := id(bob, tc.key)
			again, _ := id(alice, tc.key)
			if aerr != nil || berr != nil || !strings.HasPrefix(a, "gw-k-") || a != again || a == b {
				t.Fatalf("alice %q (again %q), bob %q, errors %v %v; want one gw-k- id per member", a, again, b, aerr, berr)
			}
		})
	}
	a, aerr := id(alice, "")
	b, _ := id(alice, "")
	if aerr != nil || !strings.HasPrefix(a, "gw-") || strings.HasPrefix(a, "gw-k-") || a == b {
		t.Fatalf("without a key: %q then %q (%v), want two new random ids", a, b, aerr)
	}
}

// TestRetryFinalOfTheFailuresAMomentMayCure: the server's stop is final
// for a request charged under an Idempotency-Key (its retry is answered
// 409) and for one charged credits without one (a retry is a new request,
// charged again: chargedCut says it with the words that agree,
// sendAgainWords; writeCharged made it final, the words said "retry");
// a provider offline, a timeout, a cut stream and an
// internal error are left to the SDKs' retries; a redirect is final. Too
// few credits is final, except while requests still running hold some on
// the payer, enough that with them released the request would fit: a retry
// may then pass. When even all they hold would not make it fit, it is
// final: it said otherwise whenever anything was held.
func TestRetryFinalOfTheFailuresAMomentMayCure(t *testing.T) {
	for _, c := range []struct {
		name string
		e    *apiError
		want bool
	}{
		{"stopped, charged under a key", chargedCut(mapError(errServerStopped, time.Now()), &chat.Charge{Amount: "0.03"}, true, true), true},
		{"stopped, a free model's under a key", chargedCut(mapError(errServerStopped, time.Now()), &chat.Charge{Amount: "0"}, true, true), true},
		{"stopped, charged", chargedCut(mapError(errServerStopped, time.Now()), &chat.Charge{Amount: "0.03"}, false, true), true},
		{"stopped, a free model's", chargedCut(mapError(errServerStopped, time.Now()), &chat.Charge{Amount: "0"}, false, true), false},
		{"stopped", serverStopped(), false},
		{"offline", mapError(fmt.Errorf("chat: %w", providers.ErrOffline), time.Now()), false},
		{"timeout", mapError(fmt.Errorf("chat: %w", providers.ErrTimeout), time.Now()), false},
		{"cut", mapError(fmt.Errorf("chat: %w", providers.ErrInterrupted), time.Now()), false},
		{"internal", mapError(errors.New("disk I/O error"), time.Now()), false},
		{"redirect", mapError(&providers.RedirectError{To: "https://elsewhere.example"}, time.Now()), true},
		{"cut, charged under a key", chargedCut(mapError(fmt.Errorf("chat: %w", providers.ErrInterrupted), time.Now()), &chat.Charge{Amount: "0.03"}, true, false), true},
		{"too few credits", mapError(&chat.InsufficientCreditsError{Model: "gpt-4o", Needed: "1", Available: "0.5"}, time.Now()), true},
		{"too few credits while others hold some", mapError(&chat.InsufficientCreditsError{Model: "gpt-4o", Needed: "1", Available: "0.5",
			Held: "0.6"}, time.Now()), false},
		{"too few credits, exactly enough once the others finish", mapError(&chat.InsufficientCreditsError{Model: "gpt-4o", Needed: "1.1",
			Available: "0.5", Held: "0.6"}, time.Now()), false},
		{"too few credits, one minor unit short even once the others finish", mapError(&chat.InsufficientCreditsError{Model: "gpt-4o",
			Needed: "1.100000001", Available: "0.5", Held: "0.6"}, time.Now()), true},
		{"too few credits, far short even once the others finish", mapError(&chat.InsufficientCreditsError{Model: "gpt-4o", Needed: "100",
			Available: "0", Held: "0.6"}, time.Now()), true},
	} {
		rec := httptest.NewRecorder()
		c.e.write(rec)
		if got := rec.Header().Get(HeaderShouldRetry) == "false"; got != c.want {
			t.Errorf("%s (%d): X-Should-Retry false %v, want %v", c.name, c.e.Status, got, c.want)
		}
	}
}
