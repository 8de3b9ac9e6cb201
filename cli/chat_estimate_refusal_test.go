package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/providers/fake"
)

// estimateJSON is what the refusal tests read of `chat --estimate --json`.
type estimateJSON struct {
	Blocked bool `json:"blocked"`
	Refusal *struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		TopUp    bool   `json:"topUp"`
		AskAdmin bool   `json:"askAdmin"`
	} `json:"refusal"`
}

// TestChatEstimateSaysTheSendsRefusal: `chat --estimate` of a send its hold
// would refuse (not enough credits, a spending limit) printed the estimate
// and exited 0. It prints the estimate, then on stderr the very line the
// send prints (the refusal in its words and the command line's way past it:
// top up for an admin, ask an admin for a member, the largest --max-tokens
// that fits when the output budget's hold is what does not, the limit's
// reset), and exits with the send's code (3); --json has "refusal" {code,
// message} and exits 3 too. The --max-tokens it names is the largest that
// passes: one more is refused.
func TestChatEstimateSaysTheSendsRefusal(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hello"}, Usage: fake.Usage{Prompt: 9, Completion: 2}})
	defer srv.Close()
	d := newDataDir(t, "sk-test-0123456789\n")
	d.must("providers", "add", "--name", "fake", "--kind", "openai", "--url", srv.BaseURL(), "--key-stdin")
	d.must("rates", "set", "openai", "gpt-4o", "--input", "0.002", "--output", "0.008")

	// sameAsSend runs the estimate and the send of args and wants both
	// refused with the same line on stderr and exit 3.
	sameAsSend := func(args ...string) string {
		t.Helper()
		est := append([]string{"chat", "--estimate"}, args...)
		code, out, errs := d.run(est...)
		if code != ExitRefused || !strings.HasPrefix(out, "gpt-4o: ") || strings.Contains(out, "may cost up to") {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q; want %d and the estimate", est, code, out, errs, ExitRefused)
		}
		send := append([]string{"chat"}, args...)
		scode, sout, serrs := d.run(send...)
		if scode != ExitRefused || sout != "" || serrs != errs {
			t.Fatalf("%v: exit %d, stdout %q\nstderr   %q\nestimate %q", send, scode, sout, serrs, errs)
		}
		return errs
	}

	// Nothing in the pool: not even the prompt fits; an admin is told the
	// top-up command.
	errs := sameAsSend("--model", "gpt-4o", "Hi")
	if !strings.HasPrefix(errs, "meterdesk chat: not enough credits: this message to gpt-4o may cost up to 32.784 credits but the workspace pool has 0.00 available; top up credits") ||
		!strings.Contains(errs, "; top up with: meterdesk credits topup --amount X") || strings.Contains(errs, "--max-tokens") {
		t.Errorf("empty pool: %q", errs)
	}
	code, out, _ := d.run("--json", "chat", "--estimate", "--model", "gpt-4o", "Hi")
	var got estimateJSON
	if code != ExitRefused || json.Unmarshal([]byte(out), &got) != nil || !got.Blocked || got.Refusal == nil ||
		got.Refusal.Code != "insufficient_credits" || !got.Refusal.TopUp ||
		!strings.HasPrefix(got.Refusal.Message, "not enough credits: this message to gpt-4o may cost up to 32.784 credits") {
		t.Errorf("empty pool --json: exit %d %s", code, out)
	}

	// One credit: the prompt (0.016) fits, the room for 4,096 output
	// tokens does not; 123 tokens do (0.016 + 123 × 0.008 = 1).
	d.must("credits", "topup", "--amount", "1", "--price", "0", "--currency", "USD")
	errs = sameAsSend("--model", "gpt-4o", "Hi")
	if !strings.Contains(errs, "so a smaller output budget may let it through; top up with: meterdesk credits topup") ||
		!strings.HasSuffix(errs, "; on the command line: send with --max-tokens 123 or less\n") {
		t.Errorf("one credit: %q", errs)
	}
	sameAsSend("--model", "gpt-4o", "--max-tokens", "124", "Hi")
	if code, out, errs := d.run("chat", "--estimate", "--model", "gpt-4o", "--max-tokens", "123", "Hi"); code != 0 || errs != "" ||
		!strings.Contains(out, "up to 123 output tokens: 0.016 to 1.00 credits") {
		t.Errorf("estimate at 123 tokens: exit %d %q %q", code, out, errs)
	}
	code, out, _ = d.run("--json", "chat", "--estimate", "--model", "gpt-4o", "--max-tokens", "123", "Hi")
	got = estimateJSON{}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got.Blocked || got.Refusal != nil || !strings.Contains(out, `"refusal": null`) {
		t.Errorf("estimate at 123 tokens --json: exit %d %s", code, out)
	}
	code, out, errs = d.run("chat", "--model", "gpt-4o", "--max-tokens", "123", "Hi")
	var conv int64
	if _, err := fmt.Sscanf(errs, "conversation %d:", &conv); code != 0 || !strings.HasPrefix(out, "Hello\n") || err != nil {
		t.Fatalf("send at 123 tokens: exit %d %q %q", code, out, errs)
	}
	// In a conversation, the command line's way names it too.
	errs = sameAsSend("--conversation", fmt.Sprint(conv), "--max-tokens", "0", "Again")
	if !strings.Contains(errs, "; on the command line: send with --max-tokens ") ||
		!strings.Contains(errs, fmt.Sprintf(" (or meterdesk conversations set %d --max-output ", conv)) {
		t.Errorf("in conversation %d: %q", conv, errs)
	}
	if n := srv.ChatRequests(); n != 1 {
		t.Errorf("the provider got %d requests, want 1 (the send that fitted)", n)
	}
}

// TestChatEstimateSaysAMembersRefusal: a member's estimate over a spending
// limit says the limit's words with its reset (the send's line), not the
// estimate's warning of the same, and exits 3; short of credits, it says to
// ask an admin (askAdmin in --json), never the top-up command.
func TestChatEstimateSaysAMembersRefusal(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	srv := fake.NewOpenAI(fake.Script{Chunks: []string{"Hi"}, Usage: fake.Usage{Prompt: 9, Completion: 1}})
	defer srv.Close()
	admin, bob := pricedTeam(t, srv) // bob: daily limit 50, paid by the pool
	admin(t, "limits", "set", "bob", "monthly", "0")

	code, out, errs := bob(t, "chat", "--estimate", "--model", "gpt-4o", "Hi")
	_, _, sendErrs := bob(t, "chat", "--model", "gpt-4o", "Hi")
	// A limit of 0: no reset helps, an admin raising it may.
	if code != ExitRefused || !strings.HasPrefix(errs, "meterdesk chat: monthly limit is 0 credits, so no paid send fits it until an admin raises it (its reset does not help)") ||
		errs != sendErrs || strings.Contains(out, "warning: monthly limit") {
		t.Errorf("over the limit: exit %d, stdout %q\nstderr %q\nsend   %q", code, out, errs, sendErrs)
	}
	code, out, _ = bob(t, "--json", "chat", "--estimate", "--model", "gpt-4o", "Hi")
	var got estimateJSON
	if code != ExitRefused || json.Unmarshal([]byte(out), &got) != nil || got.Refusal == nil || got.Refusal.Code != "limit_exceeded" ||
		!strings.HasPrefix(got.Refusal.Message, "monthly limit is 0 credits, so no paid send fits it until an admin raises it (its reset does not help)") {
		t.Errorf("over the limit --json: exit %d %s", code, out)
	}

	admin(t, "limits", "remove", "bob", "monthly")
	admin(t, "credits", "transfer", "--op", "adjustment", "--from", "pool", "--to", "sys:adjust", "--amount", "100")
	code, _, errs = bob(t, "chat", "--estimate", "--model", "gpt-4o", "Hi")
	_, _, sendErrs = bob(t, "chat", "--model", "gpt-4o", "Hi")
	if code != ExitRefused || !strings.Contains(errs, "ask an admin for credits to send it") || strings.Contains(errs, "credits topup") ||
		errs != sendErrs {
		t.Errorf("short of credits: exit %d\nstderr %q\nsend   %q", code, errs, sendErrs)
	}
	code, out, _ = bob(t, "--json", "chat", "--estimate", "--model", "gpt-4o", "Hi")
	got = estimateJSON{}
	if code != ExitRefused || json.Unmarshal([]byte(out), &got) != nil || got.Refusal == nil || got.Refusal.Code != "insufficient_credits" ||
		got.Refusal.TopUp || !got.Refusal.AskAdmin {
		t.Errorf("short of credits --json: exit %d %s", code, out)
	}
	if n := srv.ChatRequests(); n != 0 {
		t.Errorf("the provider got %d requests", n)
	}
}
