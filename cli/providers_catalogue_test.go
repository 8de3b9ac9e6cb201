package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"meterdesk/backend/store"
)

// TestProvidersModelsSaysTheCatalogueFailed: when the provider lists its
// models but adding them to the rate catalogue fails (a database error
// here: a trigger refuses every new catalogue row), `providers models`
// prints the list and fails (exit 1) saying the picker may miss some of
// it (--json: "incomplete": true and "error"), and a save says so on
// stderr. Before, it exited 0 as if the list had reached the picker.
func TestProvidersModelsSaysTheCatalogueFailed(t *testing.T) {
	t.Setenv("METERDESK_SECRETS", "file")
	t.Setenv("METERDESK_API_KEY", "")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"object":"list","data":[{"id":"llama3.2","object":"model"},{"id":"qwen3:8b","object":"model"}]}`)
	}))
	defer srv.Close()
	d := newDataDir(t, "")
	db, err := store.Open(context.Background(), d.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Writer().Exec(`CREATE TRIGGER refuse_models BEFORE INSERT ON rate_models
		BEGIN SELECT RAISE(ABORT, 'the catalogue is read-only'); END`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, _, errs := d.run("providers", "add", "--name", "Box", "--kind", "openai_compatible", "--url", srv.URL+"/v1")
	if code != ExitOK || !strings.Contains(errs, "saved, but adding the listed models to the rate catalogue failed: ") ||
		!strings.Contains(errs, "the catalogue is read-only") {
		t.Errorf("add: exit %d, stderr %q; want 0 and the catalogue's failure", code, errs)
	}

	code, out, errs := d.run("providers", "models", "Box")
	want := `meterdesk providers models: provider "Box": adding the listed models to the rate catalogue failed: `
	if code != ExitFailed || out != "llama3.2\nqwen3:8b\n" || !strings.HasPrefix(errs, want) ||
		!strings.Contains(errs, "the model picker and the rate table may not offer all of them") {
		t.Errorf("models: exit %d, stdout %q, stderr %q; want %d, the list, and %q…", code, out, errs, ExitFailed, want)
	}
	// `providers test` connects, but says the test is incomplete: exit 1,
	// and stderr says what (it exited 0).
	code, out, errs = d.run("providers", "test", "Box")
	if want := `meterdesk providers test: provider "Box" connected, but its test is incomplete: adding the listed models to the rate catalogue failed: `; code != ExitFailed ||
		!strings.HasPrefix(out, "Box: connected: 2 models available. But adding") || !strings.HasPrefix(errs, want) ||
		!strings.Contains(errs, "the catalogue is read-only") {
		t.Errorf("test: exit %d, stdout %q, stderr %q; want %d and %q…", code, out, errs, ExitFailed, want)
	}
	code, out, _ = d.run("--json", "providers", "test", "Box")
	var tested struct {
		OK             bool   `json:"ok"`
		CatalogueError string `json:"catalogueError"`
	}
	if code != ExitFailed || json.Unmarshal([]byte(out), &tested) != nil || !tested.OK || tested.CatalogueError == "" {
		t.Errorf("test --json: exit %d %s", code, out)
	}

	code, out, _ = d.run("--json", "providers", "models", "Box")
	var got struct {
		Models     []string `json:"models"`
		Stale      bool     `json:"stale"`
		Incomplete bool     `json:"incomplete"`
		Error      string   `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("--json: %v: %q", err, out)
	}
	if code != ExitFailed || got.Stale || !got.Incomplete || len(got.Models) != 2 || !strings.Contains(got.Error, "the catalogue is read-only") {
		t.Errorf("--json: exit %d, %+v", code, got)
	}
}
