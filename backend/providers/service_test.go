package providers_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"

	"meterdesk/backend/access"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
	"meterdesk/backend/store"
)

var (
	admin  = access.Actor{UserID: 1, Name: "ada", Role: access.RoleAdmin}
	member = access.Actor{UserID: 2, Name: "mo", Role: access.RoleMember}
)

type fixture struct {
	db   *store.DB
	dir  string
	svc  *providers.Service
	logs *bytes.Buffer
	cat  *recordingCatalogue
}

type recordingCatalogue struct {
	mu     sync.Mutex
	merged map[string][]string
}

func (c *recordingCatalogue) MergeReportedIn(_ context.Context, _ *sql.Tx, provider string, models []string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.merged == nil {
		c.merged = map[string][]string{}
	}
	c.merged[provider] = append([]string(nil), models...)
	return len(models), nil
}

func (c *recordingCatalogue) ReportedMerged() {}

func newFixture(t *testing.T, vault providers.Vault) *fixture {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if vault == nil {
		vault = &providers.Sealed{Dir: dir}
	}
	logs := &bytes.Buffer{}
	cat := &recordingCatalogue{}
	svc := providers.NewService(db, dir, providers.ServiceOptions{
		Vault: vault, Catalogue: cat, Logger: slog.New(slog.NewTextHandler(&syncWriter{w: logs}, nil)),
	})
	return &fixture{db: db, dir: dir, svc: svc, logs: logs, cat: cat}
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func as(a access.Actor) context.Context { return access.WithActor(context.Background(), a) }

func (f *fixture) count(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.db.Read().QueryRow("SELECT count(*) FROM providers").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// dbBytes returns the database file and its WAL, checkpointed or not.
func (f *fixture) dbBytes(t *testing.T) []byte {
	t.Helper()
	var all []byte
	for _, name := range []string{store.FileName, store.FileName + "-wal"} {
		b, err := os.ReadFile(filepath.Join(f.dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

func TestAddBadInputWritesNothing(t *testing.T) {
	f := newFixture(t, nil)
	if _, err := f.svc.Add(as(admin), providers.Input{Name: "Work OpenAI", Kind: providers.KindOpenAI, APIKey: testKey}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		in   providers.Input
		want error
	}{
		{"empty name", providers.Input{Name: "  ", Kind: providers.KindOpenAI, APIKey: "k"}, providers.ErrBadName},
		{"control char in name", providers.Input{Name: "a\nb", Kind: providers.KindOpenAI, APIKey: "k"}, providers.ErrBadName},
		{"long name", providers.Input{Name: strings.Repeat("n", 65), Kind: providers.KindOpenAI, APIKey: "k"}, providers.ErrBadName},
		{"unknown kind", providers.Input{Name: "x", Kind: "azure", APIKey: "k"}, providers.ErrUnknownKind},
		{"empty kind", providers.Input{Name: "x", APIKey: "k"}, providers.ErrUnknownKind},
		{"bad url scheme", providers.Input{Name: "x", Kind: providers.KindOpenAI, BaseURL: "ftp://h", APIKey: "k"}, providers.ErrBadURL},
		{"url not absolute", providers.Input{Name: "x", Kind: providers.KindOpenAI, BaseURL: "api.openai.com", APIKey: "k"}, providers.ErrBadURL},
		{"url with query", providers.Input{Name: "x", Kind: providers.KindOpenAI, BaseURL: "https://h/v1?key=abc", APIKey: "k"}, providers.ErrBadURL},
		{"url with credentials", providers.Input{Name: "x", Kind: providers.KindCompatible, BaseURL: "http://u:pw@localhost:1/v1"}, providers.ErrBadURL},
		{"generic without url", providers.Input{Name: "x", Kind: providers.KindCompatible}, providers.ErrBadURL},
		{"missing key", providers.Input{Name: "x", Kind: providers.KindAnthropic}, providers.ErrNoKey},
		{"key with space", providers.Input{Name: "x", Kind: providers.KindOpenAI, APIKey: "sk-a b"}, providers.ErrBadKey},
		{"duplicate name", providers.Input{Name: "work openai", Kind: providers.KindOpenAI, APIKey: "k"}, providers.ErrDuplicate},
		{"digits only", providers.Input{Name: "1", Kind: providers.KindOpenAI, APIKey: "k"}, providers.ErrBadName},
		{"digits only, padded", providers.Input{Name: " 42 ", Kind: providers.KindOpenAI, APIKey: "k"}, providers.ErrBadName},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Add(as(admin), tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if n := f.count(t); n != 1 {
				t.Errorf("%d providers stored, want 1 (nothing written)", n)
			}
		})
	}
}

// A number given where a provider is taken by id or name is its id: a
// provider named "1" (refused since, but one saved before may exist) does
// not stand in for provider 1, and a rename to digits only is refused.
func TestFindTakesANumberAsAnID(t *testing.T) {
	f := newFixture(t, nil)
	ctx := as(admin)
	local := providers.Input{Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:1/v1"}
	in := local
	in.Name = "Zeta"
	zeta, err := f.svc.Add(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Name = "Alpha"
	alpha, err := f.svc.Add(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// A name saved before digits-only names were refused; it sorts first.
	if err := f.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec("UPDATE providers SET name = ? WHERE id = ?", fmt.Sprint(zeta.ID), alpha.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ref  string
		want int64
	}{
		{fmt.Sprint(zeta.ID), zeta.ID},
		{fmt.Sprint(alpha.ID), alpha.ID},
		{" " + fmt.Sprint(alpha.ID) + " ", alpha.ID},
		{"zeta", zeta.ID},
	} {
		p, err := f.svc.Find(ctx, c.ref)
		if err != nil || p.ID != c.want {
			t.Errorf("Find(%q) = provider %d (%q), %v; want provider %d", c.ref, p.ID, p.Name, err, c.want)
		}
	}
	if _, err := f.svc.Find(ctx, "99"); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("Find(99) = %v, want ErrNotFound", err)
	}
	in.Name = "7"
	if _, err := f.svc.Update(ctx, zeta.ID, in); !errors.Is(err, providers.ErrBadName) || !strings.Contains(err.Error(), "read as a provider id") {
		t.Errorf("rename to digits only: %v, want ErrBadName saying why", err)
	}
	// The provider saved under a digits-only name can still be edited
	// under it, and renamed.
	in.Name = fmt.Sprint(zeta.ID)
	in.BaseURL = "http://127.0.0.1:2/v1"
	if p, err := f.svc.Update(ctx, alpha.ID, in); err != nil || p.BaseURL != in.BaseURL {
		t.Errorf("editing a provider kept under a digits-only name: %+v, %v", p, err)
	}
	in.Name = "Alpha"
	if p, err := f.svc.Update(ctx, alpha.ID, in); err != nil || p.Name != "Alpha" {
		t.Errorf("renaming it: %+v, %v", p, err)
	}
}

// TestProviderNamesOneRule: provider names are stored NFKC and compared by
// the names rule of backend/namekey (case, width, look-alike letters); a
// word mixing Latin with Cyrillic or Greek letters is refused.
func TestProviderNamesOneRule(t *testing.T) {
	f := newFixture(t, nil)
	ctx := as(admin)
	in := func(name string) providers.Input {
		return providers.Input{Name: name, Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:1/v1"}
	}
	local, err := f.svc.Add(ctx, in("Local"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want error
		says string
	}{
		{"Lосal", providers.ErrBadName, `"Lосal" mixes Latin and Cyrillic letters`},
		{"Ollama Lосal", providers.ErrBadName, `"Lосal" mixes Latin and Cyrillic letters`},
		{"LOCAL", providers.ErrDuplicate, `"Local"`},
		{"Ｌｏｃａｌ", providers.ErrDuplicate, `"Local"`},
		{"Lo​cal", providers.ErrDuplicate, `"Local"`},
		{"ЛОКАЛ", nil, ""}, // another word altogether
	} {
		_, err := f.svc.Add(ctx, in(c.name))
		if c.want == nil {
			if err != nil {
				t.Errorf("Add(%q) = %v", c.name, err)
			}
			continue
		}
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Add(%q) = %v; want %v saying %s", c.name, err, c.want, c.says)
		}
	}
	p, err := f.svc.Add(ctx, in("Ｓｐａｒｅ"))
	if err != nil || p.Name != "Spare" {
		t.Fatalf("a full-width name is stored NFKC: %q, %v", p.Name, err)
	}
	for _, ref := range []string{"local", "ＬＯＣＡＬ"} {
		if got, err := f.svc.Find(ctx, ref); err != nil || got.ID != local.ID {
			t.Errorf("Find(%q) = %d, %v; want %d", ref, got.ID, err, local.ID)
		}
	}
}

func TestAdminOnlyWrites(t *testing.T) {
	f := newFixture(t, nil)
	p, err := f.svc.Add(as(admin), providers.Input{Name: "Ollama", Kind: providers.KindCompatible, BaseURL: "http://localhost:11434/v1"})
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func(ctx context.Context) error{
		"add": func(ctx context.Context) error {
			_, err := f.svc.Add(ctx, providers.Input{Name: "x", Kind: providers.KindOpenAI, APIKey: "k"})
			return err
		},
		"update": func(ctx context.Context) error {
			_, err := f.svc.Update(ctx, p.ID, providers.Input{Name: "y", Kind: providers.KindCompatible, BaseURL: "http://localhost:1/v1"})
			return err
		},
		"remove": func(ctx context.Context) error { return f.svc.Remove(ctx, p.ID) },
		"test": func(ctx context.Context) error {
			_, err := f.svc.Test(ctx, p.ID)
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			if err := call(as(member)); !errors.Is(err, access.ErrForbidden) {
				t.Errorf("member: err = %v, want ErrForbidden", err)
			}
			if err := call(context.Background()); !errors.Is(err, access.ErrUnauthenticated) {
				t.Errorf("nobody: err = %v, want ErrUnauthenticated", err)
			}
		})
	}
	list, err := f.svc.List(as(member))
	if err != nil || len(list) != 1 || list[0].Name != "Ollama" || !list[0].Local {
		t.Fatalf("member list = %+v, %v", list, err)
	}
	if _, err := f.svc.List(context.Background()); !errors.Is(err, access.ErrUnauthenticated) {
		t.Errorf("anonymous list: err = %v", err)
	}
}

func TestKeyNeverStoredOrShownInPlain(t *testing.T) {
	f := newFixture(t, nil)
	srv := fake.NewOpenAI(fake.Script{})
	defer srv.Close()
	p, err := f.svc.Add(as(admin), providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, BaseURL: srv.BaseURL(), APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if !p.HasKey || p.KeyStore != providers.StoreSealed || p.KeyHint != "…cdef" {
		t.Errorf("provider = %+v", p)
	}
	if _, err := f.db.Writer().Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(f.dbBytes(t), []byte(testKey)) {
		t.Fatal("the database file contains the API key")
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := f.db.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(backup); bytes.Contains(b, []byte(testKey)) || len(b) == 0 {
		t.Fatal("the backup contains the API key (or is empty)")
	}
	list, err := f.svc.List(as(member))
	if err != nil || len(list) != 1 || !list[0].HasKey {
		t.Fatalf("the member's list: %+v, %v; want the provider, with a key", list, err)
	}
	js, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(js, []byte(testKey)) {
		t.Fatalf("list JSON contains the key: %s", js)
	}
	st, err := os.Stat(filepath.Join(f.dir, providers.KeyFileName))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secrets.key: %v, mode %v (want 0600)", err, st.Mode().Perm())
	}
	// The key still works: the fake requires it.
	srv.RequireKey(testKey)
	c, err := f.svc.Client(as(member), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res, err, _ := collect(context.Background(), c, request("gpt-4o")); err != nil || res.Text == "" {
		t.Fatalf("stream with stored key: %q, %v", res.Text, err)
	}
	if got := srv.Requests()[0].Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("Authorization = %q", got)
	}
}

func TestFailingProviderLogsAndErrorsHideKey(t *testing.T) {
	f := newFixture(t, nil)
	srv := fake.NewAnthropic(fake.Script{Fault: fake.Unauthorized})
	defer srv.Close()
	p, err := f.svc.Add(as(admin), providers.Input{Name: "Claude", Kind: providers.KindAnthropic, BaseURL: srv.BaseURL(), APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Test(as(admin), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK || res.Status != 401 || strings.Contains(res.Message, testKey) {
		t.Errorf("test result = %+v", res)
	}
	ml, err := f.svc.Models(as(member), p.ID)
	if err != nil || !ml.Stale || strings.Contains(ml.Error, testKey) {
		t.Errorf("models = %+v, %v", ml, err)
	}
	if !strings.Contains(f.logs.String(), "provider test failed") {
		t.Errorf("failure not logged: %q", f.logs.String())
	}
	if strings.Contains(f.logs.String(), testKey) {
		t.Fatalf("log contains the key: %s", f.logs.String())
	}
}

func TestUpdateKeepsReplacesAndClearsKey(t *testing.T) {
	f := newFixture(t, nil)
	srv := fake.NewOpenAI(fake.Script{})
	defer srv.Close()
	p, err := f.svc.Add(as(admin), providers.Input{Name: "LM", Kind: providers.KindCompatible, BaseURL: srv.BaseURL(), APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	srv.RequireKey(testKey)
	// Rename without a key keeps the key, and lists no models anew (adding did).
	listed := len(srv.Requests())
	p, err = f.svc.Update(as(admin), p.ID, providers.Input{Name: "LM Studio", Kind: providers.KindCompatible, BaseURL: srv.BaseURL()})
	if err != nil || !p.HasKey || p.Name != "LM Studio" {
		t.Fatalf("rename: %+v, %v", p, err)
	}
	if listed != 1 || len(srv.Requests()) != listed {
		t.Fatalf("model listings: %d on add, %d after a rename", listed, len(srv.Requests()))
	}
	if r, err := f.svc.Test(as(admin), p.ID); err != nil || !r.OK {
		t.Fatalf("test after rename: %+v, %v", r, err)
	}
	// A new key replaces it.
	newKey := "sk-second-key-9876543210"
	srv.RequireKey(newKey)
	if p, err = f.svc.Update(as(admin), p.ID, providers.Input{Name: "LM Studio", Kind: providers.KindCompatible, BaseURL: srv.BaseURL(), APIKey: newKey}); err != nil || p.KeyHint != "…3210" {
		t.Fatalf("new key: %+v, %v", p, err)
	}
	if r, _ := f.svc.Test(as(admin), p.ID); !r.OK {
		t.Fatalf("test with new key: %+v", r)
	}
	// Clearing is allowed for keyless kinds only.
	if p, err = f.svc.Update(as(admin), p.ID, providers.Input{Name: "LM Studio", Kind: providers.KindCompatible, BaseURL: srv.BaseURL(), ClearKey: true}); err != nil || p.HasKey {
		t.Fatalf("clear: %+v, %v", p, err)
	}
	_, err = f.svc.Update(as(admin), p.ID, providers.Input{Name: "LM Studio", Kind: providers.KindOpenAI, BaseURL: srv.BaseURL()})
	if !errors.Is(err, providers.ErrNoKey) {
		t.Errorf("switch to openai without key: %v", err)
	}
	// Bad edits change nothing.
	other, err := f.svc.Add(as(admin), providers.Input{Name: "Other", Kind: providers.KindCompatible, BaseURL: "http://localhost:9/v1"})
	if err != nil {
		t.Fatal(err)
	}
	before, err := f.svc.Get(as(admin), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]providers.Input{
		"duplicate": {Name: "other", Kind: providers.KindCompatible, BaseURL: srv.BaseURL()},
		"bad url":   {Name: "LM Studio", Kind: providers.KindCompatible, BaseURL: "nope"},
		"bad kind":  {Name: "LM Studio", Kind: "x", BaseURL: srv.BaseURL()},
	} {
		if _, err := f.svc.Update(as(admin), p.ID, in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	after, err := f.svc.Get(as(admin), p.ID)
	if err != nil || before != after {
		t.Errorf("a failed edit changed the row: %+v -> %+v (%v)", before, after, err)
	}
	if _, err := f.svc.Update(as(admin), 9999, providers.Input{Name: "z", Kind: providers.KindCompatible, BaseURL: "http://localhost:1/v1"}); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("update missing: %v", err)
	}
	if err := f.svc.Remove(as(admin), other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(as(admin), other.ID); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("get removed: %v", err)
	}
	if err := f.svc.Remove(as(admin), other.ID); !errors.Is(err, providers.ErrNotFound) {
		t.Errorf("remove twice: %v", err)
	}
}

func TestModelsMergedAndCachedForOffline(t *testing.T) {
	f := newFixture(t, nil)
	// A reported id that would show in another order than it is (a bidi
	// override) is not a model name: it is left out.
	srv := fake.NewGemini(fake.Script{Models: []string{"gemini-2.5-flash", "gemini-x", "cheap\u202e"}})
	p, err := f.svc.Add(as(admin), providers.Input{Name: "Gemini", Kind: providers.KindGemini, BaseURL: srv.BaseURL(), APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	ml, err := f.svc.Models(as(member), p.ID)
	if err != nil || ml.Stale || strings.Join(ml.Models, ",") != "gemini-2.5-flash,gemini-x" {
		t.Fatalf("models = %+v, %v", ml, err)
	}
	if got := f.cat.merged["gemini"]; strings.Join(got, ",") != "gemini-2.5-flash,gemini-x" {
		t.Errorf("merged into catalogue: %v", got)
	}
	srv.Close() // now the provider is unreachable
	ml, err = f.svc.Models(as(member), p.ID)
	if err != nil || !ml.Stale || len(ml.Models) != 2 || ml.Error == "" {
		t.Fatalf("offline models = %+v, %v", ml, err)
	}
	r, err := f.svc.Test(as(admin), p.ID)
	if err != nil || r.OK || !r.Offline {
		t.Errorf("offline test = %+v, %v", r, err)
	}
}

func TestTestInputBeforeSaving(t *testing.T) {
	f := newFixture(t, nil)
	srv := fake.NewDeepSeek(fake.Script{})
	defer srv.Close()
	srv.RequireKey(testKey)
	r, err := f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindDeepSeek, BaseURL: srv.BaseURL(), APIKey: testKey})
	if err != nil || !r.OK || r.Models != 2 {
		t.Fatalf("test = %+v, %v", r, err)
	}
	r, err = f.svc.TestInput(as(admin), 0, providers.Input{Kind: providers.KindDeepSeek, BaseURL: srv.BaseURL(), APIKey: "sk-wrong-key-000000"})
	if err != nil || r.OK || r.Status != 401 {
		t.Fatalf("wrong key test = %+v, %v", r, err)
	}
	if _, err := f.svc.TestInput(as(admin), 0, providers.Input{Kind: "nope"}); !errors.Is(err, providers.ErrUnknownKind) {
		t.Errorf("bad kind: %v", err)
	}
	if n := f.count(t); n != 0 {
		t.Errorf("testing wrote %d providers", n)
	}
}

func TestSealedVault(t *testing.T) {
	dir := t.TempDir()
	v := &providers.Sealed{Dir: dir}
	if _, err := v.Get("ref-1", []byte{1, 2, 3}); !errors.Is(err, providers.ErrKeyUnavailable) {
		t.Errorf("get before any key file: %v", err)
	}
	sealed, err := v.Put("ref-1", testKey)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte(testKey)) {
		t.Fatal("sealed bytes contain the key")
	}
	again, err := v.Put("ref-1", testKey)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(sealed, again) {
		t.Error("two seals of the same key are identical (nonce reuse)")
	}
	// A fresh vault on the same folder reads it back.
	if got, err := (&providers.Sealed{Dir: dir}).Get("ref-1", sealed); err != nil || got != testKey {
		t.Fatalf("get = %q, %v", got, err)
	}
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	for name, tc := range map[string]struct {
		ref    string
		sealed []byte
	}{
		"other ref":   {"ref-2", sealed},
		"tampered":    {"ref-1", tampered},
		"truncated":   {"ref-1", sealed[:10]},
		"bad version": {"ref-1", append([]byte{9}, sealed[1:]...)},
	} {
		if _, err := v.Get(tc.ref, tc.sealed); !errors.Is(err, providers.ErrKeyUnavailable) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	// Another data folder's key cannot open it.
	if _, err := (&providers.Sealed{Dir: t.TempDir()}).Put("x", "y"); err != nil {
		t.Fatal(err)
	}
}

func TestKeychainVault(t *testing.T) {
	keyring.MockInit()
	f := newFixture(t, providers.Keychain{})
	p, err := f.svc.Add(as(admin), providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if p.KeyStore != providers.StoreKeychain {
		t.Fatalf("key store = %q", p.KeyStore)
	}
	var sealed []byte
	var ref string
	if err := f.db.Read().QueryRow("SELECT key_sealed, secret_ref FROM providers").Scan(&sealed, &ref); err != nil {
		t.Fatal(err)
	}
	if sealed != nil {
		t.Errorf("keychain provider has sealed bytes in the DB")
	}
	if got, err := keyring.Get(providers.KeychainService, ref); err != nil || got != testKey {
		t.Fatalf("keychain has %q, %v", got, err)
	}
	if err := f.svc.Remove(as(admin), p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(providers.KeychainService, ref); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("key left in the keychain after remove: %v", err)
	}
}

func TestKeychainFailureWritesNothing(t *testing.T) {
	keyring.MockInitWithError(errors.New("keychain locked"))
	defer keyring.MockInit()
	f := newFixture(t, providers.Keychain{})
	if _, err := f.svc.Add(as(admin), providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, APIKey: testKey}); err == nil || strings.Contains(err.Error(), testKey) {
		t.Fatalf("err = %v", err)
	}
	if n := f.count(t); n != 0 {
		t.Errorf("%d rows written", n)
	}
}

func TestKeychainProbeWithoutDBus(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("the D-Bus shortcut applies to Linux and BSD only")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if providers.KeychainAvailable() {
		t.Error("keychain reported available without a D-Bus session")
	}
	f := newFixture(t, nil)
	svc := providers.NewService(f.db, f.dir, providers.ServiceOptions{})
	if got := svc.SecretStorage(); got != providers.StoreSealed {
		t.Errorf("secret storage = %q, want sealed", got)
	}
}

// TestSavedKeyStaysWithItsServer: a saved key is only sent to the server it
// was saved for. Testing or saving the provider pointed at another host, or
// as another kind, takes the key again; nothing reaches the other server and
// the failed edit changes nothing. Another path on the same server keeps it.
func TestSavedKeyStaysWithItsServer(t *testing.T) {
	f := newFixture(t, nil)
	home := fake.NewOpenAI(fake.Script{})
	defer home.Close()
	home.RequireKey(testKey)
	elsewhere := fake.NewOpenAI(fake.Script{})
	defer elsewhere.Close()
	p, err := f.svc.Add(as(admin), providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, BaseURL: home.BaseURL(), APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	before, err := f.svc.Get(as(admin), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]providers.Input{
		"another host":  {Kind: providers.KindOpenAI, BaseURL: elsewhere.BaseURL()},
		"another kind":  {Kind: providers.KindDeepSeek, BaseURL: home.BaseURL()},
		"http to https": {Kind: providers.KindOpenAI, BaseURL: strings.Replace(home.BaseURL(), "http://", "https://", 1)},
	} {
		if _, err := f.svc.TestInput(as(admin), p.ID, in); !errors.Is(err, providers.ErrKeyForOtherServer) {
			t.Errorf("test, %s: %v, want ErrKeyForOtherServer", name, err)
		}
		in.Name = "OpenAI"
		if _, err := f.svc.Update(as(admin), p.ID, in); !errors.Is(err, providers.ErrKeyForOtherServer) {
			t.Errorf("save, %s: %v, want ErrKeyForOtherServer", name, err)
		}
	}
	if n := len(elsewhere.Requests()); n != 0 {
		t.Fatalf("the other server received %d requests", n)
	}
	if after, err := f.svc.Get(as(admin), p.ID); err != nil || after != before {
		t.Fatalf("refused edits changed the provider: %+v -> %+v (%v)", before, after, err)
	}
	// The same server under another path keeps the key.
	if q, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, BaseURL: home.BaseURL() + "/other"}); err != nil || !q.HasKey {
		t.Fatalf("same server, another path: %+v, %v", q, err)
	}
	if r, err := f.svc.TestInput(as(admin), p.ID, providers.Input{BaseURL: home.BaseURL()}); err != nil || !r.OK {
		t.Fatalf("same server: %+v, %v", r, err)
	}
	// With the key entered again, the new server is fine.
	elsewhere.RequireKey("sk-other-server-key-42")
	if r, err := f.svc.TestInput(as(admin), p.ID, providers.Input{BaseURL: elsewhere.BaseURL(), APIKey: "sk-other-server-key-42"}); err != nil || !r.OK {
		t.Fatalf("another server with its key: %+v, %v", r, err)
	}
	if _, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, BaseURL: elsewhere.BaseURL(), APIKey: "sk-other-server-key-42"}); err != nil {
		t.Fatalf("save with the new key: %v", err)
	}
}

// TestMemberSeesRedactedProviders: a member sees each provider's name and
// kind (what picking a model needs), not its base URL, which may name an
// internal host, nor its key's last characters; an admin sees both. List,
// Get and Find give the same view, and the JSON (the window's, the CLI's
// --json) carries nothing of the address or the hint.
func TestMemberSeesRedactedProviders(t *testing.T) {
	f := newFixture(t, nil)
	const url = "http://10.1.2.3:11434/v1"
	p, err := f.svc.Add(as(admin), providers.Input{Name: "Lab", Kind: providers.KindCompatible, BaseURL: url, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who      access.Actor
		redacted bool
	}{{admin, false}, {member, true}, {access.System, false}} {
		t.Run(string(c.who.Role)+"/"+c.who.Name, func(t *testing.T) {
			ctx := as(c.who)
			list, err := f.svc.List(ctx)
			if err != nil || len(list) != 1 {
				t.Fatalf("list: %+v, %v", list, err)
			}
			got, err := f.svc.Get(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			found, err := f.svc.Find(ctx, "lab")
			if err != nil {
				t.Fatal(err)
			}
			for name, v := range map[string]providers.Provider{"list": list[0], "get": got, "find": found} {
				if v.ID != p.ID || v.Name != "Lab" || v.Kind != providers.KindCompatible || !v.HasKey || !v.SelfHosted {
					t.Errorf("%s: %+v: want the name, kind, key set and self-hosted", name, v)
				}
				js, _ := json.Marshal(v)
				hasURL, hasHint := strings.Contains(string(js), "10.1.2.3"), strings.Contains(string(js), "cdef")
				if c.redacted && (v.BaseURL != "" || v.KeyHint != "" || !v.Redacted || hasURL || hasHint) {
					t.Errorf("%s as a member: %s, want no base URL or key hint, redacted", name, js)
				}
				if !c.redacted && (v.BaseURL != url || v.KeyHint != "…cdef" || v.Redacted) {
					t.Errorf("%s as an admin: %s, want the base URL and key hint", name, js)
				}
			}
		})
	}
	// A member's client still reaches the provider at its address.
	if _, err := f.svc.Client(as(member), p.ID); err != nil {
		t.Fatalf("member's client: %v", err)
	}
}
