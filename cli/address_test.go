package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAddressText(t *testing.T) {
	for in, want := range map[string]string{
		`Street 1\nBerlin`:    "Street 1\nBerlin",
		"Street 1\nBerlin":    "Street 1\nBerlin", // a real line break is kept
		`C:\\new folder`:      `C:\new folder`,
		`C:\temp`:             `C:\temp`, // another backslash is kept
		`ends with \`:         `ends with \`,
		`a\\nb`:               `a\nb`, // an escaped backslash, then n
		`plain`:               "plain",
		`two\n\nblank lines`:  "two\n\nblank lines",
		`back\\\nslash break`: "back\\\nslash break",
	} {
		if got := addressText(in); got != want {
			t.Errorf("addressText(%q) = %q, want %q", in, got, want)
		}
	}
}

// workspace update --address and invoice parties --seller-address read an
// address by the one rule: \n is a line break, \\ a backslash.
func TestAddressFlagsShareOneRule(t *testing.T) {
	dir := teamWorkspace(t)
	admin := asAlice(t, dir)
	var ws struct{ Address string }
	for _, c := range []struct{ typed, stored string }{
		{`Street 1\nBerlin`, "Street 1\nBerlin"},
		{`C:\\new folder`, `C:\new folder`},
	} {
		if err := json.Unmarshal([]byte(admin("--json", "workspace", "update", "--address", c.typed)), &ws); err != nil || ws.Address != c.stored {
			t.Errorf("workspace update --address %q stored %q (%v), want %q", c.typed, ws.Address, err, c.stored)
		}
		var parties struct{ Seller struct{ Address string } }
		out := admin("--json", "invoice", "parties", "--seller-name", "Acme", "--seller-address", c.typed)
		if err := json.Unmarshal([]byte(out), &parties); err != nil || parties.Seller.Address != c.stored {
			t.Errorf("invoice parties --seller-address %q stored %q (%v), want %q", c.typed, parties.Seller.Address, err, c.stored)
		}
	}
	admin("workspace", "update", "--address", `Street 1\nBerlin`)
	if out := admin("workspace", "show"); !strings.Contains(out, "address:     Street 1\n             Berlin\n") {
		t.Errorf("workspace show:\n%s", out)
	}
	// A name is not an address: its backslashes stay as typed.
	var parties struct{ Seller struct{ Name string } }
	if err := json.Unmarshal([]byte(admin("--json", "invoice", "parties", "--seller-name", `A\B`)), &parties); err != nil || parties.Seller.Name != `A\B` {
		t.Errorf("seller name: %q %v", parties.Seller.Name, err)
	}
	for _, cmd := range []string{"workspace", "invoice"} {
		if !strings.Contains(admin("help", cmd), `a backslash itself is written \\`) {
			t.Errorf("help %s does not give the address rule", cmd)
		}
	}
}
