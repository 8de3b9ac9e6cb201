package rates

import (
	"testing"
	"time"
)

// TestModelsSince: since when each model has been in the catalogue: a
// built-in model without rates since the catalogue's creation (the
// database's first migration), a custom one since it was added, one with
// rates since its first row when that is earlier; a model the catalogue
// does not know is absent, and a later rate change moves nothing.
func TestModelsSince(t *testing.T) {
	f := newFixture(t)
	var applied, added string
	if err := f.db.Read().QueryRow(`SELECT MIN(applied_at) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	created, _ := time.Parse(time.RFC3339Nano, applied)
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "0.002", Output: "0.008"}}, Reason: "r"}); err != nil {
		t.Fatal(err)
	}
	first := f.clock.Now() // 2025-03-01, before the database's creation here
	if err := f.svc.AddModel(f.admin, OpenAI, "my-finetune"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Read().QueryRow(`SELECT added_at FROM rate_models WHERE model = 'my-finetune'`).Scan(&added); err != nil {
		t.Fatal(err)
	}
	addedAt, _ := time.Parse(time.RFC3339Nano, added)
	f.clock.Set(first.Add(24 * time.Hour))
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "0.003", Output: "0.009"}}, Reason: "r2"}); err != nil {
		t.Fatal(err)
	}
	since, err := f.svc.ModelsSince(f.memb)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		model string
		want  time.Time
	}{
		{"gpt-5", created},
		{"gpt-4o", first},
		{"my-finetune", addedAt},
	} {
		if got, ok := since[ModelKey{OpenAI, c.model}]; !ok || !got.Equal(c.want.UTC()) {
			t.Errorf("%s since %v (%v), want %v", c.model, got, ok, c.want)
		}
	}
	if got, ok := since[ModelKey{OpenAI, "gpt-9"}]; ok {
		t.Errorf("gpt-9 since %v, want absent", got)
	}
}
