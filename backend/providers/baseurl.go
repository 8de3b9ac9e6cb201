package providers

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"meterdesk/backend/inputerr"
)

// endpointSuffixes are the endpoint paths that are not part of a base URL,
// by kind: what people paste when they copy an endpoint from an API
// reference or a server's log (…/v1/chat/completions). The SDKs add them,
// so a base URL that kept one would ask for …/chat/completions/models.
var endpointSuffixes = map[Kind][]string{
	KindOpenAI:     {"/chat/completions", "/completions", "/models"},
	KindDeepSeek:   {"/chat/completions", "/completions", "/models"},
	KindCompatible: {"/chat/completions", "/completions", "/models"},
	KindAnthropic:  {"/messages", "/models"},
	KindGemini:     {"/models"},
}

// versionSuffix is the API version the kind's SDK adds to the base URL
// itself (Anthropic's SDK asks for {base}/v1/messages, genai for
// {base}/v1beta/models/…): a base URL that ends in it would ask for
// /v1/v1/models.
var versionSuffix = map[Kind]string{
	KindAnthropic: "/v1",
	KindGemini:    "/v1beta",
}

// NormalizeBaseURL returns raw as the base URL a provider of kind is saved
// with and called at: the one place base URLs are cleaned, for the window,
// the CLI and every client (Service.Add, Update, TestInput and New).
//
//   - Blanks around it and trailing slashes go; "" is the kind's documented
//     URL (DefaultBaseURL).
//   - It must be an absolute http(s) URL without credentials, query or
//     fragment, and without a space anywhere (also written %20): a space in
//     a path cannot be meant ("http://localhost:1234/ v1"). Credentials
//     include a token typed with a '/', '?' or '#' in it before the host
//     ("https://sk-abc/def@api.example.com/v1", "https://u:pa/ss@host",
//     "http://sk-abc/def@ollama/v1": credentialsPastPath), refused first,
//     on the text as typed, before the parse (whose error would repeat
//     part of it) and the checks below, whose advice would keep it.
//   - An endpoint pasted whole loses its endpoint: a trailing
//     /chat/completions, /completions or /models (Anthropic: /messages or
//     /models; Gemini: /models), since the adapters add it.
//   - Anthropic loses a trailing /v1 and Gemini a trailing /v1beta, since
//     their SDKs add those too.
//   - A cloud kind at another cloud kind's documented host is refused
//     (otherCloudHost): its key would go to another company.
//   - http:// is refused for the kinds that always carry a key (openai,
//     deepseek, anthropic, gemini) and for the hosts of presets that need
//     one (OpenRouter), unless the host is this machine (IsLocal): the key
//     would cross the network unencrypted.
//
// Every error matches ErrBadURL and says what to write instead.
func NormalizeBaseURL(kind Kind, raw string) (string, error) {
	s := strings.TrimRight(strings.TrimSpace(raw), "/")
	if s == "" {
		s = DefaultBaseURL(kind)
	}
	// Credentials first, on the text as typed: a token or password typed
	// with a '/', '?' or '#' in it ("https://sk-abc/def@api.example.com/v1",
	// "https://user:pa/ss@host", "http://sk-abc/def@ollama/v1") parses as a
	// host and a path, or not at all ("invalid port \":pa\" after host",
	// part of the password), and a query's refusal would name the wrong
	// reason; refused as credentials before every other check, whose
	// advice (another kind, an https:// URL) would keep the token.
	if credentialsPastPath(s) {
		return "", inputerr.New(ErrBadURL, "%q: do not put credentials in the URL; use the API key field", redactedURL(s))
	}
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return "", inputerr.New(ErrBadURL, "%q: a base URL has no spaces; remove the space", redactedURL(s))
	}
	u, err := checkBaseURL(s)
	if err != nil {
		return "", err
	}
	if strings.ContainsFunc(u.Path, unicode.IsSpace) {
		return "", inputerr.New(ErrBadURL, "%q: the path has a space in it (%%20); a base URL has none", redactedURL(s))
	}
	path := stripEndpoint(kind, strings.TrimRight(u.EscapedPath(), "/"))
	out := u.Scheme + "://" + u.Host + path
	// A refusal below repeats out as redactedURL shows it (an '@' left in
	// the path: "https://host/v1/me@x" shows "https://host/v1/xxxxx@x").
	if other, ok := otherCloudHost(kind, u); ok {
		return "", inputerr.New(ErrBadURL, "%q: %s is %s's server, not %s's: choose the kind %s (or %s), or %s's URL %s", redactedURL(out), u.Hostname(), kindLabel(other), kindLabel(kind), other, KindCompatible, kindLabel(kind), DefaultBaseURL(kind))
	}
	if u.Scheme == "http" && !IsLocal(out) {
		if label, ok := carriesKey(kind, u); ok {
			// The way out for a server on one's own network is another kind,
			// which only a cloud kind can take (OpenRouter is compatible already).
			lan := ""
			if kind.NeedsKey() {
				lan = fmt.Sprintf(" (a server on your own network without https: kind %s)", KindCompatible)
			}
			return "", inputerr.New(ErrBadURL, "%q: http:// would send the %s API key unencrypted; use %s%s", redactedURL(out), label, redactedURL("https://"+u.Host+path), lan)
		}
	}
	return out, nil
}

// stripEndpoint takes the kind's endpoint paths and API version off the end
// of path until none is left, so that a base URL once cleaned is cleaned
// again to itself (…/v1/completions/chat/completions is …/v1, not
// …/v1/completions, which a second save would have cut again).
func stripEndpoint(kind Kind, path string) string {
	for {
		before := path
		for _, suffix := range endpointSuffixes[kind] {
			if hasSuffixFold(path, suffix) {
				path = strings.TrimRight(path[:len(path)-len(suffix)], "/")
				break
			}
		}
		if v := versionSuffix[kind]; v != "" && hasSuffixFold(path, v) {
			path = strings.TrimRight(path[:len(path)-len(v)], "/")
		}
		if path == before {
			return path
		}
	}
}

// otherCloudHost returns the cloud kind whose documented host u is on when
// kind is another cloud kind (anthropic at api.openai.com): its key would
// go to another company, which answers it with a 401 or a 404 at best. An
// OpenAI-compatible server may be anywhere (Gemini's and Anthropic's
// OpenAI-style endpoints are on their own hosts). The window's form says
// the same before anything is sent (ProvidersForm.svelte).
func otherCloudHost(kind Kind, u *url.URL) (Kind, bool) {
	if kind == KindCompatible || DefaultBaseURL(kind) == "" {
		return "", false
	}
	for _, p := range Presets() {
		if p.Kind == KindCompatible || p.Kind == kind {
			continue
		}
		if pu, err := url.Parse(p.BaseURL); err == nil && strings.EqualFold(pu.Hostname(), u.Hostname()) {
			return p.Kind, true
		}
	}
	return "", false
}

// hasSuffixFold is strings.HasSuffix, case aside.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// carriesKey reports whether a provider of kind at u always sends an API
// key, and names it: the kinds that need one (Kind.NeedsKey), and an
// OpenAI-compatible server at the host of a preset that needs one
// (OpenRouter: keyedPreset).
func carriesKey(kind Kind, u *url.URL) (string, bool) {
	if kind.NeedsKey() {
		return kindLabel(kind), true
	}
	if p, ok := keyedPreset(kind, u); ok {
		return p.Label, true
	}
	return "", false
}

// keyedPreset returns the preset that needs a key (Preset.NeedKey) whose
// kind is kind and whose host is u's (case aside): OpenRouter, whose model
// list answers without a key although nothing else does.
func keyedPreset(kind Kind, u *url.URL) (Preset, bool) {
	if u == nil {
		return Preset{}, false
	}
	for _, p := range Presets() {
		if !p.NeedKey || p.Kind != kind {
			continue
		}
		if pu, err := url.Parse(p.BaseURL); err == nil && strings.EqualFold(pu.Hostname(), u.Hostname()) {
			return p, true
		}
	}
	return Preset{}, false
}

// needsKey reports whether a provider of kind at baseURL cannot work
// without an API key, and names it for the error (ErrNoKey).
func needsKey(kind Kind, baseURL string) (string, bool) {
	u, _ := url.Parse(baseURL)
	return carriesKey(kind, u)
}

// kindLabel is a kind's name as presets show it ("Anthropic Claude").
func kindLabel(k Kind) string {
	for _, p := range Presets() {
		if p.Kind == k && k != KindCompatible {
			return p.Label
		}
	}
	return string(k)
}

// versionHint is what a 404 from an OpenAI or OpenAI-compatible server (or
// an error object it answered a listing with under a 2xx status) whose
// base URL has no version in its path suggests: "did you mean BASE/v1?"
// (Ollama, LM Studio and llama.cpp serve the OpenAI API under /v1). ""
// for the other kinds (DeepSeek documents its base URL without /v1; the
// SDKs of Anthropic and Gemini add their version), and for a base URL
// that has a version segment (/v1, /v1beta, /api/paas/v4).
func versionHint(kind Kind, base *url.URL) string {
	if base == nil || kind != KindOpenAI && kind != KindCompatible {
		return ""
	}
	for _, seg := range strings.Split(base.Path, "/") {
		if len(seg) >= 2 && (seg[0] == 'v' || seg[0] == 'V') && seg[1] >= '0' && seg[1] <= '9' {
			return ""
		}
	}
	return "did you mean " + base.Scheme + "://" + base.Host + strings.TrimRight(base.EscapedPath(), "/") + "/v1?"
}
