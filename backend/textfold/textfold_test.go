package textfold

import (
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Café Crème", "cafe creme"},
		{"CAFÉ", "cafe"},
		{"Über Zürich", "uber zurich"},
		{"Straße", "straße"},
		{"ÅNGSTRÖM", "angstrom"},
		{"Ελληνικά", "ελληνικα"},
		{"Привет МИР", "привет мир"},
		{"研究部 🎉", "研究部 🎉"},
		{"plain ascii 123", "plain ascii 123"},
		{"e\u0301", "e\u0301"}, // a lone combining mark stays a rune of its own
	} {
		got := Fold(c.in)
		if got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
		if utf8.RuneCountInString(got) != utf8.RuneCountInString(c.in) {
			t.Errorf("Fold(%q) changed the rune count", c.in)
		}
	}
}
