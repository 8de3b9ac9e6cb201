package providers_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/inputerr"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// TestNormalizeBaseURL: one place cleans every base URL. An endpoint
// pasted whole loses its endpoint, Anthropic and Gemini lose the version
// their SDKs add, a space is refused, and http:// is refused where a key
// would cross the network unencrypted.
func TestNormalizeBaseURL(t *testing.T) {
	for _, tc := range []struct {
		kind     providers.Kind
		in, want string
	}{
		{providers.KindCompatible, "http://localhost:11434/v1/chat/completions", "http://localhost:11434/v1"},
		{providers.KindCompatible, "http://localhost:11434/v1/chat/completions/", "http://localhost:11434/v1"},
		{providers.KindCompatible, "http://localhost:8080/v1/completions", "http://localhost:8080/v1"},
		{providers.KindCompatible, "http://localhost:1234/v1/models", "http://localhost:1234/v1"},
		{providers.KindCompatible, "  http://localhost:1234/v1//  ", "http://localhost:1234/v1"},
		{providers.KindCompatible, "http://192.168.1.5:11434/v1", "http://192.168.1.5:11434/v1"}, // a LAN server may be http
		{providers.KindCompatible, "https://openrouter.ai/api/v1/chat/completions", "https://openrouter.ai/api/v1"},
		{providers.KindOpenAI, "", "https://api.openai.com/v1"},
		{providers.KindOpenAI, "https://api.openai.com/v1/", "https://api.openai.com/v1"},
		{providers.KindOpenAI, "https://api.openai.com/v1/Chat/Completions", "https://api.openai.com/v1"},
		{providers.KindOpenAI, "http://127.0.0.1:4000/v1", "http://127.0.0.1:4000/v1"}, // this machine
		{providers.KindDeepSeek, "https://api.deepseek.com/chat/completions", "https://api.deepseek.com"},
		{providers.KindDeepSeek, "https://api.deepseek.com/v1", "https://api.deepseek.com/v1"}, // DeepSeek serves both
		{providers.KindAnthropic, "https://api.anthropic.com/v1", "https://api.anthropic.com"},
		{providers.KindAnthropic, "https://api.anthropic.com/v1/", "https://api.anthropic.com"},
		{providers.KindAnthropic, "https://api.anthropic.com/v1/messages", "https://api.anthropic.com"},
		{providers.KindAnthropic, "https://gateway.example.com/anthropic", "https://gateway.example.com/anthropic"},
		{providers.KindAnthropic, "http://localhost:8080/v1", "http://localhost:8080"},
		{providers.KindGemini, "https://generativelanguage.googleapis.com/v1beta", "https://generativelanguage.googleapis.com"},
		{providers.KindGemini, "https://generativelanguage.googleapis.com/v1beta/models", "https://generativelanguage.googleapis.com"},
		{providers.KindGemini, "", "https://generativelanguage.googleapis.com"},
		// Stacked endpoints: cleaned until none is left, so a second save
		// (the provider list shows the cleaned URL) gives the same URL.
		{providers.KindCompatible, "http://localhost:1234/v1/completions/chat/completions", "http://localhost:1234/v1"},
		{providers.KindAnthropic, "https://gateway.example.com/x/messages/v1", "https://gateway.example.com/x"},
		{providers.KindGemini, "https://gateway.example.com/x/models/v1beta/models", "https://gateway.example.com/x"},
	} {
		got, err := providers.NormalizeBaseURL(tc.kind, tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%s %q = %q, %v; want %q", tc.kind, tc.in, got, err, tc.want)
		}
		if again, err := providers.NormalizeBaseURL(tc.kind, got); err != nil || again != got {
			t.Errorf("%s %q cleaned twice = %q, %v; want %q again", tc.kind, tc.in, again, err, got)
		}
	}
	for _, tc := range []struct {
		kind providers.Kind
		in   string
		msg  string
	}{
		{providers.KindCompatible, "http://localhost:18001/ v1", "a base URL has no spaces"},
		{providers.KindCompatible, "http://localhost:18001/v1 ", ""}, // trimmed, not refused: below
		{providers.KindCompatible, "http://localhost:18001/%20v1", "the path has a space in it"},
		{providers.KindCompatible, "http://local host:18001/v1", "a base URL has no spaces"},
		{providers.KindOpenAI, "http://api.openai.com/v1", "http:// would send the OpenAI API key unencrypted; use https://api.openai.com/v1 "},
		{providers.KindDeepSeek, "http://api.deepseek.com", "use https://api.deepseek.com "},
		{providers.KindAnthropic, "http://api.anthropic.com/v1", "use https://api.anthropic.com "},
		{providers.KindGemini, "http://generativelanguage.googleapis.com", "use https://generativelanguage.googleapis.com "},
		{providers.KindOpenAI, "http://192.168.1.5:4000/v1", "kind openai_compatible"},
		{providers.KindCompatible, "http://openrouter.ai/api/v1", "would send the OpenRouter API key unencrypted; use https://openrouter.ai/api/v1"},
		{providers.KindCompatible, "ftp://localhost/v1", "must start with http:// or https://"},
		// A cloud kind at another cloud kind's documented host: the key would go to another company.
		{providers.KindAnthropic, "https://api.openai.com/v1", "api.openai.com is OpenAI's server, not Anthropic Claude's: choose the kind openai"},
		{providers.KindOpenAI, "https://generativelanguage.googleapis.com/v1beta/openai", "Google Gemini's server, not OpenAI's"},
		{providers.KindGemini, "https://API.DeepSeek.com", "DeepSeek's server, not Google Gemini's"},
		{providers.KindDeepSeek, "https://api.anthropic.com", "Anthropic Claude's server, not DeepSeek's"},
		{providers.KindAnthropic, "http://api.openai.com/v1", "OpenAI's server"}, // said before the http:// refusal
		// An OpenAI-compatible kind may be anywhere: Gemini's and Anthropic's OpenAI-style endpoints.
		{providers.KindCompatible, "https://generativelanguage.googleapis.com/v1beta/openai", ""},
		{providers.KindCompatible, "https://api.anthropic.com/v1", ""},
	} {
		_, err := providers.NormalizeBaseURL(tc.kind, tc.in)
		if tc.msg == "" {
			if err != nil {
				t.Errorf("%s %q: %v, want it accepted", tc.kind, tc.in, err)
			}
			continue
		}
		if !errors.Is(err, providers.ErrBadURL) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s %q: err = %v, want ErrBadURL saying %q", tc.kind, tc.in, err, tc.msg)
		}
	}
	// OpenRouter is kind openai_compatible already and not on anyone's own
	// network: the way out offered to the cloud kinds is not offered to it.
	if _, err := providers.NormalizeBaseURL(providers.KindCompatible, "http://OpenRouter.ai/api/v1"); err == nil || strings.Contains(err.Error(), "own network") {
		t.Errorf("OpenRouter over http: %v, want a refusal without the LAN advice", err)
	}
}

// TestSaveNormalisesBaseURL: what the reviewers pasted is saved as the base
// URL the SDKs expect, so the listing after the save asks the right path
// (not /v1/chat/completions/models, /v1/v1/models or
// /v1beta/v1beta/models); what cannot be meant is refused before anything
// is written, also by the connection test and by a client built from an
// older saved URL.
func TestSaveNormalisesBaseURL(t *testing.T) {
	oa := fake.NewOpenAI(fake.Script{Models: []string{"llama3.2"}})
	defer oa.Close()
	an := fake.NewAnthropic(fake.Script{})
	defer an.Close()
	ge := fake.NewGemini(fake.Script{})
	defer ge.Close()
	for _, tc := range []struct {
		name     string
		kind     providers.Kind
		srv      *fake.Server
		in, want string
		path     string // the listing's path
	}{
		{"endpoint pasted", providers.KindCompatible, oa, oa.URL + "/v1/chat/completions", oa.URL + "/v1", "/v1/models"},
		{"anthropic with /v1", providers.KindAnthropic, an, an.URL + "/v1", an.URL, "/v1/models"},
		{"gemini with /v1beta", providers.KindGemini, ge, ge.URL + "/v1beta", ge.URL, "/v1beta/models"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, nil)
			seen := len(tc.srv.Requests())
			p, err := f.svc.Add(as(admin), providers.Input{Name: "P", Kind: tc.kind, BaseURL: tc.in, APIKey: testKey})
			if err != nil || p.BaseURL != tc.want || p.ModelsError != "" {
				t.Fatalf("add = %+v, %v; want base URL %q, models listed", p, err, tc.want)
			}
			reqs := tc.srv.Requests()[seen:]
			if len(reqs) != 1 || reqs[0].Path != tc.path {
				t.Fatalf("requests after the save: %+v, want one GET %s", reqs, tc.path)
			}
			res, err := f.svc.TestInput(as(admin), 0, providers.Input{Kind: tc.kind, BaseURL: tc.in, APIKey: testKey})
			if err != nil || !res.OK {
				t.Errorf("test of %q = %+v, %v", tc.in, res, err)
			}
			// A client of the URL as an older version saved it asks the right path too.
			c, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: tc.in, APIKey: testKey})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Models(context.Background()); err != nil {
				t.Errorf("models through %q: %v", tc.in, err)
			}
		})
	}
	f := newFixture(t, nil)
	before := f.dbBytes(t)
	for _, tc := range []struct {
		in  providers.Input
		msg string
	}{
		{providers.Input{Name: "Space", Kind: providers.KindCompatible, BaseURL: strings.Replace(oa.BaseURL(), "/v1", "/ v1", 1)}, "no spaces"},
		{providers.Input{Name: "Clear", Kind: providers.KindOpenAI, BaseURL: "http://api.example.com/v1", APIKey: testKey}, "use https://api.example.com/v1"},
		{providers.Input{Name: "Clear2", Kind: providers.KindAnthropic, BaseURL: "http://api.example.com", APIKey: testKey}, "use https://api.example.com"},
	} {
		if _, err := f.svc.Add(as(admin), tc.in); !errors.Is(err, providers.ErrBadURL) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("add %q: %v, want ErrBadURL saying %q", tc.in.BaseURL, err, tc.msg)
		}
		if _, err := f.svc.TestInput(as(admin), 0, tc.in); !errors.Is(err, providers.ErrBadURL) {
			t.Errorf("test %q: %v, want ErrBadURL", tc.in.BaseURL, err)
		}
		if _, err := providers.New(providers.Config{Kind: tc.in.Kind, BaseURL: tc.in.BaseURL, APIKey: testKey}); !errors.Is(err, providers.ErrBadURL) {
			t.Errorf("client of %q: %v, want ErrBadURL", tc.in.BaseURL, err)
		}
	}
	if f.count(t) != 0 || !bytesEqual(before, f.dbBytes(t)) {
		t.Fatal("a refused base URL wrote something")
	}
}

func bytesEqual(a, b []byte) bool { return string(a) == string(b) }

// TestRefusedProviderInputNamesItsField: a provider's name, base URL or
// key refused is a typed refusal (inputerr): its kind (errors.Is, the
// CLI's exit 2), its Go text as before (the CLI's, byte for byte), its
// reason without the operation or the kind (the window's words), and the
// field of Input it is about by its JSON name (inputerr.Field), which the
// window's provider form marks; nothing is written.
func TestRefusedProviderInputNamesItsField(t *testing.T) {
	f := newFixture(t, nil)
	before := f.dbBytes(t)
	for _, tc := range []struct {
		name              string
		in                providers.Input
		kind              error
		text, reason, fld string
	}{
		{"scheme", providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: "ftp://x"}, providers.ErrBadURL,
			`add provider: invalid base URL: "ftp://x": must start with http:// or https://`, `"ftp://x": must start with http:// or https://`, "baseUrl"},
		{"space", providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: "http://local host/v1"}, providers.ErrBadURL,
			`add provider: invalid base URL: "http://local host/v1": a base URL has no spaces; remove the space`,
			`"http://local host/v1": a base URL has no spaces; remove the space`, "baseUrl"},
		{"path with %20", providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: "http://localhost:1/%20v1"}, providers.ErrBadURL,
			`add provider: invalid base URL: "http://localhost:1/%20v1": the path has a space in it (%20); a base URL has none`,
			`"http://localhost:1/%20v1": the path has a space in it (%20); a base URL has none`, "baseUrl"},
		{"credentials", providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: "http://me:pw@localhost:1/v1"}, providers.ErrBadURL,
			`add provider: invalid base URL: "http://me:xxxxx@localhost:1/v1": do not put credentials in the URL; use the API key field`,
			`"http://me:xxxxx@localhost:1/v1": do not put credentials in the URL; use the API key field`, "baseUrl"},
		{"key", providers.Input{Name: "Local", Kind: providers.KindCompatible, BaseURL: "http://localhost:1/v1", APIKey: "sk a"}, providers.ErrBadKey,
			"add provider: invalid API key: contains spaces or control characters (was more than the key pasted?)",
			"contains spaces or control characters (was more than the key pasted?)", "apiKey"},
		{"name", providers.Input{Name: "123", Kind: providers.KindCompatible, BaseURL: "http://localhost:1/v1"}, providers.ErrBadName,
			`add provider: invalid provider name: "123" needs a letter or another character besides digits (a number is read as a provider id)`,
			`"123" needs a letter or another character besides digits (a number is read as a provider id)`, "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Add(as(admin), tc.in)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("%v, want %v", err, tc.kind)
			}
			if err.Error() != tc.text {
				t.Errorf("text %q\nwant %q", err, tc.text)
			}
			if got := inputerr.Reason(err); got != tc.reason {
				t.Errorf("reason %q\nwant %q", got, tc.reason)
			}
			if got := inputerr.Field(err); got != tc.fld {
				t.Errorf("field %q, want %q", got, tc.fld)
			}
		})
	}
	if f.count(t) != 0 || !bytesEqual(before, f.dbBytes(t)) {
		t.Fatal("a refused provider wrote something")
	}
}

// TestBaseURLRefusalsNeverRepeatAPassword: every refusal of a base URL
// (providers.NormalizeBaseURL, checkBaseURL) that holds a password in its user part
// names the URL with the password redacted ("xxxxx", as url.URL.Redacted
// does): the no-spaces refusal repeated it whole, and so did url.Parse's
// own error (a bad port) and the scheme, host and query refusals.
func TestBaseURLRefusalsNeverRepeatAPassword(t *testing.T) {
	const secret = "sk-SECRET"
	for _, tc := range []struct {
		kind providers.Kind
		raw  string
	}{
		{providers.KindOpenAI, "https://u:" + secret + "@api.example.com/ v1"},             // a space
		{providers.KindOpenAI, "https://u:" + secret + "@api example.com/v1"},              // a space in the host
		{providers.KindOpenAI, "https://u:" + secret + "@api.example.com:port/v1"},         // url.Parse refuses it
		{providers.KindOpenAI, "ftp://u:" + secret + "@api.example.com/v1"},                // not http(s)
		{providers.KindOpenAI, "u:" + secret + "@api.example.com/v1"},                      // no scheme
		{providers.KindOpenAI, "https://u:" + secret + "@/v1"},                             // no host
		{providers.KindOpenAI, "https://u:" + secret + "@api.example.com/v1"},              // credentials
		{providers.KindOpenAI, "https://u:" + secret + "@api.example.com/v1?x=1"},          // a query
		{providers.KindCompatible, "http://u:" + secret + "@api.example.com/v1%20x"},       // %20
		{providers.KindAnthropic, "https://u:" + secret + "@api.openai.com/v1"},            // another cloud's host
		{providers.KindOpenAI, "http://u:" + secret + "@api.example.com/v1"},               // http:// with a key
		{providers.KindOpenAI, "https://" + secret + "@api.example.com/ v1"},               // a user part that is the key
		{providers.KindOpenAI, "https://u:" + secret + "@api.example.com:99999999999/v1 "}, // a port out of range
		// A password holding '/', '?' or '#': the user part ends at the last '@'.
		{providers.KindOpenAI, "https://u:ab/cd" + secret + "@api.example.com/ v1"},
		{providers.KindOpenAI, "https://u:abc#" + secret + "@api.example.com/ v1"},
		{providers.KindOpenAI, "https://u:ab?" + secret + "@api.example.com/ v1"},
		{providers.KindOpenAI, "u:abc#" + secret + "@api.example.com/ v1"},
		{providers.KindOpenAI, "https://ab/cd" + secret + "@api.example.com/ v1"}, // a token holding '/'
		// … the secret before the '/': no plausible host there, a real one after the '@'.
		{providers.KindOpenAI, "https://" + secret + "/def456@api.example.com/ v1"},
		{providers.KindOpenAI, "https://" + secret + "/de:f456@api.example.com/ v1"},        // … and a ':' after the '/'
		{providers.KindOpenAI, "http://" + secret + "/def456@api.example.com/v1"},           // http:// with a key: it parses, host and path
		{providers.KindCompatible, "https://" + secret + "/def456@api.example.com/v1%20x"},  // %20
		{providers.KindAnthropic, "https://api.openai.com/v1/" + secret + "@x.example.com"}, // another cloud's host, a token in the path
		// A password holding a space: before, only what came before the space was read.
		{providers.KindOpenAI, "https://u:sk " + secret + "@api.example.com/v1"},
		{providers.KindOpenAI, "https://u:a@b " + secret + "@api.example.com/v1"},
		{providers.KindOpenAI, "https://u:a b/c" + secret + "@api.example.com/ v1"},
		{providers.KindOpenAI, "https://sk " + secret + "@api.example.com/v1"},
	} {
		_, err := providers.NormalizeBaseURL(tc.kind, tc.raw)
		if err == nil {
			t.Errorf("%s %q: accepted", tc.kind, tc.raw)
			continue
		}
		if !errors.Is(err, providers.ErrBadURL) {
			t.Errorf("%s %q: %v, want providers.ErrBadURL", tc.kind, tc.raw, err)
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%s %q: the refusal repeats the password: %v", tc.kind, tc.raw, err)
		}
	}
	// The space's refusal still names the URL, its password redacted.
	if _, err := providers.NormalizeBaseURL(providers.KindOpenAI, "https://u:"+secret+"@host/ v1"); err == nil || !strings.Contains(err.Error(), `"https://u:xxxxx@host/ v1"`) {
		t.Errorf("the space's refusal: %v", err)
	}
	if _, err := providers.NormalizeBaseURL(providers.KindOpenAI, "https://u:ab/cd?e#f"+secret+"@host/ v1"); err == nil || !strings.Contains(err.Error(), `"https://u:xxxxx@host/ v1"`) {
		t.Errorf("the space's refusal, a password with '/', '?' and '#': %v", err)
	}
}

// TestBaseURLRefusalsShowTheURLAsTyped: a refusal repeats the URL as typed,
// but for its user part, which is looked for in the authority only (RFC
// 3986: up to the first '/', '?' or '#'). Before, a password with a space
// was repeated (the user part was looked for up to the first space), and
// an '@' in the path was read as the end of a user part, which garbled the
// URL shown ("https://host/v1/@x" as "https://xxxxx@x"). A query's values
// are hidden (queryValueHidden: "?q=xxxxx"), as every URL shown hides them.
func TestBaseURLRefusalsShowTheURLAsTyped(t *testing.T) {
	for _, c := range []struct{ raw, shown string }{
		{"https://u:sk SECRET@host/v1", `"https://u:xxxxx@host/v1"`},                                       // a password with a space
		{"https://u:a@b SECRET@host/v1", `"https://u:xxxxx@host/v1"`},                                      // … and an '@'
		{"https://sk SECRET@host/v1", `"https://xxxxx@host/v1"`},                                           // a token with a space
		{"https://host/v1/@x?q=1", `"https://host/v1/@x?q=xxxxx"`},                                         // an '@' in the path
		{"https://host/v1/ @x", `"https://host/v1/ @x"`},                                                   // … and a space
		{"https://host:8443/v1/@x?q=1", `"https://host:8443/v1/@x?q=xxxxx"`},                               // … with a port
		{"https://[::1]:8443/@x?q=1", `"https://[::1]:8443/@x?q=xxxxx"`},                                   // … an IPv6 host
		{"https://u:p@host/v1/@x?q=1", `"https://u:xxxxx@host/v1/@x?q=xxxxx"`},                             // a user part and an '@' in the path
		{"https://host.example/v1/me@x?q=1", `"https://host.example/v1/xxxxx@x?q=xxxxx"`},                  // what may be a token's end is hidden, the host kept
		{"https://host/v1/meSECRET@x?q=1", `"https://xxxxx@x?q=xxxxx": do not put credentials in the URL`}, // no plausible host: a token's first part
		{"https://u:ab/cdSECRET@host/v1/@x ", `"https://u:xxxxx@x"`},                                       // no host before the '/': all up to the last '@' goes
		{"https://u:ab?SECRET@host/ v1", `"https://u:xxxxx@host/ v1"`},                                     // a password holding '?'
		// A token holding a '/': no plausible host before it (no dot, port,
		// localhost or IP), a real host after the last '@' (a dot or a
		// port): hidden whole, not "https://sk-abc123/xxxxx@…".
		{"https://sk-abc123/defSECRET@api.example.com/ v1", `"https://xxxxx@api.example.com/ v1"`},
		{"https://sk-abc123/de:fSECRET@api.example.com/ v1", `"https://xxxxx@api.example.com/ v1"`},
		{"https://sk-abc123/defSECRET@host:8443/ v1", `"https://xxxxx@host:8443/ v1"`},
		{"https://localhost/v1/@x.example.com/ v1", `"https://localhost/v1/@x.example.com/ v1"`}, // a plausible host: an '@' in the path as typed
		{"https://10.0.0.5/v1/@x.example.com/ v1", `"https://10.0.0.5/v1/@x.example.com/ v1"`},
		{"https://host/v1/@x/ v1", `"https://host/v1/@x/ v1"`}, // an '@' alone ends no token
		// Refused as credentials, before the http:// and %20 refusals.
		{"http://sk-abc123/defSECRET@api.example.com/v1", `"http://xxxxx@api.example.com/v1": do not put credentials in the URL`},
		{"https://sk-abc123/defSECRET@api.example.com/v1%20x", `"https://xxxxx@api.example.com/v1%20x": do not put credentials in the URL`},
	} {
		_, err := providers.NormalizeBaseURL(providers.KindOpenAI, c.raw)
		if err == nil || !errors.Is(err, providers.ErrBadURL) {
			t.Errorf("%q: %v, want a refusal (ErrBadURL)", c.raw, err)
			continue
		}
		if !strings.Contains(err.Error(), c.shown) || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("%q: %v\nwant it to show %s", c.raw, err, c.shown)
		}
	}
}

// TestTokenWithASlashIsRefusedAsCredentials: a token typed with a '/' in
// it before the host ("https://sk-abc123/def456@api.example.com/v1") parses
// as a host and a path, with no user part; it was saved as the base URL
// (and in the provider.add audit entry), and over http:// the refusal's
// advice ("use https://xxxxx@api.example.com/v1") was itself refused. It is
// refused as credentials, before the cloud-host and http:// checks, so no
// advice is given; nothing is stored, nothing audited. A plausible host
// before the '/' (a dot, a port, localhost) or no real host after the '@'
// is still a path.
func TestTokenWithASlashIsRefusedAsCredentials(t *testing.T) {
	f := newFixture(t, nil)
	before := f.dbBytes(t)
	const refusal = "do not put credentials in the URL; use the API key field"
	for _, tc := range []struct {
		kind  providers.Kind
		raw   string
		shown string
	}{
		{providers.KindOpenAI, "https://sk-abc123/def456@api.example.com/v1", "https://xxxxx@api.example.com/v1"},
		{providers.KindOpenAI, "http://sk-abc123/def456@api.example.com/v1", "http://xxxxx@api.example.com/v1"},          // no https:// advice
		{providers.KindCompatible, "https://sk-abc123/def456@api.example.com/v1", "https://xxxxx@api.example.com/v1"},    // a kind without a key
		{providers.KindCompatible, "http://sk-abc123/def456@openrouter.ai/api/v1", "http://xxxxx@openrouter.ai/api/v1"},  // a keyed preset's host
		{providers.KindAnthropic, "https://sk-abc123/def456@api.openai.com/v1", "https://xxxxx@api.openai.com/v1"},       // another cloud's host: no advice
		{providers.KindCompatible, "http://sk-abc123/de:f456@lab.internal:8080/v1", "http://xxxxx@lab.internal:8080/v1"}, // a port after the '@'
		// Checked first, on the text as typed: url.Parse's "invalid port
		// \":sk-abc123\" after host" repeated part of the password, a query's
		// refusal named the wrong reason, and a host with no dot or port
		// after the '@' (ollama) was stored with the token in its path.
		{providers.KindOpenAI, "https://user:sk-abc123/def456@api.example.com/v1", "https://user:xxxxx@api.example.com/v1"},
		{providers.KindOpenAI, "https://sk-abc123?def456@api.example.com/v1", "https://xxxxx@api.example.com/v1"},
		{providers.KindCompatible, "http://sk-abc123/def456@ollama/v1", "http://xxxxx@ollama/v1"},
		{providers.KindCompatible, "http://sk-abc123#def456@ollama:11434/v1", "http://xxxxx@ollama:11434/v1"},
		{providers.KindCompatible, "http://sk-abc123/def456@ollama", "http://xxxxx@ollama"},
	} {
		t.Run(string(tc.kind)+" "+tc.raw, func(t *testing.T) {
			in := providers.Input{Name: "Lab", Kind: tc.kind, BaseURL: tc.raw, APIKey: testKey}
			_, err := f.svc.Add(as(admin), in)
			if !errors.Is(err, providers.ErrBadURL) {
				t.Fatalf("add: %v, want ErrBadURL", err)
			}
			want := fmt.Sprintf("%q: %s", tc.shown, refusal)
			if got := inputerr.Reason(err); got != want {
				t.Errorf("reason %q\nwant %q", got, want)
			}
			if inputerr.Field(err) != "baseUrl" {
				t.Errorf("field %q, want baseUrl", inputerr.Field(err))
			}
			if strings.Contains(err.Error(), "def456") || strings.Contains(err.Error(), "sk-abc123") {
				t.Errorf("the refusal repeats the token: %v", err)
			}
			if _, err := providers.New(providers.Config{Kind: tc.kind, BaseURL: tc.raw, APIKey: testKey}); !errors.Is(err, providers.ErrBadURL) {
				t.Errorf("client: %v, want ErrBadURL", err)
			}
		})
	}
	if f.count(t) != 0 || len(audittest.Entries(t, f.db)) != 0 || !bytesEqual(before, f.dbBytes(t)) {
		t.Fatal("a refused base URL wrote something")
	}
	// Still a path: a plausible host before the '/', or an '@' alone,
	// which ends no token (text before it would, after a dotless host:
	// "http://sk-abc/def@ollama/v1" is refused above).
	for _, raw := range []string{
		"https://api.example.com/v1/me@x.example.com",
		"http://localhost:11434/v1/@x.example.com",
		"http://10.0.0.5/v1/a@b.example.com",
		"http://ollama/v1/@x",
		"http://ollama:11434/v1/me@x",
	} {
		if _, err := providers.NormalizeBaseURL(providers.KindCompatible, raw); err != nil {
			t.Errorf("%q: %v, want it kept (an '@' in the path)", raw, err)
		}
	}
}

// TestBaseURLQueryRefusalHidesEveryValue: a base URL with a query is
// refused, and the refusal (which the window, the CLI and a failed test's
// log repeat) hides every value but a documented plain one: ?pwd=, ?sig=
// and a bare ?token were repeated as typed, since only names like a
// credential were hidden.
func TestBaseURLQueryRefusalHidesEveryValue(t *testing.T) {
	for _, c := range []struct{ raw, shown string }{
		{"https://h.example/v1?pwd=hunter2", `"https://h.example/v1?pwd=xxxxx"`},
		{"https://h.example/v1?pass=hunter2", `"https://h.example/v1?pass=xxxxx"`},
		{"https://h.example/v1?auth=hunter2", `"https://h.example/v1?auth=xxxxx"`},
		{"https://h.example/v1?sig=hunter2", `"https://h.example/v1?sig=xxxxx"`},
		{"https://h.example/v1?apikey=hunter2", `"https://h.example/v1?apikey=xxxxx"`},
		{"https://h.example/v1?api-key=hunter2", `"https://h.example/v1?api-key=xxxxx"`},
		{"https://h.example/v1?access_token=hunter2", `"https://h.example/v1?access_token=xxxxx"`},
		{"https://h.example/v1?x-goog-api-key=hunter2", `"https://h.example/v1?x-goog-api-key=xxxxx"`},
		{"https://h.example/v1?X-Amz-Signature=hunter2&X-Amz-Date=1", `"https://h.example/v1?X-Amz-Signature=xxxxx&X-Amz-Date=xxxxx"`},
		{"https://h.example/v1?hunter2", `"https://h.example/v1?xxxxx"`},
		{"https://h.example/v1?api-version=2024-02-01&pwd=hunter2#frag", `"https://h.example/v1?api-version=2024-02-01&pwd=xxxxx#frag"`},
		{"https://h.example/v1?pwd=hunt er2", `"https://h.example/v1?pwd=xxxxx": a base URL has no spaces`},
	} {
		for _, kind := range []providers.Kind{providers.KindCompatible, providers.KindGemini} {
			_, err := providers.NormalizeBaseURL(kind, c.raw)
			if !errors.Is(err, providers.ErrBadURL) || !strings.Contains(err.Error(), c.shown) || strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "er2") {
				t.Errorf("%s %q: %v\nwant it refused, showing %s", kind, c.raw, err, c.shown)
			}
		}
	}
}
