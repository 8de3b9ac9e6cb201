package statements

import "testing"

// PartyLine prints only what is set (an invoice showed "Buyer:  , , tax id "
// for a buyer with nothing set) and says "not given" for an empty party.
func TestPartyLine(t *testing.T) {
	for _, c := range []struct {
		p    Party
		want string
	}{
		{Party{}, "not given"},
		{Party{Name: "  "}, "not given"},
		{Party{Name: "Acme GmbH"}, "Acme GmbH"},
		{Party{Name: "Acme GmbH", Address: "Street 1\r\n\n10115 Berlin", TaxID: "DE123", Email: "a@example.org"},
			"Acme GmbH, Street 1, 10115 Berlin, tax id DE123, a@example.org"},
		{Party{TaxID: "DE123"}, "tax id DE123"},
	} {
		if got := PartyLine(c.p); got != c.want {
			t.Errorf("PartyLine(%+v) = %q, want %q", c.p, got, c.want)
		}
	}
}
