package providers_test

import (
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
