package tokenizer

import (
	"errors"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestEncodingForModel(t *testing.T) {
	for _, tc := range []struct {
		model string
		enc   string
		ok    bool
	}{
		{"gpt-4o", O200kBase, true},
		{"gpt-4o-mini", O200kBase, true},
		{"gpt-4o-2024-08-06", O200kBase, true},
		{"gpt-4.1", O200kBase, true},
		{"gpt-4.1-nano", O200kBase, true},
		{"o1", O200kBase, true},
		{"o3-mini", O200kBase, true},
		{"o4-mini", O200kBase, true},
		{"gpt-5", O200kBase, true},
		{"gpt-5-nano", O200kBase, true},
		{"gpt-4", Cl100kBase, true},
		{"gpt-4-turbo", Cl100kBase, true},
		{"gpt-4-0613", Cl100kBase, true},
		{"gpt-3.5-turbo", Cl100kBase, true},
		{"gpt-3.5-turbo-instruct", Cl100kBase, true},
		{"o1x", "", false},
		{"claude-opus-4-1-20250805", "", false},
		{"gemini-2.5-flash", "", false},
		{"deepseek-chat", "", false},
		{"llama3", "", false},
	} {
		enc, ok := EncodingForModel(tc.model)
		if enc != tc.enc || ok != tc.ok {
			t.Errorf("EncodingForModel(%q) = %q, %v; want %q, %v", tc.model, enc, ok, tc.enc, tc.ok)
		}
	}
}

func TestCountText(t *testing.T) {
	for _, tc := range []struct {
		enc, text string
		want      int
	}{
		{O200kBase, "", 0},
		{O200kBase, "hello world", 2},
		{Cl100kBase, "hello world", 2},
		{Cl100kBase, "tiktoken is great!", 6},
		{O200kBase, "<|endoftext|>", 7}, // special markers in user text are ordinary text
	} {
		got, err := CountText(tc.enc, tc.text)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("CountText(%s, %q) = %d, want %d", tc.enc, tc.text, got, tc.want)
		}
	}
	if _, err := CountText("p50k_base", "x"); err == nil {
		t.Error("an unsupported encoding was accepted")
	}
}

func TestApproximationForOtherFamilies(t *testing.T) {
	msgs := []Message{{Role: "user", Content: strings.Repeat("The quick brown fox jumps over the lazy dog. ", 20)}}
	base, err := CountMessages("openai", "gpt-4o", msgs)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		provider, model string
		fam             Family
	}{
		{"anthropic", "claude-sonnet-4-20250514", FamilyAnthropic},
		{"gemini", "gemini-2.5-flash", FamilyGemini},
		{"deepseek", "deepseek-chat", FamilyDeepSeek},
		{"local", "llama3.1:8b", FamilyOther},
		{"anthropic", "my-proxy-model", FamilyAnthropic}, // provider decides when the name does not
	} {
		c, err := CountMessages(tc.provider, tc.model, msgs)
		if err != nil {
			t.Fatal(err)
		}
		want := (base.Tokens*tc.fam.Num + tc.fam.Den - 1) / tc.fam.Den
		if c.Exact || c.Family != tc.fam.Name || c.Tokens != want || c.Encoding != O200kBase {
			t.Errorf("%s: got %+v, want %d approximate tokens (%s)", tc.model, c, want, tc.fam.Name)
		}
		if c.Tokens <= base.Tokens {
			t.Errorf("%s: approximation %d does not exceed the o200k count %d", tc.model, c.Tokens, base.Tokens)
		}
	}
}

func TestScaleRoundsUp(t *testing.T) {
	f := Family{Num: 115, Den: 100}
	for in, want := range map[int64]int64{0: 0, 1: 2, 100: 115, 101: 117, 20: 23} {
		if got := f.Scale(in); got != want {
			t.Errorf("Scale(%d) = %d, want %d", in, got, want)
		}
	}
}

func TestMessageWithoutRoleIsRejected(t *testing.T) {
	_, err := CountMessages("openai", "gpt-4o", []Message{{Role: "user", Content: "a"}, {Content: "b"}})
	if err == nil || !strings.Contains(err.Error(), "message 2 has no role") {
		t.Fatalf("got %v, want an error naming message 2", err)
	}
}

// failingTransport fails every request, recording that one was attempted.
type failingTransport struct{}

func (failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, errors.New("network access attempted: " + r.URL.String())
}

// TestOfflineNoNetwork loads both encodings in a fresh process (so nothing is
// cached from other tests) whose proxies point at a closed port, whose
// default HTTP transport fails every request and whose tiktoken cache folder
// is empty: a download attempt would fail the count.
func TestOfflineNoNetwork(t *testing.T) {
	if os.Getenv("METERDESK_TOKENIZER_CHILD") == "1" {
		http.DefaultTransport = failingTransport{}
		for _, enc := range []string{O200kBase, Cl100kBase} {
			n, err := CountText(enc, "offline tokenizer check")
			if err != nil || n == 0 {
				t.Fatalf("%s offline: %d, %v", enc, n, err)
			}
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestOfflineNoNetwork$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		"METERDESK_TOKENIZER_CHILD=1",
		"HTTP_PROXY=http://127.0.0.1:9", "HTTPS_PROXY=http://127.0.0.1:9",
		"http_proxy=http://127.0.0.1:9", "https_proxy=http://127.0.0.1:9", "NO_PROXY=", "no_proxy=",
		"TIKTOKEN_CACHE_DIR="+t.TempDir(), "DATA_GYM_CACHE_DIR="+t.TempDir(),
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("offline child failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "PASS") {
		t.Fatalf("offline child did not run the check:\n%s", out)
	}
}

func TestCachedCountsMatch(t *testing.T) {
	long := strings.Repeat("Cached counts must equal fresh counts. ", 40)
	want, err := CountText(O200kBase, long)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // second pass is served from the cache
		c, err := CountMessages("openai", "gpt-4o", []Message{{Role: "user", Content: long}})
		if err != nil {
			t.Fatal(err)
		}
		if c.Tokens != int64(want)+3+1+3 {
			t.Fatalf("pass %d: %d tokens, want %d", i, c.Tokens, want+7)
		}
	}
}
