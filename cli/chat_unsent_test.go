package cli

import (
	"context"
	"encoding/json"
	"net"
	"regexp"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
	"meterdesk/backend/store"
)

// TestFailedChatLeavesNothing: a `meterdesk chat` that fails before any
// reply is stored (refused before any provider request, a provider error or
// an error event before any text, offline, no provider for the model)
// leaves nothing behind. Without --conversation, no conversation is left
// (the list is unchanged, --json names none); with --conversation ID, that
// conversation and the draft the window has in it stay as they were. A
// reply cut off after some text is kept, and the error names its
// conversation so that it can be continued.
func TestFailedChatLeavesNothing(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	reply := fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 9, Completion: 1}}
	ok := fake.NewOpenAI(reply)
	defer ok.Close()
	broken := fake.NewOpenAI(fake.Script{Fault: fake.ServerError})
	defer broken.Close()
	event := fake.NewOpenAI(fake.Script{Fault: fake.StreamError})
	defer event.Close()
	cut := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello", " world"}, Fault: fake.Drop, FailAfter: 1})
	defer cut.Close()
	portal := fake.NewOpenAI(fake.Script{Fault: fake.SignInPage}) // hotel Wi-Fi's sign-in page answers instead
	defer portal.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens there now: offline
	servers := []*fake.Server{ok, broken, event, cut, portal}
	requests := func() int {
		n := 0
		for _, s := range servers {
			n += s.ChatRequests()
		}
		return n
	}

	d := newDataDir(t, "sk-test-0123456789\n")
	for name, url := range map[string]string{"ok": ok.BaseURL(), "broken": broken.BaseURL(), "event": event.BaseURL(),
		"cut": cut.BaseURL(), "portal": portal.BaseURL(), "box": "http://" + closed + "/v1"} {
		d.must("providers", "add", "--name", name, "--kind", "openai", "--url", url, "--key-stdin")
	}
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")
	d.must("credits", "topup", "--amount", "100", "--price", "0", "--currency", "USD")
	// Conversation 1, open in the window with something typed in its
	// composer (saved as its draft, as the window does while typing).
	d.must("chat", "--model", "gpt-4o", "--provider", "ok", "Hi")
	db, err := store.Open(context.Background(), d.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().Exec(`UPDATE chat_conversations SET draft = 'typed in the window' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	state := func() string {
		t.Helper()
		return d.must("--json", "conversations", "list") + d.must("--json", "conversations", "show", "1") + d.must("credits", "balance", "pool")
	}
	for _, tc := range []struct {
		name    string
		args    []string
		want    string // in the error line
		code    string // error.code with --json
		unasked bool   // refused before any provider request
	}{
		// A hold of 100,000 output tokens at 0.008 is 800 credits; the pool has 100.
		{"not enough credits", []string{"--model", "gpt-4o", "--provider", "ok", "--max-tokens", "100000"},
			"not enough credits", "insufficient_credits", true},
		// An unpriced model costs the default rate: 1 credit per token.
		{"default rate refused", []string{"--model", "gpt-unpriced", "--provider", "ok"},
			"gpt-unpriced has no rate of its own", "insufficient_credits", true},
		{"unknown model", []string{"--model", "claude-nope"}, `model "claude-nope"`, "no_provider", true},
		{"unknown provider", []string{"--model", "gpt-4o", "--provider", "nope"}, "nope", "no_provider", true},
		{"provider error before any text", []string{"--model", "gpt-4o", "--provider", "broken"}, "meterdesk chat: ", "provider_error", false},
		{"error event before any text", []string{"--model", "gpt-4o", "--provider", "event"}, "meterdesk chat: ", "provider_error", false},
		{"offline", []string{"--model", "gpt-4o", "--provider", "box"}, "offline: the provider cannot be reached", "offline", true},
		{"sign-in page before any text", []string{"--model", "gpt-4o", "--provider", "portal"},
			`the provider answered with an HTML page (text/html) titled "Guest Wi-Fi – Sign in", not a model's answer: is a proxy or a sign-in page in the way?`,
			"provider_error", false},
	} {
		for _, into := range []string{"", "1"} {
			name := tc.name + ", new conversation"
			args := append([]string{"chat"}, tc.args...)
			if into != "" {
				name = tc.name + ", --conversation 1"
				args = append(args, "--conversation", into)
			}
			t.Run(name, func(t *testing.T) {
				before, asked := state(), requests()
				prompt := "Try this: " + name // its own, so that a draft it left is seen
				code, out, errs := d.run(append(args, prompt)...)
				exit := map[string]int{"insufficient_credits": ExitRefused, "no_provider": ExitNotFound}[tc.code]
				if exit == 0 {
					exit = ExitFailed
				}
				if code != exit || out != "" || !strings.Contains(errs, tc.want) || strings.Contains(errs, "draft") ||
					strings.Contains(errs, "kept in conversation") {
					t.Fatalf("chat: %d %q %q", code, out, errs)
				}
				if after := state(); after != before {
					t.Fatalf("the failed chat changed the conversations:\nbefore %s\nafter  %s", before, after)
				}
				// --json: machine-readable, naming no conversation that is
				// not there (the given one is).
				code, out, errs = d.run(append([]string{"--json"}, append(args, prompt+" (--json)")...)...)
				var res struct {
					ConversationID *int64 `json:"conversationId"`
					Status         string `json:"status"`
					Charge         *any   `json:"charge"`
					Error          *struct {
						Code string `json:"code"`
					} `json:"error"`
				}
				if code != exit || json.Unmarshal([]byte(out), &res) != nil || res.Status != "failed" || res.Charge != nil ||
					res.Error == nil || res.Error.Code != tc.code {
					t.Fatalf("chat --json: %d %q %q", code, out, errs)
				}
				if into == "" && res.ConversationID != nil || into != "" && (res.ConversationID == nil || *res.ConversationID != 1) {
					t.Fatalf("chat --json names conversation %v: %s", res.ConversationID, out)
				}
				if after := state(); after != before {
					t.Fatalf("the failed chat --json changed the conversations:\nbefore %s\nafter  %s", before, after)
				}
				if tc.unasked && requests() != asked {
					t.Fatalf("the provider was asked (%d requests, %d before)", requests(), asked)
				}
			})
		}
	}

	// "Test connection" through the same portal says what answered.
	if code, out, errs := d.run("providers", "test", "portal"); code != ExitFailed || !strings.Contains(errs, "failed the connection test") ||
		!strings.Contains(out, `the provider answered with an HTML page (text/html) titled "Guest Wi-Fi – Sign in", not a list of models`) {
		t.Fatalf("providers test: %d %q %q", code, out, errs)
	}

	// A reply cut off after some text is kept and charged: the error names
	// its conversation, which can be continued.
	t.Run("cut off after some text", func(t *testing.T) {
		code, out, errs := d.run("chat", "--model", "gpt-4o", "--provider", "cut", "Tell me more")
		kept := regexp.MustCompile(`\(kept in conversation (\d+); continue it with: meterdesk chat --conversation (\d+)\)\n$`).FindStringSubmatch(errs)
		if code != 1 || !strings.HasPrefix(out, "Hello\n") || !strings.Contains(out, "charged ") || kept == nil || kept[1] != kept[2] {
			t.Fatalf("cut chat: %d %q %q", code, out, errs)
		}
		id := kept[1]
		var conv struct {
			Messages []struct{ Status, Content string } `json:"messages"`
		}
		if err := json.Unmarshal([]byte(d.must("--json", "conversations", "show", id)), &conv); err != nil ||
			len(conv.Messages) != 2 || conv.Messages[0].Content != "Tell me more" || conv.Messages[1].Status != "interrupted" {
			t.Fatalf("conversation %s: %+v %v", id, conv, err)
		}
		if out := d.must("--json", "conversations", "list"); strings.Count(out, `"id":`) != 2 {
			t.Fatalf("want conversations 1 and %s: %s", id, out)
		}
		if out := d.must("chat", "--conversation", id, "--provider", "ok", "Go on"); !strings.HasPrefix(out, "Hello\n") {
			t.Fatalf("continuing conversation %s: %q", id, out)
		}
		code, out, _ = d.run("--json", "chat", "--model", "gpt-4o", "--provider", "cut", "--conversation", "1", "Once more")
		var res struct {
			ConversationID *int64 `json:"conversationId"`
			Status         string `json:"status"`
		}
		if code != 1 || json.Unmarshal([]byte(out), &res) != nil || res.ConversationID == nil || *res.ConversationID != 1 ||
			res.Status != "interrupted" {
			t.Fatalf("cut chat --json in conversation 1: %d %q", code, out)
		}
		// The window's draft of conversation 1 is still what it typed.
		if out := d.must("conversations", "show", "1"); !strings.Contains(out, "draft (not sent):\ntyped in the window") {
			t.Fatalf("conversation 1 lost the window's draft: %s", out)
		}
	})
}
