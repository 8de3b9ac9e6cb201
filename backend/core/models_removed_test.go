package core

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"meterdesk/backend/providers"
)

// TestListingOfARemovedProviderRecordsNothing: a provider removed while
// its model listing was in flight (between the server's request and its
// answer) gets none of the models it answered with: not in the rate
// catalogue (so not in the model picker or the rate table), and the
// listing says the provider is gone (providers.ErrNotFound), as any call
// about a removed provider does, whether the server answered with models
// or with an error. Before, the answer's models were merged into the
// catalogue although no provider reported them any more and the listing
// looked live; a failed one said "sql: no rows in result set".
func TestListingOfARemovedProviderRecordsNothing(t *testing.T) {
	for _, fails := range []bool{false, true} {
		t.Run(map[bool]string{false: "answers", true: "fails"}[fails], func(t *testing.T) { removedWhileListing(t, fails) })
	}
}

func removedWhileListing(t *testing.T, fails bool) {
	_, _, b, alice := checkHome(t)
	var hold atomic.Bool
	asked := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/models") {
			http.NotFound(w, r)
			return
		}
		model := "added-when-saved"
		if hold.Load() {
			asked <- struct{}{}
			<-release
			model = "gone-with-its-provider"
			if fails {
				http.Error(w, "boom", http.StatusInternalServerError)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"object":"list","data":[{"id":"` + model + `","object":"model"}]}`))
	}))
	defer srv.Close()
	p, err := b.Providers.Add(alice, providers.Input{Name: "Box", Kind: providers.KindCompatible, BaseURL: srv.URL + "/v1"})
	if err != nil {
		t.Fatal(err)
	}
	hold.Store(true)
	type answer struct {
		ml  providers.ModelList
		err error
	}
	done := make(chan answer, 1)
	go func() {
		ml, err := b.ProviderModels(alice, p.ID)
		done <- answer{ml, err}
	}()
	<-asked
	if err := b.Providers.Remove(alice, p.ID); err != nil {
		close(release)
		t.Fatal(err)
	}
	close(release)
	got := <-done
	if !errors.Is(got.err, providers.ErrNotFound) {
		t.Errorf("listing of a removed provider = %+v, %v; want ErrNotFound", got.ml, got.err)
	}
	var n int
	if err := b.DB.Read().QueryRowContext(context.Background(), "SELECT COUNT(*) FROM rate_models WHERE model = 'gone-with-its-provider'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("the removed provider's models reached the rate catalogue (%d rows)", n)
	}
}
