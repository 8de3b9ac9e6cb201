// Command fakeprovider runs one fake OpenAI-compatible provider
// (backend/providers/fake) on a fixed port with a scripted reply, for the
// end-to-end browser tests:
//
//	go run ./tests/fakeprovider -port 8765 -reply "Hello from the fake" -prompt 12 -completion 5
//
// -log FILE appends each chat request's JSON body to FILE (one line each),
// so a browser test can check what reached the provider. -thinking TEXT
// streams reasoning text before the reply; -fail-after N sets how many
// chunks (the reasoning, then the reply's words) come before a mid-stream
// -fault (default: the reasoning and half the words); -unstreamed answers
// with one whole chat.completion body, as servers that ignore "stream" do.
//
// Configure a provider of kind openai_compatible (or openai) with base URL
// http://127.0.0.1:PORT/v1 and any key; -flavor anthropic, gemini or
// deepseek speaks that kind's wire format instead (configure that kind with
// the printed base URL). It prints "ready <base URL>" once it
// accepts connections and stops on SIGINT/SIGTERM.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"meterdesk/backend/providers/fake"
)

func main() {
	port := flag.Int("port", 8765, "TCP port on 127.0.0.1")
	reply := flag.String("reply", "Hello from the fake provider.", "reply text (streamed word by word)")
	prompt := flag.Int64("prompt", 12, "prompt_tokens to report")
	cached := flag.Int64("cached", 0, "prompt_tokens_details.cached_tokens to report")
	completion := flag.Int64("completion", 6, "completion_tokens to report")
	reasoning := flag.Int64("reasoning", 0, "completion_tokens_details.reasoning_tokens to report")
	models := flag.String("models", "gpt-4o-mini,gpt-4o", "comma-separated model ids for /v1/models")
	delay := flag.Duration("delay", 20*time.Millisecond, "delay between chunks")
	fault := flag.String("fault", "", "staged fault: drop, 429, 500, 401, hang, malformed, stream-error, no-usage, sign-in-page (200 with a captive portal's HTML page)")
	logPath := flag.String("log", "", "append each chat request's JSON body to this file, one line each")
	thinking := flag.String("thinking", "", "reasoning text streamed before the reply (delta.reasoning, as OpenRouter)")
	failAfter := flag.Int("fail-after", -1, "chunks (reasoning, then reply words) delivered before a mid-stream fault; -1 = the reasoning and half the words")
	unstreamed := flag.Bool("unstreamed", false, "answer with one whole chat.completion JSON body, ignoring \"stream\"")
	flavor := flag.String("flavor", "openai", "wire format: openai, deepseek, anthropic or gemini")
	flag.Parse()
	fl, err := flavorOf(*flavor)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeprovider:", err)
		os.Exit(2)
	}

	var chunks []string
	for i, w := range strings.SplitAfter(*reply, " ") {
		if w != "" || i == 0 {
			chunks = append(chunks, w)
		}
	}
	var thought []string
	if *thinking != "" {
		thought = []string{*thinking}
	}
	if *failAfter < 0 {
		*failAfter = len(thought) + len(chunks)/2
	}
	srv, err := fake.Listen(fl, fake.Script{
		Thinking:   thought,
		Chunks:     chunks,
		Usage:      fake.Usage{Prompt: *prompt, Cached: *cached, Completion: *completion, Reasoning: *reasoning},
		Models:     strings.Split(*models, ","),
		ChunkDelay: *delay,
		Fault:      fake.Fault(*fault),
		FailAfter:  *failAfter,
		Unstreamed: *unstreamed,
	}, fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *logPath != "" {
		f, err := os.OpenFile(*logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer f.Close()
		srv.OnRequest(func(r fake.Recorded) {
			if r.Method == "POST" {
				var line bytes.Buffer
				if json.Compact(&line, r.Body) == nil {
					line.WriteByte('\n')
					_, _ = f.Write(line.Bytes())
				}
			}
		})
	}
	fmt.Println("ready", srv.BaseURL())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	srv.Close()
}

// flavorOf is the -flavor given, refused when the fake speaks no such wire
// format: an unknown one ("claude") started, printed "ready" and then
// failed every request (a nil handler's panic, the connection closed),
// which a walk read as the provider hanging up.
func flavorOf(s string) (fake.Flavor, error) {
	switch f := fake.Flavor(s); f {
	case fake.OpenAI, fake.DeepSeek, fake.Anthropic, fake.Gemini:
		return f, nil
	}
	return "", fmt.Errorf("-flavor %q: want openai, deepseek, anthropic or gemini", s)
}
