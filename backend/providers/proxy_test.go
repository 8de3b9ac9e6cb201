package providers_test

import (
	"net/http"
	"net/url"
	"testing"

	"meterdesk/backend/providers"
)

// TestLocalURLsNeverUseAProxy: a server on this machine (Provider.Local:
// localhost, *.localhost, 127.0.0.0/8, ::1) is reached directly whatever
// proxy is configured. Go's environment rule skips only "localhost" and
// loopback addresses, so http://ollama.localhost went to HTTP_PROXY.
func TestLocalURLsNeverUseAProxy(t *testing.T) {
	proxy, _ := url.Parse("http://proxy.example.com:3128")
	tr := providers.NewTransport(providers.TransportOptions{Proxy: http.ProxyURL(proxy)})
	for raw, direct := range map[string]bool{
		"http://ollama.localhost:11434/v1/models": true,
		"http://LM.LOCALHOST:1234/v1/models":      true,
		"http://localhost:11434/v1/models":        true,
		"http://127.0.0.2:8080/v1/models":         true,
		"http://[::1]:8080/v1/models":             true,
		"https://api.openai.com/v1/models":        false,
		"http://192.168.1.5:11434/v1/models":      false,
		"http://localhost.example.com/v1/models":  false,
	} {
		req, err := http.NewRequest(http.MethodGet, raw, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := tr.Proxy(req)
		if err != nil {
			t.Fatal(err)
		}
		if direct && got != nil || !direct && (got == nil || got.Host != proxy.Host) {
			t.Errorf("%s: proxy %v, want direct %v", raw, got, direct)
		}
	}
	// Without a proxy of its own the transport takes the environment's,
	// with the same exception.
	if tr := providers.NewTransport(providers.TransportOptions{}); tr.Proxy == nil {
		t.Error("the default transport lost the environment's proxy")
	}
}
