package chat

import "testing"

func TestCapitalise(t *testing.T) {
	for in, want := range map[string]string{"": "", "the workspace pool": "The workspace pool", "élan's wallet": "Élan's wallet", "Ωmega": "Ωmega"} {
		if got := capitalise(in); got != want {
			t.Errorf("capitalise(%q) = %q, want %q", in, got, want)
		}
	}
}
