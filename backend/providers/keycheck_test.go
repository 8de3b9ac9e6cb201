package providers_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/zalando/go-keyring"

	"meterdesk/backend/providers"
)

// TestUnreadableKeys: the providers whose saved keys cannot be read for a
// data folder are named — what a restore of the database into that folder
// would have to have entered again: a key sealed with another folder's
// secrets.key, or in a folder with none (a backup never holds it), or one
// missing from the OS keychain. A provider without a key is never named.
// Checking makes no secrets.key and writes nothing.
func TestUnreadableKeys(t *testing.T) {
	f := newFixture(t, nil) // sealed with f.dir's secrets.key
	for _, in := range []providers.Input{
		{Name: "Zed cloud", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:9/v1", APIKey: testKey},
		{Name: "alpha cloud", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:9/v2", APIKey: testKey},
		{Name: "Local", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:9/v3"},
	} {
		if _, err := f.svc.Add(as(admin), in); err != nil {
			t.Fatal(err)
		}
	}
	other := t.TempDir() // another data folder, with its own secrets.key
	if _, err := (&providers.Sealed{Dir: other}).Put("x", "y"); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	for _, c := range []struct {
		name, dir string
		want      []string
	}{
		{"the folder they were sealed in", f.dir, []string{}},
		{"another folder's secrets.key", other, []string{"alpha cloud", "Zed cloud"}},
		{"a folder without secrets.key", empty, []string{"alpha cloud", "Zed cloud"}},
		{"a folder that does not exist", filepath.Join(empty, "new"), []string{"alpha cloud", "Zed cloud"}},
	} {
		got, err := f.svc.UnreadableKeys(as(member), c.dir)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	if entries, err := os.ReadDir(empty); err != nil || len(entries) != 0 {
		t.Fatalf("checking made %v (%v)", entries, err)
	}
	if _, err := f.svc.UnreadableKeys(context.Background(), f.dir); err == nil {
		t.Error("nobody signed in: no error")
	}
}

// TestUnreadableKeysInTheKeychain: a key kept in the OS keychain is named
// once the keychain no longer has it (another machine, or removed since).
func TestUnreadableKeysInTheKeychain(t *testing.T) {
	keyring.MockInit()
	f := newFixture(t, providers.Keychain{})
	if _, err := f.svc.Add(as(admin), providers.Input{Name: "Claude", Kind: providers.KindCompatible, BaseURL: "http://127.0.0.1:9/v1", APIKey: testKey}); err != nil {
		t.Fatal(err)
	}
	if got, err := f.svc.UnreadableKeys(as(admin), t.TempDir()); err != nil || len(got) != 0 {
		t.Fatalf("in the keychain: %q, %v", got, err)
	}
	var ref string
	if err := f.db.Read().QueryRow("SELECT secret_ref FROM providers").Scan(&ref); err != nil {
		t.Fatal(err)
	}
	if err := keyring.Delete(providers.KeychainService, ref); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		t.Fatal(err)
	}
	if got, err := f.svc.UnreadableKeys(as(admin), t.TempDir()); err != nil || !slices.Equal(got, []string{"Claude"}) {
		t.Fatalf("gone from the keychain: %q, %v", got, err)
	}
}
