package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestProvidersModelsFailureExits: `providers models` whose listing fails
// exits 1 (a provider or the network failed, as a failed connection test)
// with why on stderr, after printing the last known list, if any, on
// stdout (--json: the list object with "stale", "error" and "offline").
// Before, it exited 0 with the reason as a line among the model names.
func TestProvidersModelsFailureExits(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	var broken atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if broken.Load() {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":{"message":"model store is locked"}}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"object":"list","data":[{"id":"llama3.2","object":"model"}]}`)
	}))
	defer srv.Close()
	d := newDataDir(t, "")
	d.must("workspace", "update", "--timezone", "America/New_York")
	d.must("providers", "add", "--name", "Box", "--kind", "openai_compatible", "--url", srv.URL+"/v1")
	var listed string // when the live list was read: the last known list's time, printed in the workspace's zone
	type list struct {
		Models    []string `json:"models"`
		Stale     bool     `json:"stale"`
		CheckedAt string   `json:"checkedAt"`
		Error     string   `json:"error"`
		Offline   bool     `json:"offline"`
	}
	for _, c := range []struct {
		name    string
		state   func()
		code    int
		models  []string
		stale   bool
		offline bool
		stderr  string
	}{
		{"live", func() {}, ExitOK, []string{"llama3.2"}, false, false, "fetched from the provider "},
		{"the server answers an error", func() { broken.Store(true) }, ExitFailed, []string{"llama3.2"}, true, false,
			`meterdesk providers models: provider "Box": listing the models failed: list models: provider error 500 Internal Server Error: model store is locked; the last known list, from `},
		{"the server is gone", srv.Close, ExitFailed, []string{"llama3.2"}, true, true,
			`meterdesk providers models: provider "Box": offline: the provider cannot be reached: nothing is answering at `},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.state()
			code, out, errs := d.run("providers", "models", "Box")
			if code != c.code || out != strings.Join(c.models, "\n")+"\n" || !strings.HasPrefix(errs, c.stderr) {
				t.Errorf("text: exit %d, stdout %q, stderr %q; want %d, %v, %q", code, out, errs, c.code, c.models, c.stderr)
			}
			code, out, errs = d.run("--json", "providers", "models", "Box")
			var got list
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("--json: %v: %q", err, out)
			}
			if code != c.code || got.Stale != c.stale || got.Offline != c.offline || strings.Join(got.Models, ",") != strings.Join(c.models, ",") ||
				(got.Error == "") != !c.stale || !strings.HasPrefix(errs, c.stderr) && c.stale || !c.stale && errs != "" {
				t.Errorf("--json: exit %d, %+v, stderr %q", code, got, errs)
			}
			// The last known list's time is the workspace's local time,
			// as every time the CLI prints; it was the raw UTC stamp
			// ("from 2026-11-23T06:54:06.61932035Z").
			if !c.stale {
				at, err := time.Parse(time.RFC3339Nano, got.CheckedAt)
				if err != nil {
					t.Fatal(err)
				}
				listed = at.In(mustZone(t, "America/New_York")).Format("2006-01-02 15:04:05") + " America/New_York"
			} else if want := "; the last known list, from " + listed + "\n"; !strings.HasSuffix(errs, want) || strings.Contains(errs, got.CheckedAt) {
				t.Errorf("stale: stderr %q, want it to end %q", errs, want)
			}
		})
	}
}

// TestProvidersModelsOfflineNeverListed: a cloud provider offline since it
// was added lists, as the window's model picker offers, the rate
// catalogue's models of its kind (stdout, --json "fromCatalogue"), and
// stderr says they were not fetched; it was "no last known list" and
// nothing printed. It still exits 1: the provider could not be asked.
func TestProvidersModelsOfflineNeverListed(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/v1"
	srv.Close() // nothing answers there any more
	d := newDataDir(t, "")
	t.Setenv("TEST_OPENAI_KEY", "sk-test-0123456789abcdef")
	d.run("providers", "add", "--name", "OpenAI", "--kind", "openai", "--url", url, "--key-env", "TEST_OPENAI_KEY")
	code, out, errs := d.run("providers", "models", "OpenAI")
	if code != ExitFailed || !strings.Contains(out, "gpt-4o-mini\n") ||
		!strings.Contains(errs, "no last known list (it never listed its models); ") ||
		!strings.HasSuffix(errs, " models of the rate catalogue the chat offers for it (not fetched from the provider)\n") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, _ = d.run("--json", "providers", "models", "OpenAI")
	var got struct {
		Models        []string `json:"models"`
		Stale         bool     `json:"stale"`
		FromCatalogue []string `json:"fromCatalogue"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != ExitFailed || !got.Stale ||
		len(got.Models) == 0 || strings.Join(got.Models, ",") != strings.Join(got.FromCatalogue, ",") {
		t.Errorf("--json: exit %d, %+v, %v", code, got, err)
	}
}
