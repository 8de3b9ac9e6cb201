package chat_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"meterdesk/backend/chat"
	"meterdesk/backend/providers"
	"meterdesk/backend/rates"
)

// TestRateLimitInsideAStreamKeepsTheChargedReply: Claude's rate_limit_error
// event after some text is a rate limit (CodeRateLimited, as a 429 answer
// is) but the reply is stored, cut off, and charged for what came: the
// window then must not say "Nothing was charged" (Chat.test.ts "says
// nothing was charged of a rate limit only when …", which reads the
// SendOutcome with a message as this).
func TestRateLimitInsideAStreamKeepsTheChargedReply(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		ev := func(name, data string) {
			_, _ = io.WriteString(w, "event: "+name+"\ndata: "+data+"\n\n")
			w.(http.Flusher).Flush()
		}
		ev("message_start", `{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"usage":{"input_tokens":8,"output_tokens":1}}}`)
		ev("content_block_start", `{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`)
		ev("content_block_delta", `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}`)
		ev("error", `{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}`)
	}))
	defer srv.Close()
	e := newEnv(t, nil)
	e.fund("100")
	e.add("Claude", providers.KindAnthropic, rates.Anthropic, srv.URL, 0)
	conv := e.conversation("Claude", "claude-sonnet-4-20250514", "")
	m, err := e.svc.Send(adminCtx, chat.SendRequest{ConversationID: conv.ID, Text: "Hi", Source: chat.SourceUI})
	if info := chat.Classify(err); info == nil || info.Code != chat.CodeRateLimited {
		t.Fatalf("error %v classified %+v, want %s", err, info, chat.CodeRateLimited)
	}
	if m == nil || m.Content != "Hello" || m.Status != chat.StatusInterrupted || m.Charge == nil || m.Charge.Amount == "0" {
		t.Fatalf("message %+v, want the cut reply stored with its charge", m)
	}
	if e.charged() != m.Charge.Amount || e.balance("pool") != subtract("100", m.Charge.Amount) {
		t.Fatalf("charged %s, pool %s; the message's charge is %s", e.charged(), e.balance("pool"), m.Charge.Amount)
	}
	e.checkLedger()
}
