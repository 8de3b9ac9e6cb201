package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
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
// server is answered 502 with the reason (no key in it), not as an internal
// error under a reference.
func TestProviderRedirectIsNotInternal(t *testing.T) {
	err := fmt.Errorf("send: %w", fmt.Errorf("chat stream api.example.com: %w", &providers.RedirectError{To: "https://elsewhere.example"}))
	e := mapError(err, time.Now())
	if e.Status != http.StatusBadGateway || *e.Code != chat.CodeProvider || !strings.Contains(e.Message, "does not send the key there") {
		t.Fatalf("redirect answered %d %v %q", e.Status, *e.Code, e.Message)
	}
}

// TestContextWindowRefusalKeepsOpenAIsShape: a provider's refusal of a
// prompt over the context window is answered with its status and words,
// OpenAI's type, param and code for it (context_length_exceeded) and a
// hint; another 400 of the provider's stays a provider_error.
func TestContextWindowRefusalKeepsOpenAIsShape(t *testing.T) {
	pe := &providers.APIError{Status: http.StatusBadRequest, Message: "prompt is too long: 208310 tokens > 200000 maximum", ContextWindow: true}
	e := mapError(fmt.Errorf("send: %w", pe), time.Now())
	if e.Status != http.StatusBadRequest || *e.Code != "context_length_exceeded" || e.Type != typeInvalid || *e.Param != "messages" ||
		!strings.Contains(e.Message, "prompt is too long: 208310 tokens > 200000 maximum; shorten the messages") {
		t.Fatalf("answered %d %v %q %q", e.Status, *e.Code, e.Type, e.Message)
	}
	pe.ContextWindow = false
	if e := mapError(fmt.Errorf("send: %w", pe), time.Now()); e.Status != http.StatusBadRequest || *e.Code != chat.CodeProvider {
		t.Fatalf("another 400 answered %d %v", e.Status, *e.Code)
	}
}
