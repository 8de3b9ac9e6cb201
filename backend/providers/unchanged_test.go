package providers_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/providers"
	"meterdesk/backend/providers/fake"
)

// TestProviderEditUnchangedIsNotAudited: saving a provider as it is (the
// name, kind and address it has, written as clean would store them; no new
// key, the stored one kept, typed again, or none to clear) writes nothing
// and no provider.update entry, and says so (Unchanged); a real change is
// still audited and not Unchanged. Before, every save wrote an entry (a
// keyless provider's said keyChanged) and a new updated_at, and the stored
// key typed again was stored anew as a new key.
func TestProviderEditUnchangedIsNotAudited(t *testing.T) {
	f := newFixture(t, nil)
	keyed, err := f.svc.Add(as(admin), providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	local, err := f.svc.Add(as(admin), providers.Input{Name: "Ollama", Kind: providers.KindCompatible, BaseURL: "http://localhost:11434/v1"})
	if err != nil {
		t.Fatal(err)
	}
	openai := providers.DefaultBaseURL(providers.KindOpenAI)
	for _, c := range []struct {
		name      string
		id        int64
		in        providers.Input
		unchanged bool
	}{
		{"as it is", keyed.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, BaseURL: openai}, true},
		{"the default address left blank", keyed.ID, providers.Input{Name: " OpenAI ", Kind: providers.KindOpenAI}, true},
		{"the address with a slash", keyed.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, BaseURL: openai + "/ "}, true},
		{"the address as an endpoint pasted whole", keyed.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, BaseURL: openai + "/chat/completions"}, true},
		{"the stored key typed again", keyed.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, APIKey: " " + testKey + " "}, true},
		{"a new key", keyed.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, APIKey: "sk-second-key-0987654321"}, false},
		{"the new key typed again", keyed.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, APIKey: "sk-second-key-0987654321"}, true},
		{"the old key typed again", keyed.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, APIKey: testKey}, false},
		{"a key that differs in case only", keyed.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, APIKey: strings.ToUpper(testKey)}, false},
		{"a new name", keyed.ID, providers.Input{Name: "OpenAI work", Kind: providers.KindOpenAI}, false},
		{"a keyless server as it is", local.ID, providers.Input{Name: "Ollama", Kind: providers.KindCompatible, BaseURL: "http://localhost:11434/v1"}, true},
		{"a keyless server's key cleared", local.ID, providers.Input{Name: "Ollama", Kind: providers.KindCompatible, BaseURL: "http://localhost:11434/v1", ClearKey: true}, true},
		{"a keyless server's new address", local.ID, providers.Input{Name: "Ollama", Kind: providers.KindCompatible, BaseURL: "http://localhost:11435/v1"}, false},
		{"a key for it", local.ID, providers.Input{Name: "Ollama", Kind: providers.KindCompatible, BaseURL: "http://localhost:11435/v1", APIKey: "local-key-123456"}, false},
		{"the key cleared again", local.ID, providers.Input{Name: "Ollama", Kind: providers.KindCompatible, BaseURL: "http://localhost:11435/v1", ClearKey: true}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			entries := len(audittest.Entries(t, f.db))
			before, err := f.db.Dump(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.svc.Update(as(admin), c.id, c.in)
			if err != nil {
				t.Fatal(err)
			}
			if p.Unchanged != c.unchanged {
				t.Errorf("Unchanged = %v, want %v", p.Unchanged, c.unchanged)
			}
			got := audittest.Entries(t, f.db)
			after, err := f.db.Dump(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if c.unchanged {
				if len(got) != entries {
					t.Fatalf("an unchanged provider was audited: %+v", got[len(got)-1])
				}
				if after != before {
					t.Fatal("an unchanged provider wrote something")
				}
				return
			}
			if len(got) != entries+1 || got[len(got)-1].Action != "provider.update" {
				t.Fatalf("entries written: %+v", got[entries:])
			}
		})
	}
	// Checked as any other: a member's save is refused.
	if _, err := f.svc.Update(as(member), keyed.ID, providers.Input{Name: "OpenAI work", Kind: providers.KindOpenAI}); err == nil {
		t.Fatal("a member saved a provider unchanged")
	}
}

// TestStoredKeyTypedAgainFollows: the stored key typed again with a new
// server is the user's choice to send it there (as any key typed), so it
// is not refused as a kept key would be (ErrKeyForOtherServer); it is
// kept as it is (no keyChanged) and works there. Nothing logs it.
func TestStoredKeyTypedAgainFollows(t *testing.T) {
	a := fake.NewOpenAI(fake.Script{Models: []string{"a1"}})
	defer a.Close()
	a.RequireKey(testKey)
	b := fake.NewOpenAI(fake.Script{Models: []string{"b1"}})
	defer b.Close()
	b.RequireKey(testKey)
	f := newFixture(t, nil)
	p, err := f.svc.Add(as(admin), providers.Input{Name: "Lab", Kind: providers.KindCompatible, BaseURL: a.BaseURL(), APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: "Lab", Kind: providers.KindCompatible, BaseURL: b.BaseURL()}); !errors.Is(err, providers.ErrKeyForOtherServer) {
		t.Fatalf("moved without a key: %v, want ErrKeyForOtherServer", err)
	}
	up, err := f.svc.Update(as(admin), p.ID, providers.Input{Name: "Lab", Kind: providers.KindCompatible, BaseURL: b.BaseURL(), APIKey: testKey})
	if err != nil || up.Unchanged || up.BaseURL != b.BaseURL() || up.ModelsError != "" || up.KeyError != "" {
		t.Fatalf("moved with the key typed again: %+v, %v", up, err)
	}
	entries := audittest.Entries(t, f.db)
	if last := entries[len(entries)-1]; last.Action != "provider.update" || strings.Contains(last.After, "keyChanged") {
		t.Fatalf("audit: %+v", last)
	}
	if res, err := f.svc.Test(as(admin), p.ID); err != nil || !res.OK {
		t.Fatalf("test at b: %+v, %v", res, err)
	}
	if strings.Contains(f.logs.String(), testKey[8:20]) {
		t.Fatal("the logs contain the key")
	}
}
