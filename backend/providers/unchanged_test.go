package providers_test

import (
	"context"
	"testing"

	"meterdesk/backend/audit/audittest"
	"meterdesk/backend/providers"
)

// TestProviderEditUnchangedIsNotAudited: saving a provider as it is (the
// name, kind and address it has, written as clean would store them; no new
// key, the stored one kept or none to clear) writes nothing and no
// provider.update entry; a real change is still audited. Before, every
// save wrote an entry (a keyless provider's said keyChanged) and a new
// updated_at.
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
		{"a new key", keyed.ID, providers.Input{Name: "OpenAI", Kind: providers.KindOpenAI, APIKey: "sk-second-key-0987654321"}, false},
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
			if _, err := f.svc.Update(as(admin), c.id, c.in); err != nil {
				t.Fatal(err)
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
