package providers_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"meterdesk/backend/access"
	"meterdesk/backend/providers"
)

// TestStoredErrorWithNoAddressKnown: a stored error of a provider whose
// address is nowhere to be found (removed before the audit log kept
// providers) reads, for a member, as stored when it names no address (an
// IP, a URL, a host:port, a domain name, a DNS lookup), as it does for an
// admin; the stock sentence only when it may name one. Before, a member
// read the stock sentence for every such error. A blank provider name
// reads "the provider", not "the provider (since removed)".
func TestStoredErrorWithNoAddressKnown(t *testing.T) {
	f := newFixture(t, nil)
	const stock = " failed; its error is shown to admins only, since it may name the provider's address"
	for _, c := range []struct {
		name, provider, stored, member string // member "": as stored
	}{
		{"no address", "Ancient", "the reply was cut off before it finished: unexpected EOF", ""},
		{"a model name with dots", "Ancient", "provider error 404 Not Found: the model gpt-4.1-mini or claude-3.5-sonnet does not exist", ""},
		{"a host:port", "Ancient", "chat stream ancient.example:7000: the reply was cut off before it finished",
			"the provider Ancient (since removed)" + stock},
		{"a host:port without a dot", "Ancient", "chat stream ollama:11434: the reply was cut off", "the provider Ancient (since removed)" + stock},
		{"a URL", "Ancient", `Post "http://ollama/v1/chat": EOF`, "the provider Ancient (since removed)" + stock},
		{"an IP", "Ancient", "read tcp 10.0.0.9:5555->10.0.0.5:8080: connection reset by peer", "the provider Ancient (since removed)" + stock},
		{"an IPv6 address", "Ancient", "dial tcp [fd00::5]:8080: connection refused", "the provider Ancient (since removed)" + stock},
		{"a domain name", "Ancient", "certificate is valid for ancient.example, not this one", "the provider Ancient (since removed)" + stock},
		{"a DNS lookup", "Ancient", "dial tcp: lookup ollama: no such host", "the provider Ancient (since removed)" + stock},
		{"no name, no address", "", "the reply was cut off before it finished", ""},
		{"no name, an address", "", "chat stream 10.0.0.5:8080: the reply was cut off", "the provider" + stock},
		{"no name, blank", "  ", "chat stream 10.0.0.5:8080: the reply was cut off", "the provider" + stock},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, who := range []access.Actor{member, admin} {
				words, err := providers.StoredErrorWords(as(who), f.db, c.provider)
				if err != nil {
					t.Fatal(err)
				}
				want := c.stored
				if who.Role == access.RoleMember && c.member != "" {
					want = c.member
				}
				if got := words(c.stored); got != want {
					t.Errorf("%s reads\n %q\nwant %q", who.Name, got, want)
				}
				if got := words(""); got != "" {
					t.Errorf("%s reads no error as %q", who.Name, got)
				}
			}
		})
	}
}

// TestStoredErrorOfARemovedProviderWhoseIDIsReused: a provider removed
// before migration 0970, whose id another provider was given since, reads
// "(since removed)": the row with its id is not it (its name key is
// another). Before, any row with the id counted, so "Old" read as there.
// A provider renamed since (its id, never removed) is there still.
func TestStoredErrorOfARemovedProviderWhoseIDIsReused(t *testing.T) {
	f := newFixture(t, nil)
	ctx := as(admin)
	add := func(name, base string) providers.Provider {
		t.Helper()
		p, err := f.svc.Add(ctx, providers.Input{Name: name, Kind: providers.KindCompatible, BaseURL: base})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := add("Old", "http://old.meterdesk-test.invalid:7000/v1")
	if err := f.svc.Remove(ctx, old.ID); err != nil {
		t.Fatal(err)
	}
	// Another provider given the removed one's id, as before migration 0970.
	newer := add("Newer", "http://newer.meterdesk-test.invalid:7001/v1")
	if err := f.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE providers SET id = ? WHERE id = ?`, old.ID, newer.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	renamed := add("Before", "http://before.meterdesk-test.invalid:7002/v1")
	if _, err := f.svc.Update(ctx, renamed.ID, providers.Input{Name: "After", Kind: providers.KindCompatible,
		BaseURL: "http://before.meterdesk-test.invalid:7002/v1"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ provider, stored, want string }{
		{"Old", "chat stream old.meterdesk-test.invalid:7000: the reply was cut off",
			"chat stream the provider Old (since removed): the reply was cut off"},
		{"Before", "chat stream before.meterdesk-test.invalid:7002: the reply was cut off",
			"chat stream the provider Before: the reply was cut off"},
		{"Newer", "chat stream newer.meterdesk-test.invalid:7001: the reply was cut off",
			"chat stream the provider Newer: the reply was cut off"},
	} {
		words, err := providers.StoredErrorWords(as(member), f.db, c.provider)
		if err != nil {
			t.Fatal(err)
		}
		if got := words(c.stored); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.provider, got, c.want)
		}
	}
}

// TestStoredErrorWordsSkipsAuditEntriesWithNoTextBaseURL: the base URLs
// are read from the audit log in SQL; an entry whose JSON is not valid, or
// whose baseUrl is no text, names none and fails nothing (as json.Unmarshal
// into a string skipped it), and each address read is scrubbed.
func TestStoredErrorWordsSkipsAuditEntriesWithNoTextBaseURL(t *testing.T) {
	f := newFixture(t, nil)
	p, err := f.svc.Add(as(admin), providers.Input{Name: "Lab", Kind: providers.KindCompatible, BaseURL: "http://lab.meterdesk-test.invalid:7000/v1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.Write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO audit_log(at, actor_name, action, target, before_json, after_json) VALUES
			('2025-01-01T00:00:00Z', 'ada', 'provider.update', ?, 'not json', '{"name": "Lab", "baseUrl": 5}'),
			('2025-01-01T00:00:01Z', 'ada', 'provider.update', ?, '{"name": "Lab", "baseUrl": "http://lab-old.meterdesk-test.invalid:7001/v1"}', 'null')`,
			fmt.Sprintf("provider:%d", p.ID), fmt.Sprintf("provider:%d", p.ID))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	words, err := providers.StoredErrorWords(as(member), f.db, "Lab")
	if err != nil {
		t.Fatal(err)
	}
	const stored = "chat stream lab-old.meterdesk-test.invalid:7001: cut off; then lab.meterdesk-test.invalid:7000: cut off"
	if got, want := words(stored), "chat stream the provider Lab: cut off; then the provider Lab: cut off"; got != want {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
}
