package rates

import (
	"fmt"
	"testing"
	"time"

	"meterdesk/backend/store"
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

// TestModelsSinceCachesHistory: a second call on an unchanged rate history
// does not read it again; a new rate version (here or written by another
// process straight to the database) and a new model show at once.
func TestModelsSinceCachesHistory(t *testing.T) {
	f := newFixture(t)
	since := func() map[ModelKey]time.Time {
		t.Helper()
		m, err := f.svc.ModelsSince(f.memb)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	reads := func() int {
		f.svc.mu.Lock()
		defer f.svc.mu.Unlock()
		return f.svc.historyReads
	}
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "0.002", Output: "0.008"}}, Reason: "r"}); err != nil {
		t.Fatal(err)
	}
	first := since()
	if reads() != 1 {
		t.Fatalf("history read %d times on the first call, want 1", reads())
	}
	again := since()
	if reads() != 1 {
		t.Fatalf("history read %d times after a second call, want still 1", reads())
	}
	if len(again) != len(first) || !again[ModelKey{OpenAI, "gpt-4o"}].Equal(first[ModelKey{OpenAI, "gpt-4o"}]) {
		t.Fatalf("second call = %v, want %v", again, first)
	}

	// A new model shows without a history read.
	if err := f.svc.AddModel(f.admin, OpenAI, "my-finetune"); err != nil {
		t.Fatal(err)
	}
	if _, ok := since()[ModelKey{OpenAI, "my-finetune"}]; !ok || reads() != 1 {
		t.Fatalf("added model shown %v after %d history reads, want shown after 1", ok, reads())
	}

	// A new version with a row for a model nobody added shows.
	f.clock.Set(f.clock.Now().Add(time.Hour))
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: Local, Model: "acme-1", Input: "1", Output: "1"}}, Reason: "r2"}); err != nil {
		t.Fatal(err)
	}
	if got, ok := since()[ModelKey{Local, "acme-1"}]; !ok || !got.Equal(f.clock.Now().UTC()) || reads() != 2 {
		t.Fatalf("acme-1 since %v (%v) after %d history reads, want %v after 2", got, ok, reads(), f.clock.Now())
	}

	// A version written by another process (the CLI) shows too.
	res, err := f.db.Writer().Exec(`INSERT INTO rate_versions(effective_at, created_by, reason, default_input, default_output)
		VALUES ('2026-01-01T00:00:00.000000000Z', 'cli', 'r3', '1', '1')`)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	if _, err := f.db.Writer().Exec(`INSERT INTO rate_entries(version_id, provider, model, input, output) VALUES (?, ?, 'acme-2', '1', '1')`, id, Local); err != nil {
		t.Fatal(err)
	}
	if _, ok := since()[ModelKey{Local, "acme-2"}]; !ok || reads() != 3 {
		t.Fatalf("acme-2 from another process shown %v after %d history reads, want shown after 3", ok, reads())
	}
}

// BenchmarkModelsSince: /v1/models' "created" over 300 rate versions of
// 300 models each, reading the history every call ("uncached", as before
// the cache) and once per newest version ("cached").
func BenchmarkModelsSince(b *testing.B) {
	f := newFixture(b)
	tx, err := f.db.Writer().Begin()
	if err != nil {
		b.Fatal(err)
	}
	for v := 0; v < 300; v++ {
		res, err := tx.Exec(`INSERT INTO rate_versions(effective_at, created_by, reason, default_input, default_output)
			VALUES (?, 'bench', 'r', '1', '1')`, store.FormatTimeNano(time.Date(2025, 1, 1, 0, 0, v, 0, time.UTC)))
		if err != nil {
			b.Fatal(err)
		}
		id, _ := res.LastInsertId()
		for m := 0; m < 300; m++ {
			if _, err := tx.Exec(`INSERT INTO rate_entries(version_id, provider, model, input, output) VALUES (?, ?, ?, '1', '1')`,
				id, Local, fmt.Sprintf("m%03d", m)); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		reset bool
	}{{"uncached", true}, {"cached", false}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if c.reset {
					f.svc.mu.Lock()
					f.svc.since = nil
					f.svc.mu.Unlock()
				}
				if _, err := f.svc.ModelsSince(f.memb); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestModelAddedAtIsTheServicesClock: a model added to the catalogue
// (reported by a provider, added by an admin, or by a rate change for a
// model outside it) is stamped with the service's clock, as the rate
// versions are, so /v1/models' "created" of a model without rates reads
// that clock too. It was SQLite's clock (the column's default), which no
// test could fix and which disagreed with the versions' times.
func TestModelAddedAtIsTheServicesClock(t *testing.T) {
	f := newFixture(t)
	at := time.Date(2031, 1, 2, 3, 4, 5, 6000, time.UTC)
	f.clock.Set(at)
	if err := f.svc.MergeReported(f.admin, OpenAI, []string{"reported-model"}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AddModel(f.admin, OpenAI, "my-finetune"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "my-rated", Input: "0.002", Output: "0.008"}}, Reason: "r"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(at.Add(48 * time.Hour))
	since, err := f.svc.ModelsSince(f.memb)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"reported-model", "my-finetune", "my-rated"} {
		var added string
		if err := f.db.Read().QueryRow(`SELECT added_at FROM rate_models WHERE model = ?`, m).Scan(&added); err != nil {
			t.Fatal(err)
		}
		if added != store.FormatTimeNano(at) {
			t.Errorf("%s added_at %q, want %q", m, added, store.FormatTimeNano(at))
		}
		if got := since[ModelKey{OpenAI, m}]; !got.Equal(at) {
			t.Errorf("%s since %v, want %v", m, got, at)
		}
	}
}
