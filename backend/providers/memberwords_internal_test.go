package providers

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"meterdesk/backend/access"
)

// TestForMemberReplacesHostsOnlyAsHosts: a member's error names the
// provider where its address was, in one pass: a short host ("lab", "ai",
// "gpu") is no part of a word ("Unavailable", "GPU memory", "said"), a
// name equal to its host is not replaced inside its own label, an IP and
// an upper-case URL go too. Before, the bare host was replaced anywhere,
// in any case, and each label was read again by the next replacement:
// "Service Unavaithe provider Lable", "the provider Lab memory is full",
// "chat stream the provider the provider ollama: …". Another host
// ("x.gpu", "lab.example.org") is no part of the provider's and is
// hidden, and a URL's path after the provider's name goes.
func TestForMemberReplacesHostsOnlyAsHosts(t *testing.T) {
	for _, c := range []struct {
		name, provider, base string
		err                  error
		want                 string
	}{
		{"503 at a short host", "Lab", "http://lab:11434/v1",
			&StepError{Step: "chat stream", Host: "lab:11434", Err: &APIError{Status: 503, Message: "Service Unavailable: lab is busy"}},
			"chat stream the provider Lab: provider error 503 Service Unavailable: Service Unavailable: the provider Lab is busy"},
		{"host gpu and GPU in the message", "Lab", "http://gpu:8000/v1",
			&APIError{Status: 500, Message: "GPU memory is full on gpu (gpu-2 and x.gpu are not it); see gpu."},
			"provider error 500 Internal Server Error: GPU memory is full on the provider Lab (gpu-2 and [address hidden] are not it); see the provider Lab."},
		{"host ai in words", "Lab", "https://ai/v1",
			fmt.Errorf("chat: %w", &APIError{Status: 400, Message: "the model said no: https://ai/v1/chat/completions refused at ai"}),
			"chat: provider error 400 Bad Request: the model said no: the provider Lab refused at the provider Lab"},
		{"name equal to the host", "ollama", "http://ollama:11434",
			&StepError{Step: "chat stream", Host: "ollama:11434", Err: errors.New("ollama said: model not found at http://ollama:11434/api")},
			"chat stream the provider ollama: the provider ollama said: model not found at the provider ollama"},
		{"an IP host and other addresses", "Lab", "http://10.1.2.3:8080/v1",
			errors.New("dial 10.1.2.3:8080 via 10.9.9.9:3128, tried 10.1.2.3, v10.1.2.3 is no address"),
			"dial the provider Lab via [address hidden], tried the provider Lab, v10.1.2.3 is no address"},
		{"an upper-case URL", "Lab", "http://lab.example:11434/v1",
			errors.New("GET HTTP://LAB.EXAMPLE:11434/V1/models: 404; LAB.EXAMPLE answered, lab.example.org did not"),
			"GET the provider Lab: 404; the provider Lab answered, [address hidden] did not"},
		// "the provider" said once: a message that calls the host so, a
		// provider named so, and a blank name (none stored).
		{"the message says the provider host", "ollama", "http://ollama:11434",
			&APIError{Status: 500, Message: "The provider ollama is down; ask the provider ollama's admin"},
			"provider error 500 Internal Server Error: The provider ollama is down; ask the provider ollama's admin"},
		{"a name that says the provider", "The provider Lab", "http://lab.example:11434/v1",
			&StepError{Step: "chat stream", Host: "lab.example:11434", Err: errors.New("lab.example said no")},
			"chat stream The provider Lab: The provider Lab said no"},
		{"a name that says the provider, offline", "the provider Lab", "http://lab.example:11434/v1",
			fmt.Errorf("%w: cannot connect to lab.example:11434: something else", ErrOffline),
			"offline: the provider cannot be reached: cannot reach the provider Lab; check your network connection; if it keeps happening, an admin can check the provider's settings"},
		// A blank name, or a provider named "The provider", where the
		// text says "the provider HOST": nothing after it. Before, "the
		// provider the provider is down", "the provider The provider".
		{"no name, the message says the provider host", "", "http://ollama:11434",
			errors.New("the provider ollama is down; ask The provider ollama's admin at ollama"),
			"the provider is down; ask The provider's admin at the provider"},
		{"a name that is the provider", "The provider", "http://ollama:11434",
			&APIError{Status: 500, Message: "the provider ollama is down at ollama"},
			"provider error 500 Internal Server Error: the provider is down at The provider"},
		{"a name that is the provider, in a step", "THE PROVIDER", "http://ollama:11434",
			&StepError{Step: "chat stream", Host: "ollama:11434", Err: errors.New("ollama said no")},
			"chat stream THE PROVIDER: THE PROVIDER said no"},
		{"no name", "", "http://lab.example:11434/v1",
			fmt.Errorf("%w: cannot connect to lab.example:11434: something else", ErrOffline),
			"offline: the provider cannot be reached: cannot reach the provider; check your network connection; if it keeps happening, an admin can check the provider's settings"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := forMember(c.err, c.provider, c.base).Error()
			if got != c.want {
				t.Errorf("\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// TestForMemberScrubsAStepsOwnError: the local API writes a step error's
// host and its wrapped error's own text (gateway providerWords), so for a
// member that text names no address either ("dial tcp 10.0.0.5:11434: i/o
// timeout" was written as it was), and errors.Is still reaches what it
// wraps. An admin's error is not touched (forMember is only called for a
// member).
func TestForMemberScrubsAStepsOwnError(t *testing.T) {
	timeout := fmt.Errorf("%w: dial tcp 10.0.0.5:11434: i/o timeout", ErrTimeout)
	err := forMember(fmt.Errorf("send: %w", &StepError{Step: "chat stream", Host: "10.0.0.5:11434", Err: timeout}), "Lab", "http://10.0.0.5:11434/v1")
	var se *StepError
	if !errors.As(err, &se) {
		t.Fatalf("%v: no step error", err)
	}
	if got, want := se.Host+": "+se.Err.Error(), "the provider Lab: "+ErrTimeout.Error()+": dial tcp the provider Lab: i/o timeout"; got != want {
		t.Errorf("the API's words\n got %q\nwant %q", got, want)
	}
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("%v: no longer ErrTimeout", err)
	}
	if got := err.Error(); got != "send: chat stream the provider Lab: "+ErrTimeout.Error()+": dial tcp the provider Lab: i/o timeout" {
		t.Errorf("text %q", got)
	}
}

// TestForMemberReadsTheTextAfterTheFieldsChange: a member's text is read
// once the typed errors it wraps are changed, the wraps' texts (written
// once, by fmt.Errorf) included, so a refused redirect names neither the
// server it went to nor the https:// base URL to use, in the error's text
// and in a step error's own (the local API's words). Before, the text was
// taken first: "…redirected to another server (https://sso.corp.example)"
// and "use https://the provider Lab/v1 as the base URL".
func TestForMemberReadsTheTextAfterTheFieldsChange(t *testing.T) {
	const base = "http://lab:8080/v1"
	const want = "the provider redirected to another server; Meterdesk does not send the key there"
	for _, c := range []struct {
		name string
		err  func() error
		text string
	}{
		{"another server, as classify wraps it", func() error {
			return fmt.Errorf("%s %s: %w", "list models", "lab:8080", &RedirectError{Host: "lab:8080", To: "https://sso.corp.example"})
		}, "list models the provider Lab: " + want},
		{"an upgrade to https, as classify wraps it", func() error {
			return fmt.Errorf("%s %s: %w", "chat", "lab:8080", &RedirectError{Host: "lab:8080", To: "https://lab:8443", UseHTTPS: "https://lab:8443/v1"})
		}, "chat the provider Lab: " + want},
		{"inside a step error's wrap", func() error {
			return &StepError{Step: "chat stream", Host: "lab:8080", Err: fmt.Errorf("redirect: %w", &RedirectError{To: "https://sso.corp.example"})}
		}, "chat stream the provider Lab: redirect: " + want},
		{"an upgrade inside a step error's wrap", func() error {
			return fmt.Errorf("send: %w", &StepError{Step: "chat stream", Host: "lab:8080", Err: fmt.Errorf("redirect: %w", &RedirectError{To: "https://lab:8443", UseHTTPS: "https://lab:8443/v1"})})
		}, "send: chat stream the provider Lab: redirect: " + want},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := forMember(c.err(), "Lab", base)
			if got := err.Error(); got != c.text {
				t.Errorf("\n got %q\nwant %q", got, c.text)
			}
			var se *StepError
			if errors.As(err, &se) {
				if got := se.Err.Error(); got != "redirect: "+want {
					t.Errorf("the step's own text %q, want %q", got, "redirect: "+want)
				}
			}
			if !errors.Is(err, ErrRedirected) {
				t.Errorf("%v: no longer ErrRedirected", err)
			}
		})
	}
}

// TestForMemberWordsAStepWordedBefore: a step error whose own text was
// scrubbed once (its Err replaced in place) is still worded when it
// reaches forMember again inside a new wrap: only a MemberError is
// returned as it is. Before, the scrubbed Err was a MemberError too, and
// the new wrap's address went out as it was.
func TestForMemberWordsAStepWordedBefore(t *testing.T) {
	const base = "http://10.0.0.5:11434/v1"
	step := &StepError{Step: "chat stream", Host: "10.0.0.5:11434", Err: fmt.Errorf("%w: dial tcp 10.0.0.5:11434: i/o timeout", ErrTimeout)}
	first := forMember(step, "Lab", base)
	if got, want := first.Error(), "chat stream the provider Lab: "+ErrTimeout.Error()+": dial tcp the provider Lab: i/o timeout"; got != want {
		t.Fatalf("first\n got %q\nwant %q", got, want)
	}
	again := forMember(fmt.Errorf("chat http://10.0.0.5:11434/v1: %w", step), "Lab", base)
	if got, want := again.Error(), "chat the provider Lab: chat stream the provider Lab: "+ErrTimeout.Error()+": dial tcp the provider Lab: i/o timeout"; got != want {
		t.Errorf("again\n got %q\nwant %q", got, want)
	}
	// A MemberError, wrapped or not, is as it was.
	if got := forMember(fmt.Errorf("models: %w", first), "Lab", base); got.Error() != "models: "+first.Error() {
		t.Errorf("a worded error worded again: %q", got)
	}
}

// TestForMemberOfflineSaysWhoCanAct: a member whose own network may be
// down (a name not found, a time-out, no route, or no reason known) is told
// to check it first, an admin only if it keeps happening; a server that
// does not answer, or a certificate or handshake that fails, is the
// provider's set-up, the admin's to check. Before, every case told the
// member to ask an admin.
func TestForMemberOfflineSaysWhoCanAct(t *testing.T) {
	const network = "check your network connection; if it keeps happening, an admin can check the provider's settings"
	const admin = "an admin can check its settings"
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"no such host", fmt.Errorf("%w: cannot connect to lab.example:11434: dial tcp: lookup lab.example on 10.0.0.1:53: no such host", ErrOffline),
			"offline: the provider cannot be reached: cannot reach the provider Lab (its address could not be found); " + network},
		{"timed out", fmt.Errorf("%w: dial tcp 10.0.0.5:11434: connect: connection timed out", ErrOffline),
			"offline: the provider cannot be reached: cannot reach the provider Lab (the connection timed out); " + network},
		{"unreachable", fmt.Errorf("%w: dial tcp 10.0.0.5:11434: connect: network is unreachable", ErrOffline),
			"offline: the provider cannot be reached: cannot reach the provider Lab (the network has no way to it); " + network},
		{"no reason known", fmt.Errorf("%w: something else", ErrOffline),
			"offline: the provider cannot be reached: cannot reach the provider Lab; " + network},
		{"nothing answers", fmt.Errorf("%w: dial tcp 10.0.0.5:11434: connect: connection refused", ErrOffline),
			"offline: the provider cannot be reached: cannot reach the provider Lab (nothing answers at its address); " + admin},
		{"a local server down", fmt.Errorf("%w: %w: nothing is answering at lab.example:11434", ErrOffline, ErrLocalDown),
			"offline: the provider cannot be reached: cannot reach the provider Lab (nothing answers at its address); " + admin},
		{"a certificate", fmt.Errorf("%w: tls: x509: certificate signed by unknown authority", ErrOffline),
			"offline: the provider cannot be reached: cannot reach the provider Lab (its certificate is not trusted); " + admin},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := forMember(c.err, "Lab", "http://lab.example:11434/v1").Error(); got != c.want {
				t.Errorf("\n got %q\nwant %q", got, c.want)
			}
		})
	}
}

// TestForMemberHidesEveryAddress: a member reads no address that is none
// of the provider's either (a proxy's or a DNS server's host in a network
// error, a URL with credentials, a status page), and the provider's own
// URL is its name alone, without the path or query after it; what only
// looks like an address (an Ollama tag, a time, a file, a name in code,
// sentences run together) reads as it is. An admin reads the text as it
// was (the key removed before, as always). Before, "lookup
// corp-proxy.internal", "http://alice:s3cret@corp-proxy…" and "the
// provider Lab/chat/completions?stream=true" reached a member.
func TestForMemberHidesEveryAddress(t *testing.T) {
	const base = "https://api.example.com/v1"
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"a proxy URL with credentials, a status page",
			&APIError{Status: 502, Message: "upstream http://alice:s3cret@corp-proxy.internal:3128 refused; see https://status.example.net/incidents."},
			"provider error 502 Bad Gateway: upstream [address hidden] refused; see [address hidden]."},
		{"a lookup of another name, a DNS server",
			fmt.Errorf("chat stream: dial tcp: lookup corp-proxy on 10.0.0.1:53: no such host"),
			"chat stream: dial tcp: lookup [address hidden] on [address hidden]: no such host"},
		{"credentials before a host, a host:port",
			errors.New("connect alice:pw@corp-proxy:3128 failed; tried gpu-box:8000."),
			"connect [address hidden] failed; tried [address hidden]."},
		{"what only looks like an address",
			errors.New("model qwen2.5:0.5b at 12:30 from config.yaml: openai.RateLimitError; quota.Please retry"),
			"model qwen2.5:0.5b at 12:30 from config.yaml: openai.RateLimitError; quota.Please retry"},
		{"the provider's URL with a path and a query",
			errors.New(`Post "https://api.example.com/v1/chat/completions?stream=true": EOF`),
			`Post "the provider Lab": EOF`},
		{"the provider's host with a path, at a sentence's end",
			errors.New("404 for api.example.com/v1/models. See https://api.example.com/v1/docs#errors)"),
			"404 for the provider Lab. See the provider Lab)"},
		{"a domain run into a sentence",
			errors.New("blocked by corp-proxy.example.org.Please ask IT"),
			"blocked by [address hidden].Please ask IT"},
	} {
		t.Run(c.name, func(t *testing.T) {
			full := c.err.Error()
			if got := forMember(c.err, "Lab", base).Error(); got != c.want {
				t.Errorf("member\n got %q\nwant %q", got, c.want)
			}
			adminCtx := access.WithActor(context.Background(), access.Actor{UserID: 1, Role: access.RoleAdmin})
			if got := wordsFor(adminCtx, errors.New(full), "Lab", base).Error(); got != full {
				t.Errorf("admin\n got %q\nwant %q", got, full)
			}
		})
	}
}
