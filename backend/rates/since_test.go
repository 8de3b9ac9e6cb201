package rates

import (
	"fmt"
	"testing"
	"time"

	"meterdesk/backend/store"
)

// setUp records the workspace's setup at the fixture's clock as team.Setup
// does: its first member, created then.
func setUp(t testing.TB, f fixture) time.Time {
	t.Helper()
	at := f.clock.Now()
	if _, err := f.db.Writer().Exec(`INSERT INTO users(name, role, secret_kind, secret_hash, created_at, updated_at)
		VALUES ('alice', 'admin', 'password', 'x', ?, ?)`, store.FormatTimeNano(at), store.FormatTimeNano(at)); err != nil {
		t.Fatal(err)
	}
	return at
}

// TestModelsSince: since when each model has been in the catalogue: a
// built-in model without rates since the workspace's creation (its setup),
// a custom one since it was added, one with rates since its first row when
// that is earlier; a model the catalogue does not know is absent, and a
// later rate change moves nothing.
func TestModelsSince(t *testing.T) {
	f := newFixture(t)
	var added string
	created := setUp(t, f)
	f.clock.Set(created.Add(time.Hour))
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "0.002", Output: "0.008"}}, Reason: "r"}); err != nil {
		t.Fatal(err)
	}
	first := f.clock.Now()
	if err := f.svc.AddModel(f.admin, OpenAI, "my-finetune"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Read().QueryRow(`SELECT added_at FROM rate_models WHERE model = 'my-finetune'`).Scan(&added); err != nil {
		t.Fatal(err)
	}
	addedAt, _ := time.Parse(time.RFC3339Nano, added)
	if !addedAt.Equal(first) {
		t.Fatalf("my-finetune added at %v, want %v", addedAt, first)
	}
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
		{"gpt-4o", created}, // built-in: in the catalogue before its first rate
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

// TestModelsSinceClampsAClockSetBack: a model's "created" stays within the
// workspace's life whatever the computer's clock said. A built-in model's
// is the workspace's setup by the app's clock (it was the database's first
// migration, by SQLite's clock: here a year after the app's "now", so in
// the future); a model added while the clock was set back before the
// setup reads the setup (it read earlier than the workspace); one added
// with the clock ahead, read after the clock was set back, reads now, not
// a time in the future.
func TestModelsSinceClampsAClockSetBack(t *testing.T) {
	f := newFixture(t)
	created := setUp(t, f)
	f.clock.Set(created.Add(-10 * 24 * time.Hour)) // set back before the setup
	if err := f.svc.AddModel(f.admin, OpenAI, "added-set-back"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: Local, Model: "rated-set-back", Input: "1", Output: "1"}}, Reason: "r"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(created.Add(5 * 24 * time.Hour)) // ahead
	if err := f.svc.AddModel(f.admin, OpenAI, "added-ahead"); err != nil {
		t.Fatal(err)
	}
	now := created.Add(24 * time.Hour) // then set back to a day after the setup
	f.clock.Set(now)
	since, err := f.svc.ModelsSince(f.memb)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key  ModelKey
		want time.Time
	}{
		{ModelKey{OpenAI, "gpt-5"}, created},
		{ModelKey{OpenAI, "added-set-back"}, created},
		{ModelKey{Local, "rated-set-back"}, created},
		{ModelKey{OpenAI, "added-ahead"}, now},
	} {
		if got, ok := since[c.key]; !ok || !got.Equal(c.want.UTC()) {
			t.Errorf("%s since %v (%v), want %v", c.key.Model, got, ok, c.want)
		}
	}
	for k, got := range since {
		if got.Before(created) || got.After(now) {
			t.Errorf("%s/%s since %v: outside the workspace's life [%v, %v]", k.Provider, k.Model, got, created, now)
		}
	}
}
