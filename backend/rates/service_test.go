package rates

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"meterdesk/backend/access"
	"meterdesk/backend/events"
	"meterdesk/backend/store"
)

var (
	admin  = access.Actor{UserID: 1, Name: "Ada", Role: access.RoleAdmin}
	member = access.Actor{UserID: 2, Name: "Max", Role: access.RoleMember}
)

// fakeClock is a settable clock for effective times.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

type fixture struct {
	svc   *Service
	db    *store.DB
	clock *fakeClock
	rec   *events.Recorder
	admin context.Context
	memb  context.Context
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	rec := &events.Recorder{}
	return fixture{
		svc: New(db, rec, clk.Now), db: db, clock: clk, rec: rec,
		admin: access.WithActor(context.Background(), admin),
		memb:  access.WithActor(context.Background(), member),
	}
}

func countVersions(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Read().QueryRow("SELECT count(*) FROM rate_versions").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFactoryVersion(t *testing.T) {
	f := newFixture(t)
	v, err := f.svc.Current(f.memb)
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != 1 || v.Defaults != FactoryDefaults || len(v.Rows) != 0 {
		t.Fatalf("factory version = %+v", v)
	}
	r := v.Resolve(OpenAI, "gpt-4o")
	if !r.Values[FieldInput].Equal(r.Values[FieldOutput]) || r.Values[FieldInput].String() != "1" {
		t.Fatalf("blank rate resolves to %v, want 1 credit per token", r.Values)
	}
}

func TestApplyCreatesVersionsAndVersionAtFindsThem(t *testing.T) {
	f := newFixture(t)
	t1 := f.clock.Now()
	v2, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4-turbo", Input: "10", Output: "10"}}})
	if err != nil {
		t.Fatal(err)
	}
	if v2.ID != 2 || v2.CreatedBy != "Ada" || v2.CreatedByID != 1 || !v2.EffectiveAt.Equal(t1) || v2.Reason != "change openai/gpt-4-turbo" {
		t.Fatalf("version = %+v", v2)
	}
	f.clock.Set(t1.Add(time.Hour))
	v3, err := f.svc.Apply(f.admin, Change{Defaults: &Defaults{Input: "2", Output: "3"},
		Rows: []Row{{Provider: OpenAI, Model: "gpt-4-turbo", Input: "20"}}})
	if err != nil {
		t.Fatal(err)
	}
	if v3.ID != 3 {
		t.Fatalf("second change got version %d", v3.ID)
	}
	// The older version still explains a charge made before the change.
	for _, tc := range []struct {
		at        time.Time
		id        int64
		in, out   string
		defIn, do string
	}{
		{t1.Add(-time.Minute), 1, "1", "1", "1", "1"},
		{t1, 2, "10", "10", "1", "1"},
		{t1.Add(30 * time.Minute), 2, "10", "10", "1", "1"},
		{t1.Add(time.Hour), 3, "20", "3", "2", "3"},
		{time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), 1, "1", "1", "1", "1"},
	} {
		v, err := f.svc.VersionAt(f.memb, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		r := v.Resolve(OpenAI, "gpt-4-turbo")
		if v.ID != tc.id || r.Values[FieldInput].String() != tc.in || r.Values[FieldOutput].String() != tc.out ||
			v.Defaults != (Defaults{tc.defIn, tc.do}) {
			t.Errorf("at %s: version %d in=%s out=%s defaults=%v; want %d %s %s", tc.at, v.ID,
				r.Values[FieldInput], r.Values[FieldOutput], v.Defaults, tc.id, tc.in, tc.out)
		}
	}
	// A fresh service (another process) loads the same versions from disk.
	other := New(f.db, nil, f.clock.Now)
	v, err := other.Version(f.memb, 2)
	if err != nil || v.Resolve(OpenAI, "gpt-4-turbo").Values[FieldInput].String() != "10" {
		t.Fatalf("version 2 from disk: %+v, %v", v, err)
	}
	if _, err := other.Version(f.memb, 99); !errors.Is(err, ErrNoVersion) {
		t.Fatalf("missing version: %v", err)
	}
	if n := f.rec.Count(events.RatesChanged); n != 2 {
		t.Fatalf("%d rates:changed events, want 2", n)
	}
	// Applying the same rates again is no change: no new version.
	same, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4-turbo", Input: "20"}}})
	if err != nil || same.ID != 3 || countVersions(t, f.db) != 3 {
		t.Fatalf("no-op change: %v, %v, %d versions", same, err, countVersions(t, f.db))
	}
	hist, err := f.svc.Versions(f.memb, 0)
	if err != nil || len(hist) != 3 || hist[0].ID != 3 || hist[2].Reason != "factory defaults" {
		t.Fatalf("history = %+v, %v", hist, err)
	}
}

func TestClockGoingBackStillMakesTheNewVersionCurrent(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "5"}}}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(f.clock.Now().Add(-time.Hour))
	v, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "6"}}})
	if err != nil {
		t.Fatal(err)
	}
	// While the clock is still behind the versions' times, sends use the
	// latest version, not the oldest (the factory defaults) for want of
	// one "in force" yet.
	for _, d := range []time.Duration{0, -24 * time.Hour, 26 * time.Hour} {
		f.clock.Set(f.clock.Now().Add(d))
		cur, err := f.svc.Current(f.memb)
		if err != nil || cur.ID != v.ID {
			t.Fatalf("clock at %v: current = %v, %v; want %d", f.clock.Now(), cur, err, v.ID)
		}
	}
}

func TestMemberIsRefusedAndNothingChanges(t *testing.T) {
	f := newFixture(t)
	row := []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "5"}}
	csv := "provider,model,input,output,cache_read,cache_write,reasoning,per_request,per_tool_call\nopenai,gpt-4o,5,,,,,,\n"
	for name, call := range map[string]func(ctx context.Context) error{
		"apply": func(ctx context.Context) error { _, err := f.svc.Apply(ctx, Change{Rows: row}); return err },
		"replace": func(ctx context.Context) error {
			_, err := f.svc.Replace(ctx, Snapshot{Defaults: FactoryDefaults, Rows: row}, "")
			return err
		},
		"import": func(ctx context.Context) error { _, err := f.svc.Import(ctx, FormatCSV, []byte(csv)); return err },
		"add":    func(ctx context.Context) error { return f.svc.AddModel(ctx, Local, "llama3") },
		"remove": func(ctx context.Context) error { return f.svc.RemoveModel(ctx, Local, "llama3") },
	} {
		if err := call(f.memb); !errors.Is(err, access.ErrForbidden) {
			t.Errorf("%s as member: %v, want ErrForbidden", name, err)
		}
		if err := call(context.Background()); !errors.Is(err, access.ErrUnauthenticated) {
			t.Errorf("%s signed out: %v, want ErrUnauthenticated", name, err)
		}
	}
	if n := countVersions(t, f.db); n != 1 {
		t.Fatalf("%d versions after refused writes, want 1", n)
	}
	var models int
	if err := f.db.Read().QueryRow("SELECT count(*) FROM rate_models").Scan(&models); err != nil {
		t.Fatal(err)
	}
	if models != 0 {
		t.Fatalf("%d custom models after refused writes", models)
	}
	// Reading is open to members, not to a window nobody is signed in to
	// (the lock screen, the profile picker).
	if _, err := f.svc.Table(f.memb); err != nil {
		t.Fatal(err)
	}
	nobody := context.Background()
	reads := map[string]func() error{
		"table":    func() error { _, err := f.svc.Table(nobody); return err },
		"versions": func() error { _, err := f.svc.Versions(nobody, 0); return err },
		"preview": func() error {
			_, err := f.svc.Preview(nobody, Change{Defaults: &Defaults{Input: "1", Output: "1"}})
			return err
		},
		"export": func() error { _, err := f.svc.Export(nobody, FormatJSON); return err },
	}
	for name, read := range reads {
		if err := read(); !errors.Is(err, access.ErrUnauthenticated) {
			t.Errorf("%s signed out: %v, want ErrUnauthenticated", name, err)
		}
	}
}

func TestApplyRejectsBadRowsAllOrNothing(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Apply(f.admin, Change{
		Defaults: &Defaults{Input: "", Output: "NaN"},
		Rows: []Row{
			{Provider: OpenAI, Model: "gpt-4o", Input: "5"}, // fine, but must not be applied
			{Provider: OpenAI, Model: "gpt-4", Input: "-1"},
			{Provider: "acme", Model: "x", Output: "1e400"},
			{Provider: OpenAI, Model: "gpt-4o", Input: "0.0000000000001"},
			{Provider: Local, Model: " "},
		}})
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v, want a ValidationError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`row 2 (openai/gpt-4): input -1 is negative`,
		`row 3 (acme/x): unknown provider "acme"`,
		`row 3 (acme/x): output: "1e400" is not a plain decimal`,
		`row 4 (openai/gpt-4o): input: "0.0000000000001" has more than 12 decimal places`,
		`row 4 (openai/gpt-4o): duplicate model (first on row 1)`,
		`row 5 (local/ ): model name is empty`,
		`default input: must not be blank`,
		`default output: "NaN" is not a plain decimal`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if n := countVersions(t, f.db); n != 1 {
		t.Fatalf("%d versions after a rejected change", n)
	}
}

func TestCustomAndReportedModels(t *testing.T) {
	f := newFixture(t)
	if err := f.svc.MergeReported(f.memb, OpenAI, []string{"gpt-4o", "gpt-4o-2024-08-06", "ft:gpt-4o:acme"}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MergeReported(f.memb, OpenAI, []string{"gpt-4o-2024-08-06", "gpt-4-0613"}); err != nil { // idempotent
		t.Fatal(err)
	}
	if err := f.svc.MergeReported(f.memb, "acme", []string{"x"}); err == nil {
		t.Fatal("unknown provider accepted")
	}
	if err := f.svc.MergeReported(f.memb, Local, []string{"ok", "bad\nname"}); err == nil {
		t.Fatal("bad model name accepted")
	}
	if err := f.svc.AddModel(f.admin, Local, "llama3.1:8b"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AddModel(f.admin, Local, "llama3.1:8b"); !errors.Is(err, ErrModelExists) {
		t.Fatalf("duplicate custom model: %v", err)
	}
	if err := f.svc.AddModel(f.admin, OpenAI, "gpt-4o"); !errors.Is(err, ErrModelExists) {
		t.Fatalf("built-in model added again: %v", err)
	}
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: Local, Model: "llama3.1:8b", Input: "0", Output: "0"},
		{Provider: OpenAI, Model: "gpt-4", Input: "2", Output: "3"}}}); err != nil {
		t.Fatal(err)
	}
	tab, err := f.svc.Table(f.memb)
	if err != nil {
		t.Fatal(err)
	}
	find := func(provider, model string) (Model, bool) {
		for _, p := range tab.Providers {
			for _, m := range p.Models {
				if p.Provider.ID == provider && m.Model == model {
					return m, true
				}
			}
		}
		return Model{}, false
	}
	if m, ok := find(OpenAI, "ft:gpt-4o:acme"); !ok || m.Source != SourceReported || m.RatedAs != "" {
		t.Errorf("reported model: %+v %v", m, ok)
	}
	// A snapshot without a row of its own is shown priced as its base
	// (gpt-4-0613 took the default rate, though gpt-4 has one); one whose
	// base has none either takes the defaults, as before.
	if m, ok := find(OpenAI, "gpt-4-0613"); !ok || m.RatedAs != "gpt-4" || m.DefaultRate || m.Effective.Input != "2" {
		t.Errorf("reported snapshot: %+v %v; want RatedAs gpt-4 and its rate", m, ok)
	}
	if m, ok := find(OpenAI, "gpt-4o-2024-08-06"); !ok || m.RatedAs != "" || !m.DefaultRate {
		t.Errorf("reported snapshot of an unpriced model: %+v %v", m, ok)
	}
	if m, ok := find(Local, "llama3.1:8b"); !ok || m.Source != SourceCustom || m.Effective.Input != "0" || m.Rates.Input != "0" {
		t.Errorf("custom model: %+v %v", m, ok)
	}
	if m, ok := find(OpenAI, "gpt-4o"); !ok || m.Source != SourceBuiltin || m.Rates.Input != "" || m.Effective.Input != "1" || m.Effective.CacheRead != "1" {
		t.Errorf("built-in model: %+v %v", m, ok)
	}
	// Catalogue per the issue.
	for provider, models := range map[string][]string{
		OpenAI:    {"gpt-4o", "gpt-4o-mini", "gpt-4", "gpt-4-turbo", "gpt-3.5-turbo", "gpt-3.5-turbo-instruct", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o1", "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano"},
		DeepSeek:  {"deepseek-chat", "deepseek-reasoner"},
		Gemini:    {"gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.5-pro", "gemini-2.0-flash", "gemini-1.5-pro", "gemini-1.5-flash"},
		Anthropic: {"claude-opus-4-1-20250805", "claude-opus-4-20250514", "claude-sonnet-4-20250514", "claude-3-7-sonnet-20250219", "claude-3-5-haiku-20241022", "claude-3-haiku-20240307"},
	} {
		for _, m := range models {
			if _, ok := find(provider, m); !ok {
				t.Errorf("catalogue lacks %s/%s", provider, m)
			}
		}
	}
	// Removing a custom model removes its rates in a new version only.
	before := countVersions(t, f.db)
	if err := f.svc.RemoveModel(f.admin, OpenAI, "gpt-4o"); !errors.Is(err, ErrNotCustom) {
		t.Fatalf("removing a built-in model: %v", err)
	}
	if err := f.svc.RemoveModel(f.admin, Local, "llama3.1:8b"); err != nil {
		t.Fatal(err)
	}
	if countVersions(t, f.db) != before+1 {
		t.Fatal("removing a model with rates made no version")
	}
	old, _ := f.svc.Version(f.memb, int64(before))
	if r := old.Resolve(Local, "llama3.1:8b"); r.Matched != "llama3.1:8b" {
		t.Fatal("the old version lost the removed model's rates")
	}
}

func TestPreview(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.Apply(f.admin, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "5", Output: "6"}}}); err != nil {
		t.Fatal(err)
	}
	diffs, err := f.svc.Preview(f.memb, Change{Defaults: &Defaults{Input: "1", Output: "2"},
		Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "5.0", Output: ""}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Diff{{Field: "default_output", Old: "1", New: "2"}, {Provider: OpenAI, Model: "gpt-4o", Field: "output", Old: "6", New: ""}}
	if len(diffs) != len(want) || diffs[0] != want[0] || diffs[1] != want[1] {
		t.Fatalf("preview = %+v, want %+v", diffs, want)
	}
	if n := countVersions(t, f.db); n != 2 {
		t.Fatal("preview wrote a version")
	}
	if _, err := f.svc.Preview(f.memb, Change{Rows: []Row{{Provider: OpenAI, Model: "gpt-4o", Input: "x"}}}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad preview: %v", err)
	}
}
